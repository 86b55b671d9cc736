// Refit with the corrections (issue 4): the corrected annotation set of a round (approved items kept, corrected
// items replaced, rejected items without a correction excluded from their property) and the dissection refitted
// on it beside the original, so a checker sees whether the annotation errors matter for the conclusions.
//
// What a rejection excludes, item by item: a rejected rating leaves its property out of the pair (comparison
// feature 0, as for a property that does not apply); a rejected prerequisite leaves out the property it gates; a
// rejected constraint, stance or mistake label leaves that entity out of the property's mean for both responses;
// a rejected detected error is taken out of the count (the checker says it is not an error), and a rejected
// "no error missed" adds the missed errors. Items the checkers disagree on and nobody settled keep the annotation.
import type {
  DetectedError, FitSettings, PairAnnotation, PropertyEffect, QueryItemKind, RefitProperty, RefitRecord, RefitScope, ReviewItem, Side, VerdictKind,
} from '../../../preload/contract';
import type { StudioContext } from '../context';
import type { Storage } from '../storage';
import { queryGroupsOf } from '../data/annotations-store';
import { comparisonData, fitComparisons, minimumRows, validateSettings, type ComparisonData } from '../dissect/dissection';
import { comparisonFeatures } from '../data/features';
import { PROPERTY_COUNT } from '../data/properties';
import { GROUPS, QUERY_SPECIFIC_GROUPS, type QuerySpecificGroup } from '../data/scenarios';
import { itemScore } from '../data/import/paper';
import { AppFailure } from '../errors';
import { ENTITY_KINDS, parseError } from './items';
import { answerOf, missedErrors, roundState, type RoundState } from './report';
import type { Table } from '../tables';

/** How an item ends up after review: settled, or answered alike by every checker who judged it. */
export interface FinalVerdict { verdict: VerdictKind; correctedValue: string | null; missed: DetectedError[] }

/** The verdict each judged item ends with, per pair, and how many disagreements nobody settled. */
export function finalVerdicts(state: RoundState, settlements: { pairId: number; itemKey: string; verdict: VerdictKind; correctedValue: string | null }[]):
  { byPair: Map<number, Map<string, FinalVerdict>>; unsettled: number } {
  const settled = new Map(settlements.map((a) => [`${a.pairId}|${a.itemKey}`, a]));
  const byPair = new Map<number, Map<string, FinalVerdict>>();
  let unsettled = 0;
  for (const p of state.pairs) {
    const finals = new Map<string, FinalVerdict>();
    for (const item of p.items) {
      const a = settled.get(`${p.pairId}|${item.key}`);
      if (a) {
        const missed = item.valueKind === 'complete' && a.verdict === 'reject' ? (JSON.parse(a.correctedValue ?? '[]') as DetectedError[]) : [];
        finals.set(item.key, { verdict: a.verdict, correctedValue: item.valueKind === 'complete' ? null : a.correctedValue, missed });
        continue;
      }
      const given = state.checkers.flatMap((c) => {
        const byKey = state.verdicts.get(c.id)?.get(p.pairId);
        const v = byKey?.get(item.key);
        return v ? [{ v, missed: item.valueKind === 'complete' ? missedErrors(byKey, item.side) : [] }] : [];
      });
      if (given.length === 0) continue;
      if (new Set(given.map((g) => answerOf(item, g.v, g.missed))).size > 1) {
        unsettled++;
        continue;
      }
      finals.set(item.key, { verdict: given[0].v.verdict, correctedValue: given[0].v.correctedValue, missed: given[0].missed });
    }
    byPair.set(p.pairId, finals);
  }
  return { byPair, unsettled };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** A pair's annotation with its final verdicts applied (see the top of this file for what a rejection does). */
export function correctedAnnotation(a: PairAnnotation, items: ReviewItem[], finals: Map<string, FinalVerdict>): PairAnnotation {
  const out: PairAnnotation = structuredClone(a);
  const pre = out.prerequisites;
  const dropped = new Set<string>();
  const recompute = new Set<QueryItemKind>();
  const droppedEntities = new Set<string>();
  const droppedErrors: Record<Side, Set<number>> = { A: new Set(), B: new Set() };
  for (const item of items) {
    const f = finals.get(item.key);
    if (!f || f.verdict === 'approve') continue;
    const rejected = f.verdict === 'reject';
    const [kind, ...rest] = item.key.split(':');
    if (kind === 'basic' || kind === 'qs') {
      if (rejected) dropped.add(item.property);
      else out.ratings[item.property][item.side!] = Number(f.correctedValue);
    } else if (kind === 'prereq' && pre) {
      const entity = ENTITY_KINDS.find((k) => k.property === item.property);
      if (rejected) dropped.add(item.property);
      else if (entity) {
        pre[entity.list] = (f.correctedValue ?? '').split('\n').filter(Boolean);
        recompute.add(entity.kind);
      } else {
        const yes = f.correctedValue === 'yes';
        if (item.property === 'clarify intent') pre.clearIntent = yes;
        else pre.expressFeelings = yes;
        // The property applies only where the prerequisite holds; where it newly holds there is no rating to use.
        if (item.property === 'clarify intent' ? yes : !yes) dropped.add(item.property);
      }
    } else if (kind === 'item') {
      const entityKind = rest[0] as QueryItemKind;
      recompute.add(entityKind);
      const entity = out.items.find((x) => x.kind === entityKind && x.text === item.label);
      if (rejected || !entity) droppedEntities.add(`${entityKind}|${item.label}`);
      else {
        entity.labels[item.side!] = f.correctedValue!;
        entity.scores[item.side!] = itemScore(entityKind, f.correctedValue!) ?? NaN;
      }
    } else if (kind === 'error' && out.errors) {
      const index = Number(rest[1]);
      if (rejected) droppedErrors[item.side!].add(index);
      else out.errors[item.side!].errors[index] = parseError(f.correctedValue!);
    } else if (kind === 'complete' && out.errors && rejected) {
      out.errors[item.side!].errors.push(...f.missed);
    }
  }
  if (out.errors) {
    for (const side of ['A', 'B'] as const) out.errors[side].errors = out.errors[side].errors.filter((_e, i) => !droppedErrors[side].has(i));
  }
  if (pre) {
    for (const k of ENTITY_KINDS) {
      if (!recompute.has(k.kind)) continue;
      const kept = out.items.filter((x) => x.kind === k.kind && pre[k.list].includes(x.text) && !droppedEntities.has(`${k.kind}|${x.text}`));
      out.items = [...out.items.filter((x) => x.kind !== k.kind), ...kept];
      if (kept.length === 0) delete out.ratings[k.property];
      else out.ratings[k.property] = { A: mean(kept.map((x) => x.scores.A)), B: mean(kept.map((x) => x.scores.B)) };
    }
  }
  for (const name of dropped) delete out.ratings[name];
  return out;
}

export interface RefitData {
  original: ComparisonData;
  corrected: ComparisonData;
  /** Rows whose comparison features changed, plus pairs the corrections moved into or out of the group. */
  changedRows: number;
  unsettled: number;
}

function rowsOf(data: ComparisonData, keep: (pairId: number) => boolean): ComparisonData {
  const index = data.pairIds.flatMap((id, i) => (keep(id) ? [i] : []));
  const X = new Int8Array(index.length * PROPERTY_COUNT);
  index.forEach((i, r) => X.set(data.X.subarray(i * PROPERTY_COUNT, (i + 1) * PROPERTY_COUNT), r * PROPERTY_COUNT));
  return { X, y: Uint8Array.from(index, (i) => data.y[i]), pairIds: index.map((i) => data.pairIds[i]), notApplicable: data.notApplicable };
}

/**
 * The judge's comparison data on a group as annotated and as corrected by the round. A correction of a
 * prerequisite can move a reviewed pair into or out of a query-specific group.
 */
export function refitData(storage: Storage, input: { roundId: number; studyId: number; judge: string; group: string; scope: RefitScope }): RefitData {
  const state = roundState(storage, input.roundId);
  const { byPair, unsettled } = finalVerdicts(state, storage.verdicts.adjudications(input.roundId));
  const reviewed = new Set(state.pairs.map((p) => p.pairId));
  const all = comparisonData(storage, input.studyId, input.judge, input.group);
  const original = input.scope === 'reviewed' ? rowsOf(all, (id) => reviewed.has(id)) : all;
  const corrections = new Map<number, PairAnnotation>();
  for (const p of state.pairs) {
    const finals = byPair.get(p.pairId)!;
    if ([...finals.values()].some((f) => f.verdict !== 'approve')) corrections.set(p.pairId, correctedAnnotation(storage.annotations.annotation(p.pairId), p.items, finals));
  }
  const queryGroup = (QUERY_SPECIFIC_GROUPS as readonly string[]).includes(input.group) ? (input.group as QuerySpecificGroup) : null;
  const belongs = (a: PairAnnotation) => queryGroup === null || queryGroupsOf(a)[queryGroup];
  const inOriginal = new Set(original.pairIds);
  const joining = queryGroup === null ? [] : [...corrections].filter(([id, a]) => !inOriginal.has(id) && belongs(a)).map(([id]) => id);
  const labels = storage.pairs.judgeLabels(input.judge, joining);
  const rows: { pairId: number; phi: ArrayLike<number>; y: number }[] = [];
  let changedRows = 0;
  original.pairIds.forEach((pairId, i) => {
    const phi = original.X.subarray(i * PROPERTY_COUNT, (i + 1) * PROPERTY_COUNT);
    const a = corrections.get(pairId);
    if (!a) return rows.push({ pairId, phi, y: original.y[i] });
    changedRows++;
    if (!belongs(a)) return;
    const fixed = comparisonFeatures(a);
    if (fixed.every((v, k) => v === phi[k])) changedRows--;
    rows.push({ pairId, phi: fixed, y: original.y[i] });
  });
  for (const pairId of joining) {
    const side = labels.get(pairId);
    if (side === undefined) continue;
    changedRows++;
    rows.push({ pairId, phi: comparisonFeatures(corrections.get(pairId)!), y: side === 'A' ? 1 : 0 });
  }
  const X = new Int8Array(rows.length * PROPERTY_COUNT);
  rows.forEach((r, i) => X.set(r.phi, i * PROPERTY_COUNT));
  return { original, corrected: { X, y: Uint8Array.from(rows, (r) => r.y), pairIds: rows.map((r) => r.pairId), notApplicable: original.notApplicable }, changedRows, unsettled };
}

/** Original beside corrected per property: the shift, and whether the corrected mean leaves the original 90% interval. */
export function compareEffects(original: PropertyEffect[], corrected: PropertyEffect[]): RefitProperty[] {
  return original.map((o, k) => {
    const c = corrected[k];
    return {
      name: o.name, original: o, corrected: c, strengthShift: c.strength - o.strength, alphaShift: c.alphaMean - o.alphaMean,
      exceedsUncertainty: c.alphaMean < o.alphaQ5 || c.alphaMean > o.alphaQ95,
    };
  });
}

/**
 * Queues the refit as a job (progress, ETA and cancel through job.progress): the original side reuses the latest
 * finished dissection of the judge and group when it has the same settings and rows, else both sides are fitted.
 */
export function startRefit(context: Pick<StudioContext, 'storage' | 'jobs' | 'samplerPool'>, req: {
  roundId: number; judge: string; group: string; scope: RefitScope; settings?: Partial<FitSettings>;
}): RefitRecord {
  const { storage, jobs } = context;
  const round = storage.review.reviewRound(req.roundId);
  const settings = validateSettings(req.settings);
  storage.pairs.judgeId(req.judge);
  if (!GROUPS.includes(req.group)) throw new AppFailure('INVALID', `"${req.group}" is not a group: use one of ${GROUPS.join(', ')}.`);
  if (req.scope !== 'group' && req.scope !== 'reviewed') throw new AppFailure('INVALID', `Refit on the whole group or on the reviewed pairs, not ${JSON.stringify(req.scope)}.`);
  const data = refitData(storage, { ...req, studyId: round.studyId });
  const fewest = Math.min(data.original.y.length, data.corrected.y.length);
  if (fewest < minimumRows(settings)) {
    throw new AppFailure('TOO_FEW_PAIRS', `${req.judge} labelled only ${fewest} ${req.scope === 'reviewed' ? 'reviewed ' : ''}pairs in ${req.group}; a fit with ${settings.folds} fold${settings.folds === 1 ? '' : 's'} needs at least ${minimumRows(settings)}.`);
  }
  const stored = req.scope === 'group'
    ? storage.fits.latestFits(round.studyId, 'done').find((f) => f.judge === req.judge && f.group === req.group
      && JSON.stringify(f.settings) === JSON.stringify(settings) && f.rows === data.original.y.length)
    : undefined;
  const refitId = storage.refit.startRefit({
    roundId: req.roundId, judge: req.judge, group: req.group, scope: req.scope, settings, jobId: null,
    originalRows: data.original.y.length, correctedRows: data.corrected.y.length, changedRows: data.changedRows,
    unsettled: data.unsettled, reusedFitId: stored?.id ?? null,
  });
  const jobId = jobs.enqueue('refit', async ({ signal, progress }) => {
    const parts = stored ? 1 : 2;
    let done = 0;
    const fit = async (rows: ComparisonData, message: string) => {
      const outcome = await fitComparisons(context.samplerPool(), rows, settings, {
        signal, onProgress: (p) => progress(done + p.fraction, parts, message),
      });
      done++;
      return outcome.properties;
    };
    try {
      const original = stored ? stored.properties : await fit(data.original, `Fitting ${req.judge} on ${req.group} as annotated`);
      const corrected = await fit(data.corrected, `Fitting ${req.judge} on ${req.group} as corrected`);
      storage.refit.finishRefit(refitId, { status: 'done', properties: compareEffects(original, corrected) });
      return `Refitted ${req.judge} on ${req.group} with the corrections.`;
    } catch (err) {
      storage.refit.finishRefit(refitId, signal.aborted ? { status: 'cancelled', error: 'Cancelled.' } : { status: 'failed', error: (err as Error).message });
      throw err;
    }
  });
  storage.refit.setRefitJob(refitId, jobId);
  return storage.refit.refits(req.roundId).find((r) => r.id === refitId)!;
}

/** The round's refits, newest first; one whose job was cancelled before it started is marked so. */
export function refitsOf(context: Pick<StudioContext, 'storage' | 'jobs'>, roundId: number): RefitRecord[] {
  const { storage, jobs } = context;
  storage.review.reviewRound(roundId);
  const live = new Set(jobs.runningIds());
  for (const r of storage.refit.refits(roundId)) {
    if (r.status === 'running' && (r.jobId === null || !live.has(r.jobId))) storage.refit.finishRefit(r.id, { status: 'cancelled', error: 'Cancelled before it started.' });
  }
  return storage.refit.refits(roundId);
}

export function refitTable(refit: RefitRecord, roundName: string): Table {
  return {
    title: `Effect strengths of ${refit.judge} on ${refit.group}, as annotated and as corrected by ${roundName}`,
    columns: [
      'Property', 'Original strength', 'Original 5%', 'Original 95%', 'Corrected strength', 'Corrected 5%', 'Corrected 95%',
      'Strength shift', 'Original alpha', 'Corrected alpha', 'Alpha shift', 'Outside original 90% interval',
    ],
    rows: refit.properties.map((p) => [
      p.name, p.original.strength, p.original.strengthQ5, p.original.strengthQ95, p.corrected.strength, p.corrected.strengthQ5,
      p.corrected.strengthQ95, p.strengthShift, p.original.alphaMean, p.corrected.alphaMean, p.alphaShift, p.exceedsUncertainty ? 'yes' : 'no',
    ]),
  };
}
