// The human quality check (section 3.4, appendix G): review rounds drawn from a study, every annotation item of a
// pair as Table 12 groups them, verdicts on the items (one action per transaction, with undo and redo), Table 12's
// agreement counts per checker and pooled, agreement between checkers and the disagreements they settle.
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
import type {
  AgreementCount, AgreementReport, AgreementRow, CheckerKappa, DetectedError, Disagreement, PairAnnotation, PairDetail,
  ReviewCursor, ReviewItem, ReviewPair, ReviewRound, ReviewStrategy, ReviewWriteResult, Severity, Side, Verdict, VerdictKind,
} from '../../../preload/contract';
import type { Storage } from '../storage';
import type { CheckerRow, StoredVerdict } from './store';
import { AppFailure } from '../errors';
import { ERROR_PROPERTY_BY_SEVERITY, ERROR_TYPES, RATED_BASIC_PROPERTIES } from '../data/properties';
import { MISTAKE_SCORES, STANCE_SCORES } from '../data/import/paper';
import { comparisonFeatures } from '../data/features';
import { cohenKappa, krippendorffAlpha, wilsonInterval } from './agreement';
import type { Table } from '../tables';
import { Rng } from '../../../native-workers';

export const POOLED = 'pooled';
export const DEFAULT_ROUND_SIZE = 50;
const SIDES: readonly Side[] = ['A', 'B'];
const SEVERITIES: readonly Severity[] = ['minor', 'moderate', 'severe'];
const MAX_COMMENT = 2000;

// ---------- the items of a pair ----------

const RATINGS = ['0', '1', '2', '3'];
const YES_NO = ['yes', 'no'];
const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const STANCE_CHOICES = [...STANCE_SCORES.keys()].map(capitalised);
const MISTAKE_CHOICES = [...MISTAKE_SCORES.keys()].map(capitalised);

type ListKey = 'constraints' | 'stances' | 'mistakes';

/** Round one (Figure 9), named as Table 12 names the prerequisites; each feeds one query-specific property. */
const PREREQUISITES: { key: string; label: string; property: string; list: ListKey | null }[] = [
  { key: 'clear intent', label: 'clear intent', property: 'clarify intent', list: null },
  { key: 'express feelings', label: 'express feelings', property: 'show empathetic', list: null },
  { key: 'explicit constraints', label: 'contain explicit constraints', property: 'satisfy constraints', list: 'constraints' },
  { key: 'subjective stances', label: 'show explicit subjective stances', property: 'support stances', list: 'stances' },
  { key: 'mistakes or bias', label: 'contain mistakes or bias', property: 'correct mistakes', list: 'mistakes' },
];

/** Round two (Figures 10-12): one label per constraint, stance or mistake and response. */
export const ENTITY_KINDS = [
  { kind: 'constraint', list: 'constraints', property: 'satisfy constraints', valueKind: 'rating', choices: RATINGS },
  { kind: 'stance', list: 'stances', property: 'support stances', valueKind: 'stance', choices: STANCE_CHOICES },
  { kind: 'mistake', list: 'mistakes', property: 'correct mistakes', valueKind: 'mistake', choices: MISTAKE_CHOICES },
] as const;

/** The query-specific properties rated directly, once per response, where the prerequisite holds. */
const RATED_QUERY_PROPERTIES = ['clarify intent', 'show empathetic'] as const;

export const errorValue = (e: DetectedError) => JSON.stringify({ description: e.description, type: e.type, severity: e.severity });

/** Every reviewable annotation item of a pair, in Table 12's order. */
export function reviewItems(a: PairAnnotation | null): ReviewItem[] {
  if (!a) return [];
  const items: ReviewItem[] = [];
  for (const p of RATED_BASIC_PROPERTIES) {
    const r = a.ratings[p.name];
    for (const side of SIDES) {
      if (r && Number.isFinite(r[side])) {
        items.push({ key: `basic:${side}:${p.name}`, section: 'basic', valueKind: 'rating', side, property: p.name, label: p.name, value: String(r[side]), choices: RATINGS });
      }
    }
  }
  const pre = a.prerequisites;
  if (pre) {
    for (const q of PREREQUISITES) {
      const value = q.list ? pre[q.list].join('\n') : (q.key === 'clear intent' ? pre.clearIntent : pre.expressFeelings) ? 'yes' : 'no';
      items.push({ key: `prereq:${q.key}`, section: 'prerequisite', valueKind: q.list ? 'list' : 'yes-no', side: null, property: q.property, label: q.label, value, choices: q.list ? [] : YES_NO });
    }
  }
  for (const name of RATED_QUERY_PROPERTIES) {
    const r = a.ratings[name];
    for (const side of SIDES) {
      if (r && Number.isFinite(r[side])) {
        items.push({ key: `qs:${side}:${name}`, section: 'query-specific', valueKind: 'rating', side, property: name, label: name, value: String(r[side]), choices: RATINGS });
      }
    }
  }
  if (pre) {
    for (const k of ENTITY_KINDS) {
      pre[k.list].forEach((text, i) => {
        const labelled = a.items.find((x) => x.kind === k.kind && x.text === text);
        if (!labelled) return;
        for (const side of SIDES) {
          items.push({ key: `item:${k.kind}:${i}:${side}`, section: 'query-specific', valueKind: k.valueKind, side, property: k.property, label: text, value: labelled.labels[side], choices: [...k.choices] });
        }
      });
    }
  }
  if (a.errors) {
    for (const side of SIDES) {
      const check = a.errors[side];
      if (!check.applicable) continue;
      check.errors.forEach((e, i) => {
        items.push({ key: `error:${side}:${i}`, section: 'error', valueKind: 'error', side, property: ERROR_PROPERTY_BY_SEVERITY[e.severity], label: e.description, value: errorValue(e), choices: [...ERROR_TYPES] });
      });
      items.push({ key: `complete:${side}`, section: 'error', valueKind: 'complete', side, property: 'error detection', label: 'no error missed', value: 'complete', choices: [...ERROR_TYPES] });
    }
  }
  return items;
}

/** The side of a missed error's key ("missed:B:2"), or null for any other key. */
export function missedSide(itemKey: string): Side | null {
  const m = /^missed:([AB]):\d+$/.exec(itemKey);
  return m ? (m[1] as Side) : null;
}

/** A detected error from untrusted input, or a sentence saying what is wrong with it. */
export function checkDetectedError(e: unknown): DetectedError {
  const o = (e ?? {}) as Record<string, unknown>;
  const description = typeof o.description === 'string' ? o.description.trim() : '';
  const type = typeof o.type === 'string' ? o.type.trim() : '';
  const severity = typeof o.severity === 'string' ? o.severity.trim().toLowerCase() : '';
  if (!description) throw new AppFailure('INVALID', 'Describe the error: its description is empty.');
  if (description.length > MAX_COMMENT) throw new AppFailure('INVALID', `An error's description has at most ${MAX_COMMENT} characters.`);
  if (!type) throw new AppFailure('INVALID', 'Give the error a type (for example "Factual error").');
  if (!SEVERITIES.includes(severity as Severity)) throw new AppFailure('INVALID', `An error's severity is minor, moderate or severe, not ${JSON.stringify(o.severity)}.`);
  return { description, type, severity: severity as Severity };
}

export function parseError(text: string): DetectedError {
  try {
    return checkDetectedError(JSON.parse(text));
  } catch (err) {
    if (err instanceof AppFailure) throw err;
    throw new AppFailure('INVALID', 'A corrected error is JSON with a description, a type and a severity.');
  }
}

const listValue = (text: string) => [...new Set(text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))].join('\n');

/**
 * A verdict in the form it is stored: a correction to the value the item already has is an approval, corrected
 * values take their canonical form, and what an item cannot take is refused with a sentence naming the item.
 */
export function checkVerdict(item: ReviewItem, verdict: Exclude<VerdictKind, 'add'>, correctedValue: string | null | undefined): Pick<Verdict, 'verdict' | 'correctedValue'> {
  if (verdict === 'approve' || verdict === 'reject') {
    if (correctedValue !== undefined && correctedValue !== null) throw new AppFailure('INVALID', `Only a correction carries a value; "${item.label}" was to be ${verdict}d.`);
    return { verdict, correctedValue: null };
  }
  if (verdict !== 'correct') throw new AppFailure('INVALID', `A verdict is approve, reject or correct, not ${JSON.stringify(verdict)}.`);
  if (typeof correctedValue !== 'string') throw new AppFailure('INVALID', `Choose the right value to correct "${item.label}" to.`);
  let value: string;
  switch (item.valueKind) {
    case 'complete':
      throw new AppFailure('INVALID', '"No error missed" is approved or rejected; add the errors that were missed instead.');
    case 'list':
      value = listValue(correctedValue);
      break;
    case 'error':
      value = errorValue(parseError(correctedValue));
      break;
    default: {
      const choice = item.choices.find((c) => c.toLowerCase() === correctedValue.trim().toLowerCase());
      if (choice === undefined) throw new AppFailure('INVALID', `"${item.label}" can be corrected to ${item.choices.join(', ')}, not ${JSON.stringify(correctedValue)}.`);
      value = choice;
    }
  }
  // Labels compare regardless of case ("Strongly supported" is "strongly supported"); lists and errors exactly.
  const same = item.valueKind === 'list' || item.valueKind === 'error' ? value === item.value : value.toLowerCase() === item.value.toLowerCase();
  return same ? { verdict: 'approve', correctedValue: null } : { verdict: 'correct', correctedValue: value };
}

function checkComment(comment: string | null | undefined): string | null {
  const text = comment?.trim() ?? '';
  if (text.length > MAX_COMMENT) throw new AppFailure('INVALID', `A comment has at most ${MAX_COMMENT} characters (this one has ${text.length}).`);
  return text || null;
}

// ---------- rounds ----------

/**
 * The pairs of a new round in review order. Random: a seeded shuffle of the candidates. Stratified: each stratum
 * (scenario, or Unsafe Queries) gets its share of the round by largest remainder, drawn by the same seeded
 * generator, and the draws are shuffled together so the strata interleave.
 */
export function sampleRoundPairs(candidates: { pairId: number; stratum: string }[], size: number, strategy: ReviewStrategy, seed: number): number[] {
  if (!Number.isInteger(size) || size < 1) throw new AppFailure('INVALID', `A round has a whole number of pairs, at least 1 (not ${JSON.stringify(size)}).`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) throw new AppFailure('INVALID', `The seed is a whole number from 0 to ${2 ** 31 - 1}, not ${JSON.stringify(seed)}.`);
  if (strategy !== 'random' && strategy !== 'stratified') throw new AppFailure('INVALID', `Draw pairs at random or stratified by scenario, not ${JSON.stringify(strategy)}.`);
  if (candidates.length < size) {
    throw new AppFailure('TOO_FEW_PAIRS', `This study has ${candidates.length} annotated pair${candidates.length === 1 ? '' : 's'}; a round of ${size} needs at least that many.`);
  }
  const rng = new Rng(seed);
  if (strategy === 'random') {
    const ids = candidates.map((c) => c.pairId);
    rng.shuffle(ids);
    return ids.slice(0, size);
  }
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
  const chosen: number[] = [];
  names.forEach((name, i) => {
    const ids = [...strata.get(name)!];
    rng.shuffle(ids);
    chosen.push(...ids.slice(0, quota[i]));
  });
  rng.shuffle(chosen);
  return chosen;
}

function checkCheckerName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (!trimmed) throw new AppFailure('INVALID', 'A checker needs a name.');
  if (trimmed.length > 80) throw new AppFailure('INVALID', `A checker's name has at most 80 characters ("${trimmed.slice(0, 20)}…" is longer).`);
  if (trimmed.toLowerCase() === POOLED) throw new AppFailure('INVALID', `"${POOLED}" names the pooled counts; choose another checker name.`);
  return trimmed;
}

export function createRound(storage: Storage, req: { studyId: number; name?: string; size: number; strategy: ReviewStrategy; seed: number; checkers: string[]; blind: boolean }): ReviewRound {
  storage.studies.studyName(req.studyId);
  const checkers = (req.checkers ?? []).map(checkCheckerName);
  if (checkers.length === 0) throw new AppFailure('INVALID', 'Name at least one checker for the round.');
  const twice = checkers.find((c, i) => checkers.indexOf(c) !== i);
  if (twice) throw new AppFailure('INVALID', `The checker "${twice}" is named twice.`);
  const pairIds = sampleRoundPairs(storage.pairs.annotatedStrata(req.studyId), req.size, req.strategy, req.seed);
  const name = req.name?.trim() || `Round ${storage.review.reviewRounds(req.studyId).length + 1}`;
  const roundId = storage.review.createReviewRound({ studyId: req.studyId, name, seed: req.seed, strategy: req.strategy, blind: Boolean(req.blind), pairIds, checkers });
  return roundSummary(storage, roundId);
}

export function addChecker(storage: Storage, req: { roundId: number; name: string; blind?: boolean }): ReviewRound {
  const round = storage.review.reviewRound(req.roundId);
  storage.review.addChecker(req.roundId, checkCheckerName(req.name), req.blind ?? round.blind);
  return roundSummary(storage, req.roundId);
}

export interface RoundPair { pairId: number; position: number; items: ReviewItem[] }

function roundPairs(storage: Storage, roundId: number): RoundPair[] {
  return storage.review.roundPairIds(roundId).map((pairId, position) => ({ pairId, position, items: reviewItems(storage.annotations.annotation(pairId)) }));
}

/** Verdicts by checker id, pair id and item key. */
export type VerdictIndex = Map<number, Map<number, Map<string, Verdict>>>;

function indexVerdicts(verdicts: (Verdict & { checkerId: number })[]): VerdictIndex {
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
  const round = storage.review.reviewRound(roundId);
  const pairs = roundPairs(storage, roundId);
  const verdicts = indexVerdicts(storage.review.roundVerdicts(roundId));
  const itemCount = pairs.reduce((s, p) => s + p.items.length, 0);
  return {
    ...round,
    itemCount,
    checkers: storage.review.checkers(roundId).map((c) => {
      let decided = 0;
      let pairsDone = 0;
      for (const p of pairs) {
        const mine = verdicts.get(c.id)?.get(p.pairId);
        const n = mine ? p.items.filter((i) => mine.has(i.key)).length : 0;
        decided += n;
        if (n === p.items.length) pairsDone++;
      }
      return { id: c.id, name: c.name, blind: c.blind, decided, total: itemCount, pairsDone, position: c.cursor.position, itemKey: c.cursor.itemKey };
    }),
  };
}

export function reviewPair(storage: Storage, checkerId: number, position: number): ReviewPair {
  const checker = storage.review.checker(checkerId);
  const round = storage.review.reviewRound(checker.roundId);
  if (!Number.isInteger(position) || position < 0 || position >= round.pairCount) {
    throw new AppFailure('NOT_FOUND', `Review round "${round.name}" has pairs 1 to ${round.pairCount}, not ${Number(position) + 1}.`);
  }
  const pairId = storage.review.roundPairAt(checker.roundId, position);
  const detail = storage.pairs.pair(pairId);
  const pair: PairDetail = { ...detail, comparisonFeatures: detail.annotation ? Array.from(comparisonFeatures(detail.annotation)) : null };
  return {
    roundId: checker.roundId, checkerId, position, pairCount: round.pairCount, pair, items: reviewItems(detail.annotation),
    verdicts: storage.review.checkerVerdicts(checkerId, pairId),
    // A blind checker judges alone: nothing of the others reaches the screen.
    others: checker.blind ? [] : storage.review.checkers(checker.roundId).filter((c) => c.id !== checkerId)
      .map((c) => ({ checker: c.name, verdicts: storage.review.checkerVerdicts(c.id, pairId) })),
  };
}

// ---------- verdicts ----------

function pairContext(storage: Storage, checkerId: number, pairId: number): { checker: CheckerRow; items: ReviewItem[]; mine: Verdict[] } {
  const checker = storage.review.checker(checkerId);
  storage.review.roundPosition(checker.roundId, pairId);
  return { checker, items: reviewItems(storage.annotations.annotation(pairId)), mine: storage.review.checkerVerdicts(checkerId, pairId) };
}

function writeResult(storage: Storage, checker: CheckerRow, changes: ReviewWriteResult['changes'], pairId = changes[0]?.pairId): ReviewWriteResult {
  return {
    changes,
    position: pairId === undefined ? null : storage.review.roundPosition(checker.roundId, pairId),
    ...storage.review.undoState(checker.id),
    decided: storage.review.decidedCount(checker.id),
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
  return writeResult(storage, checker, storage.review.writeVerdicts(checker.id, [{ pairId: req.pairId, itemKey: req.itemKey, after }], req.cursor), req.pairId);
}

export function addMissedError(storage: Storage, req: { checkerId: number; pairId: number; side: Side; error: DetectedError; comment?: string | null; cursor?: ReviewCursor }): ReviewWriteResult {
  const { checker, items, mine } = pairContext(storage, req.checkerId, req.pairId);
  const complete = items.find((i) => i.key === `complete:${req.side}`);
  if (!complete) throw new AppFailure('INVALID', `Response ${req.side} of pair ${req.pairId} has no error check to add to (it was not annotated, or judged not applicable).`);
  const error = checkDetectedError(req.error);
  const n = 1 + Math.max(0, ...missedOn(mine, req.side).map((v) => Number(v.itemKey.split(':')[2])));
  const givenAt = new Date().toISOString();
  const previous = mine.find((v) => v.itemKey === complete.key);
  return writeResult(storage, checker, storage.review.writeVerdicts(checker.id, [
    { pairId: req.pairId, itemKey: `missed:${req.side}:${n}`, after: { verdict: 'add', correctedValue: errorValue(error), comment: checkComment(req.comment), givenAt } },
    { pairId: req.pairId, itemKey: complete.key, after: { verdict: 'reject', correctedValue: null, comment: previous?.comment ?? null, givenAt } },
  ], req.cursor), req.pairId);
}

export function approveRest(storage: Storage, req: { checkerId: number; pairId: number; cursor?: ReviewCursor }): ReviewWriteResult {
  const { checker, items, mine } = pairContext(storage, req.checkerId, req.pairId);
  const decided = new Set(mine.map((v) => v.itemKey));
  const givenAt = new Date().toISOString();
  const open = items.filter((i) => !decided.has(i.key) && !(i.valueKind === 'complete' && missedOn(mine, i.side!).length > 0));
  return writeResult(storage, checker, storage.review.writeVerdicts(checker.id,
    open.map((i) => ({ pairId: req.pairId, itemKey: i.key, after: { verdict: 'approve' as const, correctedValue: null, comment: null, givenAt } })), req.cursor), req.pairId);
}

export function undoVerdicts(storage: Storage, checkerId: number, redo: boolean): ReviewWriteResult {
  const checker = storage.review.checker(checkerId);
  return writeResult(storage, checker, storage.review.undoVerdicts(checkerId, redo));
}

// ---------- Table 12 ----------

interface RowDef { id: string; section: string; item: string; level: string; sumOf?: string[] }

const BASIC_ROWS: RowDef[] = RATED_BASIC_PROPERTIES.map((p) => ({ id: `basic|${p.name}`, section: 'Basic properties', item: p.name, level: 'response' }));
const PREREQUISITE_ROWS: RowDef[] = PREREQUISITES.map((q) => ({ id: `prereq|${q.label}`, section: 'Query-specific prerequisites', item: q.label, level: 'sample' }));
const QS = 'Query-specific properties';
const ENTITY_ROW_IDS = [...RATED_QUERY_PROPERTIES.map((p) => `qs|${p}|response`), ...ENTITY_KINDS.map((k) => `qs|${k.property}|entity`)];

/** Table 12's rows, and at the end the totals the paper quotes in section 3.4 (93.1%, 94.8%, 85.5%). */
export const AGREEMENT_ROWS: RowDef[] = [
  ...BASIC_ROWS,
  ...PREREQUISITE_ROWS,
  ...RATED_QUERY_PROPERTIES.map((p) => ({ id: `qs|${p}|response`, section: QS, item: p, level: 'response' })),
  ...ENTITY_KINDS.flatMap((k) => [
    { id: `qs|${k.property}|response`, section: QS, item: k.property, level: 'response' },
    { id: `qs|${k.property}|entity`, section: QS, item: k.property, level: k.kind },
  ]),
  { id: 'error|completeness|response', section: 'Error detection', item: 'completeness', level: 'response' },
  { id: 'error|agreement|response', section: 'Error detection', item: 'agreement', level: 'response' },
  { id: 'error|agreement|error', section: 'Error detection', item: 'agreement', level: 'error' },
  { id: 'overall|basic', section: 'Overall', item: 'basic properties', level: 'response', sumOf: BASIC_ROWS.map((r) => r.id) },
  { id: 'overall|prerequisites', section: 'Overall', item: 'query-specific prerequisites', level: 'sample', sumOf: PREREQUISITE_ROWS.map((r) => r.id) },
  { id: 'overall|round two', section: 'Overall', item: 'query-specific round two', level: 'entity', sumOf: ENTITY_ROW_IDS },
];

type Tally = Map<string, { agreed: number; total: number }>;

function tallyAdd(tally: Tally, id: string, agreed: boolean, times = 1): void {
  const t = tally.get(id) ?? { agreed: 0, total: 0 };
  t.total += times;
  if (agreed) t.agreed += times;
  tally.set(id, t);
}

/** One checker's Table 12 counts on one pair. */
export function tallyPair(items: ReviewItem[], verdicts: Map<string, Verdict> | undefined, tally: Tally): void {
  const agreed = (i: ReviewItem) => verdicts?.get(i.key)?.verdict === 'approve';
  const judged = (i: ReviewItem) => verdicts?.has(i.key) ?? false;
  for (const i of items) {
    if (!judged(i)) continue;
    if (i.section === 'basic') tallyAdd(tally, `basic|${i.property}`, agreed(i));
    else if (i.section === 'prerequisite') tallyAdd(tally, `prereq|${i.label}`, agreed(i));
    else if (i.key.startsWith('qs:')) tallyAdd(tally, `qs|${i.property}|response`, agreed(i));
    else if (i.section === 'query-specific') tallyAdd(tally, `qs|${i.property}|entity`, agreed(i));
    else if (i.valueKind === 'error') tallyAdd(tally, 'error|agreement|error', agreed(i));
    else tallyAdd(tally, 'error|completeness|response', agreed(i));
  }
  // Response level: a response counts once every entity in it is judged, and is agreed when all are approved.
  for (const side of SIDES) {
    for (const k of ENTITY_KINDS) {
      const entities = items.filter((i) => i.side === side && i.key.startsWith(`item:${k.kind}:`));
      if (entities.length > 0 && entities.every(judged)) tallyAdd(tally, `qs|${k.property}|response`, entities.every(agreed));
    }
    const complete = items.find((i) => i.key === `complete:${side}`);
    const errors = items.filter((i) => i.side === side && i.valueKind === 'error');
    if (complete && judged(complete) && errors.every(judged)) tallyAdd(tally, 'error|agreement|response', errors.every(agreed));
  }
}

function countOf(tally: Tally | undefined, row: RowDef): AgreementCount {
  const parts = (row.sumOf ?? [row.id]).map((id) => tally?.get(id) ?? { agreed: 0, total: 0 });
  const agreed = parts.reduce((s, p) => s + p.agreed, 0);
  const total = parts.reduce((s, p) => s + p.total, 0);
  const ci = wilsonInterval(agreed, total);
  return { agreed, total, rate: total ? agreed / total : null, low: ci?.low ?? null, high: ci?.high ?? null };
}

/** Table 12 for each checker and pooled (the pooled counts add the checkers' up). */
export function agreementRows(pairs: { pairId: number; items: ReviewItem[] }[], checkers: { id: number; name: string }[], verdicts: VerdictIndex): AgreementRow[] {
  const tallies = new Map<string, Tally>();
  const pooled: Tally = new Map();
  for (const c of checkers) {
    const tally: Tally = new Map();
    for (const p of pairs) tallyPair(p.items, verdicts.get(c.id)?.get(p.pairId), tally);
    tallies.set(c.name, tally);
    for (const [id, t] of tally) {
      tallyAdd(pooled, id, true, t.agreed);
      tallyAdd(pooled, id, false, t.total - t.agreed);
    }
  }
  tallies.set(POOLED, pooled);
  return AGREEMENT_ROWS.map((row) => ({
    section: row.section, item: row.item, level: row.level,
    counts: Object.fromEntries([...tallies].map(([name, tally]) => [name, countOf(tally, row)])),
  }));
}

/** Agree / disagree with the annotation per item and checker (null: not judged), for kappa and alpha. */
function agreementUnits(pairs: RoundPair[], checkers: CheckerRow[], verdicts: VerdictIndex): (string | null)[][] {
  return pairs.flatMap((p) => p.items.map((i) => checkers.map((c) => {
    const v = verdicts.get(c.id)?.get(p.pairId)?.get(i.key);
    return v ? (v.verdict === 'approve' ? 'agree' : 'disagree') : null;
  })));
}

export function agreementReport(storage: Storage, roundId: number): AgreementReport {
  storage.review.reviewRound(roundId);
  const state = roundState(storage, roundId);
  const { pairs, checkers, verdicts } = state;
  const units = agreementUnits(pairs, checkers, verdicts);
  const kappas: CheckerKappa[] = [];
  for (let a = 0; a < checkers.length; a++) {
    for (let b = a + 1; b < checkers.length; b++) {
      const shared = units.filter((u) => u[a] !== null && u[b] !== null);
      const k = cohenKappa(shared.map((u) => u[a]!), shared.map((u) => u[b]!));
      kappas.push({
        first: checkers[a].name, second: checkers[b].name, sharedItems: k.n,
        observed: k.n ? k.observed : null, expected: k.n ? k.expected : null, kappa: k.kappa,
      });
    }
  }
  const alpha = checkers.length < 2 ? null : (() => {
    const r = krippendorffAlpha(units);
    return { value: r.alpha, checkers: checkers.length, units: r.units };
  })();
  const open = disagreements(storage, roundId, state);
  return {
    roundId, checkers: checkers.map((c) => c.name), rows: agreementRows(pairs, checkers, verdicts), kappas, alpha,
    disagreements: open.length, settled: open.filter((d) => d.adjudication).length,
  };
}

// ---------- disagreements ----------

/** The missed errors a checker added to one side of a pair. */
export function missedErrors(byKey: Map<string, Verdict> | undefined, side: Side | null): DetectedError[] {
  if (!byKey || !side) return [];
  return [...byKey.values()].filter((v) => v.verdict === 'add' && missedSide(v.itemKey) === side).map((v) => parseError(v.correctedValue ?? ''));
}

/** What a checker says the item should be: checkers who answer alike agree. */
export function answerOf(item: ReviewItem, v: Verdict, missed: DetectedError[]): string {
  if (v.verdict === 'approve') return 'approve';
  if (v.verdict === 'correct') return `correct:${v.correctedValue}`;
  return item.valueKind === 'complete' ? `reject:${missed.map(errorValue).sort().join('\n')}` : 'reject';
}

export interface RoundState { pairs: RoundPair[]; checkers: CheckerRow[]; verdicts: VerdictIndex }

/** A round's pairs with their items, its checkers and all their verdicts. */
export function roundState(storage: Storage, roundId: number): RoundState {
  return { pairs: roundPairs(storage, roundId), checkers: storage.review.checkers(roundId), verdicts: indexVerdicts(storage.review.roundVerdicts(roundId)) };
}

/** Items that two or more checkers judged and answered differently, in round order, with their settlement. */
export function disagreements(storage: Storage, roundId: number, state?: RoundState): Disagreement[] {
  const { pairs, checkers, verdicts } = state ?? roundState(storage, roundId);
  const settled = new Map(storage.review.adjudications(roundId).map((a) => [`${a.pairId}|${a.itemKey}`, a]));
  const externalIds = new Map<number, string>();
  const out: Disagreement[] = [];
  for (const p of pairs) {
    for (const item of p.items) {
      const given = checkers.flatMap((c) => {
        const byKey = verdicts.get(c.id)?.get(p.pairId);
        const v = byKey?.get(item.key);
        return v ? [{ checker: c.name, verdict: v, missedErrors: item.valueKind === 'complete' ? missedErrors(byKey, item.side) : [] }] : [];
      });
      if (given.length < 2 || new Set(given.map((g) => answerOf(item, g.verdict, g.missedErrors))).size < 2) continue;
      if (!externalIds.has(p.pairId)) externalIds.set(p.pairId, storage.pairs.pair(p.pairId).externalId);
      const a = settled.get(`${p.pairId}|${item.key}`);
      out.push({
        pairId: p.pairId, position: p.position, externalId: externalIds.get(p.pairId)!, item, verdicts: given,
        adjudication: a ? { verdict: a.verdict, correctedValue: a.correctedValue, comment: a.comment, decidedAt: a.decidedAt } : null,
      });
    }
  }
  return out;
}

/**
 * Records how an item was settled (null takes it back). For "no error missed", a rejection carries the missed
 * errors to add (a JSON list, usually one checker's); other items take a verdict as a checker's would.
 */
export function adjudicate(storage: Storage, req: { roundId: number; pairId: number; itemKey: string; verdict: VerdictKind | null; correctedValue?: string | null; comment?: string | null }): Disagreement {
  storage.review.reviewRound(req.roundId);
  const position = storage.review.roundPosition(req.roundId, req.pairId);
  const item = reviewItems(storage.annotations.annotation(req.pairId)).find((i) => i.key === req.itemKey);
  if (!item) throw new AppFailure('INVALID', `Pair ${req.pairId} has no annotation item "${req.itemKey}".`);
  if (req.verdict === null) {
    storage.review.setAdjudication(req.roundId, req.pairId, req.itemKey, null);
  } else {
    let settled: Pick<Verdict, 'verdict' | 'correctedValue'>;
    if (req.verdict === 'add') throw new AppFailure('INVALID', 'Settle "no error missed" by rejecting it with the missed errors, not by adding one.');
    if (item.valueKind === 'complete' && req.verdict === 'reject') {
      let list: unknown;
      try {
        list = JSON.parse(req.correctedValue ?? '[]');
      } catch {
        list = null;
      }
      if (!Array.isArray(list)) throw new AppFailure('INVALID', 'The missed errors of a settlement are a JSON list of errors.');
      settled = { verdict: 'reject', correctedValue: JSON.stringify(list.map(checkDetectedError)) };
    } else {
      settled = checkVerdict(item, req.verdict, req.correctedValue);
    }
    storage.review.setAdjudication(req.roundId, req.pairId, req.itemKey, { ...settled, comment: checkComment(req.comment), decidedAt: new Date().toISOString() });
  }
  const found = disagreements(storage, req.roundId).find((d) => d.pairId === req.pairId && d.item.key === req.itemKey);
  const a = storage.review.adjudications(req.roundId).find((x) => x.pairId === req.pairId && x.itemKey === req.itemKey);
  return found ?? {
    pairId: req.pairId, position, externalId: storage.pairs.pair(req.pairId).externalId, item, verdicts: [],
    adjudication: a ? { verdict: a.verdict, correctedValue: a.correctedValue, comment: a.comment, decidedAt: a.decidedAt } : null,
  };
}

// ---------- tables ----------

export function agreementTable(report: AgreementReport, roundName: string): Table {
  const who = [...report.checkers, POOLED];
  return {
    title: `Agreement with the annotations, ${roundName} (Table 12; Wilson 95% intervals)`,
    columns: ['Section', 'Item', 'Level', 'Checker', 'Agreed', 'Total', 'Rate', 'Wilson 95% low', 'Wilson 95% high'],
    rows: report.rows.flatMap((r) => who.map((name) => {
      const c = r.counts[name];
      return [r.section, r.item, r.level, name, c.agreed, c.total, c.rate, c.low, c.high];
    })),
  };
}

export function reliabilityTable(report: AgreementReport, roundName: string): Table {
  return {
    title: `Agreement between checkers, ${roundName} (on agree / disagree with the annotation)`,
    columns: ['Statistic', 'Checkers', 'Shared items', 'Observed agreement', 'Chance agreement', 'Value'],
    rows: [
      ...report.kappas.map((k) => ["Cohen's kappa", `${k.first} / ${k.second}`, k.sharedItems, k.observed, k.expected, k.kappa]),
      ...(report.alpha ? [["Krippendorff's alpha (nominal)", report.checkers.join(', '), report.alpha.units, null, null, report.alpha.value]] : []),
    ],
  };
}

/** An answer as a person reads it. */
export function describeAnswer(item: ReviewItem, verdict: VerdictKind, correctedValue: string | null, missed: DetectedError[] = []): string {
  if (verdict === 'approve') return 'approve';
  if (verdict === 'correct') {
    if (item.valueKind === 'error') {
      const e = parseError(correctedValue ?? '');
      return `correct to ${e.severity} ${e.type}: ${e.description}`;
    }
    return `correct to ${item.valueKind === 'list' ? (correctedValue || 'none').split('\n').join('; ') : correctedValue}`;
  }
  if (item.valueKind === 'complete' && missed.length) return `reject: missed ${missed.map((e) => `${e.severity} ${e.type}: ${e.description}`).join('; ')}`;
  return verdict;
}

export function disagreementsTable(list: Disagreement[], checkers: string[], roundName: string): Table {
  return {
    title: `Disagreements between checkers, ${roundName}`,
    columns: ['Pair position', 'Pair', 'Item', 'Side', 'Annotated value', ...checkers, 'Settled as'],
    rows: list.map((d) => {
      const settled = d.adjudication ? describeAnswer(d.item, d.adjudication.verdict, d.adjudication.correctedValue,
        d.item.valueKind === 'complete' && d.adjudication.correctedValue ? (JSON.parse(d.adjudication.correctedValue) as DetectedError[]) : []) : null;
      return [
        d.position + 1, d.externalId, `${d.item.section}: ${d.item.label}`, d.item.side ?? '', d.item.value,
        ...checkers.map((name) => {
          const g = d.verdicts.find((x) => x.checker === name);
          return g ? describeAnswer(d.item, g.verdict.verdict, g.verdict.correctedValue, g.missedErrors) : null;
        }),
        settled,
      ];
    }),
  };
}
