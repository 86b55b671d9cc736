// Corrected by the check (issue 15): each round's probabilities per strategy, the checked/settled rule, and the
// corrected channel on a hand-made round.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { PairAnnotation } from '../../../preload/contract';
import { Storage } from '../storage';
import { MIGRATIONS } from '../db/migrations';
import { RATED_BASIC_PROPERTIES, PROPERTY_COUNT, PROPERTY_NAMES } from '../data/properties';
import { comparisonFeatures } from '../data/features';
import type { ImportedPair } from '../data/import/types';
import { approveRest, createRound, giveVerdict, strategyProbabilities } from './review';
import { adjudicate } from './report';
import { checkedPairs, correctedReport, correctedTable, roundProbabilities } from './corrected';
import { createDrawnRound, informativeDraw } from './draw';
import { makePackage, openPackage } from './package';
import { formatTable } from '../tables';
import { fitSandwich } from '../../../native-workers';

const CLEAR = PROPERTY_NAMES.indexOf('clear');

/** Pair i: basic ratings that vary with i; "clear" annotated without regard to which response the judge preferred. */
function annotation(i: number): PairAnnotation {
  const ratings: PairAnnotation['ratings'] = {};
  RATED_BASIC_PROPERTIES.forEach((p, k) => { ratings[p.name] = { A: (i + k) % 4, B: (i * 3 + k + 1) % 4 }; });
  ratings.clear = { A: i % 4, B: (i + 2) % 4 };
  return { ratings, prerequisites: null, items: [], errors: null, model: 'gpt-4-1106-preview', promptVersion: 'paper' };
}

/** Pair i, labelled by the human judge (and, when asked, by gpt-4 too). */
function pair(i: number, scenario: string, twoJudges = false): ImportedPair {
  const labels: ImportedPair['labels'] = [{ judge: 'human', kind: 'human', preferred: i % 2 ? 'A' : 'B', probabilityA: null }];
  if (twoJudges) labels.push({ judge: 'gpt-4', kind: 'llm', preferred: i % 5 < 2 ? 'A' : 'B', probabilityA: null });
  return {
    externalId: `q${i}`, query: `Question ${i}`, responseA: `A ${i}`, responseB: `B ${i}`, modelA: 'vicuna-13b', modelB: 'gpt-4',
    scenario, fineScenario: null, unsafe: false, language: 'English', simulated: false, labels, annotation: annotation(i),
  };
}

/** n pairs, one in three Code and the rest Advice (or all Advice). */
function studyWith(n: number, allAdvice = false, twoJudges = false) {
  const storage = new Storage(join(mkdtempSync(join(tmpdir(), 'ps-corrected-')), 'db.sqlite'));
  const pairs = Array.from({ length: n }, (_, i) => pair(i, allAdvice || i % 3 !== 0 ? 'Advice' : 'Code', twoJudges));
  const { studyId } = storage.studies.insertBatch({ name: 'Checked' }, { format: 'paper', pairs, dropped: [] }, { fileName: 'f', sha256: 'f' });
  return { storage, studyId };
}

const round = (storage: Storage, studyId: number, size: number, strategy: 'random' | 'stratified', checkers = ['ana']) =>
  createRound(storage, { studyId, size, strategy, seed: 5, checkers, blind: true });

test('a random round records n/N for every pair and a stratified one n_s/N_s per scenario', () => {
  const { storage, studyId } = studyWith(30);
  const random = round(storage, studyId, 6, 'random');
  assert.deepEqual([...new Set(storage.review.roundProbabilities(random.id).values())], [6 / 30]);
  // 30 pairs: Code 10, Advice 20; a round of 7 gives Code 2.33 -> 2 and Advice 4.67 -> 5.
  const stratified = round(storage, studyId, 7, 'stratified');
  const code = new Set(storage.pairs.annotatedStrata(studyId).filter((c) => c.stratum === 'Code').map((c) => c.pairId));
  for (const [pairId, p] of storage.review.roundProbabilities(stratified.id)) assert.equal(p, code.has(pairId) ? 2 / 10 : 5 / 20);
  const all = strategyProbabilities(storage.pairs.annotatedStrata(studyId), 7, 'stratified');
  assert.ok(Math.abs([...all.values()].reduce((s, p) => s + p, 0) - 7) < 1e-12, 'the probabilities add up to the round size');
  assert.equal(roundProbabilities(storage, stratified.id).implied, false);
  storage.close();
});

test('an informative round records each drawn pair’s probability, in (0, 1], more for pairs whose check matters more', () => {
  const { storage, studyId } = studyWith(80);
  const req = { studyId, size: 20, strategy: 'informative' as const, seed: 3, checkers: ['ana'], blind: true, design: { judge: 'human', group: 'Advice' } };
  const drawn = informativeDraw(storage, req);
  assert.ok(drawn.probabilities.every((p) => p > 0 && p <= 1));
  assert.ok(new Set(drawn.probabilities.map((p) => p.toFixed(9))).size > 1, 'not all pairs equally likely');
  const created = createDrawnRound(storage, req);
  assert.equal(created.strategy, 'informative');
  const stored = storage.review.roundProbabilities(created.id);
  assert.deepEqual(storage.review.roundPairIds(created.id).map((id) => stored.get(id)), drawn.probabilities);
  const advice = new Set(storage.pairs.labelledPairs(studyId, 'human', 'Advice').map((p) => p.pairId));
  assert.ok(storage.review.roundPairIds(created.id).every((id) => advice.has(id)), 'drawn from the design group only');
  assert.throws(() => createDrawnRound(storage, { ...req, design: undefined }), /needs the judge and group/);
  assert.throws(() => createDrawnRound(storage, { ...req, size: 80 }), /human labelled \d+ annotated pairs in Advice; a round of 80/);
  storage.close();
});

test('an informative round records the judge and group it was drawn for; the others record none', () => {
  const { storage, studyId } = studyWith(60);
  const design = { judge: 'human', group: 'Advice' };
  const informative = createDrawnRound(storage, { studyId, size: 10, strategy: 'informative', seed: 3, checkers: ['ana'], blind: true, design });
  assert.deepEqual(informative.design, design);
  assert.deepEqual(storage.review.reviewRound(informative.id).design, design);
  // A design sent with another strategy is not the round's: only an informative draw is limited to one group.
  const random = createDrawnRound(storage, { studyId, size: 10, strategy: 'random', seed: 3, checkers: ['ana'], blind: true, design });
  assert.equal(random.design, null);
  // A checker's package carries it: the round opened on their laptop says what it was drawn for too.
  const laptop = new Storage(join(mkdtempSync(join(tmpdir(), 'ps-corrected-laptop-')), 'db.sqlite'));
  assert.deepEqual(openPackage(laptop, makePackage(storage, informative.checkers[0].id).content).round.design, design);
  laptop.close();
  storage.close();
});

test('the correction of an informative round holds for its own judge and group, notes another judge on the same pairs, and refuses pairs it could not draw', () => {
  const { storage, studyId } = studyWith(90, false, true);
  const r = createDrawnRound(storage, { studyId, size: 20, strategy: 'informative', seed: 3, checkers: ['ana'], blind: true, design: { judge: 'human', group: 'Advice' } });
  for (const pairId of storage.review.roundPairIds(r.id)) approveRest(storage, { checkerId: r.checkers[0].id, pairId });
  const own = correctedReport(storage, { roundId: r.id, judge: 'human', group: 'Advice' });
  assert.ok(own.checked > 0);
  assert.doesNotMatch(own.summary, /drawn where checking helps most/, 'no note for the judge and group it was drawn for');
  // gpt-4 labelled the same Advice pairs: each could have been drawn, with the probability recorded.
  const other = correctedReport(storage, { roundId: r.id, judge: 'gpt-4', group: 'Advice' });
  assert.equal(other.checked, own.checked);
  assert.match(other.summary, /Round 1 was drawn where checking helps most for human on Advice; every pair gpt-4 labelled in Advice could have been drawn too, so the correction holds/);
  // Code pairs could never be drawn (probability zero): refused in one sentence, naming the round's design.
  assert.throws(() => correctedReport(storage, { roundId: r.id, judge: 'gpt-4', group: 'Code' }),
    { message: /^Round 1 was drawn where checking helps most for human on Advice, so 30 of the 30 pairs gpt-4 labelled in Code could never have been checked and its check cannot correct these effect strengths: choose human on Advice, or draw a random or stratified round\.$/ });
  // An informative round drawn before the design was recorded: computed, with the note that it holds only if every pair could have been drawn.
  storage.db.prepare('UPDATE review_rounds SET design_judge = NULL, design_group = NULL WHERE id = ?').run(r.id);
  assert.match(correctedReport(storage, { roundId: r.id, judge: 'gpt-4', group: 'Advice' }).summary,
    /drawn where checking helps most before rounds recorded for which judge and group; the correction holds only if every pair gpt-4 labelled in Advice could have been drawn\./);
  storage.close();
});

test('a round from before probabilities were recorded gets what its strategy implies, and says so', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'ps-corrected-old-')), 'db.sqlite');
  const raw = new Database(path);
  for (const m of MIGRATIONS.filter((x) => x.version <= 3)) m.up(raw);
  raw.pragma('user_version = 3');
  raw.exec(`INSERT INTO studies (id, name, created_at) VALUES (1, 'Old', '2024-01-01');
    INSERT INTO pairs (id, study_id, external_id, query, response_a, response_b, model_a, model_b, scenario, unsafe, simulated, annotated)
      VALUES (1, 1, 'q1', 'q', 'a', 'b', 'm', 'n', 'Advice', 0, 0, 1), (2, 1, 'q2', 'q', 'a', 'b', 'm', 'n', 'Advice', 0, 0, 1),
             (3, 1, 'q3', 'q', 'a', 'b', 'm', 'n', 'Code', 0, 0, 1), (4, 1, 'q4', 'q', 'a', 'b', 'm', 'n', 'Code', 0, 0, 1);
    INSERT INTO review_rounds (id, study_id, name, seed, strategy, blind, created_at) VALUES (1, 1, 'Round 1', 1, 'random', 1, '2024-01-01');
    INSERT INTO review_round_pairs VALUES (1, 0, 1), (1, 1, 3);
    INSERT INTO checkers (id, round_id, name, blind) VALUES (1, 1, 'ana', 1);`);
  raw.close();
  const storage = new Storage(path);
  assert.deepEqual([...storage.review.roundProbabilities(1).values()], [null, null]);
  const { byPair, implied } = roundProbabilities(storage, 1);
  assert.deepEqual([implied, byPair.get(1), byPair.get(3)], [true, 0.5, 0.5]);
  assert.equal(storage.review.checker(1).name, 'ana', 'the rebuilt rounds table keeps its checkers');
  storage.close();
});

test('a pair counts as checked only when every item has a final verdict: all checkers agree or the disagreement is settled', () => {
  const { storage, studyId } = studyWith(6);
  const r = round(storage, studyId, 3, 'random', ['ana', 'ben']);
  const [first, second] = storage.review.roundPairIds(r.id);
  const [ana, ben] = r.checkers.map((c) => c.id);
  assert.equal(checkedPairs(storage, r.id).size, 0);
  giveVerdict(storage, { checkerId: ana, pairId: first, itemKey: 'basic:A:clear', verdict: 'correct', correctedValue: '3' });
  assert.equal(checkedPairs(storage, r.id).size, 0, 'one item judged is not a checked pair');
  approveRest(storage, { checkerId: ana, pairId: first });
  approveRest(storage, { checkerId: ana, pairId: second });
  assert.deepEqual([...checkedPairs(storage, r.id).keys()].sort(), [first, second].sort());
  // ben approves what ana corrected: unsettled, so the first pair is not checked until it is settled
  approveRest(storage, { checkerId: ben, pairId: first });
  assert.deepEqual([...checkedPairs(storage, r.id).keys()], [second]);
  adjudicate(storage, { roundId: r.id, pairId: first, itemKey: 'basic:A:clear', verdict: 'correct', correctedValue: '3' });
  const checked = checkedPairs(storage, r.id);
  const expected = annotation(Number(storage.pairs.pair(first).externalId.slice(1)));
  expected.ratings.clear.A = 3;
  assert.deepEqual(checked.get(first), comparisonFeatures(expected), 'the checked features apply the final verdicts');
  storage.close();
});

test('the corrected channel: every pair checked with probability 1 gives the fit on the checked features, beside the annotated one', () => {
  const { storage, studyId } = studyWith(60, true);
  const r = round(storage, studyId, 60, 'random', ['ana', 'ben']);
  const [ana, ben] = r.checkers.map((c) => c.id);
  const ids = storage.review.roundPairIds(r.id);
  // ana corrects "clear" to agree with the judge on two pairs in three; ben never finishes the last pair and
  // disagrees on another, which nobody settles: neither counts as checked.
  for (const pairId of ids) {
    const i = Number(storage.pairs.pair(pairId).externalId.slice(1));
    if (i % 3 !== 0) {
      const [a, b] = i % 2 ? ['3', '0'] : ['0', '3'];
      giveVerdict(storage, { checkerId: ana, pairId, itemKey: 'basic:A:clear', verdict: 'correct', correctedValue: a });
      giveVerdict(storage, { checkerId: ana, pairId, itemKey: 'basic:B:clear', verdict: 'correct', correctedValue: b });
    }
    if (pairId !== ids[0]) approveRest(storage, { checkerId: ana, pairId });
  }
  giveVerdict(storage, { checkerId: ben, pairId: ids[1], itemKey: 'basic:A:harmless', verdict: 'reject' });
  const report = correctedReport(storage, { roundId: r.id, judge: 'human', group: 'Advice', targetWidth: 1 });
  assert.deepEqual([report.pairs, report.inRound, report.checked, report.notChecked, report.probabilitiesImplied], [60, 60, 58, 2, false]);

  // With π = 1 the DSL moment is the score of the checked features on the checked pairs plus the annotated ones on the rest.
  const checks = checkedPairs(storage, r.id);
  const pairs = storage.pairs.labelledPairs(studyId, 'human', 'Advice');
  const X = new Int8Array(pairs.length * PROPERTY_COUNT);
  const A = new Int8Array(pairs.length * PROPERTY_COUNT);
  pairs.forEach((p, i) => {
    const a = comparisonFeatures(storage.annotations.annotation(p.pairId));
    A.set(a, i * PROPERTY_COUNT);
    X.set(checks.get(p.pairId) ?? a, i * PROPERTY_COUNT);
  });
  const y = Uint8Array.from(pairs, (p) => (p.preferred === 'A' ? 1 : 0));
  const onChecked = fitSandwich(X, y, PROPERTY_COUNT);
  const onAnnotated = fitSandwich(A, y, PROPERTY_COUNT);
  const clear = report.properties[CLEAR];
  assert.ok(Math.abs(clear.corrected!.weight - onChecked.estimate[CLEAR]) < 1e-8);
  assert.ok(Math.abs(clear.naive!.weight - onAnnotated.estimate[CLEAR]) < 1e-8);
  assert.ok(clear.corrected!.weight > clear.naive!.high, 'the corrected "clear" lies above the annotated interval');
  assert.equal(clear.outsideOther, true);
  assert.match(report.summary, /With 58 of 60 pairs checked in Round 1, the check changes the conclusions for human on Advice: .*clear/);
  assert.match(report.summary, /2 pairs of the round are not checked yet/);
  assert.equal(report.properties.find((p) => p.name === 'lengthy')!.corrected, null, 'a property that never differs has no estimate');
  // Planning: an interval already narrower than the target needs no more checks.
  assert.ok(report.properties.every((p) => p.width === null || p.width > 1 || p.moreChecks === 0));
  const csv = formatTable(correctedTable(report), 'csv');
  assert.match(csv.split('\r\n')[0], /^Property,As annotated weight,/);
  assert.match(csv, /\r\nclear,/);
  assert.throws(() => correctedReport(storage, { roundId: r.id, judge: 'human', group: 'Advice', targetWidth: 0 }), /positive number/);
  assert.throws(() => correctedReport(storage, { roundId: r.id, judge: 'human', group: 'Nowhere' }), /"Nowhere" is not a group/);
  storage.close();
});
