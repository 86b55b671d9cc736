// Search and jump inside a round, as a checker does it: a pair by its number, id or query; an item by its words; the
// next item not decided; the next item another checker answered differently. Places are found in round order from
// just after the checker's cursor, wrapping round, so the first hit is "the next one".
import type { ReviewCursor, ReviewSearchHit, ReviewSearchKind } from '../../../preload/contract';
import type { Storage } from '../storage';
import { AppFailure } from '../errors';
import { reviewItems } from './items';
import { checkerPairIds, indexVerdicts } from './review';
import { answerOf, missedErrors } from './report';

const KINDS: readonly ReviewSearchKind[] = ['pair', 'property', 'undecided', 'disagreement'];
const DEFAULT_LIMIT = 50;

export function searchRound(storage: Storage, req: { checkerId: number; kind: ReviewSearchKind; text?: string; from?: ReviewCursor; limit?: number }): { hits: ReviewSearchHit[]; total: number } {
  if (!KINDS.includes(req.kind)) throw new AppFailure('INVALID', `Search a round by pair, property, undecided or disagreement, not ${JSON.stringify(req.kind)}.`);
  const checker = storage.review.checker(req.checkerId);
  const text = (req.text ?? '').trim().toLowerCase();
  if ((req.kind === 'pair' || req.kind === 'property') && !text) throw new AppFailure('INVALID', `Type what to look for: ${req.kind === 'pair' ? "a pair's number, id or words of its query" : 'a property or words of an item, e.g. "grammarly correct"'}.`);
  if (req.kind === 'disagreement' && checker.blind) {
    throw new AppFailure('INVALID', `${checker.name} reviews blind: the other checkers' verdicts, and so the disagreements, are not shown while reviewing.`);
  }
  const pairIds = checkerPairIds(storage, checker);
  const limit = req.limit ?? DEFAULT_LIMIT;
  const all = storage.verdicts.roundVerdicts(checker.roundId);
  const verdicts = indexVerdicts(all);
  const mine = verdicts.get(checker.id);
  const others = storage.review.checkers(checker.roundId).filter((c) => c.id !== checker.id);
  const hits: (ReviewSearchHit & { order: number })[] = [];
  pairIds.forEach((pairId, position) => {
    if (req.kind === 'pair') {
      const p = storage.pairs.pair(pairId);
      if (text === String(position + 1) || p.externalId.toLowerCase().includes(text) || p.query.toLowerCase().includes(text)) {
        hits.push({ position, itemKey: null, externalId: p.externalId, what: `pair ${position + 1}: ${p.query.slice(0, 80)}`, order: position * 1e6 });
      }
      return;
    }
    const items = reviewItems(storage.annotations.annotation(pairId));
    const byKey = mine?.get(pairId);
    items.forEach((item, index) => {
      if (text && !`${item.title} ${item.property}`.toLowerCase().includes(text)) return;
      if (req.kind === 'undecided' && byKey?.has(item.key)) return;
      if (req.kind === 'disagreement') {
        const v = byKey?.get(item.key);
        if (!v) return;
        const own = answerOf(item, v, missedErrors(byKey, item.side));
        const differs = others.some((o) => {
          const theirs = verdicts.get(o.id)?.get(pairId);
          const w = theirs?.get(item.key);
          return w !== undefined && answerOf(item, w, missedErrors(theirs, item.side)) !== own;
        });
        if (!differs) return;
      }
      hits.push({ position, itemKey: item.key, externalId: '', what: `pair ${position + 1}: ${item.title}`, order: position * 1e6 + index });
    });
  });
  // From just after the cursor, wrapping round.
  const from = req.from ? req.from.position * 1e6 + itemIndex(storage, pairIds, req.from) : -1;
  const after = hits.filter((h) => h.order > from);
  const ordered = [...after, ...hits.filter((h) => h.order <= from)];
  const externalIds = new Map<number, string>();
  return {
    total: hits.length,
    hits: ordered.slice(0, limit).map(({ order: _order, ...h }) => {
      if (h.externalId) return h;
      const pairId = pairIds[h.position];
      if (!externalIds.has(pairId)) externalIds.set(pairId, storage.pairs.pair(pairId).externalId);
      return { ...h, externalId: externalIds.get(pairId)! };
    }),
  };
}

/** The cursor's item index in its pair; -1 (before the first item) when it names none. */
function itemIndex(storage: Storage, pairIds: number[], from: ReviewCursor): number {
  const pairId = pairIds[from.position];
  if (pairId === undefined || from.itemKey === null) return -1;
  return reviewItems(storage.annotations.annotation(pairId)).findIndex((i) => i.key === from.itemKey);
}
