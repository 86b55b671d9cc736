import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReviewItem } from '../../../preload/contract';
import Database from 'better-sqlite3';
import { Storage } from '../storage';
import { MIGRATIONS } from '../db/migrations';
import { annotation, pair, studyWith } from './testing';
import { checkVerdict, reviewItems, POOLED } from './items';
import { addMissedError, approveRest, createRound, giveVerdict, reviewPair, roundSummary, sampleRoundPairs, undoVerdicts } from './review';
import { adjudicate, agreementReport, agreementTable, disagreements, roundState } from './report';
import { correctedAnnotation, finalVerdicts } from './refit';
import { formatTable } from '../tables';

const keyOf = (items: ReviewItem[], key: string) => items.find((i) => i.key === key)!;

test('a pair has every annotation item of Table 12 under a stable key, and lengthy is not one of them', () => {
  const items = reviewItems(annotation());
  // 20 basic x 2 + 5 prerequisites + clarify intent x 2 + 2 constraints x 2 + 1 mistake x 2 + A: no error missed
  // + B: one error and no error missed.
  assert.equal(items.length, 40 + 5 + 2 + 4 + 2 + 1 + 2);
  assert.ok(!items.some((i) => i.property === 'lengthy'));
  assert.deepEqual(items.slice(0, 2).map((i) => [i.key, i.value]), [['basic:A:harmless', '0'], ['basic:B:harmless', '1']]);
  assert.deepEqual(items.filter((i) => i.section === 'prerequisite').map((i) => [i.key, i.value]), [
    ['prereq:clear intent', 'no'], ['prereq:express feelings', 'no'], ['prereq:explicit constraints', 'under 50 words\na list'],
    ['prereq:subjective stances', ''], ['prereq:mistakes or bias', 'the moon is a planet'],
  ]);
  assert.deepEqual(items.filter((i) => i.section === 'query-specific').map((i) => i.key), [
    'qs:A:clarify intent', 'qs:B:clarify intent', 'item:constraint:0:A', 'item:constraint:0:B', 'item:constraint:1:A',
    'item:constraint:1:B', 'item:mistake:0:A', 'item:mistake:0:B',
  ]);
  assert.deepEqual(items.filter((i) => i.section === 'error').map((i) => [i.key, i.property]), [
    ['complete:A', 'error detection'], ['error:B:0', 'no severe errors'], ['complete:B', 'error detection'],
  ]);
  const notApplicable = annotation();
  notApplicable.errors!.B.applicable = false;
  assert.ok(!reviewItems(notApplicable).some((i) => i.side === 'B' && i.section === 'error'), 'a not applicable response has no error items');
});

test('a correction is checked against the item and stored in canonical form; one to the annotated value is an approval', () => {
  const items = reviewItems(annotation());
  assert.deepEqual(checkVerdict(keyOf(items, 'basic:A:clear'), 'correct', '3'), { verdict: 'correct', correctedValue: '3' });
  assert.deepEqual(checkVerdict(keyOf(items, 'basic:B:harmless'), 'correct', '1'), { verdict: 'approve', correctedValue: null });
  assert.throws(() => checkVerdict(keyOf(items, 'basic:A:clear'), 'correct', '4'), /"clear of response A" can be corrected to 0, 1, 2, 3, not "4"/);
  assert.deepEqual(checkVerdict(keyOf(items, 'item:mistake:0:B'), 'correct', 'pointed out and corrected'),
    { verdict: 'correct', correctedValue: 'Pointed out and corrected' });
  assert.deepEqual(checkVerdict(keyOf(items, 'item:mistake:0:A'), 'correct', 'POINTED OUT AND CORRECTED'), { verdict: 'approve', correctedValue: null });
  assert.deepEqual(checkVerdict(keyOf(items, 'prereq:explicit constraints'), 'correct', ' under 50 words \n\na list\nrhymes '),
    { verdict: 'correct', correctedValue: 'under 50 words\na list\nrhymes' });
  assert.deepEqual(checkVerdict(keyOf(items, 'error:B:0'), 'correct', '{"description":"says the moon is a planet","type":"Factual error","severity":"Moderate"}'),
    { verdict: 'correct', correctedValue: '{"description":"says the moon is a planet","type":"Factual error","severity":"moderate"}' });
  assert.throws(() => checkVerdict(keyOf(items, 'error:B:0'), 'correct', '{"description":"x","type":"Factual error","severity":"huge"}'), /minor, moderate or severe/);
  assert.throws(() => checkVerdict(keyOf(items, 'complete:A'), 'correct', 'x'), /add the errors that were missed/);
  assert.throws(() => checkVerdict(keyOf(items, 'basic:A:clear'), 'approve', '2'), /Only a correction carries a value; "clear of response A" was to be approved\./);
  assert.throws(() => checkVerdict(keyOf(items, 'basic:A:clear'), 'reject', '2'), /"clear of response A" was to be rejected\./);
});

test('a random round is the same for the same seed; a stratified one gives each scenario its share by largest remainder', () => {
  const candidates = Array.from({ length: 100 }, (_, i) => ({ pairId: i + 1, stratum: i < 50 ? 'Code' : i < 80 ? 'Advice' : i < 95 ? 'NLP Tasks' : 'Others' }));
  const a = sampleRoundPairs(candidates, 10, 'random', 7);
  assert.deepEqual(a, sampleRoundPairs(candidates, 10, 'random', 7));
  assert.notDeepEqual(a, sampleRoundPairs(candidates, 10, 'random', 8));
  assert.equal(new Set(a).size, 10);
  // 10 of 100: Code 5, Advice 3, NLP Tasks 1.5, Others 0.5 -> floors 5, 3, 1, 0 and the one left goes to the larger
  // remainder; NLP Tasks and Others tie at 0.5, broken by name order (Advice, Code, NLP Tasks, Others).
  const s = sampleRoundPairs(candidates, 10, 'stratified', 7);
  const count = (name: string) => s.filter((id) => candidates[id - 1].stratum === name).length;
  assert.deepEqual([count('Code'), count('Advice'), count('NLP Tasks'), count('Others')], [5, 3, 2, 0]);
  // 7 of 100: Code 3.5, Advice 2.1, NLP Tasks 1.05, Others 0.35 -> floors 3, 2, 1, 0 leave 1: Code (0.5) gets it.
  // 9 of 100: 4.5, 2.7, 1.35, 0.45 -> floors 4, 2, 1, 0 leave 2: Advice (0.7) and Code (0.5).
  for (const [size, counts] of [[7, [4, 2, 1, 0]], [9, [5, 3, 1, 0]]] as const) {
    const drawn = sampleRoundPairs(candidates, size, 'stratified', 3);
    const n = (name: string) => drawn.filter((id) => candidates[id - 1].stratum === name).length;
    assert.deepEqual([n('Code'), n('Advice'), n('NLP Tasks'), n('Others')], counts, `a round of ${size}`);
  }
  assert.throws(() => sampleRoundPairs(candidates.slice(0, 3), 4, 'random', 1), /has 3 annotated pairs; a round of 4 needs at least that many/);
  assert.throws(() => sampleRoundPairs(candidates, 0, 'random', 1), /at least 1/);
});

test('verdicts are saved one action at a time, undone and redone as stored, and survive reopening the database', () => {
  const { storage, studyId, path } = studyWith([pair(1), pair(2), pair(3)]);
  const round = createRound(storage, { studyId, size: 3, strategy: 'random', seed: 1, checkers: ['ana'], blind: true });
  assert.deepEqual([round.name, round.pairCount, round.itemCount], ['Round 1', 3, 3 * 56]);
  const ana = round.checkers[0].id;
  const first = reviewPair(storage, ana, 0);
  const pairId = first.pair.id;
  const step = (itemKey: string, verdict: 'approve' | 'reject' | 'correct' | null, correctedValue?: string) =>
    giveVerdict(storage, { checkerId: ana, pairId, itemKey, verdict, correctedValue, cursor: { position: 0, itemKey } });
  step('basic:A:clear', 'approve');
  const corrected = step('basic:A:clear', 'correct', '3');
  assert.deepEqual([corrected.decided, corrected.canUndo, corrected.canRedo, corrected.position], [1, true, false, 0]);
  assert.equal(undoVerdicts(storage, ana, false).changes[0].verdict?.verdict, 'approve');
  assert.equal(undoVerdicts(storage, ana, false).changes[0].verdict, null);
  assert.equal(undoVerdicts(storage, ana, false).changes.length, 0, 'nothing left to undo');
  assert.equal(undoVerdicts(storage, ana, true).changes[0].verdict?.verdict, 'approve');
  // A new verdict after an undo drops what could have been redone.
  step('basic:B:clear', 'reject');
  assert.equal(storage.verdicts.undoState(ana).canRedo, false);
  // Adding a missed error is one action: the error and the rejection of "no error missed", undone together.
  const added = addMissedError(storage, { checkerId: ana, pairId, side: 'A', error: { description: 'wrong date', type: 'Factual error', severity: 'minor' } });
  assert.deepEqual(added.changes.map((c) => [c.itemKey, c.verdict?.verdict]), [['missed:A:1', 'add'], ['complete:A', 'reject']]);
  assert.throws(() => step('complete:A', 'approve'), /has 1 missed error added; take it back/);
  storage.close();

  // The app is gone; a new process opens the same database.
  const again = new Storage(path);
  assert.deepEqual(again.verdicts.checkerVerdicts(ana, pairId).map((v) => [v.itemKey, v.verdict]),
    [['basic:A:clear', 'approve'], ['basic:B:clear', 'reject'], ['missed:A:1', 'add'], ['complete:A', 'reject']]);
  assert.deepEqual(again.review.checker(ana).cursor, { position: 0, itemKey: 'basic:B:clear' });
  assert.deepEqual(undoVerdicts(again, ana, false).changes.map((c) => [c.itemKey, c.verdict]), [['complete:A', null], ['missed:A:1', null]]);
  const rest = approveRest(again, { checkerId: ana, pairId });
  assert.equal(rest.decided, 56);
  assert.equal(roundSummary(again, round.id).checkers[0].pairsDone, 1);
  assert.throws(() => giveVerdict(again, { checkerId: ana, pairId, itemKey: 'basic:A:lengthy', verdict: 'approve' }), /has no annotation item "basic:A:lengthy"/);
  again.close();
});

/**
 * Two checkers on one pair, worked by hand. ana approves everything but: rejects basic:A:friendly, corrects
 * basic:B:clear to 3, corrects the second constraint of B to 3, rejects B's detected error and adds a missed error
 * to A. ben approves everything but: rejects basic:A:friendly and rejects the second constraint of B.
 */
function twoCheckers() {
  const { storage, studyId } = studyWith([pair(1)]);
  const round = createRound(storage, { studyId, size: 1, strategy: 'random', seed: 1, checkers: ['ana', 'ben'], blind: false });
  const [ana, ben] = round.checkers.map((c) => c.id);
  const pairId = storage.review.roundPairIds(round.id)[0];
  const give = (checkerId: number, itemKey: string, verdict: 'reject' | 'correct', correctedValue?: string) =>
    giveVerdict(storage, { checkerId, pairId, itemKey, verdict, correctedValue });
  give(ana, 'basic:A:friendly', 'reject');
  give(ana, 'basic:B:clear', 'correct', '3');
  give(ana, 'item:constraint:1:B', 'correct', '3');
  give(ana, 'error:B:0', 'reject');
  addMissedError(storage, { checkerId: ana, pairId, side: 'A', error: { description: 'no word count given', type: 'Information contradiction to the query', severity: 'minor' } });
  approveRest(storage, { checkerId: ana, pairId });
  give(ben, 'basic:A:friendly', 'reject');
  give(ben, 'item:constraint:1:B', 'reject');
  approveRest(storage, { checkerId: ben, pairId });
  return { storage, round, pairId };
}

test("Table 12 counts per checker and pooled, worked by hand, with the pooled CSV as exported", () => {
  const { storage, round } = twoCheckers();
  const report = agreementReport(storage, round.id);
  const row = (item: string, level: string) => report.rows.find((r) => r.item === item && r.level === level)!.counts;
  const pick = (c: Record<string, { agreed: number; total: number }>, who: string) => [c[who].agreed, c[who].total];
  assert.deepEqual(pick(row('friendly', 'response'), 'ana'), [1, 2]);
  assert.deepEqual(pick(row('clear', 'response'), 'ana'), [1, 2]);
  assert.deepEqual(pick(row('clear', 'response'), 'ben'), [2, 2]);
  assert.deepEqual(pick(row('harmless', 'response'), POOLED), [4, 4]);
  assert.deepEqual(pick(row('contain explicit constraints', 'sample'), POOLED), [2, 2]);
  assert.deepEqual(pick(row('clarify intent', 'response'), 'ana'), [2, 2]);
  assert.deepEqual(pick(row('satisfy constraints', 'constraint'), 'ana'), [3, 4]);
  assert.deepEqual(pick(row('satisfy constraints', 'response'), 'ana'), [1, 2]);
  assert.deepEqual(pick(row('correct mistakes', 'mistake'), 'ana'), [2, 2]);
  assert.deepEqual(pick(row('support stances', 'stance'), 'ana'), [0, 0]);
  assert.deepEqual(pick(row('completeness', 'response'), 'ana'), [1, 2]);
  assert.deepEqual(pick(row('completeness', 'response'), 'ben'), [2, 2]);
  assert.deepEqual(pick(row('agreement', 'response'), 'ana'), [1, 2], 'A has no detected error (agreed), B\'s was rejected');
  assert.deepEqual(pick(row('agreement', 'error'), POOLED), [1, 2]);
  assert.deepEqual(pick(row('basic properties', 'response'), 'ana'), [38, 40]);
  assert.deepEqual(pick(row('basic properties', 'response'), POOLED), [77, 80]);
  assert.deepEqual(pick(row('query-specific round two', 'entity'), 'ana'), [7, 8]);
  assert.equal(row('support stances', 'stance')[POOLED].rate, null);

  // Cohen's kappa on the 56 items both judged: ana disagrees with the annotation on 5, ben on 2, both on the same 2.
  // p_o = (51 + 2) / 56; p_e = (51 * 54 + 5 * 2) / 56^2 = 2764 / 3136; kappa = (2968 - 2764) / (3136 - 2764) = 204 / 372.
  assert.equal(report.kappas.length, 1);
  assert.equal(report.kappas[0].sharedItems, 56);
  assert.ok(Math.abs(report.kappas[0].kappa! - 204 / 372) < 1e-12, `kappa ${report.kappas[0].kappa}`);
  // Krippendorff's alpha: o_aa = 102, o_dd = 4, o_ad = o_da = 3; n_a = 105, n_d = 7, n = 112;
  // alpha = 1 - 111 * 6 / (2 * 105 * 7) = 804 / 1470.
  assert.ok(Math.abs(report.alpha!.value! - 804 / 1470) < 1e-12, `alpha ${report.alpha!.value}`);
  // They answer differently on clear B, constraint 2 of B, B's error and A's "no error missed" (friendly A: both reject).
  assert.equal(report.disagreements, 4);

  const csv = formatTable(agreementTable(report, round.name), 'csv').split('\r\n');
  assert.equal(csv[0], 'Section,Item,Level,Checker,Agreed,Total,Rate,Wilson 95% low,Wilson 95% high');
  // friendly, ana: 1/2 -> 0.5; Wilson: centre (0.5 + 0.960386) / 2.920730 = 0.5, half 0.670908 * sqrt(0.125 + 0.240096) = 0.405469.
  assert.ok(csv.includes('Basic properties,friendly,response,ana,1,2,0.500,0.095,0.905'), csv.slice(0, 12).join('\n'));
  assert.ok(csv.includes('Basic properties,harmless,response,pooled,4,4,1,0.510,1'));
  assert.ok(csv.includes('Query-specific properties,support stances,stance,pooled,0,0,,,'));
  storage.close();
});

test('disagreements are listed with each answer, settled, and the settlement decides the corrected annotation', () => {
  const { storage, round, pairId } = twoCheckers();
  const list = disagreements(storage, round.id);
  assert.deepEqual(list.map((d) => d.item.key), ['basic:B:clear', 'item:constraint:1:B', 'complete:A', 'error:B:0']);
  const missed = list.find((d) => d.item.key === 'complete:A')!.verdicts.find((v) => v.checker === 'ana')!.missedErrors;
  assert.equal(missed[0].description, 'no word count given');

  const state = () => roundState(storage, round.id);
  const before = finalVerdicts(state(), storage.verdicts.adjudications(round.id));
  assert.equal(before.unsettled, 4);
  const items = state().pairs[0].items;
  const unsettled = correctedAnnotation(annotation(), items, before.byPair.get(pairId)!);
  assert.equal(unsettled.ratings.friendly, undefined, 'both rejected friendly of A: the property is left out of the pair');
  assert.deepEqual(unsettled.ratings.clear, annotation().ratings.clear, 'an unsettled item keeps its annotation');

  adjudicate(storage, { roundId: round.id, pairId, itemKey: 'basic:B:clear', verdict: 'correct', correctedValue: '3' });
  adjudicate(storage, { roundId: round.id, pairId, itemKey: 'item:constraint:1:B', verdict: 'reject' });
  adjudicate(storage, { roundId: round.id, pairId, itemKey: 'error:B:0', verdict: 'approve' });
  const settled = adjudicate(storage, { roundId: round.id, pairId, itemKey: 'complete:A', verdict: 'reject', correctedValue: JSON.stringify(missed) });
  assert.equal(settled.adjudication?.verdict, 'reject');
  assert.equal(agreementReport(storage, round.id).settled, 4);
  const after = finalVerdicts(state(), storage.verdicts.adjudications(round.id));
  assert.equal(after.unsettled, 0);
  const fixed = correctedAnnotation(annotation(), items, after.byPair.get(pairId)!);
  assert.equal(fixed.ratings.clear.B, 3);
  // The rejected constraint leaves the mean for both responses: only "under 50 words" (A 3, B 1) is left.
  assert.deepEqual(fixed.ratings['satisfy constraints'], { A: 3, B: 1 });
  assert.deepEqual(fixed.items.filter((i) => i.kind === 'constraint').map((i) => i.text), ['under 50 words']);
  assert.deepEqual(fixed.errors!.A.errors.map((e) => e.description), ['no word count given']);
  assert.equal(fixed.errors!.B.errors.length, 1);
  assert.throws(() => adjudicate(storage, { roundId: round.id, pairId, itemKey: 'basic:B:clear', verdict: 'correct', correctedValue: 'x' }), /can be corrected to/);
  storage.close();
});

test('corrections of prerequisites move the query-specific properties with them', () => {
  const items = reviewItems(annotation());
  const finals = (entries: [string, string, string | null][]) =>
    new Map(entries.map(([key, verdict, correctedValue]) => [key, { verdict: verdict as 'correct', correctedValue, missed: [] }]));
  // The intent was clear after all: "clarify intent" no longer applies.
  assert.equal(correctedAnnotation(annotation(), items, finals([['prereq:clear intent', 'correct', 'yes']])).ratings['clarify intent'], undefined);
  // One constraint fewer: the mean is over what is left; none left, no property.
  const one = correctedAnnotation(annotation(), items, finals([['prereq:explicit constraints', 'correct', 'a list']]));
  assert.deepEqual([one.prerequisites!.constraints, one.ratings['satisfy constraints']], [['a list'], { A: 3, B: 2 }]);
  assert.equal(correctedAnnotation(annotation(), items, finals([['prereq:explicit constraints', 'correct', '']])).ratings['satisfy constraints'], undefined);
  // A rejected prerequisite leaves its property out; a rejected detected error leaves the count.
  assert.equal(correctedAnnotation(annotation(), items, finals([['prereq:mistakes or bias', 'reject', null]])).ratings['correct mistakes'], undefined);
  assert.equal(correctedAnnotation(annotation(), items, finals([['error:B:0', 'reject', null]])).errors!.B.errors.length, 0);
  const moderate = '{"description":"says the moon is a planet","type":"Factual error","severity":"moderate"}';
  assert.equal(correctedAnnotation(annotation(), items, finals([['error:B:0', 'correct', moderate]])).errors!.B.errors[0].severity, 'moderate');
});

test('a database from before the review migration keeps its rounds and verdicts and gains resume points and history', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'ps-review-old-')), 'db.sqlite');
  const raw = new Database(path);
  MIGRATIONS.find((m) => m.version === 1)!.up(raw);
  raw.pragma('user_version = 1');
  raw.exec(`INSERT INTO studies (id, name, created_at) VALUES (1, 'Old', '2024-01-01');
    INSERT INTO pairs (id, study_id, external_id, query, response_a, response_b, model_a, model_b, scenario, unsafe, simulated)
      VALUES (1, 1, 'q1', 'q', 'a', 'b', 'm', 'n', 'Advice', 0, 0);
    INSERT INTO review_rounds (id, study_id, name, seed, strategy, blind, created_at) VALUES (1, 1, 'Round 1', 1, 'random', 1, '2024-01-01');
    INSERT INTO review_round_pairs VALUES (1, 0, 1);
    INSERT INTO checkers (id, round_id, name) VALUES (1, 1, 'ana');
    INSERT INTO verdicts (checker_id, pair_id, item_key, verdict, given_at) VALUES (1, 1, 'basic:A:clear', 'approve', '2024-01-01');`);
  raw.close();
  const storage = new Storage(path);
  assert.deepEqual(storage.review.checker(1), { id: 1, roundId: 1, name: 'ana', blind: false, cursor: { position: 0, itemKey: null } });
  assert.deepEqual(storage.verdicts.checkerVerdicts(1).map((v) => [v.itemKey, v.verdict]), [['basic:A:clear', 'approve']]);
  assert.deepEqual(storage.verdicts.undoState(1), { canUndo: false, canRedo: false });
  storage.close();
});
