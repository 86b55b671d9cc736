// The human quality check (section 3.4, appendix G): review rounds drawn from a study and verdicts on the items of
// their pairs (one action per transaction, with undo and redo). The items are in items.ts; Table 12's agreement, the
// agreement between checkers, the disagreements they settle and the tables to export in report.ts.
//
// Decisions where the paper is silent:
// - `lengthy` is not reviewable: it is a word count, not a model's annotation, and Table 12 lists the other 20
//   basic properties only.
// - A response's error annotation gets one more item, "no error missed" (complete:A/B). Adding a missed error
//   rejects it; Table 12's completeness is its agreement rate. Responses whose error check is "not applicable"
//   have no error items, as the paper leaves them out.
// - Response-level agreement of query-specific and error items (Table 12's caption): a response is agreed when
//   every detected entity in it is approved; a response without detected errors is agreed (it has none to doubt),
//   and counts once the checker judged its "no error missed" item.
// - Agreement between checkers is computed on agree / disagree with the annotation (approve vs anything else),
//   which is what Table 12 counts; the disagreements to settle compare the answers themselves (a correction to 1
//   and a correction to 0 differ).
import type { DetectedError, InformativeDesign, PackageOrigin, PairDetail, ReviewCursor, ReviewItem, ReviewPair, ReviewRound, ReviewStrategy, RoundPairView, ReviewWriteResult, Side, Verdict, VerdictKind } from '../../../preload/contract';
import type { Storage } from '../storage';
import type { CheckerRow } from './store';
import type { StoredVerdict } from './verdicts-store';
import { AppFailure } from '../errors';
import { comparisonFeatures } from '../data/features';
import { Rng } from '../../../native-workers';
import { guidelineFor } from './guidelines';
import { POOLED, checkComment, checkDetectedError, checkVerdict, errorValue, missedSide, reviewItems } from './items';

// ---------- rounds ----------

/**
 * The pairs of a new round in review order. Random: a seeded shuffle of the candidates. Stratified: each stratum
 * (scenario, or Unsafe Queries) gets its share of the round by largest remainder, drawn by the same seeded
 * generator, and the draws are shuffled together so the strata interleave.
 */
export function sampleRoundPairs(candidates: { pairId: number; stratum: string }[], size: number, strategy: ReviewStrategy, seed: number, kind = ''): number[] {
  if (!Number.isInteger(size) || size < 1) throw new AppFailure('INVALID', `A round has a whole number of pairs, at least 1 (not ${JSON.stringify(size)}).`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) throw new AppFailure('INVALID', `The seed is a whole number from 0 to ${2 ** 31 - 1}, not ${JSON.stringify(seed)}.`);
  if (strategy !== 'random' && strategy !== 'stratified') throw new AppFailure('INVALID', `Draw pairs at random or stratified by scenario, not ${JSON.stringify(strategy)}.`);
  if (candidates.length < size) {
    throw new AppFailure('TOO_FEW_PAIRS', `This study has ${candidates.length} ${kind}annotated pair${candidates.length === 1 ? '' : 's'}${kind ? ' (simulated ones are drawn only when asked for)' : ''}; a round of ${size} needs at least that many.`);
  }
  const rng = new Rng(seed);
  if (strategy === 'random') {
    const ids = candidates.map((c) => c.pairId);
    rng.shuffle(ids);
    return ids.slice(0, size);
  }
  const chosen: number[] = [];
  for (const { ids, quota } of stratumQuotas(candidates, size)) {
    const shuffled = [...ids];
    rng.shuffle(shuffled);
    chosen.push(...shuffled.slice(0, quota));
  }
  rng.shuffle(chosen);
  return chosen;
}

/** A round's pairs in review order and each one's probability of having been drawn. */
export interface DrawnPairs { pairIds: number[]; probabilities: number[] }

/** A random or stratified draw with each pair's probability (main/services/review/draw.ts draws informative rounds). */
export function plainDraw(candidates: { pairId: number; stratum: string }[], size: number, strategy: ReviewStrategy, seed: number, kind = ''): DrawnPairs {
  const pairIds = sampleRoundPairs(candidates, size, strategy, seed, kind);
  const probability = strategyProbabilities(candidates, size, strategy);
  return { pairIds, probabilities: pairIds.map((id) => probability.get(id)!) };
}

/**
 * Each candidate's probability of being in a round of `size` drawn by `strategy`: random, n/N; stratified,
 * n_s/N_s in its stratum (every pair of a stratum is equally likely to be among its quota).
 */
export function strategyProbabilities(candidates: { pairId: number; stratum: string }[], size: number, strategy: ReviewStrategy): Map<number, number> {
  if (strategy === 'random') return new Map(candidates.map((c) => [c.pairId, Math.min(1, size / candidates.length)]));
  if (strategy !== 'stratified') throw new AppFailure('INVALID', `A round drawn ${strategy} records its probabilities when it is drawn.`);
  const out = new Map<number, number>();
  for (const { ids, quota } of stratumQuotas(candidates, size)) for (const id of ids) out.set(id, quota / ids.length);
  return out;
}

/** The strata (sorted by name) with their pairs and their share of a round of `size` by largest remainder. */
export function stratumQuotas(candidates: { pairId: number; stratum: string }[], size: number): { stratum: string; ids: number[]; quota: number }[] {
  const strata = new Map<string, number[]>();
  for (const c of candidates) {
    const ids = strata.get(c.stratum);
    if (ids) ids.push(c.pairId);
    else strata.set(c.stratum, [c.pairId]);
  }
  const names = [...strata.keys()].sort();
  const exact = names.map((name) => (size * strata.get(name)!.length) / candidates.length);
  const quota = exact.map(Math.floor);
  const byRemainder = names.map((_, i) => i).sort((i, j) => exact[j] - quota[j] - (exact[i] - quota[i]) || i - j);
  const left = size - quota.reduce((s, q) => s + q, 0);
  for (let k = 0; k < left; k++) quota[byRemainder[k]]++;
  return names.map((stratum, i) => ({ stratum, ids: strata.get(stratum)!, quota: quota[i] }));
}

/**
 * Which checkers review each pair when every pair goes to `perPair` of the round's `checkers` (overlap for
 * agreement, e.g. 2 of 4): returns, per checker, the round positions of their share. Pairs are given in round
 * order to the least loaded checkers, so loads differ by at most one pair; among equally loaded ones, those who
 * have shared the fewest pairs with the checkers already chosen go first (so every two checkers share some pairs
 * for Cohen's kappa), then a seeded draw.
 */
export function assignShares(pairCount: number, checkers: number, perPair: number, seed: number): number[][] {
  if (!Number.isInteger(perPair) || perPair < 1 || perPair > checkers) {
    throw new AppFailure('INVALID', `Each pair goes to 1 to ${checkers} of the round's ${checkers} checker${checkers === 1 ? '' : 's'}, not ${JSON.stringify(perPair)}.`);
  }
  const rng = new Rng(seed, 1);
  const shares: number[][] = Array.from({ length: checkers }, () => []);
  const together = Array.from({ length: checkers }, () => new Array<number>(checkers).fill(0));
  for (let position = 0; position < pairCount; position++) {
    const chosen: number[] = [];
    const draw = Array.from({ length: checkers }, () => rng.uniform());
    while (chosen.length < perPair) {
      let best = -1;
      let bestKey: [number, number, number] | null = null;
      for (let c = 0; c < checkers; c++) {
        if (chosen.includes(c)) continue;
        const key: [number, number, number] = [shares[c].length, chosen.reduce((t, o) => t + together[c][o], 0), draw[c]];
        if (!bestKey || key[0] < bestKey[0] || (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] < bestKey[2])))) {
          best = c;
          bestKey = key;
        }
      }
      chosen.push(best);
    }
    for (const c of chosen) {
      shares[c].push(position);
      for (const o of chosen) if (o !== c) together[c][o]++;
    }
  }
  return shares;
}

function checkCheckerName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (!trimmed) throw new AppFailure('INVALID', 'A checker needs a name.');
  if (trimmed.length > 80) throw new AppFailure('INVALID', `A checker's name has at most 80 characters ("${trimmed.slice(0, 20)}…" is longer).`);
  if (trimmed.toLowerCase() === POOLED) throw new AppFailure('INVALID', `"${POOLED}" names the pooled counts; choose another checker name.`);
  return trimmed;
}

export function createRound(storage: Storage, req: {
  studyId: number; name?: string; size: number; strategy: ReviewStrategy; seed: number; checkers: string[]; blind: boolean; perPair?: number | null; notes?: string;
  includeSimulated?: boolean; design?: InformativeDesign;
}, drawn?: DrawnPairs): ReviewRound {
  storage.studies.studyName(req.studyId);
  const checkers = (req.checkers ?? []).map(checkCheckerName);
  if (checkers.length === 0) throw new AppFailure('INVALID', 'Name at least one checker for the round.');
  const twice = checkers.find((c, i) => checkers.indexOf(c) !== i);
  if (twice) throw new AppFailure('INVALID', `The checker "${twice}" is named twice.`);
  const notes = checkNotes(req.notes);
  // Every checker reviewing every pair is the round without shares.
  const perPair = req.perPair === undefined || req.perPair === null || req.perPair === checkers.length ? null : req.perPair;
  // Simulated pairs are placeholders a checker cannot judge: drawn only when asked for.
  const includeSimulated = Boolean(req.includeSimulated);
  const { pairIds, probabilities } = drawn ?? plainDraw(storage.pairs.annotatedStrata(req.studyId, includeSimulated), req.size, req.strategy, req.seed, includeSimulated ? '' : 'real ');
  const name = req.name?.trim() || `Round ${storage.review.reviewRounds(req.studyId).length + 1}`;
  const roundId = storage.review.createReviewRound({
    studyId: req.studyId, name, seed: req.seed, strategy: req.strategy, blind: Boolean(req.blind), pairIds, probabilities, checkers, notes, perPair,
    design: req.strategy === 'informative' ? req.design : null,
    shares: perPair === null ? undefined : assignShares(pairIds.length, checkers.length, perPair, req.seed),
  });
  return roundSummary(storage, roundId);
}

const MAX_NOTES = 20000;

export function checkNotes(notes: unknown): string {
  if (notes === undefined || notes === null) return '';
  if (typeof notes !== 'string') throw new AppFailure('INVALID', "The round's notes are text.");
  if (notes.length > MAX_NOTES) throw new AppFailure('INVALID', `The round's notes have at most ${MAX_NOTES} characters (these have ${notes.length}).`);
  return notes.trim();
}

export function setNotes(storage: Storage, req: { roundId: number; notes: string }): ReviewRound {
  storage.review.setRoundNotes(req.roundId, checkNotes(req.notes));
  return roundSummary(storage, req.roundId);
}

export function addChecker(storage: Storage, req: { roundId: number; name: string; blind?: boolean }): ReviewRound {
  const round = storage.review.reviewRound(req.roundId);
  if (round.perPair !== null) {
    throw new AppFailure('INVALID', `Round "${round.name}" shares its pairs among its checkers; a checker added now would have no share, so create a new round instead.`);
  }
  storage.review.addChecker(req.roundId, checkCheckerName(req.name), req.blind ?? round.blind);
  return roundSummary(storage, req.roundId);
}

export interface RoundPair { pairId: number; position: number; items: ReviewItem[] }

export function roundPairs(storage: Storage, roundId: number): RoundPair[] {
  return storage.review.roundPairIds(roundId).map((pairId, position) => ({ pairId, position, items: reviewItems(storage.annotations.annotation(pairId)) }));
}

/** Verdicts by checker id, pair id and item key. */
export type VerdictIndex = Map<number, Map<number, Map<string, Verdict>>>;

export function indexVerdicts(verdicts: (Verdict & { checkerId: number })[]): VerdictIndex {
  const index: VerdictIndex = new Map();
  for (const v of verdicts) {
    const byPair = index.get(v.checkerId) ?? new Map<number, Map<string, Verdict>>();
    const byKey = byPair.get(v.pairId) ?? new Map<string, Verdict>();
    byKey.set(v.itemKey, v);
    byPair.set(v.pairId, byKey);
    index.set(v.checkerId, byPair);
  }
  return index;
}

export function roundSummary(storage: Storage, roundId: number): ReviewRound {
  const { id, studyId, name, seed, strategy, blind, createdAt, pairCount, perPair, notes, origin, design } = storage.review.reviewRound(roundId);
  const pairs = roundPairs(storage, roundId);
  const verdicts = indexVerdicts(storage.verdicts.roundVerdicts(roundId));
  const itemCount = pairs.reduce((s, p) => s + p.items.length, 0);
  return {
    id, studyId, name, seed, strategy, blind, createdAt, pairCount, perPair, notes, itemCount, design,
    fromPackage: origin === null ? null : packageOrigin(origin),
    checkers: storage.review.checkers(roundId).map((c) => {
      const share = storage.review.checkerShare(c.id);
      const mineOnly = share ? share.map((position) => pairs[position]) : pairs;
      let decided = 0;
      let pairsDone = 0;
      let total = 0;
      for (const p of mineOnly) {
        const mine = verdicts.get(c.id)?.get(p.pairId);
        const n = mine ? p.items.filter((i) => mine.has(i.key)).length : 0;
        decided += n;
        total += p.items.length;
        if (n === p.items.length) pairsDone++;
      }
      const at = mineOnly[c.cursor.position]?.items.find((i) => i.key === c.cursor.itemKey);
      return {
        id: c.id, name: c.name, blind: c.blind, decided, total, pairs: mineOnly.length, pairsDone, position: c.cursor.position, itemKey: c.cursor.itemKey,
        itemTitle: at?.title ?? null,
      };
    }),
  };
}

/** The pair ids a checker reviews, in review order: their share of the round, or the whole round. */
export function checkerPairIds(storage: Storage, checker: CheckerRow): number[] {
  const all = storage.review.roundPairIds(checker.roundId);
  const share = storage.review.checkerShare(checker.id);
  return share ? share.map((position) => all[position]) : all;
}

/** A pair's place (0-based) among the pairs the checker reviews. */
function checkerPosition(storage: Storage, checker: CheckerRow, pairId: number): number {
  const position = checkerPairIds(storage, checker).indexOf(pairId);
  if (position < 0) throw new AppFailure('NOT_FOUND', `Pair ${pairId} is not among the pairs ${checker.name} reviews.`);
  return position;
}

export function saveCursor(storage: Storage, checkerId: number, cursor: ReviewCursor): void {
  const checker = storage.review.checker(checkerId);
  const count = checkerPairIds(storage, checker).length;
  if (!Number.isInteger(cursor.position) || cursor.position < 0 || cursor.position >= count) {
    throw new AppFailure('INVALID', `${checker.name} has pairs 1 to ${count}, not ${Number(cursor.position) + 1}.`);
  }
  storage.review.saveCursor(checkerId, cursor);
}

/** What a round opened from a package stored about its origin. */
function packageOrigin(origin: unknown): PackageOrigin {
  const o = origin as PackageOrigin;
  return { roundUid: o.roundUid, roundName: o.roundName, checker: o.checker, study: o.study, madeAt: o.madeAt };
}

export function reviewPair(storage: Storage, checkerId: number, position: number): ReviewPair {
  const checker = storage.review.checker(checkerId);
  const round = storage.review.reviewRound(checker.roundId);
  const pairIds = checkerPairIds(storage, checker);
  if (!Number.isInteger(position) || position < 0 || position >= pairIds.length) {
    throw new AppFailure('NOT_FOUND', `In review round "${round.name}", ${checker.name} has pairs 1 to ${pairIds.length}, not ${Number(position) + 1}.`);
  }
  const pairId = pairIds[position];
  const detail = storage.pairs.pair(pairId);
  const pair: PairDetail = { ...detail, comparisonFeatures: detail.annotation ? Array.from(comparisonFeatures(detail.annotation)) : null };
  const items = reviewItems(detail.annotation);
  return {
    roundId: checker.roundId, checkerId, position, pairCount: pairIds.length, pair, items, notes: round.notes,
    guidelines: Object.fromEntries(items.map((i) => [i.key, guidelineFor(i)])),
    verdicts: storage.verdicts.checkerVerdicts(checkerId, pairId),
    // A blind checker judges alone: nothing of the others reaches the screen.
    others: checker.blind ? [] : storage.review.checkers(checker.roundId).filter((c) => c.id !== checkerId)
      .map((c) => ({ checker: c.name, verdicts: storage.verdicts.checkerVerdicts(c.id, pairId) })),
  };
}

/** A pair of the round with every checker's verdicts, read-only: for settling a disagreement, not reviewing it. */
export function roundPairView(storage: Storage, roundId: number, position: number): RoundPairView {
  const round = storage.review.reviewRound(roundId);
  if (!Number.isInteger(position) || position < 0 || position >= round.pairCount) {
    throw new AppFailure('NOT_FOUND', `Review round "${round.name}" has pairs 1 to ${round.pairCount}, not ${Number(position) + 1}.`);
  }
  const pairId = storage.review.roundPairAt(roundId, position);
  const detail = storage.pairs.pair(pairId);
  const items = reviewItems(detail.annotation);
  return {
    roundId, position, pairCount: round.pairCount, items, notes: round.notes,
    pair: { ...detail, comparisonFeatures: detail.annotation ? Array.from(comparisonFeatures(detail.annotation)) : null },
    guidelines: Object.fromEntries(items.map((i) => [i.key, guidelineFor(i)])),
    checkers: storage.review.checkers(roundId).map((c) => ({ checker: c.name, verdicts: storage.verdicts.checkerVerdicts(c.id, pairId) })),
  };
}

// ---------- verdicts ----------

function pairContext(storage: Storage, checkerId: number, pairId: number): { checker: CheckerRow; items: ReviewItem[]; mine: Verdict[] } {
  const checker = storage.review.checker(checkerId);
  checkerPosition(storage, checker, pairId);
  return { checker, items: reviewItems(storage.annotations.annotation(pairId)), mine: storage.verdicts.checkerVerdicts(checkerId, pairId) };
}

function writeResult(storage: Storage, checker: CheckerRow, changes: ReviewWriteResult['changes'], pairId = changes[0]?.pairId): ReviewWriteResult {
  return {
    changes,
    position: pairId === undefined ? null : checkerPosition(storage, checker, pairId),
    ...storage.verdicts.undoState(checker.id),
    decided: storage.verdicts.decidedCount(checker.id),
  };
}

const missedOn = (mine: Verdict[], side: Side) => mine.filter((v) => v.verdict === 'add' && missedSide(v.itemKey) === side);

function refuseCompleteWithMissed(item: ReviewItem, mine: Verdict[]): void {
  const missed = item.side ? missedOn(mine, item.side).length : 0;
  if (missed > 0) {
    throw new AppFailure('INVALID', `Response ${item.side} has ${missed} missed error${missed === 1 ? '' : 's'} added; take ${missed === 1 ? 'it' : 'them'} back before marking that nothing was missed.`);
  }
}

export function giveVerdict(storage: Storage, req: {
  checkerId: number; pairId: number; itemKey: string; verdict: Exclude<VerdictKind, 'add'> | null; correctedValue?: string | null; comment?: string | null; cursor?: ReviewCursor;
}): ReviewWriteResult {
  const { checker, items, mine } = pairContext(storage, req.checkerId, req.pairId);
  const item = items.find((i) => i.key === req.itemKey);
  const current = mine.find((v) => v.itemKey === req.itemKey);
  let after: StoredVerdict | null = null;
  if (!item) {
    // A missed error is not an annotation item: it can only be taken back.
    if (!(missedSide(req.itemKey) && current && req.verdict === null)) throw new AppFailure('INVALID', `Pair ${req.pairId} has no annotation item "${req.itemKey}".`);
  } else if (req.verdict !== null) {
    const checked = checkVerdict(item, req.verdict, req.correctedValue);
    if (item.valueKind === 'complete' && checked.verdict === 'approve') refuseCompleteWithMissed(item, mine);
    const comment = req.comment === undefined ? current?.comment ?? null : checkComment(req.comment);
    after = { ...checked, comment, givenAt: new Date().toISOString() };
  }
  return writeResult(storage, checker, storage.verdicts.writeVerdicts(checker.id, [{ pairId: req.pairId, itemKey: req.itemKey, after }], req.cursor), req.pairId);
}

export function addMissedError(storage: Storage, req: { checkerId: number; pairId: number; side: Side; error: DetectedError; comment?: string | null; cursor?: ReviewCursor }): ReviewWriteResult {
  const { checker, items, mine } = pairContext(storage, req.checkerId, req.pairId);
  const complete = items.find((i) => i.key === `complete:${req.side}`);
  if (!complete) throw new AppFailure('INVALID', `Response ${req.side} of pair ${req.pairId} has no error check to add to (it was not annotated, or judged not applicable).`);
  const error = checkDetectedError(req.error);
  const n = 1 + Math.max(0, ...missedOn(mine, req.side).map((v) => Number(v.itemKey.split(':')[2])));
  const givenAt = new Date().toISOString();
  const previous = mine.find((v) => v.itemKey === complete.key);
  return writeResult(storage, checker, storage.verdicts.writeVerdicts(checker.id, [
    { pairId: req.pairId, itemKey: `missed:${req.side}:${n}`, after: { verdict: 'add', correctedValue: errorValue(error), comment: checkComment(req.comment), givenAt } },
    { pairId: req.pairId, itemKey: complete.key, after: { verdict: 'reject', correctedValue: null, comment: previous?.comment ?? null, givenAt } },
  ], req.cursor), req.pairId);
}

/**
 * Approves the items of the pair not decided yet from `fromItemKey` on (the cursor; absent: the whole pair): items
 * the checker skipped above the cursor stay undecided, as they were left to come back to.
 */
export function approveRest(storage: Storage, req: { checkerId: number; pairId: number; fromItemKey?: string | null; cursor?: ReviewCursor }): ReviewWriteResult {
  const { checker, items, mine } = pairContext(storage, req.checkerId, req.pairId);
  const from = req.fromItemKey == null ? 0 : items.findIndex((i) => i.key === req.fromItemKey);
  if (from < 0) throw new AppFailure('INVALID', `Pair ${req.pairId} has no annotation item "${req.fromItemKey}" to approve the rest from.`);
  const decided = new Set(mine.map((v) => v.itemKey));
  const givenAt = new Date().toISOString();
  const open = items.slice(from).filter((i) => !decided.has(i.key) && !(i.valueKind === 'complete' && missedOn(mine, i.side!).length > 0));
  return writeResult(storage, checker, storage.verdicts.writeVerdicts(checker.id,
    open.map((i) => ({ pairId: req.pairId, itemKey: i.key, after: { verdict: 'approve' as const, correctedValue: null, comment: null, givenAt } })), req.cursor), req.pairId);
}

export function undoVerdicts(storage: Storage, checkerId: number, redo: boolean): ReviewWriteResult {
  const checker = storage.review.checker(checkerId);
  return writeResult(storage, checker, storage.verdicts.undoVerdicts(checkerId, redo));
}
