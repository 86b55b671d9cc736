// The review screen as checkers found it (issue 14): what the keys do on the service's side, search and jump inside
// a round, settling disagreements in bulk and to a third value, and items named in users' words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { approveRest, createRound, giveVerdict, roundPairView, roundSummary } from './review';
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
  const items = storage.review.checkerVerdicts(ana, pairId);
  assert.equal(items.length, 1);
  const keys = ['basic:A:harmless', 'basic:B:harmless', 'basic:A:grammarly correct', 'basic:B:grammarly correct'];
  const rest = approveRest(storage, { checkerId: ana, pairId, fromItemKey: keys[3] });
  const decided = new Set(storage.review.checkerVerdicts(ana, pairId).map((v) => v.itemKey));
  assert.equal(decided.has(keys[1]), false, 'skipped above the cursor: left undecided');
  assert.equal(decided.has(keys[2]), false, 'skipped above the cursor: left undecided');
  assert.equal(decided.has(keys[3]), true);
  assert.equal(decided.has('complete:B'), true, 'the last item of the pair is approved');
  assert.equal(rest.changes.every((c) => c.verdict?.verdict === 'approve'), true);
  assert.equal(storage.review.checkerVerdicts(ana, pairId).find((v) => v.itemKey === keys[0])?.verdict, 'reject', 'a verdict given is kept');
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
