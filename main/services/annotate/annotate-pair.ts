// One pair through the paper's prompts (section 3.4): the item of an annotation job.
import type { AnnotationCallRecord } from '../data/annotations-store';
import type { WorkItem } from './store';
import { all, ask, askJson } from './ask';
import type { Caller } from './caller';
import { roundTwoQuestions, toAnnotation } from './convert';
import { parseBasic, parseErrors, parsePrerequisites, parseQuerySpecific, parseReference } from './parse';
import { PROMPT_VERSION, QUERY_AWARE_PROPERTIES, QUERY_FREE_PROPERTIES, basicPrompt, basicQueryPrompt, errorsPrompt, hasQuestions, prerequisitesPrompt, querySpecificPrompt, referencePrompt } from './prompts';

export interface AnnotatedPair { annotation: ReturnType<typeof toAnnotation>; calls: AnnotationCallRecord[] }

/**
 * The paper's annotation of one pair: basic properties (query-free and query-aware), round one of the
 * query-specific properties and the reference answer at once; then round two (only when round one found
 * something to ask) and error detection with the reference (the pair's own when its source gave one).
 */
export async function annotatePair(pair: WorkItem, caller: Caller, retrying: boolean): Promise<AnnotatedPair> {
  const [basic, basicQuery, prerequisites, reference] = await all([
    askJson(caller, 'basic', basicPrompt(pair), (v) => parseBasic(v, QUERY_FREE_PROPERTIES), retrying),
    askJson(caller, 'basic-query', basicQueryPrompt(pair), (v) => parseBasic(v, QUERY_AWARE_PROPERTIES), retrying),
    askJson(caller, 'prerequisites', prerequisitesPrompt(pair.query), parsePrerequisites, retrying),
    // A reference answer that came with the pair is used as it is (no call, nothing recorded).
    pair.reference !== null
      ? Promise.resolve(null)
      : ask(caller, 'reference', referencePrompt(pair.query), (a) => parseReference(a.content), retrying),
  ] as const);
  const questions = roundTwoQuestions(prerequisites.value);
  const [querySpecific, errors] = await all([
    hasQuestions(questions)
      ? askJson(caller, 'query-specific', querySpecificPrompt(pair, questions), (v) => parseQuerySpecific(v, questions), retrying)
      : Promise.resolve(null),
    askJson(caller, 'errors', errorsPrompt(pair, reference?.value ?? pair.reference!), parseErrors, retrying),
  ] as const);
  const annotation = toAnnotation({
    responseA: pair.responseA, responseB: pair.responseB, basic: { ...basic.value, ...basicQuery.value },
    prerequisites: prerequisites.value, querySpecific: querySpecific?.value ?? null, errors: errors.value,
    model: caller.model, promptVersion: PROMPT_VERSION,
  });
  const call = (part: AnnotationCallRecord['part'], a: { raw: string; hash: string }) => ({ part, rawOutput: a.raw, requestHash: a.hash });
  return {
    annotation,
    calls: [
      call('basic', basic), call('basic-query', basicQuery), call('prerequisites', prerequisites),
      ...(reference ? [call('reference', reference)] : []),
      ...(querySpecific ? [call('query-specific', querySpecific)] : []), call('errors', errors),
    ],
  };
}
