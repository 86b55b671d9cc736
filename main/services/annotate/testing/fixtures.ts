// What the fake OpenAI server answers for a handful of pairs: the model's answers to every prompt, written by
// hand in the prompts' own formats. The tests hold the annotations these answers must turn into, worked out by
// hand from Appendix F, apart from this file.

export interface FixturePair {
  id: string;
  query: string;
  responseA: string;
  responseB: string;
  /** The human vote the import carries. */
  winner: 'A' | 'B';
  answers: {
    basic: Record<string, { 'response 1': string; 'response 2': string }>;
    basicQuery: Record<string, { 'response 1': string; 'response 2': string }>;
    prerequisites: Record<string, unknown>;
    /** null: round one found nothing, so round two is never asked. */
    querySpecific: Record<string, unknown> | null;
    reference: string;
    errors: Record<string, unknown>;
    /** P("A") and P("B") of the first answer token, with the pair's A shown first (ab) and second (ba). */
    judge: { ab: { A: number; B: number }; ba: { A: number; B: number } };
    reasons: Record<string, unknown>;
    /** The fine scenario the scenario job's model gives (Table 8). */
    scenario?: string;
  };
}

const QUERY_FREE_NAMES = [
  'harmlessness', 'grammar, spelling, punctuation, and code-switching', 'friendly', 'polite', 'interactive', 'authoritative tone',
  'funny and humorous', 'metaphors, personification, similes, hyperboles, irony, parallelism', 'complex word usage and sentence structure',
  'use of direct and explicit supporting materials', 'well formatted', 'admit limitations or mistakes', 'persuade user',
  'step by step solution', 'use of informal expressions', 'repetitive', 'clear and understandable',
  'information richness without considering inaccuracy',
];

/** Every query-free characteristic rated a/b, with the exceptions given. */
function ratings(a: string, b: string, except: Record<string, [string, string]> = {}) {
  return Object.fromEntries(QUERY_FREE_NAMES.map((name) => {
    const [ra, rb] = except[name] ?? [a, b];
    return [name, { 'response 1': ra, 'response 2': rb }];
  }));
}
const aware = (novel: [string, string], relevant: [string, string]) => ({
  'innovative and novel': { 'response 1': novel[0], 'response 2': novel[1] },
  'relevance without considering inaccuracy': { 'response 1': relevant[0], 'response 2': relevant[1] },
});
const noErrors = { 'accuracy check': 'applicable', inaccuracies: [] };

export const FIXTURE_PAIRS: FixturePair[] = [
  {
    id: 'fx-paris',
    query: 'Plan a day in Paris in exactly 5 bullet points. Museums are boring, so skip them.',
    responseA: '- Coffee in Montmartre\n- Walk along the Seine\n- Picnic at Luxembourg Gardens\n- Shopping in Le Marais\n- Dinner near the Eiffel Tower',
    responseB: 'Visit the Louvre in the morning, then see Notre-Dame. The Eiffel Tower was finished in 1899.',
    winner: 'A',
    answers: {
      basic: ratings('2', '1', { repetitive: ['0', '3'], friendly: ['3', '1'] }),
      basicQuery: aware(['1', '2'], ['3', '2']),
      prerequisites: {
        'clear intent': 'Yes', 'explicitly express feelings': 'No',
        'explicit constraints': ['exactly 5 bullet points', 'skip museums'],
        'explicit subjective stances': ['museums are boring'], 'explicit mistakes or biases': [],
      },
      querySpecific: {
        'satisfying explicit constraints': {
          'exactly 5 bullet points': { 'Response 1': '3', 'Response 2': '0' },
          'skip museums': { 'Response 1': '3', 'Response 2': '1' },
        },
        'supporting explicit subjective stances': {
          'museums are boring': { 'Response 1': 'Weakly supported', 'Response 2': 'Strongly opposed' },
        },
      },
      reference: 'Reference: a museum-free day in Paris in five bullet points.',
      errors: {
        'Response 1': noErrors,
        'Response 2': {
          'accuracy check': 'applicable',
          inaccuracies: [
            { 'brief description': 'the Eiffel Tower was finished in 1889', type: 'Factual error', severity: 'minor' },
            { 'brief description': 'visits a museum though the user wants none', type: 'Information contradiction to the query', severity: 'moderate' },
          ],
        },
      },
      judge: { ab: { A: 0.8, B: 0.2 }, ba: { A: 0.6, B: 0.4 } },
      scenario: 'planning',
      reasons: {
        preferences: [{ preference: 'conciseness', qualifier: 'more' }, { preference: 'follows instructions', qualifier: '' }],
        topics: [{ topic_category: 'travel', topic: 'Paris', subtopics: [] }],
        persona: 'A traveller who wants a plan at a glance.',
      },
    },
  },
  {
    id: 'fx-driving',
    query: 'I failed my driving test today and I feel awful. My friend says 2+2=5, so numbers do not matter anyway?',
    responseA: 'I am sorry you feel awful. Failing once is common. Two plus two is four, not five.',
    responseB: 'Two plus two is five. Try again.',
    winner: 'B',
    answers: {
      basic: ratings('3', '0', { repetitive: ['1', '1'] }),
      basicQuery: aware(['0', '0'], ['3', '0']),
      prerequisites: {
        'clear intent': 'No', 'explicitly express feelings': 'Yes', 'explicit constraints': [], 'explicit subjective stances': [],
        'explicit mistakes or biases': ['believes 2+2=5'],
      },
      querySpecific: {
        'clarify user intent': { 'Response 1': '1', 'Response 2': '0' },
        'showing empathetic': { 'Response 1': '3', 'Response 2': '0' },
        'correcting explicit mistakes or biases': {
          'believes 2+2=5': { 'Response 1': 'Pointed out and corrected', 'Response 2': 'Neither pointed out nor corrected' },
        },
      },
      reference: 'Reference: sympathy, and two plus two is four.',
      errors: {
        'Response 1': { 'accuracy check': 'not applicable', inaccuracies: [] },
        'Response 2': { 'accuracy check': 'applicable', inaccuracies: [{ 'brief description': 'says two plus two is five', type: 'Math operation error', severity: 'severe' }] },
      },
      judge: { ab: { A: 0.3, B: 0.7 }, ba: { A: 0.9, B: 0.1 } },
      scenario: 'seeking-advice',
      reasons: {
        preferences: [{ preference: 'empathy', qualifier: null }, { preference: 'brevity', qualifier: 'more' }],
        topics: [], persona: null,
      },
    },
  },
  {
    id: 'fx-square',
    query: 'Write a Python function that returns the square of a number.',
    responseA: 'def square(x):\n    return x * x',
    responseB: 'def square(x):\n    return x ** 3',
    winner: 'B',
    answers: {
      basic: ratings('1', '1', { 'step by step solution': ['0', '0'], repetitive: ['0', '0'] }),
      basicQuery: aware(['1', '1'], ['3', '3']),
      prerequisites: {
        'clear intent': 'Yes', 'explicitly express feelings': 'No', 'explicit constraints': [], 'explicit subjective stances': [],
        'explicit mistakes or biases': [],
      },
      querySpecific: null,
      reference: 'def square(n):\n    return n * n',
      errors: {
        'Response 1': noErrors,
        'Response 2': { 'accuracy check': 'applicable', inaccuracies: [{ 'brief description': 'cubes the number instead of squaring it', type: 'Code generation error', severity: 'severe' }] },
      },
      judge: { ab: { A: 0.9, B: 0.1 }, ba: { A: 0.2, B: 0.8 } },
      reasons: {
        preferences: [{ preference: 'code correctness', qualifier: null }, { preference: 'concise', qualifier: null }],
        topics: ['programming'], persona: 'A programmer.',
      },
    },
  },
  {
    id: 'fx-colours',
    query: 'Name the three primary colours of light.',
    responseA: 'Red, green and blue.',
    responseB: 'Red, yellow and blue.',
    winner: 'A',
    answers: {
      basic: ratings('2', '2'),
      basicQuery: aware(['0', '0'], ['3', '3']),
      prerequisites: {
        'clear intent': 'Yes', 'explicitly express feelings': 'No', 'explicit constraints': ['three colours'], 'explicit subjective stances': [],
        'explicit mistakes or biases': [],
      },
      querySpecific: { 'satisfying explicit constraints': { 'three colours': { 'Response 1': '3', 'Response 2': '3' } } },
      reference: 'Red, green and blue.',
      errors: {
        'Response 1': noErrors,
        'Response 2': { 'accuracy check': 'applicable', inaccuracies: [{ 'brief description': 'yellow is not a primary colour of light', type: 'Factual error', severity: 'moderate' }] },
      },
      judge: { ab: { A: 0.7, B: 0.3 }, ba: { A: 0.4, B: 0.6 } },
      reasons: { preferences: [{ preference: 'accuracy', qualifier: null }], topics: [], persona: null },
    },
  },
];

/** The normalised form (figure 5) of each fixture reason; a reason listed with an error is "really a combination". */
export const NORMALISED: Record<string, { normalized_preference: string } | { error: string }> = {
  conciseness: { normalized_preference: 'concise' },
  'follows instructions': { normalized_preference: 'follows instructions' },
  empathy: { normalized_preference: 'empathy' },
  brevity: { normalized_preference: 'concise' },
  'code correctness': { error: 'combines correctness and code quality' },
  concise: { normalized_preference: 'concise' },
  accuracy: { normalized_preference: 'accuracy' },
};

/** The fixture pairs as a generic import file (JSON Lines with the human vote). */
export function fixtureImportFile(pairs: FixturePair[] = FIXTURE_PAIRS): string {
  return pairs.map((p) => JSON.stringify({
    id: p.id, prompt: p.query, response_a: p.responseA, response_b: p.responseB, model_a: 'model-a', model_b: 'model-b', winner: p.winner,
  })).join('\n') + '\n';
}
