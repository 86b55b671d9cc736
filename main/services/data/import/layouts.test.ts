// The public datasets' layouts, each from a few rows written here in its shape (ties, swapped games, multi-turn,
// several judges, unknown labels). The real files are checked by the conformance suite (real.conformance.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseImportFile, parseImportFiles } from './index';
import { jsonlBytes as jsonl, rejectsWith as rejects } from './testing';

const json = (rows: unknown[]) => new TextEncoder().encode(JSON.stringify(rows, null, 2));
const labelsOf = (batch: { pairs: { labels: unknown[] }[] }) => batch.pairs.map((p) => p.labels);

describe('alpaca_eval annotations', () => {
  const row = (preference: unknown, annotator = 'alpaca_eval_gpt4', i = 0) => ({
    instruction: `Q${i}`, output_1: `base ${i}`, generator_1: 'gpt4_1106_preview', dataset: 'koala', output_2: `model ${i}`,
    generator_2: 'alpaca-7b', annotator, preference, price_per_example: 0.01, time_per_example: 1,
  });

  it('reads 1 and 2 as output_1 and output_2 by the annotator (an LLM), and drops 0 and 1.5 as ties', async () => {
    const batch = await parseImportFile('annotations.json', json([row(1, undefined, 0), row(2, undefined, 1), row(0, undefined, 2), row(1.5, undefined, 3)]));
    assert.equal(batch.format, 'alpaca-eval');
    assert.deepEqual(labelsOf(batch), [
      [{ judge: 'alpaca_eval_gpt4', kind: 'llm', preferred: 'A', probabilityA: null }],
      [{ judge: 'alpaca_eval_gpt4', kind: 'llm', preferred: 'B', probabilityA: null }],
    ]);
    assert.deepEqual(batch.dropped, [{ reason: 'tie', count: 2 }]);
    assert.deepEqual([batch.pairs[0].query, batch.pairs[0].responseA, batch.pairs[0].responseB, batch.pairs[0].modelA, batch.pairs[0].modelB],
      ['Q0', 'base 0', 'model 0', 'gpt4_1106_preview', 'alpaca-7b']);
    assert.equal(batch.pairs[0].scenario, null, 'alpaca_eval has no scenario: unassigned');
  });

  it('keeps a weighted annotator\'s probability: P(A) = 2 - preference, the side by it', async () => {
    const w = 'weighted_alpaca_eval_gpt4_turbo';
    const batch = await parseImportFile('annotations.json', json([row(1.25, w, 0), row(1.9, w, 1), row(1, w, 2), row(1.5, w, 3)]));
    assert.deepEqual(batch.pairs.map((p) => p.labels[0].probabilityA), [0.75, 2 - 1.9, 1]);
    assert.deepEqual(batch.pairs.map((p) => p.labels[0].preferred), ['A', 'B', 'A']);
    assert.deepEqual(batch.dropped, [{ reason: 'tie', count: 1 }]);
  });

  it('refuses a preference outside its values, naming the record', async () => {
    await rejects(parseImportFile('annotations.json', json([row(1), row(3)])), { line: 2, unit: 'record', field: 'preference' }, /found 3/);
    await rejects(parseImportFile('annotations.json', json([row('1')])), { field: 'preference' }, /found "1"/);
  });
});

describe('Auto-J pairwise test data', () => {
  const row = (label: unknown, scenario = 'code_generation', i = 0) => ({ scenario, label, prompt: `P${i}`, 'response 1': `r1 ${i}`, 'response 2': `r2 ${i}` });

  it('reads 0/1 as response 1/2 by the human annotators, maps fine scenarios by Table 8, and drops ties', async () => {
    const batch = await parseImportFile('testdata_pairwise.jsonl', jsonl([row(0, 'code_generation', 0), row(1, 'writing_song_lyrics', 1), row(2, 'others', 2), row(1, 'others', 3)]));
    assert.equal(batch.format, 'auto-j');
    assert.deepEqual(batch.pairs.map((p) => [p.labels[0].preferred, p.labels[0].kind, p.scenario, p.fineScenario]),
      [['A', 'human', 'Code', 'code-generation'], ['B', 'human', 'Creative Writing', 'writing-song-lyrics'], ['B', 'human', 'Others', null]]);
    assert.deepEqual(batch.dropped, [{ reason: 'tie', count: 1 }]);
  });

  it('refuses an unknown label or scenario', async () => {
    await rejects(parseImportFile('t.jsonl', jsonl([row(0), row(3)])), { line: 2, field: 'label' }, /expected 0 \(response 1\), 1 \(response 2\) or 2 \(tie\), found 3/);
    await rejects(parseImportFile('t.jsonl', jsonl([row(0, 'poetry')])), { line: 1, field: 'scenario' }, /unknown scenario "poetry"/);
  });
});

describe('PRD expert preferences', () => {
  const row = (question: string, vote: unknown, extra = {}) => ({
    question, answer_a: `${question} a`, answer_b: `${question} b`, doc_a: null, doc_b: null, answer_a_type: 'human',
    answer_b_type: 'machine', overall_preference: vote, coherence_preference: null, factuality_preference: null, justification: 'why', ...extra,
  });

  it('makes one pair per triple with a label per expert, even when their rows are apart', async () => {
    const batch = await parseImportFile('prd.jsonl', jsonl([row('Q1', -1), row('Q2', 1), row('Q1', 1), row('Q3', 0), row('Q1', -1)]));
    assert.equal(batch.format, 'prd');
    assert.deepEqual(batch.pairs.map((p) => p.query), ['Q1', 'Q2']);
    assert.deepEqual(labelsOf(batch)[0], [
      { judge: 'expert 1', kind: 'human', preferred: 'A', probabilityA: null },
      { judge: 'expert 2', kind: 'human', preferred: 'B', probabilityA: null },
      { judge: 'expert 3', kind: 'human', preferred: 'A', probabilityA: null },
    ]);
    assert.deepEqual([batch.pairs[0].modelA, batch.pairs[0].modelB], ['human', 'machine']);
    assert.deepEqual(batch.dropped, [{ reason: 'tie', count: 1 }]);
  });

  it('refuses an unknown vote', async () => {
    await rejects(parseImportFile('prd.jsonl', jsonl([row('Q1', -1), row('Q2', 'a')])), { line: 2, field: 'overall_preference' }, /found "a"/);
  });
});

describe('hh-rlhf chosen/rejected', () => {
  const row = (q: string, chosen: string, rejected: string, before = '') => ({
    chosen: `${before}\n\nHuman: ${q}\n\nAssistant: ${chosen}`, rejected: `${before}\n\nHuman: ${q}\n\nAssistant: ${rejected}`,
  });

  it('splits at the last Assistant turn, drops multi-turn, and puts the chosen reply on both sides by a seeded coin', async () => {
    const rows = Array.from({ length: 16 }, (_, i) => row(`question ${i}?`, `good ${i}`, `bad ${i}`));
    rows.push(row('again?', 'yes', 'no', '\n\nHuman: hi\n\nAssistant: hello'));
    const batch = await parseImportFile('test.jsonl', jsonl(rows));
    assert.equal(batch.format, 'hh-rlhf');
    assert.equal(batch.pairs.length, 16);
    assert.deepEqual(batch.dropped, [{ reason: 'multi-turn conversation', count: 1 }]);
    for (const [i, p] of batch.pairs.entries()) {
      assert.equal(p.query, `question ${i}?`);
      const chosen = p.labels[0].preferred === 'A' ? p.responseA : p.responseB;
      assert.equal(chosen, `good ${i}`);
      assert.equal(p.labels[0].kind, 'human');
    }
    const sides = batch.pairs.map((p) => p.labels[0].preferred);
    assert.ok(sides.includes('A') && sides.includes('B'), `mixed sides: ${sides.join('')}`);
    assert.deepEqual(await parseImportFile('test.jsonl', jsonl(rows)), batch, 'a re-import is identical');
  });

  it('drops a row whose transcripts differ before the last reply, and refuses one without an Assistant turn', async () => {
    const odd = { chosen: '\n\nHuman: a\n\nAssistant: x', rejected: '\n\nHuman: b\n\nAssistant: y' };
    const batch = await parseImportFile('t.jsonl', jsonl([row('q', 'x', 'y'), odd]));
    assert.deepEqual(batch.dropped, [{ reason: 'the two transcripts differ before the last reply', count: 1 }]);
    await rejects(parseImportFile('t.jsonl', jsonl([{ chosen: 'no turns', rejected: '\n\nHuman: q\n\nAssistant: y' }])), { line: 1, field: 'chosen' }, /no "Assistant:" turn/);
  });
});

describe('the paper\'s raw pairs', () => {
  const row = (id: number, extra = {}) => ({
    model_a: 'vicuna-13b', model_b: 'alpaca-13b', winner: 'model_b', scenario: 'functional_writing', prompt: `P${id}`,
    'prompt llama tokens': 3, 'prompt word': 2, response_a: 'a', response_b: 'b', 'response_a llama tokens': 1,
    'response_b llama tokens': 1, 'response_a word': 1, 'response_b word': 1, oaimoderation_tag: '', toxic_chat_tag: '',
    r1_num_grammar_errors: 0, r2_num_grammar_errors: 0, gpt4_ref_output: `ref ${id}`, id, group: 'Functional Writing', ...extra,
  });

  it('accepts all its columns, keeps the reference answer, and sets unsafe from the group', async () => {
    const batch = await parseImportFile('sample_unannotated.jsonl', jsonl([
      row(0), row(1, { scenario: 'default', group: 'Others' }), row(2, { scenario: 'chitchat', group: 'Unsafe Queries', winner: 'model_a' }),
      row(3, { winner: 'tie' }),
    ]));
    assert.equal(batch.format, 'paper-raw');
    assert.deepEqual(batch.pairs.map((p) => [p.externalId, p.scenario, p.fineScenario, p.unsafe, p.reference, p.labels[0].preferred]), [
      // A fine scenario named like its scenario is not kept twice.
      ['0', 'Functional Writing', null, false, 'ref 0', 'B'],
      ['1', 'Others', 'default', false, 'ref 1', 'B'],
      ['2', 'Communication', 'chitchat', true, 'ref 2', 'A'],
    ]);
    assert.deepEqual(batch.dropped, [{ reason: 'tie', count: 1 }]);
  });

  it('refuses an unknown group', async () => {
    await rejects(parseImportFile('s.jsonl', jsonl([row(0, { group: 'Poetry' })])), { line: 1, field: 'group' }, /unknown group "Poetry"/);
  });

  it('refuses the paper\'s companion files alone, saying which file they belong with', async () => {
    await rejects(parseImportFile('example_preference_labels.json', json(['A', 'B', 'B'])), {},
      /^example_preference_labels\.json: this is a list of "A"\/"B" labels .* chatbot_arena_no-tie_group_balanced_resolved\.jsonl: it holds no texts and cannot be imported alone$/);
    await rejects(parseImportFile('query_aware_idxs.json', new TextEncoder().encode('{\n  "Unsafe Queries": [\n    1,\n    2\n  ]\n}')), {},
      /^query_aware_idxs\.json: this maps groups to pair positions .* cannot be imported alone$/);
  });
});

describe('the Kaggle Chatbot Arena CSV', () => {
  const header = 'id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie\n';
  const csv = (lines: string[]) => new TextEncoder().encode(header + lines.join('\n') + '\n');
  const cell = (c: unknown) => `"${String(c).replaceAll('"', '""')}"`;
  const line = (id: number, prompt: unknown[], a: unknown[], b: unknown[], winners: string) =>
    `${[id, 'gpt-4', 'llama-2', JSON.stringify(prompt), JSON.stringify(a), JSON.stringify(b)].map(cell).join(',')},${winners}`;

  it('decodes the JSON-encoded lists and the one-hot winner; drops ties, multi-turn and unanswered turns', async () => {
    const batch = await parseImportFile('train.csv', csv([
      line(1, ['Hi "there"'], ['Hello'], ['Hey'], '1,0,0'),
      line(2, ['Q'], ['a'], ['b'], '0,1,0'),
      line(3, ['Q'], ['a'], ['b'], '0,0,1'),
      line(4, ['Q', 'Q2'], ['a', 'a2'], ['b', 'b2'], '1,0,0'),
      line(5, ['Q'], [null], ['b'], '0,1,0'),
    ]));
    assert.equal(batch.format, 'kaggle-arena');
    assert.deepEqual(batch.pairs.map((p) => [p.externalId, p.query, p.responseA, p.responseB, p.labels[0].preferred]),
      [['1', 'Hi "there"', 'Hello', 'Hey', 'A'], ['2', 'Q', 'a', 'b', 'B']]);
    assert.deepEqual(batch.dropped, [{ reason: 'tie', count: 1 }, { reason: 'multi-turn conversation', count: 1 }, { reason: 'no answer from one of the models', count: 1 }]);
  });

  it('refuses two winners at once and a prompt that is not a JSON list', async () => {
    await rejects(parseImportFile('train.csv', csv([line(1, ['Q'], ['a'], ['b'], '1,1,0')])), { line: 2, field: 'winner_model_a' }, /exactly one/);
    await rejects(parseImportFile('train.csv', csv(['1,m,n,plain,"[""a""]","[""b""]",1,0,0'])), { line: 2, field: 'prompt' }, /not JSON/);
  });
});

describe('Arena rows naming judges (MT-bench human judgments)', () => {
  const conv = (q: string, r: string) => [{ role: 'user', content: q }, { role: 'assistant', content: r }];
  const row = (qid: number, judge: string, winner: string, turn = 1, models = ['vicuna-13b', 'gpt-4']) => ({
    question_id: qid, model_a: models[0], model_b: models[1], winner, judge, turn,
    conversation_a: conv(`Q${qid}`, `a${qid}`), conversation_b: conv(`Q${qid}`, `b${qid}`),
  });

  it('makes one pair per question and models with a label per judge, of the judge\'s kind', async () => {
    const batch = await parseImportFile('human.jsonl', jsonl([
      row(81, 'expert_0', 'model_a'), row(82, 'author_2', 'model_b'), row(81, 'gpt4_pair', 'model_b'), row(81, 'author_3', 'tie'),
      row(81, 'expert_0', 'model_b', 1, ['gpt-4', 'claude-v1']), row(82, 'expert_1', 'tie', 2), row(83, 'expert_1', 'tie'),
    ]));
    assert.deepEqual(batch.pairs.map((p) => p.externalId), ['81:vicuna-13b:gpt-4:1', '82:vicuna-13b:gpt-4:1', '81:gpt-4:claude-v1:1']);
    assert.deepEqual(labelsOf(batch)[0], [
      { judge: 'expert_0', kind: 'human', preferred: 'A', probabilityA: null },
      { judge: 'gpt4_pair', kind: 'llm', preferred: 'B', probabilityA: null },
    ]);
    assert.deepEqual(batch.dropped, [{ reason: 'tie', count: 1 }, { reason: 'multi-turn conversation', count: 1 }]);
  });

  it('refuses a judge voting twice on one pair', async () => {
    await rejects(parseImportFile('h.jsonl', jsonl([row(81, 'expert_0', 'model_a'), row(81, 'expert_0', 'model_b')])), { line: 2, field: 'judge' }, /votes twice/);
  });
});

describe('MT-bench and arena-hard sets of several files', () => {
  const file = (name: string, rows: unknown[]) => ({ name, bytes: jsonl(rows) });
  const mtQuestions = file('question.jsonl', [1, 2, 3, 4, 5].map((q) => ({ question_id: q, category: 'writing', turns: [`Q${q}`, `follow-up ${q}`] })));
  const mtAnswer = (model: string) => file(`${model}.jsonl`, [1, 2, 3, 4, 5].map((q) => ({ question_id: q, answer_id: `x${q}`, model_id: model, choices: [{ index: 0, turns: [`${model} ${q}`, `${model} again`] }], tstamp: 1 })));
  const judgment = (q: number, g1: string, g2: string, turn = 1) => ({
    question_id: q, model_1: 'phi-3', model_2: 'phi-3-dpo', g1_winner: g1, g2_winner: g2, judge: ['gpt-4', 'pair-v2'], g1_user_prompt: '', g1_judgment: '', g2_user_prompt: '', g2_judgment: '', turn, tstamp: 1,
  });

  it('joins MT-bench judgments with questions and answers: agreeing games label, the rest counted', async () => {
    const batch = await parseImportFiles([
      file('gpt-4_pair.jsonl', [judgment(1, 'model_1', 'model_1'), judgment(2, 'model_2', 'model_2'), judgment(3, 'model_1', 'model_2'), judgment(4, 'tie', 'tie'), judgment(5, 'error', 'model_1'), judgment(1, 'model_1', 'model_1', 2)]),
      mtQuestions, mtAnswer('phi-3'), mtAnswer('phi-3-dpo'),
    ]);
    assert.equal(batch.format, 'mt-bench');
    assert.deepEqual(batch.pairs.map((p) => [p.query, p.responseA, p.responseB, p.modelA, p.modelB, p.labels[0].preferred, p.labels[0].judge, p.labels[0].kind]), [
      ['Q1', 'phi-3 1', 'phi-3-dpo 1', 'phi-3', 'phi-3-dpo', 'A', 'gpt-4', 'llm'],
      ['Q2', 'phi-3 2', 'phi-3-dpo 2', 'phi-3', 'phi-3-dpo', 'B', 'gpt-4', 'llm'],
    ]);
    assert.deepEqual(batch.dropped, [
      { reason: 'tie', count: 1 }, { reason: 'multi-turn conversation', count: 1 },
      { reason: 'tie (the two orders disagree)', count: 1 }, { reason: 'no verdict (judge error)', count: 1 },
    ]);
  });

  it('says which file is missing from a set, and refuses a companion file alone', async () => {
    await rejects(parseImportFiles([file('gpt-4_pair.jsonl', [judgment(1, 'model_1', 'model_1')]), mtQuestions, mtAnswer('phi-3')]), { file: 'gpt-4_pair.jsonl', line: 1, field: 'question_id' }, /no answer of "phi-3-dpo" to question "1": choose its model_answer file too/);
    await rejects(parseImportFile('question.jsonl', mtQuestions.bytes), { file: 'question.jsonl' }, /MT-bench's question\.jsonl: choose it together/);
  });

  const ahQuestions = file('question.jsonl', ['u1', 'u2', 'u3', 'u4'].map((uid) => ({ uid, category: 'arena-hard-v0.1', cluster: 'c', prompt: `P ${uid}` })));
  const ahAnswer = (model: string) => file(`${model}.jsonl`, ['u1', 'u2', 'u3', 'u4'].map((uid) => ({ uid, ans_id: 'x', model, messages: [{ role: 'user', content: null }, { role: 'assistant', content: { answer: `${model} ${uid}` } }], tstamp: 1 })));

  it('pairs two arena-hard models\' answers without labels, sides by a seeded coin', async () => {
    const batch = await parseImportFiles([ahQuestions, ahAnswer('gpt-4-0314'), ahAnswer('gpt-3.5-turbo-0125')]);
    assert.equal(batch.format, 'arena-hard');
    assert.equal(batch.pairs.length, 4);
    for (const p of batch.pairs) {
      assert.deepEqual(p.labels, []);
      assert.equal(p.responseA, `${p.modelA} ${p.externalId.split(':')[0]}`);
      assert.equal(p.responseB, `${p.modelB} ${p.externalId.split(':')[0]}`);
    }
  });

  it('combines arena-hard\'s two games (answers swapped in the second) into one label', async () => {
    const game = (score: string | null) => ({ user_prompt: '', judgment: '', score });
    const j = (uid: string, s1: string | null, s2: string | null) => ({ uid, category: 'arena-hard-v0.1', judge: 'gpt-4-1106-preview', model: 'gpt-3.5-turbo-0125', baseline: 'gpt-4-0314', games: [game(s1), game(s2)] });
    const batch = await parseImportFiles([ahQuestions, ahAnswer('gpt-4-0314'), ahAnswer('gpt-3.5-turbo-0125'),
      file('gpt-3.5-turbo-0125.jsonl', [j('u1', 'A>>B', 'B>A'), j('u2', 'B>A', 'A>>B'), j('u3', 'A>B', 'A>B'), j('u4', 'A=B', null)])]);
    assert.deepEqual(batch.pairs.map((p) => [p.externalId, p.modelA, p.modelB, p.labels[0].preferred, p.labels[0].judge, p.labels[0].kind]), [
      ['u1:gpt-4-0314:gpt-3.5-turbo-0125', 'gpt-4-0314', 'gpt-3.5-turbo-0125', 'A', 'gpt-4-1106-preview', 'llm'],
      ['u2:gpt-4-0314:gpt-3.5-turbo-0125', 'gpt-4-0314', 'gpt-3.5-turbo-0125', 'B', 'gpt-4-1106-preview', 'llm'],
    ]);
    assert.deepEqual(batch.dropped, [{ reason: 'tie (the two orders disagree)', count: 1 }, { reason: 'no verdict (judge error)', count: 1 }]);
  });

  it('refuses files of two different sets together', async () => {
    await rejects(parseImportFiles([mtQuestions, ahAnswer('gpt-4-0314')]), { file: 'gpt-4-0314.jsonl' }, /does not belong with MT-bench's question\.jsonl/);
  });
});
