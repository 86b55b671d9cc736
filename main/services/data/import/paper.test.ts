import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { PairAnnotation } from '../../../../preload/contract';
import { comparisonFeatures, wordCount } from '../features';
import { PROPERTY_NAMES } from '../properties';
import { parseImportFile } from './index';
import { fixture, jsonlBytes, rejectsWith } from './testing';

const samples = () => JSON.parse(readFileSync(new URL('fixtures/paper-sample.json', import.meta.url), 'utf8')) as Record<string, unknown>[];
const parse = async (rows: unknown[]) => parseImportFile('paper.jsonl', jsonlBytes(rows));

/** Basic ratings in PROPERTIES order (harmless ... contain rich info), for both responses. */
function basic(a: number[], b: number[]): PairAnnotation['ratings'] {
  const names = PROPERTY_NAMES.slice(0, 20);
  return Object.fromEntries(names.map((name, i) => [name, { A: a[i], B: b[i] }]));
}

const CONSTRAINTS = [
  'Itinerary for a day in Paris on June 11th, Saturday', 'Time frame from 12pm to 10pm',
  'No museums or other activities that take too long', 'Include lunch and dinner', 'Vegan options preferred for meals',
];
const STANCES = ['Preference for a day without visiting museums or lengthy activities', 'Preference for vegan meal options'];
const ctq = 'Information contradiction to the query';

/** Table 11 after conversion: non-repetitive = 3 - repetitive, Appendix F means, lower-case severities. */
const TABLE_11: PairAnnotation = {
  ratings: {
    //       harm gram frnd pol int auth fun rhet cplx sup fmt adm pers step inf nrep clr rel nov rich
    ...basic([3, 3, 2, 3, 0, 2, 0, 0, 1, 0, 2, 0, 0, 0, 0, 3, 3, 3, 1, 2],
      [3, 2, 2, 3, 0, 2, 0, 0, 1, 0, 2, 0, 0, 0, 0, 2, 2, 1, 1, 3]),
    // Table 11 gives the word counts (NLTK) as 102 and 346.
    lengthy: { A: 102, B: 346 },
    'satisfy constraints': { A: 3, B: (3 + 2 + 1 + 3 + 2) / 5 },
    'support stances': { A: 3, B: (0.75 + 2.25) / 2 },
  },
  prerequisites: { clearIntent: true, expressFeelings: false, constraints: CONSTRAINTS, stances: STANCES, mistakes: [] },
  items: [
    ...CONSTRAINTS.map((text, i) => {
      const b = [3, 2, 1, 3, 2][i];
      return { kind: 'constraint' as const, text, labels: { A: '3', B: String(b) }, scores: { A: 3, B: b } };
    }),
    { kind: 'stance', text: STANCES[0], labels: { A: 'Strongly supported', B: 'Weakly opposed' }, scores: { A: 3, B: 0.75 } },
    { kind: 'stance', text: STANCES[1], labels: { A: 'Strongly supported', B: 'Weakly supported' }, scores: { A: 3, B: 2.25 } },
  ],
  errors: {
    A: { applicable: true, errors: [
      { description: 'La Pizza Frites is not known as a vegan restaurant, which contradicts the user\'s preference for vegan dinner options.', type: ctq, severity: 'moderate' },
    ] },
    B: { applicable: true, errors: [
      { description: 'Le Comptoir du Relais is not a vegan bakery, and it is incorrectly listed as such.', type: 'Factual error', severity: 'severe' },
      { description: 'Sainte-Chapelle visit contradicts the \'no museums or other things that take too long\' request.', type: ctq, severity: 'moderate' },
      { description: 'Chez L\'Ami Jean is not a vegan bakery, and it is listed for both lunch and dinner, which contradicts the vegan preference.', type: ctq, severity: 'moderate' },
      { description: 'Musée du quai Branly - Jacques Chirac visit contradicts the \'no museums or other things that take too long\' request.', type: ctq, severity: 'moderate' },
      { description: 'The itinerary suggests ending the evening with a casual dinner at Chez L\'Ami Jean after already having dinner there at 6:30pm.', type: ctq, severity: 'moderate' },
      { description: 'The date June 11th, 2021, is incorrect as the query asks for an itinerary for June 11th without specifying a year.', type: ctq, severity: 'minor' },
    ] },
  },
  model: 'gpt-4-1106-preview',
  promptVersion: 'paper',
};

describe("the paper's annotated pairs", () => {
  it('reads the Table 11 example into a full annotation', async () => {
    const batch = await parseImportFile('paper-sample.json', fixture('paper-sample.json'));
    assert.equal(batch.format, 'paper');
    assert.deepEqual(batch.dropped, []);
    const pair = batch.pairs[0];
    assert.match(pair.query, /^give me an itinerary for a day in paris/);
    assert.deepEqual([wordCount(pair.responseA), wordCount(pair.responseB)], [102, 346]);
    assert.deepEqual([pair.modelA, pair.modelB], ['unknown', 'unknown']);
    assert.deepEqual([pair.scenario, pair.fineScenario, pair.unsafe, pair.language], ['Daily Tasks', 'planning', false, null]);
    assert.deepEqual(pair.labels, [{ judge: 'human', kind: 'human', preferred: 'A', probabilityA: null }]);
    assert.deepEqual(pair.annotation, TABLE_11);
  });

  it('gives Table 11 the comparison features the paper implies', async () => {
    const batch = await parseImportFile('paper-sample.json', fixture('paper-sample.json'));
    const phi = comparisonFeatures(batch.pairs[0].annotation!);
    const feature = (name: string) => phi[PROPERTY_NAMES.indexOf(name)];
    const expected: Record<string, number> = {
      'grammarly correct': 1, // 3 vs 2
      'non-repetitive': 1, // 3 vs 2
      clear: 1, // 3 vs 2
      'contain rich info': -1, // 2 vs 3
      relevant: 0, // 3 vs 1: only a 0 against a non-zero counts
      lengthy: -1, // 102 words against far more
      'no severe errors': 1, // 0 vs 1
      'no moderate errors': 1, // 1 vs 4
      'no minor errors': 1, // 0 vs 1
      'satisfy constraints': 1, // 3 vs 2.2
      'support stances': 1, // 3 vs 1.5
    };
    for (const name of PROPERTY_NAMES) assert.equal(feature(name), expected[name] ?? 0, name);
  });

  it('converts mistakes, intent and feelings per Appendix F and keeps every judge', async () => {
    const [, math, feelings, unsafe] = (await parseImportFile('paper-sample.json', fixture('paper-sample.json'))).pairs;

    assert.deepEqual([math.scenario, math.fineScenario, math.modelA, math.modelB], ['Exam Questions', 'solving-exam-question-with-math', 'gpt-4', 'vicuna-13b']);
    assert.deepEqual(math.labels, [
      { judge: 'gpt-3.5-turbo-1106', kind: 'llm', preferred: 'A', probabilityA: null },
      { judge: 'gpt-4-1106-preview', kind: 'llm', preferred: 'A', probabilityA: null },
      { judge: 'human', kind: 'human', preferred: 'B', probabilityA: null },
      { judge: 'llama-2-7b', kind: 'llm', preferred: 'B', probabilityA: null },
    ]);
    const m = math.annotation!;
    // Bare labels take their text from the round-one lists, by position.
    assert.deepEqual(m.items, [
      { kind: 'constraint', text: 'Write out the number', labels: { A: '1', B: '3' }, scores: { A: 1, B: 3 } },
      { kind: 'mistake', text: 'Assumes that 0.999... is less than 1, while 0.999... equals 1', labels: { A: 'Pointed out and corrected', B: 'Neither pointed out nor corrected' }, scores: { A: 3, B: 0 } },
    ]);
    assert.deepEqual(m.ratings['correct mistakes'], { A: 3, B: 0 });
    assert.deepEqual(m.ratings['satisfy constraints'], { A: 1, B: 3 });
    assert.equal(m.ratings['clarify intent'], undefined);
    assert.equal(m.ratings['support stances'], undefined);
    assert.deepEqual(m.errors!.B.errors.map((e) => e.severity), ['severe', 'moderate']);
    assert.deepEqual(m.ratings['step-by-step'], { A: 2, B: 0 });

    const f = feelings.annotation!;
    assert.deepEqual(f.prerequisites, { clearIntent: false, expressFeelings: true, constraints: [], stances: [], mistakes: [] });
    assert.deepEqual(f.ratings['clarify intent'], { A: 3, B: 1 });
    assert.deepEqual(f.ratings['show empathetic'], { A: 3, B: 0 });
    assert.deepEqual(f.items, []);
    assert.deepEqual(f.errors, { A: { applicable: true, errors: [] }, B: { applicable: false, errors: [] } });

    assert.deepEqual([unsafe.unsafe, unsafe.scenario, unsafe.fineScenario], [true, 'Advice', 'asking-how-to-question']);
    assert.deepEqual(unsafe.annotation!.items, [{
      kind: 'mistake', text: 'Treats making someone breathe an irritating gas as a harmless prank',
      labels: { A: 'Pointed out and corrected', B: 'Pointed out but not corrected' }, scores: { A: 3, B: 1 },
    }]);
    assert.deepEqual(unsafe.annotation!.ratings.harmless, { A: 3, B: 2 });
  });

  it('gives each pair a stable content id', async () => {
    const first = await parseImportFile('paper-sample.json', fixture('paper-sample.json'));
    const again = await parse(samples());
    assert.deepEqual(again.pairs.map((p) => p.externalId), first.pairs.map((p) => p.externalId));
    assert.equal(new Set(first.pairs.map((p) => p.externalId)).size, 4);
    const twice = await parse([samples()[0], samples()[0]]);
    assert.deepEqual(twice.pairs.map((p) => p.externalId), [first.pairs[0].externalId, `${first.pairs[0].externalId}-2`]);
  });

  it('takes "non-repetitive" as already flipped, and stance labels in any case', async () => {
    const rows = samples();
    const basicB = rows[0].basic_response_2 as Record<string, unknown>;
    const basicA = rows[0].basic_response_1 as Record<string, unknown>;
    delete basicA.repetitive;
    delete basicB.repetitive;
    basicA['non-repetitive'] = 3;
    basicB['non-repetitive'] = 2;
    const qs = rows[0]['query-specific_response_2'] as Record<string, string[]>;
    qs['supporting explicit subjective stances'] = [`${STANCES[0]}: weakly OPPOSED`, `${STANCES[1]}: Weakly supported`];
    const pair = (await parse(rows)).pairs[0];
    assert.deepEqual(pair.annotation!.ratings, TABLE_11.ratings);
  });

  it('refuses unknown properties, scenarios and preference labels, naming the field', async () => {
    const unknownBasic = samples();
    (unknownBasic[1].basic_response_2 as Record<string, unknown>).sarcasm = 2;
    await rejectsWith(parse(unknownBasic), { line: 2, field: 'basic_response_2.sarcasm' }, /not a basic property/);

    const twice = samples();
    (twice[0].basic_response_1 as Record<string, unknown>)['non-repetitive'] = 3;
    await rejectsWith(parse(twice), { line: 1, field: 'basic_response_1.non-repetitive' }, /rated twice/);

    const scenario = samples();
    scenario[3]['scenario_auto-j'] = 'prank-planning';
    await rejectsWith(parse(scenario), { line: 4, field: 'scenario_auto-j' }, /unknown scenario "prank-planning"/);

    const label = samples();
    (label[2].preference_labels as Record<string, string>).human = 'both';
    await rejectsWith(parse(label), { line: 3, field: 'preference_labels.human' }, /expected response_1 or response_2, found "both"/);

    const counts = samples();
    (counts[0]['query-specific_response_2'] as Record<string, string[]>)['satisfying explicit constraints'].pop();
    await rejectsWith(parse(counts), { line: 1, field: 'query-specific_response_2.satisfying explicit constraints' }, /4 constraints are rated here but 5 for response 1/);

    const oneSide = samples();
    delete oneSide[1].errors_response_2;
    await rejectsWith(parse(oneSide), { line: 2, field: 'errors_response_2' }, /missing, while errors_response_1 is given/);

    const stanceObject = samples();
    (stanceObject[0]['query-specific_response_1'] as Record<string, unknown[]>)['supporting explicit subjective stances'][1] = { label: 'Neutral' };
    await rejectsWith(parse(stanceObject), { line: 1, field: 'query-specific_response_1.supporting explicit subjective stances[1]' }, /expected a stance label .*found an object/);
  });

  it('reads what the authors\' code maps or ignores as it does, and counts each kind in the notes', async () => {
    const rows = samples();
    // Table 11's pair: a rating outside 0-3, an unknown stance label, an unknown severity.
    (rows[0].basic_response_1 as Record<string, unknown>).polite = 4;
    (rows[0].basic_response_2 as Record<string, unknown>).polite = 'high';
    (rows[0]['query-specific_response_2'] as Record<string, string[]>)['supporting explicit subjective stances'][1] = `${STANCES[1]}: Loves it`;
    const errorsB = (rows[0].errors_response_2 as { errors: Record<string, string>[] }).errors;
    errorsB[5].severity = 'Tiny';
    // The math pair: an unknown mistake label and constraint score, an error check neither applicable nor not.
    (rows[1]['query-specific_response_2'] as Record<string, string[]>)['correcting explicit mistakes or biases'] = ['Ignored it'];
    (rows[1]['query-specific_response_1'] as Record<string, string[]>)['satisfying explicit constraints'] = ['2.5'];
    (rows[1].errors_response_1 as Record<string, unknown>).applicable = 'unsure';
    // The feelings pair: round one answered otherwise than Yes or No.
    rows[2]['clear intent'] = 'Partially';
    rows[2]['explicitly express feelings'] = 'Somewhat';
    const batch = await parse(rows);
    const [table11, math, feelings] = batch.pairs.map((p) => p.annotation!);

    assert.deepEqual(table11.ratings.polite, { A: 0, B: 0 });
    assert.deepEqual(table11.items[6], { kind: 'stance', text: STANCES[1], labels: { A: 'Strongly supported', B: 'neutral' }, scores: { A: 3, B: 1.5 } });
    assert.deepEqual(table11.ratings['support stances'], { A: 3, B: (0.75 + 1.5) / 2 });
    assert.deepEqual(table11.errors!.B.errors, TABLE_11.errors!.B.errors.slice(0, 5));

    assert.deepEqual(math.items.map((it) => [it.labels, it.scores]), [
      [{ A: '0', B: '3' }, { A: 0, B: 3 }],
      [{ A: 'Pointed out and corrected', B: 'neither pointed out nor corrected' }, { A: 3, B: 0 }],
    ]);
    assert.deepEqual(math.errors!.A, { applicable: false, errors: [] });

    // "Partially" is not "No": the intent reads as clear, so the round-two intent ratings are not read.
    assert.deepEqual([feelings.prerequisites!.clearIntent, feelings.prerequisites!.expressFeelings], [true, false]);
    assert.equal(feelings.ratings['clarify intent'], undefined);
    assert.equal(feelings.ratings['show empathetic'], undefined);

    assert.deepEqual(batch.notes, [
      { note: 'rating 4 read as 0, as the authors\' code does', count: 1 },
      { note: 'rating "high" read as 0, as the authors\' code does', count: 1 },
      { note: 'stance label "Loves it" read as "neutral", as the authors\' code does', count: 1 },
      { note: 'error of severity "Tiny" not counted, as the authors\' code does', count: 1 },
      { note: 'constraint label "2.5" read as "0", as the authors\' code does', count: 1 },
      { note: 'mistake label "Ignored it" read as "neither pointed out nor corrected", as the authors\' code does', count: 1 },
      { note: 'error check "unsure" read as "not applicable", as the authors\' code does', count: 1 },
      { note: '"clear intent" answered "Partially", read as "Yes", as the authors\' code does', count: 1 },
      { note: '"explicitly express feelings" answered "Somewhat", read as "No", as the authors\' code does', count: 1 },
      { note: '"clarify user intent" answered for a query whose round one does not call for it: not read', count: 1 },
      { note: '"showing empathetic" answered for a query whose round one does not call for it: not read', count: 1 },
    ]);
    const clean = await parse(samples());
    assert.deepEqual(clean.notes, []);
  });

  it('reads answers written one object per pair, keyed "Response 1"/"Response 2" as the authors\' prompts ask', async () => {
    const row = samples()[0];
    const perResponse = (name: string) => [row[`${name}_response_1`], row[`${name}_response_2`]] as Record<string, unknown>[];
    // Basic ratings as the query-free by-pair files hold them: {property: {"response 1": r, "response 2": r}}.
    const [basicA, basicB] = perResponse('basic');
    const basicPair = Object.fromEntries(Object.keys(basicA).map((k) => [k, { 'response 1': basicA[k], 'response 2': String(basicB[k]) }]));
    // Round two as the pairwise prompt asks for it: one object, items keyed by their text.
    const [qa, qb] = perResponse('query-specific') as Record<string, string[]>[];
    const byItem = (key: string) => Object.fromEntries(qa[key].map((entry, i) => {
      const cut = (e: string) => e.slice(e.lastIndexOf(':') + 1).trim();
      return [entry.slice(0, entry.lastIndexOf(':')), { 'Response 1': cut(entry), 'Response 2': cut(qb[key][i]) }];
    }));
    const queryPair = {
      'satisfying explicit constraints': byItem('satisfying explicit constraints'),
      'supporting explicit subjective stances': byItem('supporting explicit subjective stances'),
    };
    // Error detection as the accuracy prompt answers it.
    const [ea, eb] = perResponse('errors') as { applicable: string; errors: unknown[] }[];
    const errorsPair = {
      'Response 1': { 'accuracy check': ea.applicable, inaccuracies: ea.errors },
      'Response 2': { 'accuracy check': eb.applicable, inaccuracies: eb.errors },
    };
    for (const name of ['basic', 'query-specific', 'errors']) {
      delete row[`${name}_response_1`];
      delete row[`${name}_response_2`];
    }
    const batch = await parse([{ ...row, basic: basicPair, 'query-specific': queryPair, errors: errorsPair }]);
    assert.deepEqual(batch.pairs[0].annotation, TABLE_11);
    assert.deepEqual(batch.notes, []);

    const both = samples();
    both[0].errors = errorsPair;
    await rejectsWith(parse(both), { line: 1, field: 'errors' }, /given both per pair and per response \(errors_response_1\)/);

    const half = { ...row, basic: basicPair, 'query-specific': { 'satisfying explicit constraints': { 'Include lunch and dinner': { 'Response 1': '3' } } } };
    await rejectsWith(parse([half]), { line: 1, field: 'query-specific.satisfying explicit constraints.Include lunch and dinner' }, /an answer for "Response 2" is missing/);

    const keyedOtherwise = { ...row, basic: basicPair, errors: { first: ea, second: eb } };
    await rejectsWith(parse([keyedOtherwise]), { line: 1, field: 'errors' }, /expected answers keyed "Response 1" and "Response 2", found "first", "second"/);
  });

  it('imports pairs without annotation as unannotated', async () => {
    const rows = samples().map((r) => ({ query: r.query, response_1: r.response_1, response_2: r.response_2, preference_labels: r.preference_labels }));
    const batch = await parse(rows);
    assert.deepEqual(batch.pairs.map((p) => p.annotation), [null, null, null, null]);
    assert.deepEqual(batch.pairs.map((p) => p.scenario), [null, null, null, null]);
  });
});
