// Table 12's agreement counts per checker and pooled, agreement between checkers, the disagreements they settle, and
// the review's tables to export (see review.ts for the decisions where the paper is silent).
import type { AgreementCount, AgreementReport, AgreementRow, CheckerKappa, DetectedError, Disagreement, ReviewItem, Side, Verdict, VerdictKind } from '../../../preload/contract';
import type { Storage } from '../storage';
import type { CheckerRow } from './store';
import { AppFailure } from '../errors';
import { transaction } from '../db/database';
import { RATED_BASIC_PROPERTIES } from '../data/properties';
import { cohenKappa, krippendorffAlpha, wilsonInterval } from './agreement';
import type { Cell, Table } from '../tables';
import { ENTITY_KINDS, POOLED, PREREQUISITES, RATED_QUERY_PROPERTIES, SIDES, checkComment, checkDetectedError, checkVerdict, errorValue, missedSide, parseError, reviewItems, valueText } from './items';
import { indexVerdicts, roundPairs, type RoundPair, type VerdictIndex } from './review';

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
  return { pairs: roundPairs(storage, roundId), checkers: storage.review.checkers(roundId), verdicts: indexVerdicts(storage.verdicts.roundVerdicts(roundId)) };
}

/** Items that two or more checkers judged and answered differently, in round order, with their settlement. */
export function disagreements(storage: Storage, roundId: number, state?: RoundState): Disagreement[] {
  const { pairs, checkers, verdicts } = state ?? roundState(storage, roundId);
  const settled = new Map(storage.verdicts.adjudications(roundId).map((a) => [`${a.pairId}|${a.itemKey}`, a]));
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
    storage.verdicts.setAdjudication(req.roundId, req.pairId, req.itemKey, null);
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
    storage.verdicts.setAdjudication(req.roundId, req.pairId, req.itemKey, { ...settled, comment: checkComment(req.comment), decidedAt: new Date().toISOString() });
  }
  const found = disagreements(storage, req.roundId).find((d) => d.pairId === req.pairId && d.item.key === req.itemKey);
  const a = storage.verdicts.adjudications(req.roundId).find((x) => x.pairId === req.pairId && x.itemKey === req.itemKey);
  return found ?? {
    pairId: req.pairId, position, externalId: storage.pairs.pair(req.pairId).externalId, item, verdicts: [],
    adjudication: a ? { verdict: a.verdict, correctedValue: a.correctedValue, comment: a.comment, decidedAt: a.decidedAt } : null,
  };
}

/** A checker's answer as the settlement it makes: for "no error missed" rejected, the errors that checker added. */
export function settlementOf(item: ReviewItem, v: Verdict, missed: DetectedError[]): Pick<Verdict, 'verdict' | 'correctedValue'> {
  if (item.valueKind === 'complete' && v.verdict === 'reject') return { verdict: 'reject', correctedValue: JSON.stringify(missed) };
  return { verdict: v.verdict, correctedValue: v.correctedValue };
}

/**
 * Settles many disagreements at once, as `asChecker` said or (without one) as annotated, in one transaction. Those
 * that are not disagreements (any more), or that checker gave no verdict on, are skipped and counted.
 */
export function settleMany(storage: Storage, req: { roundId: number; items: { pairId: number; itemKey: string }[]; asChecker?: string | null }): { settled: number; skipped: number; disagreements: Disagreement[] } {
  const round = storage.review.reviewRound(req.roundId);
  const asChecker = req.asChecker ?? null;
  if (asChecker !== null && !storage.review.checkers(req.roundId).some((c) => c.name === asChecker)) {
    throw new AppFailure('NOT_FOUND', `Round "${round.name}" has no checker named "${asChecker}".`);
  }
  return transaction(storage.db, () => {
    const open = new Map(disagreements(storage, req.roundId).map((d) => [`${d.pairId}|${d.item.key}`, d]));
    let settled = 0;
    const decidedAt = new Date().toISOString();
    for (const ref of req.items) {
      const d = open.get(`${ref.pairId}|${ref.itemKey}`);
      const given = d && asChecker !== null ? d.verdicts.find((v) => v.checker === asChecker) : undefined;
      if (!d || (asChecker !== null && !given)) continue;
      const settlement = given ? settlementOf(d.item, given.verdict, given.missedErrors) : { verdict: 'approve' as const, correctedValue: null };
      storage.verdicts.setAdjudication(req.roundId, d.pairId, d.item.key, { ...settlement, comment: null, decidedAt });
      settled++;
    }
    return { settled, skipped: req.items.length - settled, disagreements: disagreements(storage, req.roundId) };
  });
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

/** Table 12's section headings as the paper prints them (appendix G). */
const PAPER_SECTIONS: Record<string, string> = {
  'Basic properties': 'Basic Properties (response-level)',
  'Query-specific prerequisites': 'Query-specific Prerequisite (sample-level)',
  [QS]: 'Query-specific Properties',
  'Error detection': 'Error Detection',
  Overall: 'Overall (the totals of section 3.4)',
};

/**
 * Table 12 in the paper's layout: a heading row per section, then each item as x/y (x of y items agreed) with one
 * column per checker and one pooled; where a section holds several levels, the item names its level as the paper
 * does ("satisfy constraints (constraint-level)"). A checker who judged none of an item's units shows 0/0.
 */
export function table12Table(report: AgreementReport, roundName: string): Table {
  const who = [...report.checkers, POOLED];
  const rows: Cell[][] = [];
  let section = '';
  for (const r of report.rows) {
    if (r.section !== section) {
      section = r.section;
      rows.push([PAPER_SECTIONS[section] ?? section, ...who.map(() => null)]);
    }
    const levelled = r.section === QS || r.section === 'Error detection' || r.section === 'Overall';
    rows.push([levelled ? `${r.item} (${r.level}-level)` : r.item, ...who.map((name) => `${r.counts[name].agreed}/${r.counts[name].total}`)]);
  }
  return { title: `Table 12: agreement of the checkers with the annotations, ${roundName} (x/y: x of y items agreed)`, columns: ['Item', ...who], rows };
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
  if (verdict === 'correct') return `correct to ${valueText(item, correctedValue ?? '')}`;
  if (item.valueKind === 'complete' && missed.length) return `reject: missed ${missed.map((e) => `${e.severity} ${e.type}: ${e.description}`).join('; ')}`;
  return verdict;
}

export function disagreementsTable(list: Disagreement[], checkers: string[], roundName: string): Table {
  return {
    title: `Disagreements between checkers, ${roundName}`,
    columns: ['Pair position', 'Pair', 'Item', 'Section', 'Annotated value', ...checkers, 'Settled as'],
    rows: list.map((d) => {
      const settled = d.adjudication ? describeAnswer(d.item, d.adjudication.verdict, d.adjudication.correctedValue,
        d.item.valueKind === 'complete' && d.adjudication.correctedValue ? (JSON.parse(d.adjudication.correctedValue) as DetectedError[]) : []) : null;
      return [
        d.position + 1, d.externalId, d.item.title, d.item.section, valueText(d.item, d.item.value),
        ...checkers.map((name) => {
          const g = d.verdicts.find((x) => x.checker === name);
          return g ? describeAnswer(d.item, g.verdict.verdict, g.verdict.correctedValue, g.missedErrors) : null;
        }),
        settled,
      ];
    }),
  };
}
