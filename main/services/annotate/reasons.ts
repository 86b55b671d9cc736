// Reasons (the canonical-basis paper, its figures 4 and 5): a model says why the preferred response won, the
// reasons of all pairs are normalised into categories, and each category is proposed as a candidate property
// with the share of pairs that gave it.
import type { ReasonsReport } from '../../../preload/contract';
import type { Storage } from '../storage';
import type { WorkItem } from './store';
import { askJson, ItemFailure, STAGE } from './ask';
import type { Caller } from './caller';
import { parseNormalised, parseReasons, type ReasonsAnswer } from './parse';
import { normalisePrompt, reasonsPrompt } from './prompts';

/** Reasons per normalisation call: a list the model can answer within its token limit. */
export const NORMALISE_CHUNK = 50;

export async function reasonPair(pair: WorkItem, caller: Caller, retrying: boolean): Promise<{ answer: ReasonsAnswer; raw: string }> {
  if (!pair.preferred) throw new ItemFailure(`${STAGE.reasons}: the pair has no label from the judge whose preference is explained.`);
  const asked = await askJson(caller, 'reasons', reasonsPrompt(pair, pair.preferred), parseReasons, retrying);
  return { answer: asked.value, raw: asked.raw };
}

/** The job's reasons, compared without case, each once, in first-seen order. */
export function distinctReasons(perPair: { reasons: string[] }[]): string[] {
  const seen = new Map<string, string>();
  for (const p of perPair) for (const r of p.reasons) if (!seen.has(r.toLowerCase())) seen.set(r.toLowerCase(), r);
  return [...seen.values()];
}

/** Normalises the reasons not normalised yet, in chunks; each chunk is stored as it is answered. */
export async function normaliseReasons(storage: Storage, jobId: number, caller: Caller, retrying: boolean): Promise<void> {
  const done = new Set(storage.annotate.reasonCategories(jobId).map((c) => c.reason.toLowerCase()));
  const todo = distinctReasons(storage.annotate.reasonsOf(jobId)).filter((r) => !done.has(r.toLowerCase()));
  for (let i = 0; i < todo.length; i += NORMALISE_CHUNK) {
    const chunk = todo.slice(i, i + NORMALISE_CHUNK);
    const asked = await askJson(caller, 'normalise', normalisePrompt(chunk), (v) => parseNormalised(v, chunk), retrying);
    storage.annotate.saveReasonCategories(jobId, chunk.map((reason) => {
      const n = asked.value.get(reason)!;
      return { reason, category: 'category' in n ? n.category : null, error: 'error' in n ? n.error : null };
    }));
  }
}

/** Categories with the share of explained pairs that gave a reason in them, largest first. */
export function reasonsReport(judge: string, perPair: { pairId: number; reasons: string[] }[], categories: { reason: string; category: string | null; error: string | null }[]): ReasonsReport {
  const byReason = new Map(categories.map((c) => [c.reason.toLowerCase(), c]));
  const pairsOf = new Map<string, Set<number>>();
  const reasonsOf = new Map<string, Set<string>>();
  for (const p of perPair) {
    for (const r of p.reasons) {
      const c = byReason.get(r.toLowerCase());
      if (!c?.category) continue;
      (pairsOf.get(c.category) ?? pairsOf.set(c.category, new Set()).get(c.category)!).add(p.pairId);
      (reasonsOf.get(c.category) ?? reasonsOf.set(c.category, new Set()).get(c.category)!).add(c.reason);
    }
  }
  const total = perPair.length;
  return {
    judge,
    pairs: total,
    categories: [...pairsOf.entries()]
      .map(([category, pairs]) => ({ category, pairs: pairs.size, share: total ? pairs.size / total : 0, reasons: [...reasonsOf.get(category)!].sort() }))
      .sort((a, b) => b.pairs - a.pairs || a.category.localeCompare(b.category)),
    unresolved: categories.filter((c) => c.error !== null).map((c) => ({ reason: c.reason, error: c.error! })),
  };
}
