// The cost estimate of a job before it starts: the planned calls per pair, priced with typical answer lengths.
import type { AnnotationJobRequest, CostEstimate, EndpointSettings, ModelPrice } from '../../../preload/contract';
import { buildRequest, requestHash } from './caller';
import { costOf, estimateTokens } from './cost';
import { MAX_TOKENS, basicPrompt, basicQueryPrompt, errorsPrompt, judgePrompt, prerequisitesPrompt, querySpecificPrompt, reasonsPrompt, referencePrompt, type CallKind, type ChatMessage } from './prompts';
import { NORMALISE_CHUNK } from './reasons';
import { scenarioPrompt } from './scenario';
import type { TokenCounter } from './tokens';

/** Typical answer lengths in tokens, for the estimate (the cap uses the token limits instead). */
const TYPICAL_OUTPUT: Record<CallKind, number> = {
  basic: 450, 'basic-query': 60, prerequisites: 120, 'query-specific': 220, reference: 450, errors: 260, judge: 1, reasons: 350, normalise: 600, scenario: 16,
};
/** About half of the paper's queries met some prerequisite (Table 2), so round two is counted for half the pairs. */
const ROUND_TWO_SHARE = 0.5;
/** Reasons per pair the estimate counts for normalisation. */
const REASONS_PER_PAIR = 3;

interface PlannedCall { kind: CallKind; messages: ChatMessage[] | null; share: number }

/** The calls a pair needs; messages null where they depend on earlier answers (sized by a stand-in). */
type EstimatedPair = { query: string; responseA: string; responseB: string; referenceAnswer?: string | null };

function plannedCalls(kind: AnnotationJobRequest['kind'], pair: EstimatedPair, endpoint: EndpointSettings): PlannedCall[] {
  // Moderation requests cost nothing; where there is no moderation API the prompt asks about safety too.
  if (kind === 'scenario') return [{ kind: 'scenario', messages: scenarioPrompt(pair.query, !endpoint.moderationModel), share: 1 }];
  if (kind === 'judge') {
    return [
      { kind: 'judge', messages: judgePrompt(pair.query, pair.responseA, pair.responseB), share: 1 },
      { kind: 'judge', messages: judgePrompt(pair.query, pair.responseB, pair.responseA), share: 1 },
    ];
  }
  if (kind === 'reasons') return [{ kind: 'reasons', messages: reasonsPrompt(pair, 'A'), share: 1 }];
  return [
    { kind: 'basic', messages: basicPrompt(pair), share: 1 },
    { kind: 'basic-query', messages: basicQueryPrompt(pair), share: 1 },
    { kind: 'prerequisites', messages: prerequisitesPrompt(pair.query), share: 1 },
    // A pair's own reference answer is used as it is: no call for it.
    ...(pair.referenceAnswer ? [] : [{ kind: 'reference' as const, messages: referencePrompt(pair.query), share: 1 }]),
    { kind: 'query-specific', messages: null, share: ROUND_TWO_SHARE },
    { kind: 'errors', messages: pair.referenceAnswer ? errorsPrompt(pair, pair.referenceAnswer) : null, share: 1 },
  ];
}

/** A stand-in prompt for calls that depend on earlier answers: their fixed text with the pair's texts. */
function standIn(kind: CallKind, pair: { query: string; responseA: string; responseB: string }): ChatMessage[] {
  const stub = 'x'.repeat(4 * TYPICAL_OUTPUT.reference);
  if (kind === 'errors') return errorsPrompt(pair, stub);
  return querySpecificPrompt(pair, { intent: true, empathy: false, items: { constraint: ['a constraint', 'another'], stance: [], mistake: [] } });
}

/** Up to this many pairs are counted with the tokenizer; beyond, a spread sample is, and the rest scaled by length. */
export const EXACT_PAIRS = 200;

interface Call { kind: CallKind; share: number; hash: string | null; rough: number; worstRough: number; exact: number | null }

export function estimateJob(opts: {
  pairs: EstimatedPair[]; kind: AnnotationJobRequest['kind']; mode: AnnotationJobRequest['mode'];
  endpoint: EndpointSettings; price: ModelPrice | null; isCached: (hashes: string[]) => Set<string>; counter: TokenCounter;
}): CostEstimate {
  const batch = opts.mode === 'batch';
  const { counter } = opts;
  const step = counter.encoding && opts.pairs.length > EXACT_PAIRS ? opts.pairs.length / EXACT_PAIRS : 1;
  let nextSample = 0;
  const calls: Call[] = [];
  opts.pairs.forEach((pair, i) => {
    const sampled = counter.encoding !== null && i >= nextSample;
    if (sampled) nextSample += step;
    const texts = [pair.query, pair.responseA, pair.responseB, pair.referenceAnswer ?? ''];
    for (const c of plannedCalls(opts.kind, pair, opts.endpoint)) {
      const messages = c.messages ?? standIn(c.kind, pair);
      calls.push({
        kind: c.kind, share: c.share, rough: estimateTokens(messages), worstRough: estimateTokens(messages, true),
        exact: sampled ? counter.count(messages, { texts }) : null,
        // Calls whose prompt is known may be answered in the cache already.
        hash: c.messages ? requestHash(opts.endpoint.baseUrl, buildRequest(c.kind, opts.endpoint.model, messages, opts.endpoint.jsonMode)) : null,
      });
    }
  });
  // The tokenizer's count over the estimate's, on the counted pairs: what the others are scaled by.
  const counted = calls.filter((c) => c.exact !== null);
  const ratio = counted.length ? counted.reduce((n, c) => n + c.exact!, 0) / Math.max(1, counted.reduce((n, c) => n + c.rough, 0)) : 1;
  const cached = opts.isCached(calls.flatMap((c) => (c.hash ? [c.hash] : [])));
  let callCount = 0; let cachedCalls = 0; let input = 0; let output = 0; let worstIn = 0; let worstOut = 0;
  for (const c of calls) {
    if (c.hash && cached.has(c.hash)) { cachedCalls++; continue; }
    const tokens = c.exact ?? (counter.encoding ? c.rough * ratio : c.rough);
    callCount += c.share;
    input += c.share * tokens;
    output += c.share * TYPICAL_OUTPUT[c.kind];
    // With the tokenizer the prompt's count is its count; estimated, the cap's pessimistic one.
    worstIn += counter.encoding ? tokens : c.worstRough;
    worstOut += MAX_TOKENS[c.kind];
  }
  if (opts.kind === 'reasons') {
    const normalise = Math.ceil((opts.pairs.length * REASONS_PER_PAIR) / NORMALISE_CHUNK);
    callCount += normalise;
    input += normalise * (400 + NORMALISE_CHUNK * 8);
    output += normalise * TYPICAL_OUTPUT.normalise;
    worstIn += normalise * (600 + NORMALISE_CHUNK * 12);
    worstOut += normalise * MAX_TOKENS.normalise;
  }
  const cost = opts.price ? costOf(opts.price, { input, output }, batch) : null;
  const worstCaseCost = opts.price ? costOf(opts.price, { input: worstIn, output: worstOut }, batch) : null;
  const sampledPairs = step > 1 ? Math.ceil(opts.pairs.length / step) : 0;
  const tokenCounting = sampledPairs
    ? `${counter.method.replace(/\.$/, '')} on ${sampledPairs.toLocaleString('en-US')} of ${opts.pairs.length.toLocaleString('en-US')} pairs, spread over the study, the others scaled by their length.`
    : counter.method;
  const notes = [
    opts.kind === 'annotate' ? 'Round two is counted for half of the pairs, as about half of the paper\'s queries met a prerequisite.' : '',
    batch ? 'Batch API prices are half.' : '',
    opts.price ? '' : `There is no price for ${opts.endpoint.model} in the price table, so no cost can be given (a local server costs nothing).`,
  ].filter(Boolean);
  return {
    pairs: opts.pairs.length, calls: Math.round(callCount), cachedCalls, inputTokens: Math.round(input), outputTokens: Math.round(output),
    cost, worstCaseCost, note: notes.join(' '), tokenCounting,
  };
}
