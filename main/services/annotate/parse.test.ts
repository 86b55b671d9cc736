// Strict reading of answers: every way an answer can be wrong is named, with where it is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerJson, parseBasic, parseErrors, parseNormalised, parsePrerequisites, parseQuerySpecific } from './parse';
import { QUERY_AWARE_PROPERTIES } from './prompts';

test('an answer is one JSON value, bare or in one ```json block; truncated or cut-off answers are refused', () => {
  assert.deepEqual(answerJson('  {"a": 1} ', 'stop', 100), { a: 1 });
  assert.deepEqual(answerJson('Here you go:\n```json\n{"a": [1]}\n```\nThanks', 'stop', 100), { a: [1] });
  assert.throws(() => answerJson('{"a": {"b": "2"', 'stop', 100), /the answer is not complete JSON \(.*; it has 15 characters\)/);
  assert.throws(() => answerJson('{"a": 1}', 'length', 1024), /cut off at the token limit \(1024 tokens\)/);
  assert.throws(() => answerJson('```json\n{}\n```\n```json\n{}\n```', 'stop', 100), /2 code blocks/);
  assert.throws(() => answerJson('   ', 'stop', 100), /empty/);
});

test('basic ratings: exactly the characteristics asked, 0-3 for both responses', () => {
  const good = { 'innovative and novel': { 'response 1': '1', 'Response 2': 3 }, 'relevance without considering inaccuracy': { 'response 1': '0', 'response 2': '2' } };
  assert.deepEqual(parseBasic(good, QUERY_AWARE_PROPERTIES), { novel: { A: 1, B: 3 }, relevant: { A: 0, B: 2 } });
  assert.throws(() => parseBasic({ 'innovative and novel': good['innovative and novel'] }, QUERY_AWARE_PROPERTIES), /no "relevance without considering inaccuracy"/);
  assert.throws(() => parseBasic({ ...good, novel: {} }, QUERY_AWARE_PROPERTIES), /unexpected key "novel"/);
  assert.throws(() => parseBasic({ ...good, 'innovative and novel': { 'response 1': '4', 'response 2': '1' } }, QUERY_AWARE_PROPERTIES),
    /expected a rating 0, 1, 2 or 3 at "innovative and novel"\."response 1", found "4"/);
  assert.throws(() => parseBasic({ ...good, 'innovative and novel': { 'response 1': '1' } }, QUERY_AWARE_PROPERTIES), /no "response 2" at "innovative and novel"/);
});

test('round one: yes/no and lists of text', () => {
  const base = { 'clear intent': 'yes', 'explicitly express feelings': 'No', 'explicit constraints': ['a'], 'explicit subjective stances': [], 'explicit mistakes or biases': [] };
  assert.deepEqual(parsePrerequisites(base), { clearIntent: true, expressFeelings: false, constraints: ['a'], stances: [], mistakes: [] });
  assert.throws(() => parsePrerequisites({ ...base, 'clear intent': 'maybe' }), /expected one of "Yes", "No" at "clear intent"/);
  assert.throws(() => parsePrerequisites({ ...base, 'explicit constraints': 'a' }), /expected a list at "explicit constraints"/);
  assert.throws(() => parsePrerequisites({ ...base, 'explicit constraints': ['a', 'a'] }), /lists "a" twice/);
});

test('round two: only the questions asked; items matched by text, else by position; labels from the prompt', () => {
  const q = { intent: false, empathy: true, items: { constraint: ['under 50 words'], stance: ['cats are best'], mistake: [] } };
  const answer = {
    'showing empathetic': { 'Response 1': '2', 'Response 2': '3' },
    'satisfying explicit constraints': { 'keep it under 50 words': { 'Response 1': '3', 'Response 2': '1' } },
    'supporting explicit subjective stances': { 'cats are best': { 'Response 1': 'weakly SUPPORTED', 'Response 2': 'Neutral' } },
  };
  assert.deepEqual(parseQuerySpecific(answer, q), {
    intent: null, empathy: { A: 2, B: 3 },
    items: [
      { kind: 'constraint', text: 'under 50 words', labels: { A: '3', B: '1' } },
      { kind: 'stance', text: 'cats are best', labels: { A: 'Weakly supported', B: 'Neutral' } },
    ],
  });
  assert.throws(() => parseQuerySpecific({ ...answer, 'clarify user intent': {} }, q), /unexpected key "clarify user intent"/);
  assert.throws(() => parseQuerySpecific({ ...answer, 'satisfying explicit constraints': {} }, q), /labels 0 items but the query has 1/);
  assert.throws(() => parseQuerySpecific({ ...answer, 'supporting explicit subjective stances': { 'cats are best': { 'Response 1': 'Agree', 'Response 2': 'Neutral' } } }, q),
    /expected one of "Strongly supported", .* found "Agree"/);
});

test('error detection: applicable or not, inaccuracies with one of the four types and a severity', () => {
  const check = (inaccuracies: unknown[], flag = 'applicable') => ({ 'accuracy check': flag, inaccuracies });
  const r = parseErrors({
    'Response 1': check([{ 'brief description': 'x', type: 'Information Contradiction', severity: 'Severe' }]),
    'Response 2': check([], 'not applicable'),
  });
  assert.deepEqual(r, {
    A: { applicable: true, errors: [{ description: 'x', type: 'Information contradiction to the query', severity: 'severe' }] },
    B: { applicable: false, errors: [] },
  });
  assert.throws(() => parseErrors({ 'Response 1': check([{ 'brief description': 'x', type: 'Style', severity: 'minor' }]), 'Response 2': check([]) }), /expected an inaccuracy type .* found "Style"/);
  assert.throws(() => parseErrors({ 'Response 1': check([], 'unsure'), 'Response 2': check([]) }), /"accuracy check"/);
});

test('normalised reasons: every reason listed comes back once', () => {
  const out = parseNormalised([{ preference: 'Brevity', normalized_preference: 'Concise' }, { preference: 'tone and format', error: 'two things' }], ['brevity', 'tone and format']);
  assert.deepEqual([...out.entries()], [['brevity', { category: 'concise' }], ['tone and format', { error: 'two things' }]]);
  assert.throws(() => parseNormalised([{ preference: 'brevity', normalized_preference: 'concise' }], ['brevity', 'humour']), /"humour" is missing/);
  assert.throws(() => parseNormalised([{ preference: 'wit', normalized_preference: 'humour' }], ['humour']), /"wit" was not in the list/);
});
