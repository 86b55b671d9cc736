// Strict reading of a model's answer: the JSON it was asked for, checked against the prompt's format. Anything
// else is an AnswerProblem with one sentence that says what was wrong; the pipeline re-asks once with that
// sentence and then marks the item failed. Nothing is ever filled in with a default.
import type { QueryItemKind, Severity, Side } from '../../../preload/contract';
import { ERROR_TYPES, type Property } from '../data/properties';
import { MISTAKE_LABELS, QUERY_SPECIFIC_KEYS, STANCE_LABELS, type RoundTwoQuestions } from './prompts';

/** Why an answer cannot be used. */
export class AnswerProblem extends Error {}

const shown = (v: unknown) => {
  const text = v === undefined ? 'nothing' : JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** The JSON value of an answer: the whole answer, or the one ```json block in it. */
export function answerJson(content: string, finishReason: string | null, maxTokens: number): unknown {
  if (finishReason === 'length') throw new AnswerProblem(`the answer was cut off at the token limit (${maxTokens} tokens)`);
  const fences = [...content.matchAll(/```(?:json)?[ \t]*\r?\n?([\s\S]*?)```/g)];
  if (fences.length > 1) throw new AnswerProblem(`the answer holds ${fences.length} code blocks instead of one JSON value`);
  const text = (fences.length === 1 ? fences[0][1] : content).trim();
  if (text === '') throw new AnswerProblem('the answer is empty');
  try {
    return JSON.parse(text);
  } catch (err) {
    const detail = (err as Error).message.replace(/^JSON\.parse: /, '');
    throw new AnswerProblem(`the answer is not complete JSON (${detail}; it has ${text.length} characters)`);
  }
}

// ---------- checks: each takes a value and where it is, returns it typed or throws an AnswerProblem ----------

type Check<T> = (value: unknown, at: string) => T;

const where = (at: string) => (at ? ` at ${at}` : '');
const key = (k: string) => k.trim().toLowerCase();

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An object with exactly these keys (compared without case or surrounding spaces), values by expected key. */
function exactly(value: unknown, at: string, keys: readonly string[]): Map<string, unknown> {
  if (!isObject(value)) throw new AnswerProblem(`expected a JSON object${where(at)}, found ${shown(value)}`);
  const wanted = new Map(keys.map((k) => [key(k), k]));
  const found = new Map<string, unknown>();
  for (const [k, v] of Object.entries(value)) {
    const name = wanted.get(key(k));
    if (name === undefined) {
      const expected = keys.length <= 5 ? keys.map((x) => `"${x}"`).join(', ') : `the ${keys.length} keys asked for, such as "${keys[0]}"`;
      throw new AnswerProblem(`unexpected key "${k}"${where(at)} (expected ${expected})`);
    }
    if (found.has(name)) throw new AnswerProblem(`the key "${name}" appears twice${where(at)}`);
    found.set(name, v);
  }
  const missing = keys.find((k) => !found.has(k));
  if (missing !== undefined) throw new AnswerProblem(`no "${missing}"${where(at)}`);
  return found;
}

const text: Check<string> = (v, at) => {
  if (typeof v !== 'string' || v.trim() === '') throw new AnswerProblem(`expected text${where(at)}, found ${shown(v)}`);
  return v.trim();
};

/** A 0-3 rating, as the prompts ask for it ("0/1/2/3") or as a number. */
const rating: Check<number> = (v, at) => {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (!/^[0-3]$/.test(s)) throw new AnswerProblem(`expected a rating 0, 1, 2 or 3${where(at)}, found ${shown(v)}`);
  return Number(s);
};

function oneOf<T extends string>(labels: readonly T[]): Check<T> {
  return (v, at) => {
    const found = typeof v === 'string' ? labels.find((l) => key(l) === key(v)) : undefined;
    if (found === undefined) throw new AnswerProblem(`expected one of ${labels.map((l) => `"${l}"`).join(', ')}${where(at)}, found ${shown(v)}`);
    return found;
  };
}

function list<T>(check: Check<T>): Check<T[]> {
  return (v, at) => {
    if (!Array.isArray(v)) throw new AnswerProblem(`expected a list${where(at)}, found ${shown(v)}`);
    return v.map((item, i) => check(item, `${at}[${i}]`));
  };
}

/** A value per response, under "response 1" and "response 2" (the prompts use both spellings of the case). */
function perResponse<T>(check: Check<T>): Check<Record<Side, T>> {
  return (v, at) => {
    const f = exactly(v, at, ['response 1', 'response 2']);
    return { A: check(f.get('response 1'), `${at}."response 1"`), B: check(f.get('response 2'), `${at}."response 2"`) };
  };
}

// ---------- the answers of each prompt ----------

/** Figures 6-8: a 0-3 rating per response for each characteristic asked, keyed by the property's name. */
export function parseBasic(value: unknown, properties: readonly Property[]): Record<string, Record<Side, number>> {
  const f = exactly(value, '', properties.map((p) => p.promptName!));
  return Object.fromEntries(properties.map((p) => [p.name, perResponse(rating)(f.get(p.promptName!), `"${p.promptName}"`)]));
}

export interface PrerequisiteAnswer {
  clearIntent: boolean;
  expressFeelings: boolean;
  constraints: string[];
  stances: string[];
  mistakes: string[];
}

const yesNo: Check<boolean> = (v, at) => oneOf(['Yes', 'No'] as const)(v, at) === 'Yes';

/** Figure 9. */
export function parsePrerequisites(value: unknown): PrerequisiteAnswer {
  const keys = ['clear intent', 'explicitly express feelings', 'explicit constraints', 'explicit subjective stances', 'explicit mistakes or biases'];
  const f = exactly(value, '', keys);
  const items = (k: string) => {
    const found = list(text)(f.get(k), `"${k}"`);
    const twice = found.find((t, i) => found.indexOf(t) !== i);
    if (twice !== undefined) throw new AnswerProblem(`"${k}" lists "${twice}" twice`);
    return found;
  };
  return {
    clearIntent: yesNo(f.get(keys[0]), `"${keys[0]}"`),
    expressFeelings: yesNo(f.get(keys[1]), `"${keys[1]}"`),
    constraints: items(keys[2]),
    stances: items(keys[3]),
    mistakes: items(keys[4]),
  };
}

export interface LabelledItem { kind: QueryItemKind; text: string; labels: Record<Side, string> }
export interface QuerySpecificAnswer {
  intent: Record<Side, number> | null;
  empathy: Record<Side, number> | null;
  items: LabelledItem[];
}

const ITEM_LABEL: Record<QueryItemKind, Check<string>> = {
  constraint: (v, at) => String(rating(v, at)),
  stance: oneOf(STANCE_LABELS),
  mistake: oneOf(MISTAKE_LABELS),
};

/**
 * Round two's labels for the listed items of one kind. The model names each item as it sees it: the entries are
 * matched to round one's list by text when every text matches, and by position otherwise (the count must agree).
 */
function itemEntries(value: unknown, kind: QueryItemKind, listed: string[]): LabelledItem[] {
  const at = `"${QUERY_SPECIFIC_KEYS[kind]}"`;
  if (!isObject(value)) throw new AnswerProblem(`expected a JSON object${where(at)}, found ${shown(value)}`);
  const entries = Object.entries(value);
  if (entries.length !== listed.length) {
    throw new AnswerProblem(`${at} labels ${entries.length} item${entries.length === 1 ? '' : 's'} but the query has ${listed.length}`);
  }
  const byText = new Map(entries.map(([k, v]) => [key(k), v]));
  const matched = listed.every((t) => byText.has(key(t)));
  return listed.map((itemText, i) => {
    const [entryKey, entry] = matched ? [itemText, byText.get(key(itemText))] : entries[i];
    return { kind, text: itemText, labels: perResponse(ITEM_LABEL[kind])(entry, `${at}."${entryKey}"`) };
  });
}

/** Figures 10-12: only the questions asked, each for both responses. */
export function parseQuerySpecific(value: unknown, q: RoundTwoQuestions): QuerySpecificAnswer {
  const kinds: QueryItemKind[] = (['constraint', 'stance', 'mistake'] as const).filter((k) => q.items[k].length > 0);
  const keys = [
    ...(q.intent ? [QUERY_SPECIFIC_KEYS.intent] : []), ...(q.empathy ? [QUERY_SPECIFIC_KEYS.empathy] : []),
    ...kinds.map((k) => QUERY_SPECIFIC_KEYS[k]),
  ];
  const f = exactly(value, '', keys);
  const single = (k: string) => perResponse(rating)(f.get(k), `"${k}"`);
  return {
    intent: q.intent ? single(QUERY_SPECIFIC_KEYS.intent) : null,
    empathy: q.empathy ? single(QUERY_SPECIFIC_KEYS.empathy) : null,
    items: kinds.flatMap((k) => itemEntries(f.get(QUERY_SPECIFIC_KEYS[k]), k, q.items[k])),
  };
}

export interface ErrorAnswer { applicable: boolean; errors: { description: string; type: string; severity: Severity }[] }

// "Information Contradiction" is how section 3.4 names the second type; the prompt's list has the longer name.
const TYPE_ALIASES = new Map<string, string>([...ERROR_TYPES.map((t) => [key(t), t] as const), ['information contradiction', ERROR_TYPES[1]]]);
const errorType: Check<string> = (v, at) => {
  const found = typeof v === 'string' ? TYPE_ALIASES.get(key(v)) : undefined;
  if (found === undefined) throw new AnswerProblem(`expected an inaccuracy type (${ERROR_TYPES.join(', ')})${where(at)}, found ${shown(v)}`);
  return found;
};
const severity = oneOf(['minor', 'moderate', 'severe'] as const);

function errorCheck(value: unknown, at: string): ErrorAnswer {
  const f = exactly(value, at, ['accuracy check', 'inaccuracies']);
  const applicable = oneOf(['applicable', 'not applicable'] as const)(f.get('accuracy check'), `${at}."accuracy check"`) === 'applicable';
  const errors = list((e, eat) => {
    const g = exactly(e, eat, ['brief description', 'type', 'severity']);
    return {
      description: text(g.get('brief description'), `${eat}."brief description"`),
      type: errorType(g.get('type'), `${eat}.type`),
      severity: severity(g.get('severity'), `${eat}.severity`),
    };
  })(f.get('inaccuracies'), `${at}.inaccuracies`);
  return { applicable, errors };
}

/** Figure 13. */
export function parseErrors(value: unknown): Record<Side, ErrorAnswer> {
  const f = exactly(value, '', ['Response 1', 'Response 2']);
  return { A: errorCheck(f.get('Response 1'), '"Response 1"'), B: errorCheck(f.get('Response 2'), '"Response 2"') };
}

/** The reference answer is free text; an empty one is no reference. */
export function parseReference(content: string): string {
  if (content.trim() === '') throw new AnswerProblem('the reference answer is empty');
  return content.trim();
}

export interface ReasonsAnswer { preferences: { preference: string; qualifier: string | null }[]; topics: string[]; persona: string | null }

/** Canonical-basis paper, figure 4: the preferences (reasons) are what is used; topics and persona are kept. */
export function parseReasons(value: unknown): ReasonsAnswer {
  const f = exactly(value, '', ['preferences', 'topics', 'persona']);
  const preferences = list((v, at) => {
    if (!isObject(v)) throw new AnswerProblem(`expected a JSON object${where(at)}, found ${shown(v)}`);
    const qualifier = v.qualifier;
    return { preference: text(v.preference, `${at}.preference`), qualifier: typeof qualifier === 'string' && qualifier.trim() ? qualifier.trim() : null };
  })(f.get('preferences'), 'preferences');
  if (preferences.length === 0) throw new AnswerProblem('"preferences" is empty: no reason was given');
  const topics = list((v, at) => (isObject(v) ? text(v.topic, `${at}.topic`) : text(v, at)))(f.get('topics'), 'topics');
  const persona = f.get('persona');
  return { preferences, topics, persona: typeof persona === 'string' && persona.trim() ? persona.trim() : null };
}

export type Normalised = { category: string } | { error: string };

/** Canonical-basis paper, figure 5: every listed reason once, with its normalised form or a note. */
export function parseNormalised(value: unknown, reasons: string[]): Map<string, Normalised> {
  const entries = list((v, at) => {
    if (!isObject(v)) throw new AnswerProblem(`expected a JSON object${where(at)}, found ${shown(v)}`);
    const preference = text(v.preference, `${at}.preference`);
    if (typeof v.normalized_preference === 'string' && v.normalized_preference.trim()) return { preference, result: { category: v.normalized_preference.trim().toLowerCase() } };
    if (typeof v.error === 'string' && v.error.trim()) return { preference, result: { error: v.error.trim() } };
    throw new AnswerProblem(`${at} has neither "normalized_preference" nor "error"`);
  })(value, '');
  const byKey = new Map(reasons.map((r) => [key(r), r]));
  const out = new Map<string, Normalised>();
  for (const e of entries) {
    const reason = byKey.get(key(e.preference));
    if (reason === undefined) throw new AnswerProblem(`"${e.preference}" was not in the list`);
    out.set(reason, e.result);
  }
  const missing = reasons.find((r) => !out.has(r));
  if (missing !== undefined) throw new AnswerProblem(`"${missing}" is missing from the answer`);
  return out;
}
