import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparisonFeatures, wordCount } from './features';
import { PROPERTIES, propertyByName } from './properties';
import type { PairAnnotation, DetectedError } from '../../../preload/contract';

const at = (name: string) => propertyByName(name).position;
const err = (severity: DetectedError['severity']): DetectedError => ({ description: 'x', type: 'Factual error', severity });

function annotation(ratings: Record<string, [number, number]>, errors?: PairAnnotation['errors']): PairAnnotation {
  return {
    ratings: Object.fromEntries(Object.entries(ratings).map(([k, [A, B]]) => [k, { A, B }])),
    prerequisites: null, items: [], errors: errors ?? null, model: null, promptVersion: null,
  };
}

test('the 29 properties are in the order of the published weights', () => {
  assert.equal(PROPERTIES.length, 29);
  assert.equal(PROPERTIES[0].name, 'harmless');
  assert.equal(PROPERTIES[19].name, 'contain rich info');
  assert.equal(PROPERTIES[28].name, 'lengthy');
});

test("Table 11's example gives the comparison features its ratings imply (Appendix H)", () => {
  // Basic ratings of Table 11 (A first, B second); word counts 102 and 346; constraints 3,3,3,3,3 vs 3,2,1,3,2.
  const phi = comparisonFeatures(annotation({
    harmless: [3, 3], 'grammarly correct': [3, 2], friendly: [2, 2], polite: [3, 3], interactive: [0, 0],
    authoritative: [2, 2], funny: [0, 0], 'use rhetorical devices': [0, 0], 'complex word & sentence': [1, 1],
    'use supporting materials': [0, 0], 'well formatted': [2, 2], 'admit limits': [0, 0], persuasive: [0, 0],
    'step-by-step': [0, 0], 'use informal expressions': [0, 0], 'non-repetitive': [3, 2], clear: [3, 2],
    relevant: [3, 1], novel: [1, 1], 'contain rich info': [2, 3], lengthy: [102, 346],
    'satisfy constraints': [3, 11 / 5], 'support stances': [3, 2.625],
  }, {
    A: { applicable: true, errors: [err('moderate')] },
    B: { applicable: true, errors: [err('severe'), err('moderate'), err('moderate'), err('moderate'), err('moderate'), err('minor')] },
  }));
  const expected: Record<string, number> = {
    'grammarly correct': 1, 'non-repetitive': 1, clear: 1, 'contain rich info': -1,
    relevant: 0, // 3 vs 1: neither is 0, so relevance does not differ
    lengthy: -1, // 102 < 0.7 * 346: A is the shorter
    'no minor errors': 1, 'no moderate errors': 1, 'no severe errors': 1,
    'satisfy constraints': 1, 'support stances': 1,
  };
  for (const p of PROPERTIES) assert.equal(phi[p.position], expected[p.name] ?? 0, p.name);
});

test('relevant differs only between a rating of 0 and one above 0', () => {
  assert.equal(comparisonFeatures(annotation({ relevant: [0, 1] }))[at('relevant')], -1);
  assert.equal(comparisonFeatures(annotation({ relevant: [2, 0] }))[at('relevant')], 1);
  assert.equal(comparisonFeatures(annotation({ relevant: [3, 2] }))[at('relevant')], 0);
});

test('lengthy differs only when the shorter has fewer than 70% of the longer one\'s words', () => {
  assert.equal(comparisonFeatures(annotation({ lengthy: [70, 100] }))[at('lengthy')], 0);
  assert.equal(comparisonFeatures(annotation({ lengthy: [69, 100] }))[at('lengthy')], -1);
  assert.equal(comparisonFeatures(annotation({ lengthy: [200, 100] }))[at('lengthy')], 1);
  assert.equal(comparisonFeatures(annotation({ lengthy: [0, 0] }))[at('lengthy')], 0);
});

test('error features count errors per severity, fewer is better, and skip not-applicable responses', () => {
  const both = comparisonFeatures(annotation({}, {
    A: { applicable: true, errors: [err('minor'), err('minor')] },
    B: { applicable: true, errors: [err('minor'), err('severe')] },
  }));
  assert.equal(both[at('no minor errors')], -1);
  assert.equal(both[at('no severe errors')], 1);
  assert.equal(both[at('no moderate errors')], 0);
  const skipped = comparisonFeatures(annotation({}, {
    A: { applicable: false, errors: [] },
    B: { applicable: true, errors: [err('severe')] },
  }));
  assert.deepEqual([skipped[at('no minor errors')], skipped[at('no moderate errors')], skipped[at('no severe errors')]], [0, 0, 0]);
});

test('a property that was not annotated for the pair is 0', () => {
  const phi = comparisonFeatures(annotation({ clear: [3, 1] }));
  assert.equal(phi[at('clear')], 1);
  assert.equal(phi.reduce((s, v) => s + Math.abs(v), 0), 1);
});

test('word counts split words and punctuation as NLTK does', () => {
  assert.equal(wordCount(''), 0);
  assert.equal(wordCount('Hello, world!'), 4);
  assert.equal(wordCount("It's 12pm: lunch at Sage."), 8);
  assert.equal(wordCount("Don't stop..."), 4);
  assert.equal(wordCount('12:00pm: a must-see at Chez L\'Ami Jean, 1,000 seats.'), 12);
});
