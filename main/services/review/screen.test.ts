// The review screen as checkers found it (issue 14): what the keys do on the service's side, search and jump inside
// a round, settling disagreements in bulk and to a third value, and items named in users' words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StudioContext } from '../context';
import { addMissedError, approveRest, createRound, giveVerdict, roundPairView, roundSummary } from './review';
import { adjudicate, agreementReport, disagreements, disagreementsTable, settleMany, table12Table } from './report';
import { formatTable } from '../tables';
import { searchRound } from './search';
import { reviewHandlers } from './handlers';
import { pair, studyWith } from './testing';

function oneChecker() {
  const { storage, studyId } = studyWith([pair(1), pair(2)]);
  const round = createRound(storage, { studyId, size: 2, strategy: 'random', seed: 3, checkers: ['ana'], blind: false });
  const ana = round.checkers[0].id;
  const pairId = storage.review.roundPairIds(round.id)[0];
  return { storage, round, ana, pairId };
}

test('Shift+A approves the rest of the pair from the cursor on, never the items skipped above it', () => {
  const { storage, ana, pairId } = oneChecker();
  // ana decides the first item, skips the second and third, and approves the rest from the fourth.
  giveVerdict(storage, { checkerId: ana, pairId, itemKey: 'basic:A:harmless', verdict: 'reject' });
  const items = storage.verdicts.checkerVerdicts(ana, pairId);
  assert.equal(items.length, 1);
  const keys = ['basic:A:harmless', 'basic:B:harmless', 'basic:A:grammarly correct', 'basic:B:grammarly correct'];
  const rest = approveRest(storage, { checkerId: ana, pairId, fromItemKey: keys[3] });
  const decided = new Set(storage.verdicts.checkerVerdicts(ana, pairId).map((v) => v.itemKey));
  assert.equal(decided.has(keys[1]), false, 'skipped above the cursor: left undecided');
  assert.equal(decided.has(keys[2]), false, 'skipped above the cursor: left undecided');
  assert.equal(decided.has(keys[3]), true);
  assert.equal(decided.has('complete:B'), true, 'the last item of the pair is approved');
  assert.equal(rest.changes.every((c) => c.verdict?.verdict === 'approve'), true);
  assert.equal(storage.verdicts.checkerVerdicts(ana, pairId).find((v) => v.itemKey === keys[0])?.verdict, 'reject', 'a verdict given is kept');
  assert.throws(() => approveRest(storage, { checkerId: ana, pairId, fromItemKey: 'basic:A:lengthy' }), /has no annotation item "basic:A:lengthy" to approve the rest from/);
  storage.close();
});

test('a pair opened from a disagreement shows every checker\'s verdicts and moves nobody\'s place', () => {
  const { storage, studyId } = studyWith([pair(1), pair(2)]);
  const round = createRound(storage, { studyId, size: 2, strategy: 'random', seed: 3, checkers: ['ana', 'ben'], blind: true });
  const [ana, ben] = round.checkers.map((c) => c.id);
  const pairId = storage.review.roundPairIds(round.id)[1];
  giveVerdict(storage, { checkerId: ana, pairId, itemKey: 'basic:A:clear', verdict: 'reject', cursor: { position: 1, itemKey: 'basic:B:clear' } });
  giveVerdict(storage, { checkerId: ben, pairId, itemKey: 'basic:A:clear', verdict: 'approve', cursor: { position: 0, itemKey: null } });
  const before = roundSummary(storage, round.id).checkers.map((c) => [c.position, c.itemKey]);
  const view = roundPairView(storage, round.id, 1);
  assert.equal(view.pair.id, pairId);
  assert.deepEqual(view.checkers.map((c) => [c.checker, c.verdicts.map((v) => v.verdict)]), [['ana', ['reject']], ['ben', ['approve']]]);
  assert.deepEqual(roundSummary(storage, round.id).checkers.map((c) => [c.position, c.itemKey]), before);
  assert.throws(() => roundPairView(storage, round.id, 2), /has pairs 1 to 2, not 3/);
  storage.close();
});

test('items and resume points are named in users\' words, never by their keys', () => {
  const { storage, round, ana, pairId } = oneChecker();
  const view = roundPairView(storage, round.id, 0);
  const title = (key: string) => view.items.find((i) => i.key === key)?.title;
  assert.equal(title('basic:B:grammarly correct'), 'grammarly correct of response B');
  assert.equal(title('prereq:clear intent'), 'the query: clear intent');
  assert.equal(title('qs:A:clarify intent'), 'clarify intent of response A');
  assert.equal(title('item:constraint:0:A'), 'constraint “under 50 words” in response A');
  assert.equal(title('error:B:0'), 'detected error “says the moon is a planet” in response B');
  assert.equal(title('complete:B'), 'no error missed in response B');
  assert.equal(view.items.some((i) => /^\w+:/.test(i.title) && !i.title.startsWith('the query:')), false, 'no title is a key');
  giveVerdict(storage, { checkerId: ana, pairId, itemKey: 'basic:A:clear', verdict: 'approve', cursor: { position: 0, itemKey: 'basic:B:grammarly correct' } });
  assert.equal(roundSummary(storage, round.id).checkers[0].itemTitle, 'grammarly correct of response B');
  storage.close();
});

/** Two checkers, not blind, on a round of three pairs; ana and ben disagree on three items of the first pair. */
function twoCheckers(blind = false) {
  const { storage, studyId } = studyWith([pair(1), pair(2), pair(3)]);
  const round = createRound(storage, { studyId, size: 3, strategy: 'random', seed: 5, checkers: ['ana', 'ben'], blind });
  const [ana, ben] = round.checkers.map((c) => c.id);
  const ids = storage.review.roundPairIds(round.id);
  giveVerdict(storage, { checkerId: ana, pairId: ids[0], itemKey: 'basic:A:friendly', verdict: 'reject' });
  giveVerdict(storage, { checkerId: ana, pairId: ids[0], itemKey: 'basic:B:clear', verdict: 'correct', correctedValue: '3' });
  giveVerdict(storage, { checkerId: ana, pairId: ids[0], itemKey: 'prereq:clear intent', verdict: 'correct', correctedValue: 'yes' });
  addMissedError(storage, { checkerId: ana, pairId: ids[0], side: 'A', error: { description: 'no word count', type: 'Factual error', severity: 'minor' } });
  approveRest(storage, { checkerId: ana, pairId: ids[0] });
  giveVerdict(storage, { checkerId: ben, pairId: ids[0], itemKey: 'basic:B:clear', verdict: 'correct', correctedValue: '0' });
  approveRest(storage, { checkerId: ben, pairId: ids[0] });
  return { storage, round, ana, ben, ids };
}

test('search inside a round: by pair, by property, the next undecided item and the next disagreement, from the cursor on', () => {
  const { storage, ana, ids } = twoCheckers();
  const byPair = searchRound(storage, { checkerId: ana, kind: 'pair', text: '2' });
  assert.deepEqual(byPair.hits.map((h) => [h.position, h.itemKey]), [[1, null]], 'the pair numbered 2');
  const id = storage.pairs.pair(ids[2]).externalId;
  assert.deepEqual(searchRound(storage, { checkerId: ana, kind: 'pair', text: id }).hits.map((h) => h.position), [2], 'a pair by its id');
  const grammar = searchRound(storage, { checkerId: ana, kind: 'property', text: 'grammarly correct of response b' });
  assert.deepEqual(grammar.hits.map((h) => [h.position, h.itemKey]), [[0, 'basic:B:grammarly correct'], [1, 'basic:B:grammarly correct'], [2, 'basic:B:grammarly correct']]);
  assert.equal(grammar.hits[0].what, 'pair 1: grammarly correct of response B');
  // From the cursor on, wrapping round.
  const fromSecond = searchRound(storage, { checkerId: ana, kind: 'property', text: 'grammarly correct of response B', from: { position: 1, itemKey: 'basic:B:grammarly correct' } });
  assert.deepEqual(fromSecond.hits.map((h) => h.position), [2, 0, 1]);
  const undecided = searchRound(storage, { checkerId: ana, kind: 'undecided', from: { position: 0, itemKey: null }, limit: 1 });
  assert.deepEqual(undecided.hits.map((h) => [h.position, h.itemKey]), [[1, 'basic:A:harmless']], 'the first pair is all decided');
  assert.equal(undecided.total, roundSummary(storage, storage.review.checker(ana).roundId).checkers[0].total - storage.verdicts.decidedCount(ana));
  const disagreeing = searchRound(storage, { checkerId: ana, kind: 'disagreement' });
  assert.deepEqual(disagreeing.hits.map((h) => h.itemKey), ['basic:A:friendly', 'basic:B:clear', 'prereq:clear intent', 'complete:A']);
  assert.throws(() => searchRound(storage, { checkerId: ana, kind: 'property', text: ' ' }), /Type what to look for/);
  storage.close();
  const blind = twoCheckers(true);
  assert.throws(() => searchRound(blind.storage, { checkerId: blind.ana, kind: 'disagreement' }), /ana reviews blind/);
  blind.storage.close();
});

test('disagreements settle in bulk as one checker said, or as annotated, all at once; the others are skipped and counted', () => {
  const { storage, round, ids } = twoCheckers();
  const open = disagreements(storage, round.id);
  assert.equal(open.length, 4);
  const refs = open.map((d) => ({ pairId: d.pairId, itemKey: d.item.key }));
  const asAna = settleMany(storage, { roundId: round.id, items: [...refs.slice(0, 2), { pairId: ids[1], itemKey: 'basic:A:clear' }], asChecker: 'ana' });
  assert.deepEqual([asAna.settled, asAna.skipped], [2, 1], 'an item nobody disagrees on is skipped');
  const settled = new Map(asAna.disagreements.map((d) => [d.item.key, d.adjudication]));
  assert.equal(settled.get('basic:A:friendly')?.verdict, 'reject');
  assert.deepEqual([settled.get('basic:B:clear')?.verdict, settled.get('basic:B:clear')?.correctedValue], ['correct', '3']);
  assert.equal(settled.get('prereq:clear intent'), null);
  // ana's missed error travels with her rejection of "no error missed".
  const missed = settleMany(storage, { roundId: round.id, items: refs.slice(3), asChecker: 'ana' });
  assert.deepEqual(JSON.parse(missed.disagreements[3].adjudication!.correctedValue!).map((e: { description: string }) => e.description), ['no word count']);
  const annotated = settleMany(storage, { roundId: round.id, items: refs.slice(2, 3) });
  assert.equal(annotated.disagreements[2].adjudication?.verdict, 'approve');
  assert.throws(() => settleMany(storage, { roundId: round.id, items: refs, asChecker: 'cleo' }), /has no checker named "cleo"/);
  storage.close();
});

test('a disagreement settles to a third value, neither checker\'s, and the table says so in users\' words', () => {
  const { storage, round, ids } = twoCheckers();
  const d = adjudicate(storage, { roundId: round.id, pairId: ids[0], itemKey: 'basic:B:clear', verdict: 'correct', correctedValue: '2' });
  assert.deepEqual([d.adjudication?.verdict, d.adjudication?.correctedValue], ['correct', '2']);
  assert.deepEqual(d.verdicts.map((v) => v.verdict.correctedValue), ['3', '0'], 'neither checker said 2 (annotated: 1)');
  const table = disagreementsTable(disagreements(storage, round.id), ['ana', 'ben'], round.name);
  const row = table.rows.find((r) => r[2] === 'clear of response B')!;
  assert.equal(row.at(-1), 'correct to 2');
  storage.close();
});

test('every change to a round\'s verdicts tells the windows, so agreement refreshes without a reload', async () => {
  const { storage, round, ana, ids } = twoCheckers();
  const told: unknown[] = [];
  const handlers = reviewHandlers({ storage, emit: (event: string, payload: unknown) => told.push([event, payload]) } as unknown as StudioContext);
  await handlers['review.verdict']({ checkerId: ana, pairId: ids[1], itemKey: 'basic:A:clear', verdict: 'approve' });
  await handlers['review.undo']({ checkerId: ana });
  await handlers['review.adjudicate']({ roundId: round.id, pairId: ids[0], itemKey: 'basic:A:friendly', verdict: 'reject' });
  await handlers['review.settleMany']({ roundId: round.id, items: [{ pairId: ids[0], itemKey: 'basic:B:clear' }], asChecker: 'ben' });
  assert.deepEqual(told, Array(4).fill(['review.changed', { roundId: round.id }]));
  await handlers['review.search']({ checkerId: ana, kind: 'undecided' });
  assert.equal(told.length, 4, 'a search changes nothing and tells nobody');
  storage.close();
});

test('Table 12 in the paper\'s layout: a heading per section, x/y per item, one column per checker and pooled', () => {
  const { storage, round } = twoCheckers();
  const table = table12Table(agreementReport(storage, round.id), round.name);
  assert.deepEqual(table.columns, ['Item', 'ana', 'ben', 'pooled']);
  const row = (item: string) => table.rows.find((r) => r[0] === item);
  assert.deepEqual(table.rows[0], ['Basic Properties (response-level)', null, null, null]);
  // One pair each: ana rejected friendly of A, ben approved it; two responses per pair.
  assert.deepEqual(row('friendly'), ['friendly', '1/2', '2/2', '3/4']);
  assert.deepEqual(row('clear'), ['clear', '1/2', '1/2', '2/4']);
  assert.deepEqual(row('Query-specific Prerequisite (sample-level)'), ['Query-specific Prerequisite (sample-level)', null, null, null]);
  assert.deepEqual(row('clear intent'), ['clear intent', '0/1', '1/1', '1/2']);
  assert.deepEqual(row('satisfy constraints (constraint-level)'), ['satisfy constraints (constraint-level)', '4/4', '4/4', '8/8']);
  assert.deepEqual(row('completeness (response-level)'), ['completeness (response-level)', '1/2', '2/2', '3/4']);
  assert.ok(row('Error Detection'));
  const md = formatTable(table, 'md').split('\n');
  assert.equal(md[0], '| Item | ana | ben | pooled |');
  assert.equal(md[2], '| Basic Properties (response-level) |  |  |  |');
  assert.ok(md.includes('| friendly | 1/2 | 2/2 | 3/4 |'));
  assert.ok(formatTable(table, 'csv').split('\r\n').includes('friendly,1/2,2/2,3/4'));
  storage.close();
});
