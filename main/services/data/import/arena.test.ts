import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseImportFile } from './index';
import { fixture, jsonlBytes as jsonl, rejectsWith as rejects } from './testing';

const sampleRows = () => readFileSync(new URL('fixtures/arena-sample.jsonl', import.meta.url), 'utf8')
  .trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

const KEPT_IDS = [
  '5f2a9c41d7e84b0c9a13e6f27b8d0c11', '0b7e3d5a92c1468f8e2d4a6c1f9b3e70', '3d9b1f5e7c2a4068b4e6a8c0d2f4e6b8',
  '6f0e2d4c8b1a43f5a7c9e1b3d5f7a902', 'b2d4f6a8c0e24b6d8f0a2c4e6b8d0f13', 'e4a6c8e0b2d44f6a8c0e2b4d6f8a0c25',
  '9e1b3d5f7a8c40e2a4c6e8b0d2f4a649', 'a0c2e4f6b8d04a2c4e6f8b0d2a4c6e81',
];
const DROPPED = [
  { reason: 'tie', count: 2 },
  { reason: 'tie (bothbad)', count: 1 },
  { reason: 'multi-turn conversation', count: 1 },
];

describe('Chatbot Arena conversations', () => {
  it('keeps single-turn decided battles and reports the dropped ones by reason (JSONL)', async () => {
    const batch = await parseImportFile('arena-sample.jsonl', fixture('arena-sample.jsonl'));
    assert.equal(batch.format, 'arena');
    assert.deepEqual(batch.pairs.map((p) => p.externalId), KEPT_IDS);
    assert.deepEqual(batch.dropped, DROPPED);

    const first = batch.pairs[0];
    assert.equal(first.query, 'What is the capital of Australia?');
    assert.match(first.responseA, /^The capital of Australia is Canberra\./);
    assert.equal(first.responseB, 'Sydney is the capital of Australia and its largest city.');
    assert.equal(first.modelA, 'vicuna-13b');
    assert.equal(first.modelB, 'koala-13b');
    assert.equal(first.scenario, null, 'Arena data has no scenario: unassigned, not Others');
    assert.equal(first.fineScenario, null);
    assert.equal(first.simulated, false);
    assert.equal(first.annotation, null);

    assert.deepEqual(batch.pairs.map((p) => p.labels), batch.pairs.map((_, i) => [
      { judge: 'human', kind: 'human', preferred: ['A', 'B', 'B', 'A', 'A', 'B', 'A', 'B'][i], probabilityA: null },
    ]));
    // Row 6 is flagged by the OpenAI moderation, row 7 only by the roberta-large toxic-chat classifier.
    assert.deepEqual(batch.pairs.map((p) => p.unsafe), [false, false, true, true, false, false, false, false]);
    assert.deepEqual(batch.pairs.map((p) => p.language),
      ['English', 'English', 'English', 'English', 'German', 'Chinese', 'Spanish', 'English']);
  });

  it('reads the same battles from a JSON array and from parquet', async () => {
    const fromJsonl = await parseImportFile('arena-sample.jsonl', fixture('arena-sample.jsonl'));
    assert.deepEqual(await parseImportFile('arena-sample.json', fixture('arena-sample.json')), fromJsonl);
    assert.deepEqual(await parseImportFile('arena-sample.parquet', fixture('arena-sample.parquet')), fromJsonl);
  });

  it('detects the container from the content when the extension says nothing', async () => {
    const fromJsonl = await parseImportFile('arena-sample.jsonl', fixture('arena-sample.jsonl'));
    assert.deepEqual(await parseImportFile('download', fixture('arena-sample.parquet')), fromJsonl);
    assert.deepEqual(await parseImportFile('download', fixture('arena-sample.json')), fromJsonl);
    assert.deepEqual(await parseImportFile('download', fixture('arena-sample.jsonl')), fromJsonl);
  });

  it('drops a conversation with a second user message even when turn says 1', async () => {
    const rows = sampleRows();
    const convo = rows[0].conversation_a as unknown[];
    rows[0].conversation_a = [...convo, { role: 'user', content: 'And its population?' }, { role: 'assistant', content: 'About 470,000.' }];
    const batch = await parseImportFile('arena.jsonl', jsonl(rows));
    assert.equal(batch.pairs.length, 7);
    assert.deepEqual(batch.dropped, [DROPPED[0], DROPPED[1], { reason: 'multi-turn conversation', count: 2 }]);
  });

  it('keeps a scenario or category field, fine scenarios of Table 8 included', async () => {
    const rows = sampleRows();
    rows[0].scenario = 'Knowledge-aware';
    rows[1].category = 'writing-song-lyrics';
    rows[11].scenario = 'code_generation';
    const batch = await parseImportFile('arena.jsonl', jsonl(rows));
    assert.deepEqual(batch.pairs.map((p) => [p.scenario, p.fineScenario]), [
      ['Knowledge-aware', null], ['Creative Writing', 'writing-song-lyrics'], [null, null], [null, null],
      [null, null], [null, null], [null, null], ['Code', 'code-generation'],
    ]);
  });

  it('refuses an unknown scenario, naming it', async () => {
    const rows = sampleRows();
    rows[2].category = 'poetry';
    await rejects(parseImportFile('arena.jsonl', jsonl(rows)), { line: 3, field: 'category' }, /unknown scenario "poetry"/);
  });

  it('names the file and line of a broken JSON line', async () => {
    await rejects(parseImportFile('arena-malformed.jsonl', fixture('arena-malformed.jsonl')),
      { file: 'arena-malformed.jsonl', line: 4, unit: 'line' }, /^arena-malformed\.jsonl, line 4: not valid JSON/);
  });

  it('names line and field of a value of the wrong type', async () => {
    const rows = sampleRows();
    rows[4].turn = '2';
    await rejects(parseImportFile('arena.jsonl', jsonl(rows)), { line: 5, field: 'turn' }, /expected an integer, found "2"/);
    const other = sampleRows();
    (other[7].conversation_b as Record<string, unknown>[])[1].content = 42;
    await rejects(parseImportFile('arena.jsonl', jsonl(other)), { line: 8, field: 'conversation_b[1].content' }, /expected text, found a number/);
    const flagged = sampleRows();
    (flagged[0].openai_moderation as Record<string, unknown>).flagged = 'yes';
    await rejects(parseImportFile('arena.jsonl', jsonl(flagged)), { line: 1, field: 'openai_moderation.flagged' }, /expected true or false/);
  });

  it('names the record of a JSON array, and says it counts records', async () => {
    const rows = sampleRows();
    rows[2].winner = 'model_c';
    const bytes = new TextEncoder().encode(JSON.stringify(rows, null, 2));
    await rejects(parseImportFile('arena.json', bytes), { line: 3, unit: 'record', field: 'winner' }, /^arena\.json, record 3, field "winner": expected model_a, model_b, tie or tie \(bothbad\), found "model_c"/);
  });

  it('refuses a missing field, a repeated question_id and a conversation without reply', async () => {
    const missing = sampleRows();
    delete missing[1].model_b;
    await rejects(parseImportFile('arena.jsonl', jsonl(missing)), { line: 2, field: 'model_b' }, /missing/);
    const repeated = sampleRows();
    repeated[5].question_id = repeated[0].question_id;
    await rejects(parseImportFile('arena.jsonl', jsonl(repeated)), { line: 6, field: 'question_id' }, /duplicate id .* \(first seen at line 1\)/);
    const noReply = sampleRows();
    noReply[0].conversation_b = [{ role: 'user', content: 'What is the capital of Australia?' }];
    await rejects(parseImportFile('arena.jsonl', jsonl(noReply)), { line: 1, field: 'conversation_b' }, /no assistant reply/);
  });

  it('refuses a file where nothing is left after filtering, saying why', async () => {
    const rows = sampleRows().filter((r) => r.winner === 'tie' || r.winner === 'tie (bothbad)' || r.turn === 2);
    await rejects(parseImportFile('arena.jsonl', jsonl(rows)), {},
      /no usable rows: all 4 were dropped \(tie: 2, tie \(bothbad\): 1, multi-turn conversation: 1\)/);
  });
});
