// Scenarios (Table 8) and the 16 groups of pairs a dissection is fitted on (section 3.5):
// the 10 scenarios, Unsafe Queries, and the 5 query-specific prerequisite groups (a pair can be in several).

import { SCENARIO_NAMES } from '../../../preload/contract';

export const SCENARIOS = SCENARIO_NAMES;
export type Scenario = (typeof SCENARIOS)[number];
export const UNSAFE_GROUP = 'Unsafe Queries';

/**
 * Li et al. (2023a)'s fine scenarios (Auto-J) merged into the paper's 10 (Table 8), each with Auto-J's own definition
 * as published in GAIR-NLP/auto-j, other_resources/constants.py (SUPPORTED_SCENARIOS; Table 8's "default" is
 * Auto-J's "others"). The scenario job puts these definitions in its prompt.
 */
export interface FineScenario { name: string; scenario: Scenario; definition: string }

const FINE: Record<Scenario, [string, string][]> = {
  'Exam Questions': [
    ['math-reasoning', 'Write an answer with the step-by-step reasoning process for a math question.'],
    ['solving-exam-question-with-math', 'Solve an exam question (like fill-in-the-blank, multiple choice, true/false, matching, ordering, problem solving, etc) with math involved.'],
    ['solving-exam-question-without-math', 'Solve an exam question (like fill-in-the-blank, multiple choice, true/false, matching, ordering, problem solving, etc) with no math involved.'],
  ],
  Code: [
    ['code-simplification', 'Rewrite a piece of code to make it more concise and easy to understand.'],
    ['code-generation', 'Write a piece of code based on the given description.'],
    ['explaining-code', 'Write an explanation for a piece of code.'],
    ['code-correction-rewriting', "Correct the potential errors in a piece of code or rewrite the code by user's requirements."],
    ['code-to-code-translation', 'Convert the given code into another programming language.'],
  ],
  'Creative Writing': [
    ['writing-song-lyrics', 'Write song lyrics.'],
    ['writing-social-media-post', 'Write a post that will be posted on social media such as Twitter, Instagram, Facebook or LinkedIn.'],
    ['writing-blog-post', 'Write a blog post on the website.'],
    ['writing-personal-essay', 'Write an essay that explores topics through personal experiences, insights or understanding.'],
    ['creative-writing', 'Conduct a creative writing task, like writing stories, poems, dramas, novels, screenplays, etc.'],
    ['writing-advertisement', 'Write an advertisement for a product or service.'],
    ['writing-marketing-materials', "Write marketing materials that help you communicate your brand's products or services to your target market."],
    ['writing-presentation-script', 'Write a speech/presentation script for a public speech.'],
    ['counterfactual', 'Answer questions or write texts under counterfactual premises.'],
  ],
  'Functional Writing': [
    ['writing-product-description', 'Write a product description that describes and explains your product or service.'],
    ['writing-job-application', 'Write a job application for your job search.'],
    ['writing-news-article', 'Write a news article for the newspaper.'],
    ['writing-biography', 'Write a biography for a person.'],
    ['writing-email', 'Write an email.'],
    ['writing-legal-document', 'Write a legal document involving one or multiple parties that can be relied upon in court.'],
    ['writing-technical-document', 'Write a technical document that describes the function and structure of a technical product (or concept) or a product that is being developed or has been put into use.'],
    ['writing-scientific-paper', 'Write a scientific paper that shares your own original research work with other scientists.'],
    ['functional-writing', 'Conduct a functional writing task, like proposals, reports, memos, emails, letters, resumes, polls, questionnaires, surveys, schedules, instructions, manuals, recipes, reviews, etc.'],
    ['writing-cooking-recipe', 'Write a cooking recipe that teaches people how to prepare a meal.'],
  ],
  Communication: [
    ['value-judgement', 'Provide a value judgment on a given topic or statement.'],
    ['chitchat', 'Chitchat with the user.'],
  ],
  'Knowledge-aware': [
    ['open-question', "The user's query is an open domain question with no attached passage or article. You should choose this if the query is a question and none of the other scenarios match it well."],
    ['explaining-general', 'Explain something the user wants to know.'],
    ['verifying-fact', 'Verify if the given fact is true or false.'],
  ],
  Advice: [
    ['asking-how-to-question', 'Give relevant and complete instructions when users ask `how to do` something.'],
    ['seeking-advice', 'Respond well to users when they seek advice.'],
  ],
  'Daily Tasks': [
    ['analyzing-general', 'Analyze a certain thing (like a topic, issue, material, text etc.) given by the user.'],
    ['roleplay', 'Pretend to be a specific person, character, profession or identity, and complete the required task on this basis.'],
    ['planning', 'Write a plan for an event or activity.'],
    ['recommendation', 'Give recommendations to users.'],
    ['brainstorming', 'Brainstorm ideas or items for a given topic.'],
  ],
  'NLP Tasks': [
    ['ranking', 'Sort some things, according to some criteria.'],
    ['text-to-text-translation', 'Translate the given text into another language.'],
    ['classification-identification', 'Classify or identify one or multiple objects given by the user into specific categories.'],
    ['title-generation', 'Generate a title for the given text or based on a description of the work.'],
    ['question-generation', 'Generate one or multiple questions based on the given topic or attached text.'],
    ['reading-comprehension', 'Answer the questions that can be directly answered by the attached passage.'],
    ['keywords-extraction', 'Extract the keywords from a piece of text.'],
    ['information-extraction', "Extract one or multiple user-specified categories of information from a piece of text attached in the user's query."],
    ['topic-modeling', 'Extract the high-level topics or themes from a given text, i.e., what kind of topics are discussed in the text.'],
    ['data-analysis', 'Analyze certain data given by the user.'],
    ['post-summarization', 'Write a summary for a reddit post.'],
    ['text-summarization', 'Write a summary for a piece of text.'],
    ['note-summarization', 'Write a note to summarize a piece of text.'],
    ['text-simplification', 'Reduce the complexity of the vocabulary and sentence structure of text while retaining its original meaning, with the goal of improving readability and understanding.'],
    ['language-polishing', 'Polish a piece of text to make it more fluent, natural, and readable.'],
    ['instructional-rewriting', 'Rewrite a given text with a specific instruction.'],
    ['text-correction', 'Correct the potential errors in a piece of text.'],
    ['paraphrasing', 'Paraphrasing a given text.'],
  ],
  Others: [['default', "Respond to the user's query."]],
};

/** The 58 fine scenarios of Table 8, in its order. */
export const FINE_SCENARIOS: readonly FineScenario[] = SCENARIOS.flatMap((scenario) =>
  FINE[scenario].map(([name, definition]) => ({ name, scenario, definition })));

const fineLookup = new Map<string, Scenario>(FINE_SCENARIOS.map((f) => [f.name, f.scenario]));
export const normalise = (s: string) => s.trim().toLowerCase().replace(/[\s_]+/g, '-');

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

/** The 16 groups in the paper's reference file, in display order. */
export const GROUPS: readonly string[] = [...SCENARIOS, UNSAFE_GROUP, ...QUERY_SPECIFIC_GROUPS];
