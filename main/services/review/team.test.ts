import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExportedFile } from '../../../preload/contract';
import type { Storage } from '../storage';
import { pair, studyWith } from './testing';
import { addChecker, approveRest, assignShares, createRound, giveVerdict, reviewPair, roundSummary, setNotes } from './review';
import { PROPERTIES } from '../data/properties';
import { PREREQUISITE_QUESTIONS, QUERY_SPECIFIC_QUESTIONS, RATING_CRITERIA, basicPrompt } from '../annotate/prompts';
import { makePackage, makeReturn, mergeReturn, openPackage, returnsOf, settleReturn } from './package';
import { agreementReport, agreementTable } from './report';
import { formatTable } from '../tables';

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

test('packages: a checker opens their share elsewhere, reviews, returns; merging gives the same agreement as one machine, twice changes nothing', () => {
  const coordinator = studyWith(Array.from({ length: 4 }, (_, i) => pair(i + 1)));
  const c = coordinator.storage;
  const round = createRound(c, { studyId: coordinator.studyId, size: 4, strategy: 'random', seed: 5, checkers: ['ana', 'ben'], blind: true, notes: 'Be strict on "clear".' });
  // The same verdicts given on one machine, for comparison.
  const one = studyWith(Array.from({ length: 4 }, (_, i) => pair(i + 1)));
  const sameRound = createRound(one.storage, { studyId: one.studyId, size: 4, strategy: 'random', seed: 5, checkers: ['ana', 'ben'], blind: true });

  const review = (storage: Storage, checkerId: number, reject: string) => {
    for (let position = 0; position < reviewPair(storage, checkerId, 0).pairCount; position++) {
      const p = reviewPair(storage, checkerId, position);
      giveVerdict(storage, { checkerId, pairId: p.pair.id, itemKey: reject, verdict: 'reject' });
      if (position % 2 === 0) approveRest(storage, { checkerId, pairId: p.pair.id });
    }
  };
  const returns: ExportedFile[] = [];
  round.checkers.forEach((checker, i) => {
    const file = makePackage(c, checker.id);
    assert.match(file.fileName, /^Round-1-(ana|ben)\.review-package\.json$/);
    const laptop = studyWith([]).storage;
    const opened = openPackage(laptop, file.content, file.fileName);
    assert.deepEqual([opened.round.pairCount, opened.round.notes, opened.round.fromPackage?.checker, opened.round.checkers[0].name], [4, 'Be strict on "clear".', checker.name, checker.name]);
    assert.throws(() => openPackage(laptop, file.content), /already open here/);
    const reject = i === 0 ? 'basic:A:clear' : 'basic:B:clear';
    review(laptop, opened.checkerId, reject);
    review(one.storage, sameRound.checkers[i].id, reject);
    returns.push(makeReturn(laptop, opened.checkerId));
    laptop.close();
  });
  for (const file of returns) {
    const merged = mergeReturn(c, file.content);
    assert.deepEqual([merged.alreadyMerged, merged.record.status, merged.record.conflicts, merged.record.stale], [false, 'merged', 0, []]);
  }
  const table = (storage: Storage, roundId: number) => formatTable(agreementTable(agreementReport(storage, roundId), 'Round 1'), 'csv');
  assert.equal(table(c, round.id), table(one.storage, sameRound.id));
  const again = mergeReturn(c, returns[0].content);
  assert.equal(again.alreadyMerged, true);
  assert.equal(returnsOf(c, round.id).length, 2, 'merging twice records nothing more');
  assert.equal(table(c, round.id), table(one.storage, sameRound.id), 'merging twice changes nothing');
  one.storage.close();
  c.close();
});

test('a damaged file, a file of another round, a stale annotation and two different returns of one checker are each caught', () => {
  const coordinator = studyWith(Array.from({ length: 2 }, (_, i) => pair(i + 1)));
  const c = coordinator.storage;
  const round = createRound(c, { studyId: coordinator.studyId, size: 2, strategy: 'random', seed: 1, checkers: ['ana'], blind: true });
  const ana = round.checkers[0].id;
  const laptop = studyWith([]).storage;
  const opened = openPackage(laptop, makePackage(c, ana).content);
  const [first, second] = [0, 1].map((p) => reviewPair(laptop, opened.checkerId, p).pair.id);
  giveVerdict(laptop, { checkerId: opened.checkerId, pairId: first, itemKey: 'basic:A:clear', verdict: 'reject' });
  giveVerdict(laptop, { checkerId: opened.checkerId, pairId: second, itemKey: 'basic:A:clear', verdict: 'reject' });
  const back = makeReturn(laptop, opened.checkerId);
  const count = () => c.db.prepare('SELECT (SELECT count(*) FROM verdicts) + (SELECT count(*) FROM review_returns) AS n').get() as { n: number };
  const before = count().n;

  // Damaged: one character of the body changed.
  assert.throws(() => mergeReturn(c, back.content.replace('"reject"', '"rejecT"')), /damaged: its contents do not match its checksum/);
  assert.throws(() => mergeReturn(c, back.content.slice(0, 200)), /not JSON \(the file may be damaged or cut short\)/);
  assert.throws(() => mergeReturn(c, makePackage(c, ana).content), /This is a package for a checker, not a checker's return/);
  // Another round: a round of another data folder with the same names.
  const elsewhere = studyWith([pair(1), pair(2)]);
  assert.throws(() => mergeReturn(elsewhere.storage, back.content), /is for round "Round 1", which is not a round of this data folder/);
  elsewhere.storage.close();
  assert.equal(count().n, before, 'nothing written');

  // The annotation of the first pair changed since the package was made: its verdict is flagged, not applied.
  const roundFirst = reviewPair(c, ana, 0).pair;
  const changed = c.annotations.annotation(roundFirst.id);
  changed.ratings.clear = { A: 0, B: 0 };
  c.annotations.writeAnnotation(roundFirst.id, changed);
  const merged = mergeReturn(c, back.content);
  assert.deepEqual(merged.record.stale, [{ pairId: roundFirst.id, externalId: roundFirst.externalId, verdicts: 1 }]);
  assert.deepEqual(c.verdicts.checkerVerdicts(ana).map((v) => [v.pairId, v.itemKey, v.verdict]), [[reviewPair(c, ana, 1).pair.id, 'basic:A:clear', 'reject']]);

  // A second, different return of ana: a conflict, nothing applied until settled.
  giveVerdict(laptop, { checkerId: opened.checkerId, pairId: second, itemKey: 'basic:A:clear', verdict: 'approve' });
  const conflict = mergeReturn(c, makeReturn(laptop, opened.checkerId).content);
  assert.deepEqual([conflict.record.status, conflict.record.conflicts, conflict.record.applied], ['conflict', 1, 0]);
  assert.equal(c.verdicts.checkerVerdicts(ana)[0].verdict, 'reject');
  const settled = settleReturn(c, conflict.record.id, 'return');
  assert.deepEqual([settled.status, settled.applied], ['merged', 1]);
  assert.equal(c.verdicts.checkerVerdicts(ana)[0].verdict, 'approve');
  assert.throws(() => settleReturn(c, conflict.record.id, 'current'), /merged already/);
  laptop.close();
  c.close();
});

test("the pair under review carries each item's guideline in the annotation prompts' words, and the round's notes", () => {
  const { storage, studyId } = studyWith([pair(1)]);
  const round = createRound(storage, { studyId, size: 1, strategy: 'random', seed: 1, checkers: ['ana'], blind: true, notes: '  Be strict.  ' });
  const p = reviewPair(storage, round.checkers[0].id, 0);
  assert.equal(p.notes, 'Be strict.');
  assert.equal(Object.keys(p.guidelines).length, p.items.length);
  const clear = p.guidelines['basic:A:clear'];
  assert.equal(clear.definition, `clear: ${PROPERTIES.find((x) => x.name === 'clear')!.description}`);
  assert.deepEqual(clear.scale, RATING_CRITERIA.map((c, i) => `${i}: ${c}`));
  assert.ok(basicPrompt({ responseA: 'a', responseB: 'b' })[0].content.includes(`- 3: ${RATING_CRITERIA[3]}`), 'the same text the model was given');
  assert.equal(p.guidelines['item:constraint:0:A'].definition, QUERY_SPECIFIC_QUESTIONS.constraint(['under 50 words']));
  assert.equal(p.guidelines['prereq:clear intent'].definition, PREREQUISITE_QUESTIONS[0]);
  assert.equal(setNotes(storage, { roundId: round.id, notes: 'Rate against the query.' }).notes, 'Rate against the query.');
  assert.equal(reviewPair(storage, round.checkers[0].id, 0).notes, 'Rate against the query.');
  storage.close();
});

test('a round draws real pairs only unless simulated ones are asked for', () => {
  const { storage, studyId } = studyWith([pair(1), pair(2), pair(3), { ...pair(4), simulated: true }, { ...pair(5), simulated: true }]);
  const simulated = new Set(storage.pairs.annotatedStrata(studyId).map((c) => c.pairId).filter((id) => storage.pairs.pair(id).simulated));
  assert.equal(simulated.size, 2);
  const real = createRound(storage, { studyId, size: 3, strategy: 'random', seed: 1, checkers: ['ana'], blind: true });
  assert.ok(storage.review.roundPairIds(real.id).every((id) => !simulated.has(id)));
  assert.throws(() => createRound(storage, { studyId, size: 4, strategy: 'random', seed: 1, checkers: ['ana'], blind: true }),
    /This study has 3 real annotated pairs \(simulated ones are drawn only when asked for\); a round of 4 needs at least that many\./);
  const all = createRound(storage, { studyId, size: 5, strategy: 'random', seed: 1, checkers: ['ana'], blind: true, includeSimulated: true });
  assert.equal(storage.review.roundPairIds(all.id).filter((id) => simulated.has(id)).length, 2);
  storage.close();
});
