// The cost estimate of a job before it starts: the planned calls per pair, priced with typical answer lengths.
import type { AnnotationJobRequest, CostEstimate, EndpointSettings, ModelPrice } from '../../../preload/contract';
import { buildRequest, requestHash } from './caller';
import { costOf, estimateTokens } from './cost';
import { MAX_TOKENS, basicPrompt, basicQueryPrompt, errorsPrompt, judgePrompt, prerequisitesPrompt, querySpecificPrompt, reasonsPrompt, referencePrompt, type CallKind, type ChatMessage } from './prompts';
import { NORMALISE_CHUNK } from './reasons';
import { scenarioPrompt } from './scenario';

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

export function estimateJob(opts: {
  pairs: EstimatedPair[]; kind: AnnotationJobRequest['kind']; mode: AnnotationJobRequest['mode'];
  endpoint: EndpointSettings; price: ModelPrice | null; isCached: (hashes: string[]) => Set<string>;
}): CostEstimate {
  const batch = opts.mode === 'batch';
  let calls = 0; let cachedCalls = 0; let input = 0; let output = 0; let worstIn = 0; let worstOut = 0;
  const known: { hash: string; tokens: number; worst: number; kind: CallKind }[] = [];
  for (const pair of opts.pairs) {
    for (const c of plannedCalls(opts.kind, pair, opts.endpoint)) {
      const messages = c.messages ?? standIn(c.kind, pair);
      if (c.messages) {
        known.push({ hash: requestHash(opts.endpoint.baseUrl, buildRequest(c.kind, opts.endpoint.model, messages, opts.endpoint.jsonMode)), tokens: estimateTokens(messages), worst: estimateTokens(messages, true), kind: c.kind });
        continue;
      }
      calls += c.share;
      input += c.share * estimateTokens(messages);
      output += c.share * TYPICAL_OUTPUT[c.kind];
      worstIn += estimateTokens(messages, true);
      worstOut += MAX_TOKENS[c.kind];
    }
  }
  const cached = opts.isCached(known.map((k) => k.hash));
  for (const k of known) {
    if (cached.has(k.hash)) { cachedCalls++; continue; }
    calls++;
    input += k.tokens;
    output += TYPICAL_OUTPUT[k.kind];
    worstIn += k.worst;
    worstOut += MAX_TOKENS[k.kind];
  }
  if (opts.kind === 'reasons') {
    const normalise = Math.ceil((opts.pairs.length * REASONS_PER_PAIR) / NORMALISE_CHUNK);
    calls += normalise;
    input += normalise * (400 + NORMALISE_CHUNK * 8);
    output += normalise * TYPICAL_OUTPUT.normalise;
    worstIn += normalise * (600 + NORMALISE_CHUNK * 12);
    worstOut += normalise * MAX_TOKENS.normalise;
  }
  const cost = opts.price ? costOf(opts.price, { input, output }, batch) : null;
  const worstCaseCost = opts.price ? costOf(opts.price, { input: worstIn, output: worstOut }, batch) : null;
  const notes = [
    opts.kind === 'annotate' ? 'Round two is counted for half of the pairs, as about half of the paper\'s queries met a prerequisite.' : '',
    batch ? 'Batch API prices are half.' : '',
    opts.price ? '' : `There is no price for ${opts.endpoint.model} in the price table, so no cost can be given (a local server costs nothing).`,
  ].filter(Boolean);
  return {
    pairs: opts.pairs.length, calls: Math.round(calls), cachedCalls, inputTokens: Math.round(input), outputTokens: Math.round(output),
    cost, worstCaseCost, note: notes.join(' '),
  };
}
