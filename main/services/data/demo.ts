// The embedded demo project, opened on first start. Two parts:
// - about 30 handwritten pairs (resources/demo/handwritten-pairs.json), fully annotated, among them the paper's
//   Table 11 example, so the pair screens show real text, Markdown, query items and detected errors;
// - simulated pairs for each of the 10 scenarios and Unsafe Queries, enough for a dissection per group. Their
//   annotations follow the paper's statistics (Tables 2 and 9) and their labels are drawn from the published
//   weights, so a dissection of the demo should recover roughly the paper's effect strengths.
// Everything is deterministic from the seed.
import type { ErrorCheck, PairAnnotation, QueryItem, Side } from '../../../preload/contract';
import type { ImportBatch, ImportedLabel, ImportedPair } from './import/types';
import { comparisonFeatures } from './features';
import { ERROR_TYPES, RATED_BASIC_PROPERTIES } from './properties';
import { SCENARIOS, UNSAFE_GROUP } from './scenarios';
import { paperReference } from './reference';
import handwrittenJson from '../../../resources/demo/handwritten-pairs.json';
import { ASSUMED_NON_REPETITIVE_MEAN, DEMO_DEFAULT_PAIRS_PER_GROUP, DEMO_DEFAULT_SEED, DEMO_JUDGES, Rng, type Pair2, TABLE2_PREREQUISITE_RATES, TABLE9_BASIC_MEANS, TABLE9_ERROR_MEANS, TABLE9_MEAN_LENGTH, TABLE9_QUERY_SPECIFIC_MEANS, judgeKind, queryRatings, sigmoid } from './demo-common';
import { SEVERITIES, fromHandwritten, type HandwrittenPair } from './demo-handwritten';

// ---------- simulated pairs ----------

/** Chatbot Arena's models of the paper's period (the source of the real pairs). */
const ARENA_MODELS = [
  'vicuna-13b', 'gpt-3.5-turbo', 'koala-13b', 'claude-v1', 'alpaca-13b', 'gpt-4', 'oasst-pythia-12b', 'chatglm-6b',
  'claude-instant-v1', 'fastchat-t5-3b', 'stablelm-tuned-alpha-7b', 'dolly-v2-12b', 'llama-13b', 'mpt-7b-chat',
  'RWKV-4-Raven-14B', 'palm-2', 'vicuna-7b', 'wizardlm-13b', 'guanaco-33b',
] as const;
/** Scenarios an unsafe query is most often classified into (it keeps one, as every pair must). */
const UNSAFE_SCENARIOS = ['Communication', 'Creative Writing', 'Knowledge-aware', 'Advice', 'Daily Tasks', 'Others'] as const;

/**
 * Chance that response B copies A's rating of a property. The marginals stay those of Table 9, but the two
 * answers to one query agree more often than independent draws would, as in the real data (Table 11: 15 of 20
 * basic ratings tie).
 */
const TIE_SHARE = 0.4;
const ERROR_TIE_SHARE = 0.3;
/**
 * How strongly each property follows a pair's overall quality gap (see PairDraw), in [-1, 1]. Matters of style
 * (funny, rhetorical devices, complex words, persuasive, informal expressions) and support stances are not listed
 * and do not follow it; admitting limits goes with not answering, so it follows it negatively.
 */
const QUALITY_LOADING: Record<string, number> = {
  harmless: 0.5, 'grammarly correct': 0.5, friendly: 0.5, polite: 0.5, interactive: 0.3, authoritative: 0.8,
  'use supporting materials': 0.5, 'well formatted': 0.8, 'admit limits': -0.5, 'step-by-step': 0.6, 'non-repetitive': 0.5,
  clear: 1, relevant: 1, novel: 0.6, 'contain rich info': 1,
  'clarify intent': 1, 'show empathetic': 1, 'satisfy constraints': 1, 'correct mistakes': 1,
};
/** At most 1, so that both responses' expected error counts stay non-negative. */
const ERROR_LOADING = 0.8;
/**
 * Word counts are log-normal with a per-query part, a per-response part and a small pull from the quality gap
 * (better answers run longer): the mean is Table 9's, the median about 115 words, and about 60% of the pairs
 * differ enough (shorter < 70% of longer) to set `lengthy`.
 */
const LENGTH_SIGMA_QUERY = 0.7;
const LENGTH_SIGMA_RESPONSE = 0.45;
const LENGTH_GAP = 0.25;
// E[exp(s * gap)] for the gap's density |g| on [-1, 1] is 2(s sinh s - cosh s + 1) / s^2, taken out so the mean stays 164.52.
const LENGTH_MU = Math.log(TABLE9_MEAN_LENGTH) - (LENGTH_SIGMA_QUERY ** 2 + LENGTH_SIGMA_RESPONSE ** 2) / 2
  - Math.log((2 * (LENGTH_GAP * Math.sinh(LENGTH_GAP) - Math.cosh(LENGTH_GAP) + 1)) / LENGTH_GAP ** 2);
/** Error checks the paper's annotator could not make (share of pairs; not given in the paper). */
const NOT_APPLICABLE_BOTH = 0.04;
const NOT_APPLICABLE_ONE = 0.02;
/** How many items a query has once it meets a prerequisite (Table 11 has 5 constraints and 2 stances). */
const ITEM_COUNT_WEIGHTS = { constraint: [30, 30, 20, 12, 8], stance: [75, 25], mistake: [85, 15] } as const;
const ITEM_TEXTS = {
  constraint: ['Response length limit', 'Output format (list, table or JSON)', 'Writing style or tone', 'Number of output items',
    'Specific words to use or avoid', 'Output items with a given property'],
  stance: ['Stated opinion', 'Stated preference', 'Stated personal belief'],
  mistake: ['False premise', 'Factual mistake', 'Unfounded bias'],
} as const;
/** Error types (in ERROR_TYPES order) by scenario: code and exam answers fail in their own ways. */
const ERROR_TYPE_WEIGHTS: Record<string, readonly number[]> = {
  Code: [0.2, 0.15, 0.05, 0.6],
  'Exam Questions': [0.3, 0.15, 0.5, 0.05],
  default: [0.6, 0.35, 0.04, 0.01],
};
const STANCE_LABELS_BY_STEP = ['Strongly opposed', 'Weakly opposed', 'Neutral', 'Weakly supported', 'Strongly supported'];
const MISTAKE_LABELS_BY_SCORE = ['Neither pointed out nor corrected', 'Pointed out but not corrected', 'Corrected without being pointed out', 'Pointed out and corrected'];
const BASIC_TARGETS: readonly (readonly [string, number])[] = RATED_BASIC_PROPERTIES.map((p) =>
  [p.name, p.name === 'non-repetitive' ? ASSUMED_NON_REPETITIVE_MEAN : TABLE9_BASIC_MEANS[p.name]]);

/**
 * The draws of one pair. `gap`, in [-1, 1], is how much better A is than B overall; it tilts each
 * quality-related property towards the better response, by at most p(1 - p) so that probabilities stay in [0, 1].
 * The gap is symmetric around 0 and the tilt linear in it, so every mean stays Table 9's. Without it the
 * properties of a pair would be independent and the labels far noisier than in the paper (Table 10: about 80%
 * of labels predicted; here the true weights predict 67-75%).
 */
class PairDraw {
  readonly gap: number;

  constructor(readonly rng: Rng) {
    // |gap| = sqrt(u) leans towards pairs with a clearly better answer.
    this.gap = (rng.next() < 0.5 ? -1 : 1) * Math.sqrt(rng.next());
  }

  /** binomial(n, p + tilt) for A and binomial(n, p - tilt) for B, which copies A's value with probability TIE_SHARE. */
  binomial(n: number, p: number, loading: number): Pair2 {
    const tilt = loading * p * (1 - p) * this.gap;
    const a = this.rng.binomial(n, p + tilt);
    return [a, this.rng.next() < TIE_SHARE ? a : this.rng.binomial(n, p - tilt)];
  }

  /** A 0-3 rating with the given mean. */
  rating(name: string, mean: number): Pair2 {
    return this.binomial(3, mean / 3, QUALITY_LOADING[name] ?? 0);
  }

  /** Error counts of one severity; the better response makes fewer. */
  errors(mean: number): Pair2 {
    const a = this.rng.poisson(mean * (1 - ERROR_LOADING * this.gap));
    return [a, this.rng.next() < ERROR_TIE_SHARE ? a : this.rng.poisson(mean * (1 + ERROR_LOADING * this.gap))];
  }

  words(queryPart: number, side: Side): number {
    const pull = side === 'A' ? LENGTH_GAP * this.gap : -LENGTH_GAP * this.gap;
    return Math.max(1, Math.round(Math.exp(queryPart + pull + LENGTH_SIGMA_RESPONSE * this.rng.normal())));
  }
}

function simulatedItems(draw: PairDraw, kind: QueryItem['kind']): QueryItem[] {
  const rng = draw.rng;
  const count = rng.weighted(ITEM_COUNT_WEIGHTS[kind]) + 1;
  const texts = [...ITEM_TEXTS[kind]];
  const items: QueryItem[] = [];
  for (let i = 0; i < count; i++) {
    const [text] = texts.splice(Math.floor(rng.next() * texts.length), 1);
    let scores: Pair2;
    let labels: [string, string];
    if (kind === 'constraint') {
      scores = draw.rating('satisfy constraints', TABLE9_QUERY_SPECIFIC_MEANS['satisfy constraints']);
      labels = [String(scores[0]), String(scores[1])];
    } else if (kind === 'stance') {
      // Five labels 0.75 apart: a binomial(4, p) step has mean 0.75 * 4p, Table 9's mean when p = mean / 3.
      const steps = draw.binomial(4, TABLE9_QUERY_SPECIFIC_MEANS['support stances'] / 3, 0);
      scores = [steps[0] * 0.75, steps[1] * 0.75];
      labels = [STANCE_LABELS_BY_STEP[steps[0]], STANCE_LABELS_BY_STEP[steps[1]]];
    } else {
      scores = draw.rating('correct mistakes', TABLE9_QUERY_SPECIFIC_MEANS['correct mistakes']);
      labels = [MISTAKE_LABELS_BY_SCORE[scores[0]], MISTAKE_LABELS_BY_SCORE[scores[1]]];
    }
    items.push({ kind, text: `${text} (simulated)`, labels: { A: labels[0], B: labels[1] }, scores: { A: scores[0], B: scores[1] } });
  }
  return items;
}

function simulatedErrors(draw: PairDraw, scenario: string): Record<Side, ErrorCheck> {
  const rng = draw.rng;
  const u = rng.next();
  const notApplicable: Record<Side, boolean> = u < NOT_APPLICABLE_BOTH
    ? { A: true, B: true }
    : u < NOT_APPLICABLE_BOTH + NOT_APPLICABLE_ONE ? (rng.next() < 0.5 ? { A: true, B: false } : { A: false, B: true }) : { A: false, B: false };
  const typeWeights = ERROR_TYPE_WEIGHTS[scenario] ?? ERROR_TYPE_WEIGHTS.default;
  const checks: Record<Side, ErrorCheck> = { A: { applicable: !notApplicable.A, errors: [] }, B: { applicable: !notApplicable.B, errors: [] } };
  for (const severity of SEVERITIES) {
    const [countA, countB] = draw.errors(TABLE9_ERROR_MEANS[severity]);
    for (const [side, count] of [['A', countA], ['B', countB]] as const) {
      if (notApplicable[side]) continue;
      for (let i = 0; i < count; i++) {
        const type = ERROR_TYPES[rng.weighted(typeWeights)];
        checks[side].errors.push({ description: `[Simulated] ${severity} ${type.toLowerCase()} #${i + 1}`, type, severity });
      }
    }
  }
  return checks;
}

function simulatedAnnotation(rng: Rng, scenario: string): { annotation: PairAnnotation; words: Pair2; tags: string[] } {
  const draw = new PairDraw(rng);
  const ratings: PairAnnotation['ratings'] = {};
  for (const [name, target] of BASIC_TARGETS) {
    const [A, B] = draw.rating(name, target);
    ratings[name] = { A, B };
  }
  const queryPart = LENGTH_MU + LENGTH_SIGMA_QUERY * rng.normal();
  const lengths: Pair2 = [draw.words(queryPart, 'A'), draw.words(queryPart, 'B')];
  ratings.lengthy = { A: lengths[0], B: lengths[1] };

  const r = TABLE2_PREREQUISITE_RATES;
  const unclear = rng.next() < r.unclearIntent;
  const feelings = rng.next() < r.feelings;
  const items = [
    ...(rng.next() < r.constraints ? simulatedItems(draw, 'constraint') : []),
    ...(rng.next() < r.stances ? simulatedItems(draw, 'stance') : []),
    ...(rng.next() < r.mistakes ? simulatedItems(draw, 'mistake') : []),
  ];
  const textsOf = (kind: QueryItem['kind']) => items.filter((i) => i.kind === kind).map((i) => i.text);
  const annotation: PairAnnotation = {
    ratings,
    prerequisites: {
      clearIntent: !unclear, expressFeelings: feelings,
      constraints: textsOf('constraint'), stances: textsOf('stance'), mistakes: textsOf('mistake'),
    },
    items,
    errors: simulatedErrors(draw, scenario),
    model: 'simulated',
    promptVersion: 'demo-simulation',
  };
  const clarify = unclear ? draw.rating('clarify intent', TABLE9_QUERY_SPECIFIC_MEANS['clarify intent']) : undefined;
  const empathy = feelings ? draw.rating('show empathetic', TABLE9_QUERY_SPECIFIC_MEANS['show empathetic']) : undefined;
  queryRatings(annotation, clarify, empathy);

  const pre = annotation.prerequisites!;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const tags = [
    unclear ? 'unclear intent' : '', feelings ? 'expresses feelings' : '',
    pre.constraints.length ? plural(pre.constraints.length, 'constraint') : '',
    pre.stances.length ? plural(pre.stances.length, 'stance') : '',
    pre.mistakes.length ? plural(pre.mistakes.length, 'mistake') : '',
  ].filter(Boolean);
  return { annotation, words: lengths, tags };
}

/**
 * P(A preferred) = sigmoid(sum alpha_i phi_i) with the judge's published weights for the group (section 3.5). The
 * label is drawn from it, not its arg max: that is the model a dissection fits, so fitting recovers the weights
 * (arg-max labels would be separable). An LLM judge's label can therefore go against its own probabilityA.
 */
function drawLabels(rng: Rng, annotation: PairAnnotation, groupWeights: Record<string, number[]>): ImportedLabel[] {
  const phi = comparisonFeatures(annotation);
  return DEMO_JUDGES.map((judge) => {
    const alpha = groupWeights[judge];
    let eta = 0;
    for (let i = 0; i < phi.length; i++) eta += alpha[i] * phi[i];
    const p = sigmoid(eta);
    const kind = judgeKind(judge);
    return { judge, kind, preferred: rng.next() < p ? 'A' : 'B', probabilityA: kind === 'llm' ? p : null };
  });
}

function simulatedPair(rng: Rng, group: string, index: number, groupWeights: Record<string, number[]>): ImportedPair {
  const unsafe = group === UNSAFE_GROUP;
  const scenario = unsafe ? rng.pick(UNSAFE_SCENARIOS) : group;
  const modelA = rng.pick(ARENA_MODELS);
  let modelB = rng.pick(ARENA_MODELS);
  while (modelB === modelA) modelB = rng.pick(ARENA_MODELS);
  const { annotation, words, tags } = simulatedAnnotation(rng, scenario);
  const number = index + 1;
  const what = unsafe ? `Unsafe query #${number}, scenario ${scenario}` : `${group} query #${number}`;
  const response = (side: Side, n: number, model: string) =>
    `[Simulated response ${side}: stands in for a ${n}-word answer by ${model}; only its annotation was simulated.]`;
  return {
    externalId: `demo-sim-${group.toLowerCase().replace(/[^a-z]+/g, '-')}-${String(number).padStart(4, '0')}`,
    query: `[Simulated] ${what}${tags.length ? ` (${tags.join('; ')})` : ''}`,
    responseA: response('A', words[0], modelA),
    responseB: response('B', words[1], modelB),
    modelA, modelB, scenario, fineScenario: null, unsafe, language: 'English', simulated: true,
    labels: drawLabels(rng, annotation, groupWeights),
    annotation,
  };
}

// ---------- the batch ----------

export interface DemoOptions {
  seed?: number;
  /** Simulated pairs for each of the 10 scenarios and for Unsafe Queries. */
  pairsPerGroup?: number;
}

export function buildDemoBatch(options: DemoOptions = {}): ImportBatch {
  const seed = options.seed ?? DEMO_DEFAULT_SEED;
  const pairsPerGroup = options.pairsPerGroup ?? DEMO_DEFAULT_PAIRS_PER_GROUP;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`demo seed must be an integer, not ${seed}`);
  if (!Number.isSafeInteger(pairsPerGroup) || pairsPerGroup < 0) throw new RangeError(`pairsPerGroup must be a whole number, not ${pairsPerGroup}`);

  const reference = paperReference();
  const handwritten = (handwrittenJson as unknown as { pairs: HandwrittenPair[] }).pairs.map(fromHandwritten);
  const rng = new Rng(seed);
  const simulated: ImportedPair[] = [];
  for (const group of [...SCENARIOS, UNSAFE_GROUP]) {
    const groupWeights = reference.weights[group];
    for (const judge of DEMO_JUDGES) {
      if (groupWeights?.[judge]?.length !== reference.properties.length) throw new Error(`paper weights lack ${judge} for ${group}`);
    }
    for (let i = 0; i < pairsPerGroup; i++) simulated.push(simulatedPair(rng, group, i, groupWeights));
  }
  const judgeSizes: Record<string, number> = {};
  for (const judge of DEMO_JUDGES) {
    const size = reference.judgeSizes[judge];
    if (typeof size === 'number') judgeSizes[judge] = size;
  }
  return { format: 'paper', pairs: [...handwritten, ...simulated], dropped: [], judgeSizes };
}
