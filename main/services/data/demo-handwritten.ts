// The demo's handwritten pairs (resources/demo/handwritten-pairs.json), checked and turned into imported pairs.
import type { ErrorCheck, PairAnnotation, QueryItem, Severity, Side } from '../../../preload/contract';
import type { ImportedPair } from './import/types';
import { wordCount } from './features';
import { ERROR_TYPES, RATED_BASIC_PROPERTIES } from './properties';
import { SCENARIOS } from './scenarios';
import { MISTAKE_SCORES, STANCE_SCORES, judgeKind, queryRatings, type Pair2 } from './demo-common';

type Text = string | string[];
const joinLines = (t: Text) => (Array.isArray(t) ? t.join('\n') : t);
interface HandwrittenItem<L> { text: string; A: L; B: L }
export interface HandwrittenPair {
  id: string;
  /** Why something about the pair is the way it is; not imported. */
  note?: string;
  scenario: string;
  fineScenario: string | null;
  unsafe: boolean;
  language: string;
  modelA: string;
  modelB: string;
  /** Texts are a string or, for readability, an array of lines. */
  query: Text;
  responseA: Text;
  responseB: Text;
  labels: Record<string, { preferred: Side; probabilityA?: number }>;
  annotation: {
    annotator: string;
    /** The 20 rated basic properties as [A, B]; non-repetitive already higher-is-better. */
    basic: Record<string, Pair2>;
    clearIntent: boolean;
    clarifyIntent?: Pair2;
    expressFeelings: boolean;
    showEmpathetic?: Pair2;
    constraints: HandwrittenItem<number>[];
    stances: HandwrittenItem<string>[];
    mistakes: HandwrittenItem<string>[];
    errors: Record<Side, ErrorCheck>;
  };
}

const HANDWRITTEN_PROMPT_VERSION = 'paper-appendix-a';
export const SEVERITIES: readonly Severity[] = ['minor', 'moderate', 'severe'];

function checkHandwritten(p: HandwrittenPair): void {
  const fail = (detail: string) => {
    throw new Error(`resources/demo/handwritten-pairs.json, pair "${p.id}": ${detail}`);
  };
  const rating = (name: string, v: Pair2 | undefined) => {
    if (!v || v.length !== 2 || v.some((x) => !Number.isInteger(x) || x < 0 || x > 3)) fail(`"${name}" needs two ratings 0-3`);
  };
  if (!(SCENARIOS as readonly string[]).includes(p.scenario)) fail(`unknown scenario "${p.scenario}"`);
  const a = p.annotation;
  for (const prop of RATED_BASIC_PROPERTIES) rating(prop.name, a.basic[prop.name]);
  if (Object.keys(a.basic).length !== RATED_BASIC_PROPERTIES.length) fail('basic ratings name an unknown property');
  if (a.clearIntent === (a.clarifyIntent !== undefined)) fail('clarifyIntent is rated exactly when the intent is unclear');
  if (a.clarifyIntent) rating('clarifyIntent', a.clarifyIntent);
  if (a.expressFeelings !== (a.showEmpathetic !== undefined)) fail('showEmpathetic is rated exactly when feelings are expressed');
  if (a.showEmpathetic) rating('showEmpathetic', a.showEmpathetic);
  for (const c of a.constraints) rating(`constraint "${c.text}"`, [c.A, c.B]);
  for (const s of a.stances) if (!(s.A in STANCE_SCORES && s.B in STANCE_SCORES)) fail(`stance "${s.text}" has an unknown label`);
  for (const m of a.mistakes) if (!(m.A in MISTAKE_SCORES && m.B in MISTAKE_SCORES)) fail(`mistake "${m.text}" has an unknown label`);
  // Storage matches round-two items to round-one texts by text.
  for (const list of [a.constraints, a.stances, a.mistakes]) {
    if (new Set(list.map((i) => i.text)).size !== list.length) fail('item texts repeat within a kind');
  }
  for (const side of ['A', 'B'] as const) {
    const check = a.errors[side];
    if (!check.applicable && check.errors.length > 0) fail(`response ${side} is not applicable but lists errors`);
    for (const e of check.errors) {
      if (!SEVERITIES.includes(e.severity) || !(ERROR_TYPES as readonly string[]).includes(e.type) || !e.description) {
        fail(`response ${side} has an error without a known type, severity or description`);
      }
    }
  }
  for (const [judge, l] of Object.entries(p.labels)) {
    if (l.preferred !== 'A' && l.preferred !== 'B') fail(`judge ${judge} prefers neither A nor B`);
    const isLlm = judgeKind(judge) === 'llm';
    if (isLlm !== (l.probabilityA !== undefined)) fail(`judge ${judge}: LLM judges and only they give probabilityA`);
    if (isLlm && (l.probabilityA! <= 0 || l.probabilityA! >= 1 || (l.probabilityA! > 0.5) !== (l.preferred === 'A'))) {
      fail(`judge ${judge}: probabilityA must be in (0, 1) and on the side of the preferred response`);
    }
  }
}

const copyCheck = (c: ErrorCheck): ErrorCheck => ({ applicable: c.applicable, errors: c.errors.map((e) => ({ ...e })) });

export function fromHandwritten(p: HandwrittenPair): ImportedPair {
  checkHandwritten(p);
  const h = p.annotation;
  const items: QueryItem[] = [
    ...h.constraints.map((c): QueryItem => ({ kind: 'constraint', text: c.text, labels: { A: String(c.A), B: String(c.B) }, scores: { A: c.A, B: c.B } })),
    ...h.stances.map((s): QueryItem => ({ kind: 'stance', text: s.text, labels: { A: s.A, B: s.B }, scores: { A: STANCE_SCORES[s.A], B: STANCE_SCORES[s.B] } })),
    ...h.mistakes.map((m): QueryItem => ({ kind: 'mistake', text: m.text, labels: { A: m.A, B: m.B }, scores: { A: MISTAKE_SCORES[m.A], B: MISTAKE_SCORES[m.B] } })),
  ];
  const ratings: PairAnnotation['ratings'] = {};
  for (const prop of RATED_BASIC_PROPERTIES) ratings[prop.name] = { A: h.basic[prop.name][0], B: h.basic[prop.name][1] };
  const [query, responseA, responseB] = [joinLines(p.query), joinLines(p.responseA), joinLines(p.responseB)];
  ratings.lengthy = { A: wordCount(responseA), B: wordCount(responseB) };
  const annotation: PairAnnotation = {
    ratings,
    prerequisites: {
      clearIntent: h.clearIntent, expressFeelings: h.expressFeelings,
      constraints: h.constraints.map((c) => c.text), stances: h.stances.map((s) => s.text), mistakes: h.mistakes.map((m) => m.text),
    },
    items,
    // Copied: the parsed JSON module is shared by every build.
    errors: { A: copyCheck(h.errors.A), B: copyCheck(h.errors.B) },
    model: h.annotator,
    promptVersion: HANDWRITTEN_PROMPT_VERSION,
  };
  queryRatings(annotation, h.clarifyIntent, h.showEmpathetic);
  return {
    externalId: p.id, query, responseA, responseB, modelA: p.modelA, modelB: p.modelB,
    scenario: p.scenario, fineScenario: p.fineScenario, unsafe: p.unsafe, language: p.language, simulated: false,
    labels: Object.entries(p.labels).map(([judge, l]) => ({
      judge, kind: judgeKind(judge), preferred: l.preferred, probabilityA: l.probabilityA ?? null,
    })),
    annotation,
  };
}
