// The paper's own annotated pairs: one record per pair, as released by the authors (HF dataset
// GAIR/preference-dissection, parquet or JSON Lines), with the GPT-4-Turbo annotations of section 3.4 and the
// preference labels of the human and the 32 LLM judges.
//
// How the layout was identified (no sample of the released data was copied):
// - The dataset card's feature list gives the top level: query, scenario_auto-j (Li et al.'s fine scenario),
//   scenario_group (one of the 10 scenarios or "Unsafe Queries"), response_1/response_2 {content, model,
//   num_words}, gpt-4-turbo_reference, "clear intent", "explicitly express feelings", "explicit constraints",
//   "explicit subjective stances", "explicit mistakes or biases" (round one, Figure 9), preference_labels
//   {human, gpt-4-1106-preview, ..., one per judge}, and basic_response_1/basic_response_2: integer ratings keyed
//   by the characteristic names of the annotation prompt (prompts/query_free_characteristics.yaml:
//   "harmlessness", ..., "repetitive").
// - The card text available to us stops there. The remaining per-response fields, errors_response_N and
//   query-specific_response_N, follow the repository's annotation code (annotation_codes/
//   resolve_collected_data.py, visualization/app.py) and prompts (Figures 11-13): error detection as
//   {applicable, errors: [{"brief description", type, severity}]}, also read in the prompt's own spelling
//   {"accuracy check": "applicable" | "not applicable", inaccuracies: [...]}; round two as "clarify user intent"
//   and "showing empathetic" (0-3), "satisfying explicit constraints" (0-3 per constraint), "supporting explicit
//   subjective stances" and "correcting explicit mistakes or biases" (a label per item). As the item text and
//   label may share one list entry or not, "<item>: <label>", a bare label (matched by position to the round-one
//   list) and an {item: label} object are all read. Preference labels are read as response_1/response_2 (or A/B).
// - The repository keeps "repetitive" as the raw prompt answer and negates it only when building features
//   (app.py, get_feature), so it is stored here flipped as non-repetitive = 3 - r; a file that already says
//   "non-repetitive" is taken as is.
// - The authors' pairwise prompts (annotation_codes/utils.py, query_info_to_questions with pair_ver) ask for one
//   answer object per pair, each value keyed "Response 1"/"Response 2" (per item for constraints, stances and
//   mistakes); their query-free by-pair files say "response 1"/"response 2", and error detection answers
//   {"Response 1": {"accuracy check", inaccuracies}, "Response 2": ...}. A record may hold its answers that way, under
//   the per-response names without the suffix: "basic", "query-specific" and "errors".
// - Values the authors' code (resolve_collected_data.py) maps or ignores are read as it does, and each kind is
//   counted in the import report's notes instead of refusing the file: a rating outside 0-3 is 0 (get_score), an
//   unknown stance label is neutral and an unknown mistake label "neither pointed out nor corrected" (their mappings'
//   default), an error of an unknown severity is not counted, and an error check other than "applicable" makes the
//   response not applicable.
import type { ErrorCheck, PairAnnotation, Prerequisites, QueryItem, QueryItemKind, Severity, Side } from '../../../../preload/contract';
import { wordCount } from '../features';
import { RATED_BASIC_PROPERTIES } from '../properties';
import { UNSAFE_GROUP } from '../scenarios';
import { type Importer, ExternalIds, UNKNOWN_MODEL, readScenario } from './common';
import { Fields, shown } from './fields';
import { isPlainObject } from './source';
import { quote, type ImportedLabel } from './types';

/** Who annotated the released data (section 3.4). */
export const PAPER_ANNOTATOR = 'gpt-4-1106-preview';
export const PAPER_PROMPT_VERSION = 'paper';

/** Basic ratings by the prompt's characteristic name or the property's short name; `flip` for "repetitive". */
const BASIC_KEYS = new Map<string, { property: string; flip: boolean }>();
for (const p of RATED_BASIC_PROPERTIES) {
  BASIC_KEYS.set(p.name, { property: p.name, flip: false });
  if (p.promptName && p.promptName !== p.name) BASIC_KEYS.set(p.promptName, { property: p.name, flip: p.name === 'non-repetitive' });
}

/** Appendix F (the review's corrections score labels with these too). */
export const STANCE_SCORES = new Map([
  ['strongly supported', 3], ['weakly supported', 2.25], ['neutral', 1.5], ['weakly opposed', 0.75], ['strongly opposed', 0],
]);
export const MISTAKE_SCORES = new Map([
  ['pointed out and corrected', 3], ['corrected without being pointed out', 2],
  ['pointed out but not corrected', 1], ['neither pointed out nor corrected', 0],
]);

const ITEM_KEYS: Record<QueryItemKind, { key: string; property: string; labels: string }> = {
  constraint: { key: 'satisfying explicit constraints', property: 'satisfy constraints', labels: '0, 1, 2 or 3' },
  stance: { key: 'supporting explicit subjective stances', property: 'support stances', labels: [...STANCE_SCORES.keys()].join(', ') },
  mistake: { key: 'correcting explicit mistakes or biases', property: 'correct mistakes', labels: [...MISTAKE_SCORES.keys()].join(', ') },
};

const APPLICABLE = new Map([
  ['applicable', true], ['not applicable', false], ['yes', true], ['no', false], ['true', true], ['false', false],
]);
const SEVERITIES = new Set<string>(['minor', 'moderate', 'severe']);
const LABEL_SIDES = new Map<string, Side>([
  ['response_1', 'A'], ['response_2', 'B'], ['a', 'A'], ['b', 'B'], ['model_a', 'A'], ['model_b', 'B'],
]);

/** Counts a kind of value read otherwise than written, for the import report. */
type Note = (text: string) => void;
const AS_AUTHORS = 'as the authors\' code does';

/** What the authors' code reads an unknown round-two label as: their mappings' default, 0 on their scales. */
const UNKNOWN_ITEM_LABEL: Record<QueryItemKind, string> = {
  constraint: '0', stance: 'neutral', mistake: 'neither pointed out nor corrected',
};

function rating(f: Fields, key: string, note: Note): number {
  const v = f.data[key];
  const n = typeof v === 'string' && /^\s*[0-3]\s*$/.test(v) ? Number(v) : v;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 3) return n;
  note(`rating ${shown(v)} read as 0, ${AS_AUTHORS}`);
  return 0;
}

/**
 * A round-one "Yes"/"No". The authors group a query as unclear only on "No" and as expressing feelings only on "Yes"
 * (resolve_collected_data.py), so any other answer reads as the question's other side, and is noted.
 */
function yesNo(f: Fields, key: string, otherwise: boolean, note: Note): boolean {
  const v = f.data[key];
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(yes|no)$/i.test(v.trim())) return v.trim().toLowerCase() === 'yes';
  if (v === undefined) f.fail('missing: expected "Yes" or "No"', key);
  note(`"${key}" answered ${shown(v)}, read as "${otherwise ? 'Yes' : 'No'}", ${AS_AUTHORS}`);
  return otherwise;
}

function basicRatings(basic: Fields, note: Note): Map<string, number> {
  const ratings = new Map<string, number>();
  for (const key of Object.keys(basic.data)) {
    const known = BASIC_KEYS.get(key);
    if (!known) basic.fail('not a basic property of the paper (expected the annotation prompt\'s names, e.g. "harmlessness", "repetitive")', key);
    if (ratings.has(known.property)) basic.fail(`"${known.property}" is rated twice, under two names`, key);
    const r = rating(basic, key, note);
    ratings.set(known.property, known.flip ? 3 - r : r);
  }
  for (const p of RATED_BASIC_PROPERTIES) {
    if (!ratings.has(p.name)) basic.fail(`no rating for "${p.promptName ?? p.name}"`);
  }
  return ratings;
}

export function itemScore(kind: QueryItemKind, label: string): number | undefined {
  if (kind === 'constraint') return /^[0-3]$/.test(label) ? Number(label) : undefined;
  return (kind === 'stance' ? STANCE_SCORES : MISTAKE_SCORES).get(label.toLowerCase());
}

interface Entry { text: string | null; label: string; score: number }

/** One response's round-two answers for one kind of item, in order. */
function readEntries(q: Fields, kind: QueryItemKind, note: Note): Entry[] {
  const { key, labels } = ITEM_KEYS[kind];
  const v = q.data[key];
  const labelled = (text: string | null, raw: unknown, field: string): Entry => {
    if (typeof raw !== 'string' && typeof raw !== 'number') q.fail(`expected a ${kind} label (${labels}), found ${shown(raw)}`, field);
    const label = String(raw).trim();
    const score = itemScore(kind, label);
    if (score !== undefined) return { text, label, score };
    const read = UNKNOWN_ITEM_LABEL[kind];
    note(`${kind} label ${shown(label)} read as "${read}", ${AS_AUTHORS}`);
    return { text, label: read, score: itemScore(kind, read)! };
  };
  if (Array.isArray(v)) {
    return v.map((item, i) => {
      const field = `${key}[${i}]`;
      const s = typeof item === 'string' || typeof item === 'number' ? String(item).trim() : '';
      if (itemScore(kind, s) !== undefined) return labelled(null, s, field);
      // "<item text>: <label>": the text may itself hold colons, the label never does.
      const colon = s.lastIndexOf(':');
      return colon > 0 ? labelled(s.slice(0, colon).trim(), s.slice(colon + 1), field) : labelled(null, item, field);
    });
  }
  if (isPlainObject(v)) return Object.entries(v).map(([text, raw]) => labelled(text, raw, `${key}.${text}`));
  return q.fail(`expected a list of ${kind} labels, found ${shown(v)}`, key);
}

/** Round-two items of one kind for both responses, or null when the pair has none. */
function queryItems(q: Record<Side, Fields>, kind: QueryItemKind, listed: string[], note: Note): QueryItem[] | null {
  const { key } = ITEM_KEYS[kind];
  if (q.A.isBlank(key) || q.B.isBlank(key)) return null;
  const a = readEntries(q.A, kind, note);
  const b = readEntries(q.B, kind, note);
  if (a.length !== b.length) q.B.fail(`${b.length} ${kind}s are rated here but ${a.length} for response 1`, key);
  return a.map((ea, i) => {
    const text = ea.text ?? b[i].text ?? listed[i];
    if (text === undefined) q.A.fail(`${kind} ${i + 1} has a label but no text, and the query lists ${listed.length}`, key);
    return { kind, text, labels: { A: ea.label, B: b[i].label }, scores: { A: ea.score, B: b[i].score } };
  });
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

function errorCheck(f: Fields, note: Note): ErrorCheck {
  const flagKey = 'applicable' in f.data ? 'applicable' : 'accuracy check';
  const flag = f.data[flagKey];
  if (flag === undefined) f.fail('missing: expected "applicable" or "not applicable"', flagKey);
  let applicable = typeof flag === 'boolean' ? flag : typeof flag === 'string' ? APPLICABLE.get(flag.trim().toLowerCase()) : undefined;
  if (applicable === undefined) {
    // The authors take anything but "applicable" as a check that could not be done.
    note(`error check ${shown(flag)} read as "not applicable", ${AS_AUTHORS}`);
    applicable = false;
  }
  const listKey = 'errors' in f.data ? 'errors' : 'inaccuracies';
  const errors = f.isBlank(listKey) ? [] : f.objects(listKey).flatMap((e) => {
    const description = e.string('brief description' in e.data ? 'brief description' : 'description');
    const type = e.string('type');
    const written = e.string('severity');
    const severity = written.trim().toLowerCase();
    if (SEVERITIES.has(severity)) return [{ description, type, severity: severity as Severity }];
    // The authors count severe, moderate and minor errors only.
    note(`error of severity ${shown(written)} not counted, ${AS_AUTHORS}`);
    return [];
  });
  return { applicable, errors };
}

/** "Response 1"/"Response 2" as the authors' pairwise prompts write them, "response 1" as their query-free files do. */
const SIDE_KEY = /^response[ _]?([12])$/i;

/** Which keys of an object answer for each response, or null for an object keyed otherwise (by item). */
function sideKeys(f: Fields): Record<Side, string> | null {
  const found: Partial<Record<Side, string>> = {};
  for (const key of Object.keys(f.data)) {
    const m = SIDE_KEY.exec(key.trim());
    if (m) found[m[1] === '1' ? 'A' : 'B'] = key;
  }
  if (!found.A && !found.B) return null;
  if (!found.A || !found.B) f.fail(`an answer for "Response ${found.A ? 2 : 1}" is missing (expected one for each response)`);
  return found as Record<Side, string>;
}

function answersBySide(f: Fields): Record<Side, string> {
  const keys = sideKeys(f);
  if (!keys) f.fail(`expected answers keyed "Response 1" and "Response 2", found ${Object.keys(f.data).slice(0, 4).map((k) => quote(k, 40)).join(', ') || 'none'}`);
  return keys;
}

/**
 * Answers held one object per pair, {name: {"Response 1": x, "Response 2": y}} or, for items,
 * {name: {item: {"Response 1": x, "Response 2": y}}}, as the per-response objects the rest of the importer reads.
 */
function splitPair(f: Fields): Record<Side, Fields> {
  // No prototype: item texts from the file are keys here.
  const sides: Record<Side, Record<string, unknown>> = { A: Object.create(null), B: Object.create(null) };
  for (const name of Object.keys(f.data)) {
    if (f.isBlank(name)) {
      sides.A[name] = sides.B[name] = null;
      continue;
    }
    const value = f.object(name);
    const keys = sideKeys(value);
    if (keys) {
      sides.A[name] = value.data[keys.A];
      sides.B[name] = value.data[keys.B];
      continue;
    }
    const items: Record<Side, Record<string, unknown>> = { A: Object.create(null), B: Object.create(null) };
    for (const item of Object.keys(value.data)) {
      const answers = value.object(item);
      const k = answersBySide(answers);
      items.A[item] = answers.data[k.A];
      items.B[item] = answers.data[k.B];
    }
    sides.A[name] = items.A;
    sides.B[name] = items.B;
  }
  return { A: f.reshaped(sides.A), B: f.reshaped(sides.B) };
}

/** A response's answers given either per pair (`pairName`) or per response (`<pairName>_response_1`/`_2`); null when neither. */
function perResponse(f: Fields, pairName: string, split: (pair: Fields) => Record<Side, Fields>): Record<Side, Fields> | null {
  const names = [`${pairName}_response_1`, `${pairName}_response_2`];
  const pair = f.optObject(pairName);
  const [a, b] = names.map((n) => f.optObject(n));
  if (pair && (a || b)) f.fail(`given both per pair and per response (${a ? names[0] : names[1]}): keep one`, pairName);
  if (pair) return split(pair);
  if (!a !== !b) f.fail(`missing, while ${a ? names[0] : names[1]} is given (answers come for both responses)`, a ? names[1] : names[0]);
  return a && b ? { A: a, B: b } : null;
}

function splitErrors(pair: Fields): Record<Side, Fields> {
  const keys = answersBySide(pair);
  return { A: pair.object(keys.A), B: pair.object(keys.B) };
}

function annotation(f: Fields, content: Record<Side, string>, note: Note): PairAnnotation | null {
  const given = perResponse(f, 'basic', splitPair);
  if (!given) return null;
  const basic = { A: basicRatings(given.A, note), B: basicRatings(given.B, note) };
  const ratings: PairAnnotation['ratings'] = {};
  for (const p of RATED_BASIC_PROPERTIES) ratings[p.name] = { A: basic.A.get(p.name)!, B: basic.B.get(p.name)! };
  // One word counter for every format (features.wordCount), rather than the file's num_words (the paper's NLTK
  // count), so that lengths compare alike across studies.
  ratings.lengthy = { A: wordCount(content.A), B: wordCount(content.B) };

  const list = (key: string) => (f.isBlank(key) ? [] : f.strings(key));
  const prerequisites: Prerequisites = {
    clearIntent: yesNo(f, 'clear intent', true, note),
    expressFeelings: yesNo(f, 'explicitly express feelings', false, note),
    constraints: list('explicit constraints'),
    stances: list('explicit subjective stances'),
    mistakes: list('explicit mistakes or biases'),
  };

  const items: QueryItem[] = [];
  const q = perResponse(f, 'query-specific', splitPair);
  if (q) {
    const answered = (key: string) => !q.A.isBlank(key) && !q.B.isBlank(key);
    // Only properties whose prerequisite the query meets are rated (section 3.4); an answer to a question the
    // prompt would not have asked is left out, and said.
    const unasked = (key: string) => note(`"${key}" answered for a query whose round one does not call for it: not read`);
    const single = (key: string, property: string, asked: boolean) => {
      if (!answered(key)) return;
      if (!asked) return unasked(key);
      ratings[property] = { A: rating(q.A, key, note), B: rating(q.B, key, note) };
    };
    single('clarify user intent', 'clarify intent', !prerequisites.clearIntent);
    single('showing empathetic', 'show empathetic', prerequisites.expressFeelings);
    const listed: Record<QueryItemKind, string[]> = {
      constraint: prerequisites.constraints, stance: prerequisites.stances, mistake: prerequisites.mistakes,
    };
    for (const kind of Object.keys(ITEM_KEYS) as QueryItemKind[]) {
      if (listed[kind].length === 0) {
        if (answered(ITEM_KEYS[kind].key) && readEntries(q.A, kind, () => {}).length > 0) unasked(ITEM_KEYS[kind].key);
        continue;
      }
      const found = queryItems(q, kind, listed[kind], note);
      if (!found?.length) continue;
      items.push(...found);
      ratings[ITEM_KEYS[kind].property] = {
        A: mean(found.map((it) => it.scores.A)),
        B: mean(found.map((it) => it.scores.B)),
      };
    }
  }

  const checks = perResponse(f, 'errors', splitErrors);
  const errors = checks ? { A: errorCheck(checks.A, note), B: errorCheck(checks.B, note) } : null;

  return { ratings, prerequisites, items, errors, model: PAPER_ANNOTATOR, promptVersion: PAPER_PROMPT_VERSION };
}

function labels(f: Fields): ImportedLabel[] {
  const prefs = f.optObject('preference_labels');
  if (!prefs) return [];
  const out: ImportedLabel[] = [];
  for (const judge of Object.keys(prefs.data)) {
    if (prefs.isBlank(judge)) continue;
    const value = prefs.string(judge);
    const preferred = LABEL_SIDES.get(value.trim().toLowerCase())
      ?? prefs.fail(`expected response_1 or response_2, found ${shown(value)}`, judge);
    out.push({ judge, kind: judge === 'human' ? 'human' : 'llm', preferred, probabilityA: null });
  }
  return out;
}

export const importPaper: Importer = async function* (source, file, tally) {
  const note = (text: string) => tally.note(text);
  const ids = new ExternalIds();
  for await (const record of source.records) {
    const f: Fields = Fields.ofRecord(file, source, record);
    const query = f.string('query');
    const r1 = f.object('response_1');
    const r2 = f.object('response_2');
    const content = { A: r1.string('content'), B: r2.string('content') };
    const modelA = r1.optString('model') ?? UNKNOWN_MODEL;
    const modelB = r2.optString('model') ?? UNKNOWN_MODEL;

    // Unsafe queries were set apart before classification (section 3.2); their fine scenario still says what
    // the query asks for.
    const group = f.optString('scenario_group');
    const unsafe = group?.trim().toLowerCase() === UNSAFE_GROUP.toLowerCase();
    const fine = f.isBlank('scenario_auto-j') ? null : readScenario(f, 'scenario_auto-j');
    const scenario = group && !unsafe ? readScenario(f, 'scenario_group').scenario : fine?.scenario ?? null;

    yield {
      externalId: ids.hashed(f, [query, content.A, content.B, modelA, modelB]),
      query,
      responseA: content.A,
      responseB: content.B,
      modelA,
      modelB,
      scenario,
      fineScenario: fine?.fineScenario ?? null,
      unsafe,
      language: f.optString('language'),
      simulated: false,
      labels: labels(f),
      annotation: annotation(f, content, note),
    };
  }
};
