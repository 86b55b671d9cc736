// Scenarios (Table 8) and the 16 groups of pairs a dissection is fitted on (section 3.5):
// the 10 scenarios, Unsafe Queries, and the 5 query-specific prerequisite groups (a pair can be in several).

export const SCENARIOS = [
  'Exam Questions', 'Code', 'Creative Writing', 'Functional Writing', 'Communication',
  'Knowledge-aware', 'Advice', 'Daily Tasks', 'NLP Tasks', 'Others',
] as const;
export type Scenario = (typeof SCENARIOS)[number];
export const UNSAFE_GROUP = 'Unsafe Queries';

/** Li et al. (2023a)'s fine scenarios merged into the paper's 10 (Table 8). */
const FINE_TO_SCENARIO: Record<Scenario, string[]> = {
  'Exam Questions': ['math-reasoning', 'solving-exam-question-with-math', 'solving-exam-question-without-math'],
  Code: ['code-simplification', 'code-generation', 'explaining-code', 'code-correction-rewriting', 'code-to-code-translation'],
  'Creative Writing': ['writing-song-lyrics', 'writing-social-media-post', 'writing-blog-post', 'writing-personal-essay', 'creative-writing', 'writing-advertisement', 'writing-marketing-materials', 'writing-presentation-script', 'counterfactual'],
  'Functional Writing': ['writing-product-description', 'writing-job-application', 'writing-news-article', 'writing-biography', 'writing-email', 'writing-legal-document', 'writing-technical-document', 'writing-scientific-paper', 'functional-writing', 'writing-cooking-recipe'],
  Communication: ['value-judgement', 'chitchat'],
  'Knowledge-aware': ['open-question', 'explaining-general', 'verifying-fact'],
  Advice: ['asking-how-to-question', 'seeking-advice'],
  'Daily Tasks': ['analyzing-general', 'roleplay', 'planning', 'recommendation', 'brainstorming'],
  'NLP Tasks': ['ranking', 'text-to-text-translation', 'classification-identification', 'title-generation', 'question-generation', 'reading-comprehension', 'keywords-extraction', 'information-extraction', 'topic-modeling', 'data-analysis', 'post-summarization', 'text-summarization', 'note-summarization', 'text-simplification', 'language-polishing', 'instructional-rewriting', 'text-correction', 'paraphrasing'],
  Others: ['default'],
};

const fineLookup = new Map<string, Scenario>();
for (const s of SCENARIOS) for (const fine of FINE_TO_SCENARIO[s]) fineLookup.set(fine, s);
const normalise = (s: string) => s.trim().toLowerCase().replace(/[\s_]+/g, '-');

/**
 * The paper's scenario for a given label: one of the 10 names (any case, "knowledge aware" too), or a fine
 * scenario of Table 8. Returns undefined for anything else, so the caller can say which value it did not know.
 */
export function toScenario(label: string): Scenario | undefined {
  const key = normalise(label);
  const direct = SCENARIOS.find((s) => normalise(s) === key);
  return direct ?? fineLookup.get(key);
}

export const QUERY_SPECIFIC_GROUPS = ['intent_unclear', 'express_feeling', 'w_constraints', 'w_stances', 'w_mistakes'] as const;
export type QuerySpecificGroup = (typeof QUERY_SPECIFIC_GROUPS)[number];
export const QUERY_SPECIFIC_GROUP_LABELS: Record<QuerySpecificGroup, string> = {
  intent_unclear: 'Unclear intent',
  express_feeling: 'Express feelings',
  w_constraints: 'With explicit constraints',
  w_stances: 'Show subjective stances',
  w_mistakes: 'Contain mistakes or bias',
};

/** The 16 groups in the paper's reference file, in display order. */
export const GROUPS: readonly string[] = [...SCENARIOS, UNSAFE_GROUP, ...QUERY_SPECIFIC_GROUPS];
