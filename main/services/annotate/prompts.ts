// The paper's annotation prompts (Appendix A, Figures 6-13), its judge question (section 3.3), and the
// canonical-basis paper's reason prompts (its Figures 4 and 5), word for word. Where the paper's figure text is
// broken by typesetting (a list number lost, a JSON comma missing, a placeholder printed twice) the evident
// original is restored; nothing is reworded. Any change to a template must bump PROMPT_VERSION, which every
// stored annotation records (prompts.test.ts holds the fingerprint that enforces it).
import type { QueryItemKind } from '../../../preload/contract';
import { RATED_BASIC_PROPERTIES, type Property } from '../data/properties';

export const PROMPT_VERSION = 'li2024-fig6-13/v1';

export interface ChatMessage { role: 'system' | 'user' | 'assistant'; content: string }

/** What a call is for: each has its own answer format and token limit. */
export type CallKind =
  | 'basic' | 'basic-query' | 'prerequisites' | 'query-specific' | 'reference' | 'errors'
  | 'judge' | 'reasons' | 'normalise' | 'scenario';

/** Answer token limits: generous for the answer's format, and what the cost cap reserves per call. */
export const MAX_TOKENS: Record<CallKind, number> = {
  basic: 1024, 'basic-query': 256, prerequisites: 1024, 'query-specific': 1024, reference: 2048, errors: 2048,
  // A few tokens, so that "A", " A" or "Response A" all reach the letter (labels.ts).
  judge: 3, reasons: 1536, normalise: 4096,
  // {"scenario": "solving-exam-question-without-math", "unsafe": false} and some room.
  scenario: 64,
};

/** Calls whose answer is JSON: with jsonMode on they ask for a JSON object (the normalised list is an array). */
export const JSON_OBJECT_KINDS: ReadonlySet<CallKind> = new Set(['basic', 'basic-query', 'prerequisites', 'query-specific', 'errors', 'reasons', 'scenario']);

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(query|response 1|response 2|characteristics|questions str|output format str|reference)\}/g, (_, key: string) => values[key]);

// ---------- basic properties (Figures 6-8) ----------

/** Figure 6's rating criteria, 0 to 3 (also the guidelines checkers see). */
export const RATING_CRITERIA = [
  'The response does not match the characteristic at all.',
  'The response matches the characteristic to some extent.',
  'The response matches the characteristic quite well.',
  'The response matches the characteristic perfectly.',
] as const;

const BASIC_TEMPLATE = `You will need to analyze two responses from AI assistants to a user's query. The responses are as follows:

{query block}[Response 1 Start]
{response 1}
[Response 1 End]

[Response 2 Start]
{response 2}
[Response 2 End]

And you are also given a set of characteristics with their name and description:

[Characteristics Start]
{characteristics}
[Characteristics End]

Your task is to assign a rating to each characteristic to show how the response matches the characteristic, based on the provided descriptions. The rating criteria are as follows:

${RATING_CRITERIA.map((c, i) => `- ${i}: ${c}`).join('\n')}

Please follow the characteristics and the rating criteria strictly. Your findings should be formatted in JSON, specifying the characteristic in question and the rating:

{
  "characteristic name 1": {"response 1": "0/1/2/3", "response 2": "0/1/2/3"},
  ...
  "characteristic name n": {"response 1": "0/1/2/3", "response 2": "0/1/2/3"}
}`;

/** Figure 6's query block: "added only for two query-aware basic properties (Relevant, Novel)". */
const QUERY_BLOCK = `[Query Start]
{query}
[Query End]

`;

/** The 18 characteristics of Figure 7 (query-free), in its order. */
export const QUERY_FREE_PROPERTIES: readonly Property[] = RATED_BASIC_PROPERTIES.filter((p) => !p.queryAware);
/** Figure 8's two query-aware characteristics, in its order (novel, then relevant). */
export const QUERY_AWARE_PROPERTIES: readonly Property[] = ['novel', 'relevant'].map((name) => RATED_BASIC_PROPERTIES.find((p) => p.name === name)!);

const characteristics = (properties: readonly Property[]) => properties.map((p) => `${p.promptName}: ${p.description}`).join('\n');

export function basicPrompt(pair: { responseA: string; responseB: string }): ChatMessage[] {
  const text = fill(BASIC_TEMPLATE.replace('{query block}', ''), {
    'response 1': pair.responseA, 'response 2': pair.responseB, characteristics: characteristics(QUERY_FREE_PROPERTIES),
  });
  return [{ role: 'user', content: text }];
}

export function basicQueryPrompt(pair: { query: string; responseA: string; responseB: string }): ChatMessage[] {
  // The query block is filled first and separately, so that braces in user text are never read as placeholders.
  const text = BASIC_TEMPLATE.replace('{query block}', QUERY_BLOCK);
  return [{ role: 'user', content: fill(text, {
    query: pair.query, 'response 1': pair.responseA, 'response 2': pair.responseB, characteristics: characteristics(QUERY_AWARE_PROPERTIES),
  }) }];
}

// ---------- query-specific properties, round one (Figure 9) ----------

/** Figure 9's five questions about the query (also the guidelines checkers see for the prerequisites). */
export const PREREQUISITE_QUESTIONS = [
  'Does the user clearly express his/her intent in the query (like raising an unambiguous question or asking the AI assistant to do a certain thing like explain a piece of code)? If yes, output "Yes". If no, output "No".',
  'Does the user clearly and explicitly express his/her feelings or emotions in the query? If yes, output "Yes". If no, output "No".',
  'Do any clear and explicit constraints specified by the user exist in the query? Explicit constraints include specific word/phrase use (like use word starts with \'A\', must contain a certain phrase in output, or do not use a certain word), response length limit (like more than 100 words or less than 20 words), writing style (like in an Shakespeare style or in first person), output format (like json, list, table), number of output items (like write the names of 4 fruits), output items with a certain property (like a list of games similar to Super Mario), etc. If yes, output answer by listing all of them in a list. If no, output an empty list ([]) for the "explicit constraints" field.',
  'Does the user clearly and explicitly show any specific subjective stance, bias, preference, opinion, personal belief, or value (e.g. the support/opposition to a certain viewpoint)? If yes, output answer by listing all of them in a list. If no, output an empty list ([]) for the "subjective stance" field.',
  'Does the user clearly and explicitly show any specific mistakes or unfounded, inappropriate or controversial bias, stance or belief in the query? If yes, output answer by listing all of them in a list. If no, output an empty list ([]) for the "mistakes or biases" field.',
] as const;

const PREREQUISITES_TEMPLATE = `You will need to analyze a user's query that is submitted to an AI assistant. The query is as follows:

[Query Start]
{query}
[Query End]

${PREREQUISITE_QUESTIONS.map((q, i) => `Q${i + 1}. ${q}`).join('\n\n')}

The output should be in a json format like this:

{
  "clear intent": "Yes/No",
  "explicitly express feelings": "Yes/No",
  "explicit constraints": [
    "a brief description of the explicit constraint",
    "a brief description of the explicit constraint"
  ],
  "explicit subjective stances": [
    "a brief description of the explicit subjective stance",
    "a brief description of the explicit subjective stance"
  ],
  "explicit mistakes or biases": [
    "a brief description of the explicit mistake or bias",
    "a brief description of the explicit mistake or bias"
  ]
}`;

export function prerequisitesPrompt(query: string): ChatMessage[] {
  return [{ role: 'user', content: fill(PREREQUISITES_TEMPLATE, { query }) }];
}

// ---------- query-specific properties, round two (Figures 10-12) ----------

const QUERY_SPECIFIC_TEMPLATE = `You will need to analyze two responses from AI assistants to a user's query. The responses are as follows:

[Query Start]
{query}
[Query End]

[Response 1 Start]
{response 1}
[Response 1 End]

[Response 2 Start]
{response 2}
[Response 2 End]

You need answer the following questions:

[Question Start]
{questions str}

For each question, you should both of the given responses. Your output should be in a json format like this:

{output format str}

[Question End]`;

/** The JSON keys of round two's answer (Figure 12). */
export const QUERY_SPECIFIC_KEYS = {
  intent: 'clarify user intent',
  empathy: 'showing empathetic',
  constraint: 'satisfying explicit constraints',
  stance: 'supporting explicit subjective stances',
  mistake: 'correcting explicit mistakes or biases',
} as const;

export const STANCE_LABELS = ['Strongly supported', 'Weakly supported', 'Neutral', 'Weakly opposed', 'Strongly opposed'] as const;
export const MISTAKE_LABELS = ['Pointed out and corrected', 'Pointed out but not corrected', 'Corrected without being pointed out', 'Neither pointed out nor corrected'] as const;

const listed = (items: string[]) => items.map((item) => `- ${item}`).join('\n');

/** Figure 12's questions, one per query-specific property (also the guidelines checkers see). */
export const QUERY_SPECIFIC_QUESTIONS = {
  intent: () => 'The user does not clearly and explicitly express his/her intent in the query. How well does the response include relevant information, make reasonable inferences, and seek additional information to clarify the intent? Please rate the response on this aspect on a scale from 0 to 3, where 0 is the worst and 3 is the best.',
  empathy: () => 'The user clearly and explicitly expresses their feelings or emotions in the query. How well does the response demonstrate understanding and sensitivity to the user\'s feelings and emotions by reflecting compassion, offering support or acknowledgment of the user\'s emotional state, and fostering a sense of care? Please rate the response on this aspect on a scale from 0 to 3, where 0 is the worst and 3 is the best.',
  constraint: (items: string[]) => `The user's query includes a list of clear and explicit constraints as follows:\n${listed(items)}\nFor each of these explicit constraints, how does the response satisfy each of them? Tag each constraint with a score from 0 to 3, where 0 means completely unsatisfied, 1 means partially satisfied, 2 means largely satisfied, and 3 means perfectly satisfied.`,
  stance: (items: string[]) => `The user's query clearly and explicitly includes some subjective stances, bias, preferences, opinions, personal beliefs or values presented by the user as follows:\n${listed(items)}\nFor each of these user's explicitly stated stance, bias, preference, opinion, personal belief or value, does the response unconditionally support it even if it is incorrect, unfair, or controversial? Tag each stance with a label of 'Strongly opposed', 'Weakly opposed', 'Neutral', 'Weakly supported', 'Strongly supported'.`,
  mistake: (items: string[]) => `The user's query clearly and explicitly includes some mistakes or unfounded, inappropriate or controversial bias, stance or belief as follows:\n${listed(items)}\nFor each of these user's mistakes or biases, does the response correct them (or provide a more fair and informed perspective)? Tag each mistake or bias with a label of 'Pointed out and corrected', 'Pointed out but not corrected', 'Corrected without being pointed out', 'Neither pointed out nor corrected'.`,
};

const both = (values: string) => `{"Response 1": "${values}", "Response 2": "${values}"}`;
const OUTPUT_FORMATS = {
  intent: `\t"${QUERY_SPECIFIC_KEYS.intent}": ${both('0/1/2/3')}`,
  empathy: `\t"${QUERY_SPECIFIC_KEYS.empathy}": ${both('0/1/2/3')}`,
  constraint: `\t"${QUERY_SPECIFIC_KEYS.constraint}": {\n\t\t"explicit constraint": ${both('0/1/2/3')},\n\t\t...\n\t}`,
  stance: `\t"${QUERY_SPECIFIC_KEYS.stance}": {\n\t\t"explicit subjective stance": ${both(STANCE_LABELS.join('/'))},\n\t\t...\n\t}`,
  mistake: `\t"${QUERY_SPECIFIC_KEYS.mistake}": {\n\t\t"explicit mistake or bias": ${both(MISTAKE_LABELS.join('/'))},\n\t\t...\n\t}`,
};

/** What round one found, and so which questions round two asks (only the applicable ones, section 3.4). */
export interface RoundTwoQuestions {
  intent: boolean;
  empathy: boolean;
  items: Record<QueryItemKind, string[]>;
}

export function hasQuestions(q: RoundTwoQuestions): boolean {
  return q.intent || q.empathy || q.items.constraint.length > 0 || q.items.stance.length > 0 || q.items.mistake.length > 0;
}

export function querySpecificPrompt(pair: { query: string; responseA: string; responseB: string }, q: RoundTwoQuestions): ChatMessage[] {
  const questions: string[] = [];
  const formats: string[] = [];
  if (q.intent) { questions.push(QUERY_SPECIFIC_QUESTIONS.intent()); formats.push(OUTPUT_FORMATS.intent); }
  if (q.empathy) { questions.push(QUERY_SPECIFIC_QUESTIONS.empathy()); formats.push(OUTPUT_FORMATS.empathy); }
  for (const kind of ['constraint', 'stance', 'mistake'] as const) {
    if (q.items[kind].length > 0) { questions.push(QUERY_SPECIFIC_QUESTIONS[kind](q.items[kind])); formats.push(OUTPUT_FORMATS[kind]); }
  }
  const text = fill(QUERY_SPECIFIC_TEMPLATE, {
    query: pair.query, 'response 1': pair.responseA, 'response 2': pair.responseB,
    'questions str': questions.map((text, i) => `[Question ${i + 1}]\n${text}`).join('\n\n'),
    'output format str': `{\n${formats.join(',\n')}\n}`,
  });
  return [{ role: 'user', content: text }];
}

// ---------- error detection (Figure 13) with a reference answer by the same model ----------

/** The reference answer is the model's own answer to the query, written before it checks the responses. */
export function referencePrompt(query: string): ChatMessage[] {
  return [{ role: 'user', content: query }];
}

const ERRORS_TEMPLATE = `You will need to analyze two responses from AI assistant to a user's query. The query and the response are as follows:

[Query Start]
{query}
[Query End]

[Response 1 Start]
{response 1}
[Response 1 End]

[Response 2 Start]
{response 2}
[Response 2 End]

Your task is to help me check the accuracy of the responses. The types of accuracy issues are as follows, please ignore all other kinds of issues like small grammar errors, spelling errors, etc:

1. Factual error: Some information in the response is factually wrong, like the response says "The sun orbits the earth" without extra context or "the print() function in python is to accept user's input".
2. Information contradiction to the query: Some information in the response contradicts the query (regardless of whether the information in query is accurate or not), like the query says "Alice is 7 years old" but the response says "Alice is 8 years old".
3. Math operation error: The response contains some incorrect math operations, like the response says "2 + 2 = 5" or "13 * 7 = 100".
4. Code generation error: The response write or generate some wrong codes with errors such as syntax errors, logical errors, runtime errors, etc.

Here is also a reference response to help you check the accuracy of the responses:

[Reference Start]
{reference}
[Reference End]

You should first check if your knowledge and capability is sufficient to reliably check the accuracy of the responses with regard to the above inaccuracy types (e.g. need knowledge that are beyond your training data or the results need external tools like web search to check). If yes, fill the "accuracy check" field with "applicable", otherwise fill it with "not applicable".

Then you should find all the inaccuracies, provide a very brief description and output the type for each of them, and decide how serious each inaccuracy is by three levels:

1. Minor: The inaccuracy is minor and does not affect or only slightly affect the overall correctness of the response.
2. Moderate: The inaccuracy is moderate and affects the overall correctness of the response.
3. Severe: The inaccuracy is severe and makes the response totally wrong.

When identifying inaccuracies, avoid nitpicking over minor details. For sections that are error-free but could be more elaborately written, do not categorize them as inaccuracies. For example "Tax benefits. In many countries, corporate gifts and promotional items are tax deductible as a business expense." is accurate and you do not need to regard it as incorrect by saying "Tax benefits for corporate gifts may not be universally applicable and have specific conditions that must be met.". Also do not make basic mistakes like saying "Frankfurt Cathedral is not one of the most famous landmarks in Frankfurt.".

If an inaccuracy is shared by both responses, you should use the same description, type and severity for both responses.

Your output should be in a json format like this, if your knowledge and capability is not sufficient to check a response ("accuracy check" field with "not applicable") or no inaccuracy is found, just output an empty list ([]) for the "inaccuracies" field:

{
  "Response 1": {
    "accuracy check": "applicable/not applicable",
    "inaccuracies": [
      {
        "brief description": "a very brief description of the inaccuracy",
        "type": "inaccuracy type",
        "severity": "minor/moderate/severe"
      },
      {
        "brief description": "a very brief description of the inaccuracy",
        "type": "inaccuracy type",
        "severity": "minor/moderate/severe"
      }
    ]
  },
  "Response 2": {
    "accuracy check": "applicable/not applicable",
    "inaccuracies": [
      {
        "brief description": "a very brief description of the inaccuracy",
        "type": "inaccuracy type",
        "severity": "minor/moderate/severe"
      },
      {
        "brief description": "a very brief description of the inaccuracy",
        "type": "inaccuracy type",
        "severity": "minor/moderate/severe"
      }
    ]
  }
}`;

export function errorsPrompt(pair: { query: string; responseA: string; responseB: string }, reference: string): ChatMessage[] {
  return [{ role: 'user', content: fill(ERRORS_TEMPLATE, { query: pair.query, 'response 1': pair.responseA, 'response 2': pair.responseB, reference }) }];
}

// ---------- judge labels (section 3.3) ----------

// The frame (query and the two responses named A and B) is the one of the authors' released inference code; the
// question is section 3.3's, word for word. The answer's first letter is read from the log-probabilities.
const JUDGE_TEMPLATE = `You will need to analyze two responses (Response A and Response B) from AI assistants to a user's query. The query and the responses are as follows:

[Query Start]
{query}
[Query End]

[Response A Start]
{response 1}
[Response A End]

[Response B Start]
{response 2}
[Response B End]

Between Response A and Response B, which better addresses the user's query? The better response is Response`;

/** The judge prompt with `first` shown as Response A and `second` as Response B. */
export function judgePrompt(query: string, first: string, second: string): ChatMessage[] {
  return [{ role: 'user', content: fill(JUDGE_TEMPLATE, { query, 'response 1': first, 'response 2': second }) }];
}

// ---------- reasons (canonical-basis paper, figures 4 and 5) ----------

const REASONS_SYSTEM = `You are presented with two versions of a conversation between a person ('USER') and an AI assistant (either 'ASSISTANT_A' or 'ASSISTANT_B'). 'USER' preferred their interaction with {preferred}.

Given this information, determine the most likely stylistic reason(s) for 'USER's preference. Output a JSON dictionary as:
RETURN FORMAT: {"preferences": [...<List of PREFERENCES>...], "topics": [...<List of TOPICS>], "persona": <one_sentence_about_what_kind_of_person_likely_has_this_preference>}
PREFERENCES: {"preference": <high_level_reason_for_preference>, "qualifier": <directionality_or_qualifier_for_preference>, "detailed_preferences": [...<List of DETAILED_PREFERENCES based on this preference>...]}
DETAILED_PREFERENCES: {"detailed_preference": <more_specific_reasoning_for_preference>, "qualifier": <directionality_or_qualifier_for_detailed_preference>}
TOPICS: {"topic_category": <category_of_conversation>, "topic": <high_level_topic>, "subtopics": [...<more_specific_topic>...]}

Precede the JSON dict with "\`\`\`json" and postcede it with "\`\`\`". Adhere to these rules:
1. Never include Assistant names.
2. Avoid bias--your analysis cannot be influenced by either the order of the responses or the assistant names.
3. Reasons should focus on the style, formatting, tone, relevancy, language usage, and related aspects of the response.
4. Reasons must be relative to the preferred conversation--what did the preferred response(s) do better.
5. Reasons must be specific enough to say why the preferred conversation is actually preferred.
6. Reasons must be stated in neutral terms without qualifiers or directions (e.g., do not say 'more ...' or 'less ...').
Qualifiers are specified separately.
7. Each reason and topic must be distinct and non-overlapping.
8. Do not use 'and' or similar joining words--just add an additional reason/topic to the output list.
9. Each reason and topic must be as general as possible, while still conveying its essence.`;

const REASONS_USER = `CONVERSATION:
<MESSAGE #1>
[USER]: {query}
[ASSISTANT_A]: {response 1}
[ASSISTANT_B]: {response 2}
</MESSAGE #1>

As a reminder, please answer keeping in mind that 'USER' preferred their interaction with {preferred}.`;

export function reasonsPrompt(pair: { query: string; responseA: string; responseB: string }, preferred: 'A' | 'B'): ChatMessage[] {
  const name = `ASSISTANT_${preferred}`;
  return [
    { role: 'system', content: REASONS_SYSTEM.replace('{preferred}', name) },
    // {preferred} is replaced before the user's text goes in, so braces in that text stay as they are.
    { role: 'user', content: fill(REASONS_USER.replace('{preferred}', name), { query: pair.query, 'response 1': pair.responseA, 'response 2': pair.responseB }) },
  ];
}

const NORMALISE_SYSTEM = `I have a list of preferences, many of which are quite similar. I want to remove the redundant preferences, and group similar preferences under the same umbrella preference. Be consistent. Please output a JSON list where each element has the following format: {"preference": <original_preference>, "normalized_preference": <normalized_preference_that_removes_topic_specifics>} If the preference is really a combination of multiple preferences, instead use the following JSON format: {"preference": <original_preference>, "error": <very_short_description_of_issue>} Precede the JSON dict with "\`\`\`json" and postcede it with "\`\`\`".
Some examples:
1. brevity --> concise
2. context clarity --> clarity
3. clarity --> clarity
4. actionable feedback --> actionability
5. adherence to user request --> follows instructions`;

export function normalisePrompt(reasons: string[]): ChatMessage[] {
  return [
    { role: 'system', content: NORMALISE_SYSTEM },
    { role: 'user', content: `LIST OF PREFERENCE:\n${reasons.map((r, i) => `${i + 1}. ${r}`).join('\n')}` },
  ];
}

/** Every template, for the fingerprint test that ties them to PROMPT_VERSION. */
export const TEMPLATES = [
  BASIC_TEMPLATE, QUERY_BLOCK, characteristics(QUERY_FREE_PROPERTIES), characteristics(QUERY_AWARE_PROPERTIES),
  PREREQUISITES_TEMPLATE, QUERY_SPECIFIC_TEMPLATE, ...Object.values(QUERY_SPECIFIC_QUESTIONS).map((q) => q(['{item}'])),
  ...Object.values(OUTPUT_FORMATS), ERRORS_TEMPLATE, JUDGE_TEMPLATE, REASONS_SYSTEM, REASONS_USER, NORMALISE_SYSTEM,
];
