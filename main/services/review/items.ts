// The items of a pair a checker reviews, as Table 12 groups them, and the checks of a verdict on one (see review.ts
// for the decisions where the paper is silent).
import type { DetectedError, PairAnnotation, ReviewItem, Severity, Side, Verdict, VerdictKind } from '../../../preload/contract';
import { AppFailure } from '../errors';
import { ERROR_PROPERTY_BY_SEVERITY, ERROR_TYPES, RATED_BASIC_PROPERTIES } from '../data/properties';
import { MISTAKE_SCORES, STANCE_SCORES } from '../data/import/paper';

export const POOLED = 'pooled';
export const DEFAULT_ROUND_SIZE = 50;
export const SIDES: readonly Side[] = ['A', 'B'];
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
export const PREREQUISITES: { key: string; label: string; property: string; list: ListKey | null }[] = [
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
export const RATED_QUERY_PROPERTIES = ['clarify intent', 'show empathetic'] as const;

export const errorValue = (e: DetectedError) => JSON.stringify({ description: e.description, type: e.type, severity: e.severity });

/** Every reviewable annotation item of a pair, in Table 12's order. */
export function reviewItems(a: PairAnnotation | null): ReviewItem[] {
  if (!a) return [];
  const items: ReviewItem[] = [];
  for (const p of RATED_BASIC_PROPERTIES) {
    const r = a.ratings[p.name];
    for (const side of SIDES) {
      if (r && Number.isFinite(r[side])) {
        items.push({ key: `basic:${side}:${p.name}`, section: 'basic', valueKind: 'rating', side, property: p.name, label: p.name, title: `${p.name} of response ${side}`, value: String(r[side]), choices: RATINGS });
      }
    }
  }
  const pre = a.prerequisites;
  if (pre) {
    for (const q of PREREQUISITES) {
      const value = q.list ? pre[q.list].join('\n') : (q.key === 'clear intent' ? pre.clearIntent : pre.expressFeelings) ? 'yes' : 'no';
      items.push({ key: `prereq:${q.key}`, section: 'prerequisite', valueKind: q.list ? 'list' : 'yes-no', side: null, property: q.property, label: q.label, title: `the query: ${q.label}`, value, choices: q.list ? [] : YES_NO });
    }
  }
  for (const name of RATED_QUERY_PROPERTIES) {
    const r = a.ratings[name];
    for (const side of SIDES) {
      if (r && Number.isFinite(r[side])) {
        items.push({ key: `qs:${side}:${name}`, section: 'query-specific', valueKind: 'rating', side, property: name, label: name, title: `${name} of response ${side}`, value: String(r[side]), choices: RATINGS });
      }
    }
  }
  if (pre) {
    for (const k of ENTITY_KINDS) {
      pre[k.list].forEach((text, i) => {
        const labelled = a.items.find((x) => x.kind === k.kind && x.text === text);
        if (!labelled) return;
        for (const side of SIDES) {
          items.push({ key: `item:${k.kind}:${i}:${side}`, section: 'query-specific', valueKind: k.valueKind, side, property: k.property, label: text, title: `${k.kind} “${text}” in response ${side}`, value: labelled.labels[side], choices: [...k.choices] });
        }
      });
    }
  }
  if (a.errors) {
    for (const side of SIDES) {
      const check = a.errors[side];
      if (!check.applicable) continue;
      check.errors.forEach((e, i) => {
        items.push({ key: `error:${side}:${i}`, section: 'error', valueKind: 'error', side, property: ERROR_PROPERTY_BY_SEVERITY[e.severity], label: e.description, title: `detected error “${e.description}” in response ${side}`, value: errorValue(e), choices: [...ERROR_TYPES] });
      });
      items.push({ key: `complete:${side}`, section: 'error', valueKind: 'complete', side, property: 'error detection', label: 'no error missed', title: `no error missed in response ${side}`, value: 'complete', choices: [...ERROR_TYPES] });
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
    if (correctedValue !== undefined && correctedValue !== null) throw new AppFailure('INVALID', `Only a correction carries a value; "${item.title}" was to be ${verdict === 'approve' ? 'approved' : 'rejected'}.`);
    return { verdict, correctedValue: null };
  }
  if (verdict !== 'correct') throw new AppFailure('INVALID', `A verdict is approve, reject or correct, not ${JSON.stringify(verdict)}.`);
  if (typeof correctedValue !== 'string') throw new AppFailure('INVALID', `Choose the right value to correct "${item.title}" to.`);
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
      if (choice === undefined) throw new AppFailure('INVALID', `"${item.title}" can be corrected to ${item.choices.join(', ')}, not ${JSON.stringify(correctedValue)}.`);
      value = choice;
    }
  }
  // Labels compare regardless of case ("Strongly supported" is "strongly supported"); lists and errors exactly.
  const same = item.valueKind === 'list' || item.valueKind === 'error' ? value === item.value : value.toLowerCase() === item.value.toLowerCase();
  return same ? { verdict: 'approve', correctedValue: null } : { verdict: 'correct', correctedValue: value };
}

/** A value in an item's own form (rating, yes/no, list, label, error) as a person reads it. */
export function valueText(item: ReviewItem, value: string): string {
  switch (item.valueKind) {
    case 'list': return value ? value.split('\n').join('; ') : 'none';
    case 'error': {
      const e = parseError(value);
      return `${e.severity} ${e.type}: ${e.description}`;
    }
    case 'complete': return 'nothing missed';
    default: return value;
  }
}

export function checkComment(comment: string | null | undefined): string | null {
  const text = comment?.trim() ?? '';
  if (text.length > MAX_COMMENT) throw new AppFailure('INVALID', `A comment has at most ${MAX_COMMENT} characters (this one has ${text.length}).`);
  return text || null;
}
