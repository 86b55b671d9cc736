import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dpoDataset, judgeSystemMessage } from './manipulate';
import { demoStorage, storeFit } from './testing';
import { comparisonFeatures } from '../data/features';
import { paperReference } from '../data/reference';
import { PROPERTIES } from '../data/properties';

const { storage, studyId } = demoStorage();
const reference = paperReference();

test("a system message asks for the judge's top three, or last three, properties of the scenario", () => {
  const judge = { source: 'paper' as const, name: 'gpt-4-1106-preview' };
  const weights = reference.weights.Communication[judge.name];
  const order = weights.map((w, i) => ({ w, name: reference.properties[i] })).sort((a, b) => b.w - a.w).map((x) => x.name);
  const top = judgeSystemMessage(storage, { studyId, judge, group: 'Communication', which: 'top' });
  assert.deepEqual(top.properties.map((p) => p.name), order.slice(0, 3));
  assert.match(top.text, /scenario "Communication"/);
  for (const [i, name] of order.slice(0, 3).entries()) assert.ok(top.text.includes(`${i + 1}. ${name}: `), top.text);
  const last = judgeSystemMessage(storage, { studyId, judge, group: 'Communication', which: 'last' });
  assert.deepEqual(last.properties.map((p) => p.name), order.slice(-3).reverse());
  // Basic properties are asked for with the annotation prompt's own descriptions (Figure 7).
  const basic = PROPERTIES.find((p) => p.name === order[0] && p.group === 'basic' && p.name !== 'lengthy' && p.name !== 'non-repetitive');
  if (basic) assert.ok(top.text.includes(basic.description));
  assert.throws(() => judgeSystemMessage(storage, { studyId, judge: { source: 'study', name: 'human' }, group: 'Code', which: 'top' }), /human has no finished fit on Code/);
});

test('a DPO export of the demo keeps the pairs the fitted model is sure about, in TRL fields', () => {
  const judge = 'gpt-3.5-turbo-1106';
  // The "fit" is the published weights, doubled on Advice so that the two groups' models differ.
  const weights = { Code: reference.weights.Code[judge], Advice: reference.weights.Advice[judge].map((w) => 2 * w) };
  for (const [group, alpha] of Object.entries(weights)) storeFit(storage, studyId, judge, group, alpha);

  // Worked out here from the weights and the comparison features of every annotated pair of the two scenarios.
  const expected: { prompt: string; preferred: string; other: string }[] = [];
  for (const [group, alpha] of Object.entries(weights)) {
    const pairs = storage.db.prepare(`SELECT id, query, response_a, response_b FROM pairs
      WHERE study_id = ? AND scenario = ? AND unsafe = 0 AND annotated = 1 ORDER BY id`).all(studyId, group) as
      { id: number; query: string; response_a: string; response_b: string }[];
    for (const p of pairs) {
      const phi = comparisonFeatures(storage.annotations.annotation(p.id));
      const logit = alpha.reduce((t, a, i) => t + a * phi[i], 0);
      const pA = 1 / (1 + Math.exp(-logit));
      if (pA > 0.65) expected.push({ prompt: p.query, preferred: p.response_a, other: p.response_b });
      else if (pA < 0.35) expected.push({ prompt: p.query, preferred: p.response_b, other: p.response_a });
    }
  }
  assert.ok(expected.length > 100, `${expected.length} pairs expected`);

  const towards = dpoDataset(storage, { studyId, judge: { source: 'study', name: judge }, direction: 'towards' });
  assert.equal(towards.count, expected.length);
  assert.equal(towards.considered - towards.leftOut, expected.length);
  assert.deepEqual(towards.groups.map((g) => g.group), ['Code', 'Advice']);
  assert.equal(towards.skipped.length, 9);
  assert.match(towards.fileName, /^dpo_demo-project_gpt-3-5-turbo-1106_towards_\d{4}-\d{2}-\d{2}\.jsonl$/);
  const lines = towards.jsonl.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, expected.length);
  for (const [i, line] of lines.entries()) {
    assert.deepEqual(Object.keys(line), ['prompt', 'chosen', 'rejected']);
    assert.deepEqual(line, { prompt: expected[i].prompt, chosen: expected[i].preferred, rejected: expected[i].other });
  }

  const against = dpoDataset(storage, { studyId, judge: { source: 'study', name: judge }, direction: 'against' });
  const flipped = against.jsonl.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(flipped, lines.map((l) => ({ prompt: l.prompt, chosen: l.rejected, rejected: l.chosen })));

  assert.throws(() => dpoDataset(storage, { studyId, judge: { source: 'study', name: 'human' }, direction: 'towards' }), /human has no finished fit on any scenario/);
  assert.throws(() => dpoDataset(storage, { studyId, judge: { source: 'study', name: judge }, direction: 'towards', margin: 0.5 }), /margin must be at least 0 and below 0.5/);
});
