// Corrected by the check (issue 15): a judge's effect strengths on a group as annotated beside the ones corrected by
// a round's checked pairs, by design-based supervised learning (native-workers/dsl.ts). A pair of the round is
// checked only when every one of its items has a final verdict (all checkers who judged it agree, or the
// disagreement is settled); its checked comparison features are its annotation with those verdicts applied (the
// corrected annotation of "Refit with corrections"). Pairs not checked count as not drawn for the estimate.
//
// Where the corrected annotation moves a pair out of a query-specific group, the pair keeps its row with the
// checked features (the estimate is over the group as annotated); pairs it would move in are not added.
import type { CorrectedEstimate, CorrectedProperty, CorrectedReport, PairAnnotation } from '../../../preload/contract';
import type { Storage } from '../storage';
import { AppFailure } from '../errors';
import { comparisonData } from '../dissect/dissection';
import { comparisonFeatures } from '../data/features';
import { PROPERTY_COUNT, PROPERTY_NAMES } from '../data/properties';
import { GROUPS } from '../data/scenarios';
import { annotationErrorTable, fitDsl, planChecks, type Estimates } from '../../../native-workers';
import { roundState } from './report';
import { correctedAnnotation, finalVerdicts } from './refit';
import { strategyProbabilities } from './review';
import type { Table } from '../tables';
import type { ReviewRoundRow } from './store';
import { groupLabel } from '../../../preload/contract';

/** The default 95% interval width (log-odds) the planning aims at: ±0.5 around a weight, about ±12 points of strength near 50%. */
export const DEFAULT_TARGET_WIDTH = 1;

/** The round's checked pairs: each one's checked comparison features, by pair id. */
export function checkedPairs(storage: Storage, roundId: number): Map<number, Int8Array> {
  const state = roundState(storage, roundId);
  const { byPair } = finalVerdicts(state, storage.verdicts.adjudications(roundId));
  const out = new Map<number, Int8Array>();
  for (const p of state.pairs) {
    const finals = byPair.get(p.pairId)!;
    if (p.items.length === 0 || finals.size < p.items.length) continue;
    const annotation: PairAnnotation = storage.annotations.annotation(p.pairId);
    const changed = [...finals.values()].some((f) => f.verdict !== 'approve');
    out.set(p.pairId, comparisonFeatures(changed ? correctedAnnotation(annotation, p.items, finals) : annotation));
  }
  return out;
}

/**
 * Each pair's probability of having been drawn into the round: as recorded, or for a round drawn before they were
 * recorded, what its strategy implies for the study's annotated pairs now (`implied`).
 */
export function roundProbabilities(storage: Storage, roundId: number): { byPair: Map<number, number>; implied: boolean } {
  const round = storage.review.reviewRound(roundId);
  const recorded = storage.review.roundProbabilities(roundId);
  if ([...recorded.values()].every((p) => p !== null)) return { byPair: recorded as Map<number, number>, implied: false };
  const implied = strategyProbabilities(storage.pairs.annotatedStrata(round.studyId), round.pairCount, round.strategy);
  return { byPair: new Map([...recorded.keys()].map((id) => [id, implied.get(id) ?? round.pairCount / Math.max(1, implied.size)])), implied: true };
}

/**
 * P(checked value | annotated value) per property from the study's rounds' checked pairs (each weighted 1/π), the
 * informative design's guess of where the annotation errs; with no checked pair yet, its small even prior.
 */
export function studyErrorTable(storage: Storage, studyId: number): Float64Array {
  const annotated: number[] = [];
  const checked: number[] = [];
  const probability: number[] = [];
  for (const round of storage.review.reviewRounds(studyId)) {
    const { byPair } = roundProbabilities(storage, round.id);
    for (const [pairId, features] of checkedPairs(storage, round.id)) {
      annotated.push(...comparisonFeatures(storage.annotations.annotation(pairId)));
      checked.push(...features);
      probability.push(byPair.get(pairId)!);
    }
  }
  const n = probability.length;
  return annotationErrorTable({ K: PROPERTY_COUNT, y: new Uint8Array(n), annotated, checked, isChecked: new Uint8Array(n).fill(1), probability });
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function estimate(e: Estimates, k: number): CorrectedEstimate | null {
  if (!e.estimable[k]) return null;
  return { weight: e.estimate[k], low: e.low[k], high: e.high[k], strength: sigmoid(e.estimate[k]), strengthLow: sigmoid(e.low[k]), strengthHigh: sigmoid(e.high[k]) };
}

/** The indices of the three largest (or smallest) estimable weights. */
function extremes(e: Estimates, largest: boolean): Set<number> {
  const ks = PROPERTY_NAMES.map((_, k) => k).filter((k) => e.estimable[k]);
  ks.sort((a, b) => (largest ? e.estimate[b] - e.estimate[a] : e.estimate[a] - e.estimate[b]));
  return new Set(ks.slice(0, 3));
}

const list = (names: string[]) => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

function summarise(r: Omit<CorrectedReport, 'summary'>, roundName: string, designNote: string | null): string {
  const sign = r.properties.filter((p) => p.signChanged).map((p) => p.name);
  const ranks = r.properties.filter((p) => p.topThreeChanged || p.lastThreeChanged).map((p) => p.name);
  const outside = r.properties.filter((p) => p.outsideOther).map((p) => p.name);
  const head = `With ${r.checked} of ${r.pairs} pairs checked in ${roundName}`;
  const parts: string[] = [];
  if (sign.length) parts.push(`${list(sign)} change${sign.length === 1 ? 's' : ''} direction`);
  if (ranks.length) parts.push(`${list(ranks)} move${ranks.length === 1 ? 's' : ''} into or out of the three strongest or weakest`);
  if (outside.length) parts.push(`${list(outside)} ${outside.length === 1 ? 'lies' : 'lie'} outside the other estimate's 95% interval`);
  const main = parts.length
    ? `${head}, the check changes the conclusions for ${r.judge} on ${groupLabel(r.group)}: ${parts.join('; ')}.`
    : `${head}, the check changes no conclusion for ${r.judge} on ${groupLabel(r.group)}: no property changes direction or its place among the three strongest or weakest, and each estimate lies within the other's 95% interval.`;
  const notes = [
    r.notChecked ? `${r.notChecked} pair${r.notChecked === 1 ? '' : 's'} of the round ${r.notChecked === 1 ? 'is' : 'are'} not checked yet (items not judged or disagreements not settled) and count${r.notChecked === 1 ? 's' : ''} as not drawn.` : '',
    r.probabilitiesImplied ? `${roundName} was drawn before probabilities were recorded: they are what its strategy implies for the study's annotated pairs now.` : '',
    designNote ?? '',
  ].filter(Boolean);
  return [main, ...notes].join(' ');
}

/**
 * Whether an informative round's probabilities cover the pairs the estimate is over. The design-based estimator
 * needs every pair's probability of being checked known and above zero (Egami et al. 2023; the dsl package refuses
 * a sample_prob outside (0, 1]); a round drawn where checking helps most drew from its judge and group's pairs only,
 * so a pair outside them had none and the estimate is refused. Over pairs that all could have been drawn (another
 * judge who labelled the same pairs, a part of the group) it holds, and the note says whose the draw was.
 */
function designNote(storage: Storage, round: ReviewRoundRow, judge: string, group: string, pairIds: number[]): string | null {
  if (round.strategy !== 'informative') return null;
  const design = round.design;
  if (design === null) {
    return `${round.name} was drawn where checking helps most before rounds recorded for which judge and group; the correction holds only if every pair ${judge} labelled in ${groupLabel(group)} could have been drawn.`;
  }
  if (design.judge === judge && design.group === group) return null;
  const drawable = new Set(comparisonData(storage, round.studyId, design.judge, design.group).pairIds);
  const outside = pairIds.filter((id) => !drawable.has(id)).length;
  if (outside > 0) {
    throw new AppFailure('INVALID', `${round.name} was drawn where checking helps most for ${design.judge} on ${groupLabel(design.group)}, so ${outside} of the ${pairIds.length} pairs ${judge} labelled in ${groupLabel(group)} could never have been checked and its check cannot correct these effect strengths: choose ${design.judge} on ${groupLabel(design.group)}, or draw a random or stratified round.`);
  }
  return `${round.name} was drawn where checking helps most for ${design.judge} on ${groupLabel(design.group)}; every pair ${judge} labelled in ${groupLabel(group)} could have been drawn too, so the correction holds, though its checks were spent where they help ${design.judge} on ${groupLabel(design.group)} most.`;
}

export function correctedReport(storage: Storage, req: { roundId: number; judge: string; group: string; targetWidth?: number }): CorrectedReport {
  const round = storage.review.reviewRound(req.roundId);
  storage.pairs.judgeId(req.judge);
  if (!GROUPS.includes(req.group)) throw new AppFailure('INVALID', `"${req.group}" is not a group: use one of ${GROUPS.join(', ')}.`);
  const targetWidth = req.targetWidth ?? DEFAULT_TARGET_WIDTH;
  if (!(typeof targetWidth === 'number' && targetWidth > 0 && Number.isFinite(targetWidth))) {
    throw new AppFailure('INVALID', `The interval width to aim at is a positive number, not ${JSON.stringify(req.targetWidth)}.`);
  }
  const data = comparisonData(storage, round.studyId, req.judge, req.group);
  if (data.y.length === 0) throw new AppFailure('TOO_FEW_PAIRS', `${req.judge} labelled no annotated pair in ${groupLabel(req.group)}.`);
  const note = designNote(storage, round, req.judge, req.group, data.pairIds);
  const checks = checkedPairs(storage, req.roundId);
  const { byPair, implied } = roundProbabilities(storage, req.roundId);
  const n = data.y.length;
  const checked = new Int8Array(n * PROPERTY_COUNT);
  const isChecked = new Uint8Array(n);
  const probability = new Float64Array(n);
  let inRound = 0;
  data.pairIds.forEach((pairId, i) => {
    if (byPair.has(pairId)) inRound++;
    const features = checks.get(pairId);
    if (!features) return;
    isChecked[i] = 1;
    probability[i] = byPair.get(pairId)!;
    checked.set(features, i * PROPERTY_COUNT);
  });
  const nChecked = isChecked.reduce((s, v) => s + v, 0);
  if (nChecked === 0) {
    throw new AppFailure('INVALID', `No pair of ${round.name} that ${req.judge} labelled in ${groupLabel(req.group)} is checked yet: judge every item of a pair (and settle any disagreement) first.`);
  }
  const fit = fitDsl({ K: PROPERTY_COUNT, y: data.y, annotated: data.X, checked, isChecked, probability });
  const plan = planChecks(fit, targetWidth);
  const top = [extremes(fit.naive, true), extremes(fit.corrected, true)];
  const last = [extremes(fit.naive, false), extremes(fit.corrected, false)];
  const properties: CorrectedProperty[] = PROPERTY_NAMES.map((name, k) => {
    const naive = estimate(fit.naive, k);
    const corrected = estimate(fit.corrected, k);
    const both = naive !== null && corrected !== null;
    return {
      name, naive, corrected,
      signChanged: both && Math.sign(naive.weight) !== Math.sign(corrected.weight),
      topThreeChanged: top[0].has(k) !== top[1].has(k),
      lastThreeChanged: last[0].has(k) !== last[1].has(k),
      outsideOther: both && (corrected.weight < naive.low || corrected.weight > naive.high || naive.weight < corrected.low || naive.weight > corrected.high),
      width: corrected ? plan[k].width : null,
      checksNeeded: plan[k].checksNeeded,
      moreChecks: plan[k].moreChecks,
    };
  });
  const report = {
    roundId: round.id, roundName: round.name, judge: req.judge, group: req.group, pairs: n, inRound, checked: nChecked,
    notChecked: inRound - nChecked, probabilitiesImplied: implied, targetWidth, properties,
  };
  return { ...report, summary: summarise(report, round.name, note) };
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

export function correctedTable(r: CorrectedReport): Table {
  return {
    title: `Effect strengths of ${r.judge} on ${groupLabel(r.group)}, as annotated and corrected by the check of ${r.roundName}`,
    columns: [
      'Property', 'As annotated weight', 'As annotated 2.5%', 'As annotated 97.5%', 'As annotated strength',
      'Corrected weight', 'Corrected 2.5%', 'Corrected 97.5%', 'Corrected strength',
      'Changes direction', 'Top three changes', 'Last three changes', 'Outside the other interval',
      'Interval width', `Checked pairs for width ${r.targetWidth}`, 'More pairs to check',
    ],
    rows: r.properties.map((p) => [
      p.name, p.naive?.weight ?? null, p.naive?.low ?? null, p.naive?.high ?? null, p.naive?.strength ?? null,
      p.corrected?.weight ?? null, p.corrected?.low ?? null, p.corrected?.high ?? null, p.corrected?.strength ?? null,
      yesNo(p.signChanged), yesNo(p.topThreeChanged), yesNo(p.lastThreeChanged), yesNo(p.outsideOther),
      p.width, p.checksNeeded, p.moreChecks,
    ]),
  };
}
