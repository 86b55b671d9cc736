// Drawing a round where checking helps most (issue 15): for one judge and group, each pair is drawn independently
// with a probability in proportion to how much its check is expected to move the corrected effect strengths
// (native-workers/dsl.ts: checkPriority, from the study's earlier checks; checkingProbabilities, never zero), and
// that probability is recorded with the pair. Random and stratified rounds are drawn in review.ts.
import type { InformativeDesign, ReviewRound, ReviewStrategy } from '../../../preload/contract';
import type { Storage } from '../storage';
import { AppFailure } from '../errors';
import { comparisonData } from '../dissect/dissection';
import { PROPERTY_COUNT } from '../data/properties';
import { GROUPS } from '../data/scenarios';
import { Rng, checkPriority, checkingProbabilities } from '../../../native-workers';
import { createRound, type DrawnPairs } from './review';
import { studyErrorTable } from './corrected';

type RoundRequest = Parameters<typeof createRound>[1];

/** Draws an informative round's pairs: Poisson sampling, so the round has `size` pairs on average. */
export function informativeDraw(storage: Storage, req: { studyId: number; size: number; seed: number; design?: InformativeDesign }): DrawnPairs {
  if (!Number.isInteger(req.size) || req.size < 1) throw new AppFailure('INVALID', `A round has a whole number of pairs, at least 1 (not ${JSON.stringify(req.size)}).`);
  if (!Number.isInteger(req.seed) || req.seed < 0 || req.seed > 2 ** 31 - 1) throw new AppFailure('INVALID', `The seed is a whole number from 0 to ${2 ** 31 - 1}, not ${JSON.stringify(req.seed)}.`);
  const design = req.design;
  if (!design) throw new AppFailure('INVALID', 'A round drawn where checking helps most needs the judge and group whose effect strengths the check should correct.');
  storage.pairs.judgeId(design.judge);
  if (!GROUPS.includes(design.group)) throw new AppFailure('INVALID', `"${design.group}" is not a group: use one of ${GROUPS.join(', ')}.`);
  const data = comparisonData(storage, req.studyId, design.judge, design.group);
  if (data.y.length < req.size) {
    throw new AppFailure('TOO_FEW_PAIRS', `${design.judge} labelled ${data.y.length} annotated pair${data.y.length === 1 ? '' : 's'} in ${design.group}; a round of ${req.size} needs at least that many.`);
  }
  const priority = checkPriority(data.X, data.y, PROPERTY_COUNT, studyErrorTable(storage, req.studyId));
  const probability = checkingProbabilities(priority, req.size);
  const rng = new Rng(req.seed);
  const chosen: number[] = [];
  data.pairIds.forEach((_, i) => { if (rng.uniform() < probability[i]) chosen.push(i); });
  if (chosen.length === 0) throw new AppFailure('TOO_FEW_PAIRS', `The draw with seed ${req.seed} chose no pair; draw a larger round or another seed.`);
  rng.shuffle(chosen);
  return { pairIds: chosen.map((i) => data.pairIds[i]), probabilities: chosen.map((i) => probability[i]) };
}

/** review.createRound: random and stratified rounds as review.ts draws them, informative ones here. */
export function createDrawnRound(storage: Storage, req: RoundRequest & { strategy: ReviewStrategy }): ReviewRound {
  return createRound(storage, req, req.strategy === 'informative' ? informativeDraw(storage, req) : undefined);
}
