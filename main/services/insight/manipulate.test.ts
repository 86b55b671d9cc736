import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dpoDataset, judgeSystemMessage } from './manipulate';
import { demoStorage, storeFit } from './testing';
import { effectStrengthsTable, judgeEffects, judgeSimilarity, styleSubstance, styleSubstanceTable, similarityTable, topLastThreeTable } from './compare';
import { formatTable } from '../tables';
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
  // A query-specific group is named in people's words, as a group, not as a scenario called "w_constraints".
  const constrained = judgeSystemMessage(storage, { studyId, judge, group: 'w_constraints', which: 'top' });
  assert.match(constrained.text, /The user's query is in the group "With explicit constraints"\./);
  assert.throws(() => judgeSystemMessage(storage, { studyId, judge: { source: 'study', name: 'human' }, group: 'w_stances', which: 'top' }), /no finished fit on Shows subjective stances;/);
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

  const towards = dpoDataset(storage, { studyId, judge: { source: 'study', name: judge }, direction: 'towards', includeSimulated: true });
  assert.equal(towards.count, expected.length);
  assert.equal(towards.simulatedLeftOut, 0);
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

  const against = dpoDataset(storage, { studyId, judge: { source: 'study', name: judge }, direction: 'against', includeSimulated: true });
  const flipped = against.jsonl.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(flipped, lines.map((l) => ({ prompt: l.prompt, chosen: l.rejected, rejected: l.chosen })));

  assert.throws(() => dpoDataset(storage, { studyId, judge: { source: 'study', name: 'human' }, direction: 'towards' }), /human has no finished fit on any scenario/);
  assert.throws(() => dpoDataset(storage, { studyId, judge: { source: 'study', name: judge }, direction: 'towards', margin: 0.5 }), /margin must be at least 0 and below 0.5/);
});

test('a DPO export leaves simulated pairs out unless asked, and says how many', () => {
  const judge = { source: 'paper' as const, name: 'gpt-4-1106-preview' };
  const simulated = (storage.db.prepare('SELECT COUNT(*) AS n FROM pairs WHERE study_id = ? AND annotated = 1 AND simulated = 1').get(studyId) as { n: number }).n;
  const real = (storage.db.prepare('SELECT COUNT(*) AS n FROM pairs WHERE study_id = ? AND annotated = 1 AND simulated = 0').get(studyId) as { n: number }).n;
  const plain = dpoDataset(storage, { studyId, judge, direction: 'towards' });
  assert.equal(plain.includeSimulated, false);
  assert.equal(plain.simulatedLeftOut, simulated);
  assert.equal(plain.considered, real, 'only the hand-written pairs are scored');
  const texts = new Set((storage.db.prepare('SELECT query FROM pairs WHERE study_id = ? AND simulated = 1').all(studyId) as { query: string }[]).map((r) => r.query));
  for (const line of plain.jsonl.trimEnd().split('\n').map((l) => JSON.parse(l))) assert.ok(!texts.has(line.prompt), 'no simulated pair in the file');
  const all = dpoDataset(storage, { studyId, judge, direction: 'towards', includeSimulated: true });
  assert.equal(all.considered, real + simulated);
  assert.equal(all.simulatedLeftOut, 0);
});

test("a flagged fit carries its flag into the system message, the DPO file's lines, Compare and every exported table", () => {
  const judge = 'mistral-7b-instruct-v0.2';
  storeFit(storage, studyId, judge, 'Code', reference.weights.Code[judge], null, true);
  storeFit(storage, studyId, judge, 'Advice', reference.weights.Advice[judge]);
  const ref = { source: 'study' as const, name: judge };
  const why = 'R-hat 1.050 > 1.01 and 3 divergences';

  assert.equal(judgeSystemMessage(storage, { studyId, judge: ref, group: 'Code', which: 'top' }).flag, why);
  assert.equal(judgeSystemMessage(storage, { studyId, judge: ref, group: 'Advice', which: 'top' }).flag, null);

  const dpo = dpoDataset(storage, { studyId, judge: ref, direction: 'towards', includeSimulated: true, margin: 0 });
  assert.deepEqual(dpo.groups.map((g) => [g.group, g.flag]), [['Code', why], ['Advice', null]]);
  const lines = dpo.jsonl.trimEnd().split('\n').map((l) => JSON.parse(l));
  const code = dpo.groups[0].kept;
  assert.ok(code > 0 && lines.length > code);
  assert.ok(lines.slice(0, code).every((l) => l.fit_flag === why), 'every line from the flagged fit says so');
  assert.ok(lines.slice(code).every((l) => !('fit_flag' in l)), 'lines from a sound fit stay plain');

  const effects = judgeEffects(storage, studyId, [ref]);
  assert.equal(effects.find((e) => e.group === 'Code')!.flag, why);
  for (const format of ['csv', 'md', 'latex', 'json'] as const) {
    assert.ok(formatTable(effectStrengthsTable(effects, 'Code'), format).includes(`flagged fit: ${why}`.replace(/_/g, '\\_')), `effect strengths as ${format}`);
    assert.ok(formatTable(topLastThreeTable(effects), format).includes(why), `top and last three as ${format}`);
  }
  assert.ok(!formatTable(effectStrengthsTable(effects, 'Advice'), 'csv').includes('flagged'));
  const judges = [ref, { source: 'paper' as const, name: 'human' }];
  const similarity = judgeSimilarity(storage, { studyId, judges });
  assert.equal(similarity.judges.find((j) => j.judge.name === judge)!.flag, `Code: ${why}`);
  assert.ok(formatTable(similarityTable(similarity), 'csv').includes(`Code: ${why}`));
  const style = styleSubstance(storage, { studyId, judges });
  assert.equal(style.judges.find((j) => j.judge.name === judge)!.flag, `Code: ${why}`);
  assert.ok(formatTable(styleSubstanceTable(style), 'json').includes(`Code: ${why}`));
});
