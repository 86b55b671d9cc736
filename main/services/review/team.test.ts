import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pair, studyWith } from './testing';
import { addChecker, approveRest, assignShares, createRound, reviewPair, roundSummary } from './review';

test('shares give every pair to exactly k distinct checkers, loads within one pair, every two checkers some pairs together, the same for the same seed', () => {
  for (const [pairs, checkers, k] of [[20, 4, 2], [7, 3, 2], [50, 5, 3], [10, 4, 1], [9, 4, 4], [1, 3, 2]] as const) {
    const shares = assignShares(pairs, checkers, k, 11);
    assert.equal(shares.length, checkers);
    for (let position = 0; position < pairs; position++) {
      assert.equal(shares.filter((s) => s.includes(position)).length, k, `pair ${position} of ${pairs} goes to ${k} of ${checkers}`);
    }
    for (const s of shares) assert.equal(new Set(s).size, s.length, 'no pair twice in one share');
    const loads = shares.map((s) => s.length);
    assert.ok(Math.max(...loads) - Math.min(...loads) <= 1, `loads ${loads.join(', ')} for ${pairs} pairs, ${k} of ${checkers}`);
    assert.equal(loads.reduce((a, b) => a + b, 0), pairs * k);
    assert.deepEqual(assignShares(pairs, checkers, k, 11), shares, 'seeded');
  }
  // 20 pairs to 2 of 4: each of the 6 pairs of checkers shares some pairs, so each has a Cohen's kappa.
  const shares = assignShares(20, 4, 2, 3);
  for (let a = 0; a < 4; a++) {
    for (let b = a + 1; b < 4; b++) assert.ok(shares[a].some((p) => shares[b].includes(p)), `checkers ${a} and ${b} share a pair`);
  }
  assert.notDeepEqual(assignShares(20, 4, 2, 4), shares, 'another seed, another assignment');
  assert.throws(() => assignShares(5, 3, 4, 1), /Each pair goes to 1 to 3 of the round's 3 checkers, not 4/);
  assert.throws(() => assignShares(5, 3, 0, 1), /not 0/);
});

test('a round with shares shows each checker their share only, with its own progress and positions', () => {
  const { storage, studyId } = studyWith(Array.from({ length: 6 }, (_, i) => pair(i + 1)));
  const round = createRound(storage, { studyId, size: 6, strategy: 'random', seed: 2, checkers: ['ana', 'ben', 'cy'], blind: true, perPair: 2 });
  assert.equal(round.perPair, 2);
  assert.deepEqual(round.checkers.map((c) => [c.pairs, c.total]), [[4, 4 * 56], [4, 4 * 56], [4, 4 * 56]]);
  const [ana, ben] = round.checkers.map((c) => c.id);
  const anaPairs = [0, 1, 2, 3].map((p) => reviewPair(storage, ana, p));
  assert.deepEqual(anaPairs.map((p) => p.pairCount), [4, 4, 4, 4]);
  assert.throws(() => reviewPair(storage, ana, 4), /ana has pairs 1 to 4, not 5/);
  const shares = assignShares(6, 3, 2, 2);
  const roundIds = storage.review.roundPairIds(round.id);
  assert.deepEqual(anaPairs.map((p) => p.pair.id), shares[0].map((position) => roundIds[position]));
  // A pair outside ben's share is refused to him.
  const notBens = roundIds.find((_, position) => !shares[1].includes(position))!;
  assert.throws(() => approveRest(storage, { checkerId: ben, pairId: notBens }), /is not among the pairs ben reviews/);
  const done = approveRest(storage, { checkerId: ana, pairId: anaPairs[2].pair.id });
  assert.equal(done.position, 2, "the position is the pair's place in ana's share");
  const after = roundSummary(storage, round.id).checkers[0];
  assert.deepEqual([after.decided, after.pairsDone, after.pairs], [56, 1, 4]);
  assert.throws(() => addChecker(storage, { roundId: round.id, name: 'dee' }), /shares its pairs among its checkers/);
  // Every checker of the round reviewing every pair is the round without shares.
  const everyone = createRound(storage, { studyId, size: 2, strategy: 'random', seed: 2, checkers: ['ana', 'ben'], blind: true, perPair: 2 });
  assert.equal(everyone.perPair, null);
  assert.throws(() => createRound(storage, { studyId, size: 2, strategy: 'random', seed: 2, checkers: ['ana', 'ben'], blind: true, perPair: 3 }), /1 to 2 of the round's 2 checkers/);
  storage.close();
});
