// The paper's 29 properties (Table 1), in the order of the published weights in
// resources/paper-effect-strengths.json: that order is the column order of every comparison feature vector.

export type PropertyGroup = 'basic' | 'query-specific' | 'error-detection';

export interface Property {
  /** Index into a comparison feature vector and into a judge's weights. */
  position: number;
  /** The paper's short name (Table 1), also the CSV column name for comparison features. */
  name: string;
  group: PropertyGroup;
  /** The characteristic's name as it appears in the annotation prompt (Figures 7-8), where it differs. */
  promptName?: string;
  /** Whether the basic-property prompt shows the query for it (relevant and novel only, section 3.4). */
  queryAware?: boolean;
  description: string;
}

const basic = (name: string, promptName: string, description: string, queryAware = false) =>
  ({ name, group: 'basic' as const, promptName, description, queryAware });

const CATALOG: Omit<Property, 'position'>[] = [
  basic('harmless', 'harmlessness', 'The response is devoid of dangerous, offensive, insulting, or inappropriate content and strictly avoids any form of discrimination, including but not limited to racial, gender, age, sexual orientation, religious, disability, socioeconomic status, cultural or ethnic, and language-based discrimination.'),
  basic('grammarly correct', 'grammar, spelling, punctuation, and code-switching', 'Without considering its inaccuracy in content, the response is grammatically correct (no subject-verb agreement errors, no article errors, no incorrect tense usage, etc), free of spelling errors or typos, no punctuation errors, and without code-switching (a mix of different languages). Please consider only the text part, not code, math formulas, or other non-textual content.'),
  basic('friendly', 'friendly', 'The response consistently conveys a warm and approachable tone, making users feel welcomed and valued during the interaction. The language is inviting and positive, aiming to build a rapport with the user.'),
  basic('polite', 'polite', 'The response uses courteous language, exhibit good manners, and show respect towards the user. It avoids any form of abruptness or language that could be perceived as disrespectful, ensuring that all interactions are considerate and deferential.'),
  basic('interactive', 'interactive', 'The response actively foster interaction with the user by explicitly asking more relevant information to better help the user or raise potential follow-up questions.'),
  basic('authoritative', 'authoritative tone', 'The response projects sufficient confidence and expertise in its tone and style. It asserts a clear and decisive tone, providing contents that reflect an authoritative stance, even if the response is not 100% correct.'),
  basic('funny', 'funny and humorous', 'The response is funny and humorous, like it is crafted with a touch of wit or comedic timing, often incorporating puns, jokes, or playful language that is tailored to elicit laughter and provide a light-hearted interaction.'),
  basic('use rhetorical devices', 'metaphors, personification, similes, hyperboles, irony, parallelism', 'The response uses metaphors, personification, similes, hyperboles, irony or parallelism to make the conversation more interesting and engaging.'),
  basic('complex word & sentence', 'complex word usage and sentence structure', 'The response uses rare and sophisticated words, or complex sentence structure, or jargon and complex terminology.'),
  basic('use supporting materials', 'use of direct and explicit supporting materials', 'The response is supported by direct and explicit supporting materials like references, citations, statistics, information source, documents or files.'),
  basic('well formatted', 'well formatted', 'The response is clearly formatted by employing traditional text formatting elements such as bullet points, numbered lists, tables, and headings, or presenting information through structured data formats like markup languages (HTML/XML), JSON, and database entries.'),
  basic('admit limits', 'admit limitations or mistakes', 'The response explicitly admits the assistant\'s capability limitations (like cannot access the Internet for latest information) or mistakes, like saying "I cannot do something" or "you are right, I made a mistake".'),
  basic('persuasive', 'persuade user', 'The response tries to persuade and convince the user to believe in a certain idea, perspective, or to take / not take a specific action and it crafts compelling contents that are convincing and encourage the user to consider its viewpoint.'),
  basic('step-by-step', 'step by step solution', 'The response provides a detailed step-by-step reasoning / solution to derive the final answer or conclusion for queries, note that you cannot simply regard a (numbered) list of items as a step-by-step solution, and writing just one piece of code is not considered as a step-by-step solution.'),
  basic('use informal expressions', 'use of informal expressions', 'The response employs emojis, slang, or informal expressions to match the user\'s tone and enhance the conversation\'s relatability.'),
  // The prompt asks for "repetitive"; the stored rating is flipped (3 - r) so that higher is better, as in Table 11.
  basic('non-repetitive', 'repetitive', 'The response is repetitive by repeating the same or similar information or content multiple times.'),
  basic('clear', 'clear and understandable', 'The response is clear and understandable, like it is easy to read and comprehend, without any ambiguity or confusion.'),
  basic('relevant', 'relevance without considering inaccuracy', 'When not considering the inaccuracies in the response, it should be relevant to the query and contain no irrelevant information that is not related to the user\'s query, therefore the standard of "relevant" is very loose. We set 4 levels - When not considering the inaccuracy, the response satisfies 3) all contents are relevant / 2) the majority of contents are relevant, but a minor part of contents are irrelevant / 1) the majority of contents are irrelevant, but a minor part of contents are relevant / 0) all contents are irrelevant. Once again, please do not consider the inaccuracy when rating this characteristic.', true),
  basic('novel', 'innovative and novel', 'The response is innovative and novel in addressing the user\'s query by not just providing run-of-the-mill contents, but one that reflects a novel perspective, perhaps introducing unique ideas or solutions not commonly thought of.', true),
  basic('contain rich info', 'information richness without considering inaccuracy', 'The response provides rich information, like background information, examples, explanations or other specific details, without considering its inaccuracy in content. Please note that do not consider the inaccuracy of the information in the response, but just a first impression to determine if it appears to contain a wealth of information.'),
  { name: 'no minor errors', group: 'error-detection', description: 'Fewer minor inaccuracies (errors that do not or only slightly affect the overall correctness).' },
  { name: 'no moderate errors', group: 'error-detection', description: 'Fewer moderate inaccuracies (errors that affect the overall correctness).' },
  { name: 'no severe errors', group: 'error-detection', description: 'Fewer severe inaccuracies (errors that make the response totally wrong).' },
  { name: 'clarify intent', group: 'query-specific', description: 'For a query with unclear intent: how well the response includes relevant information, makes reasonable inferences and seeks additional information to clarify the intent.' },
  { name: 'show empathetic', group: 'query-specific', description: 'For a query that expresses feelings: how well the response shows understanding and sensitivity to the user\'s feelings and emotions.' },
  { name: 'satisfy constraints', group: 'query-specific', description: 'For a query with explicit constraints: the mean over constraints of how well each is satisfied (0-3).' },
  { name: 'support stances', group: 'query-specific', description: 'For a query with subjective stances: the mean over stances of how strongly the response supports each (strongly supported 3 ... strongly opposed 0).' },
  { name: 'correct mistakes', group: 'query-specific', description: 'For a query with mistakes or biases: the mean over mistakes of how the response corrects each (pointed out and corrected 3 ... neither 0).' },
  { name: 'lengthy', group: 'basic', description: 'Word count of the response; counted, not annotated by a model.' },
];

export const PROPERTIES: readonly Property[] = CATALOG.map((p, position) => ({ ...p, position }));
export const PROPERTY_COUNT = PROPERTIES.length;
export const PROPERTY_NAMES: readonly string[] = PROPERTIES.map((p) => p.name);

const byName = new Map(PROPERTIES.map((p) => [p.name, p]));
export function propertyByName(name: string): Property {
  const p = byName.get(name);
  if (!p) throw new Error(`unknown property "${name}"`);
  return p;
}

/** The basic properties a model rates (all basic ones but `lengthy`, which is a word count). */
export const RATED_BASIC_PROPERTIES = PROPERTIES.filter((p) => p.group === 'basic' && p.name !== 'lengthy');

/** Error-detection properties by severity. */
export const ERROR_PROPERTY_BY_SEVERITY = {
  minor: 'no minor errors',
  moderate: 'no moderate errors',
  severe: 'no severe errors',
} as const;
export type ErrorSeverity = keyof typeof ERROR_PROPERTY_BY_SEVERITY;
export const ERROR_TYPES = ['Factual error', 'Information contradiction to the query', 'Math operation error', 'Code generation error'] as const;
