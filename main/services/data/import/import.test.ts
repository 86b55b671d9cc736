import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_IMPORT_BYTES, parseImportFile } from './index';
import { fixture, jsonlBytes, rejectsWith } from './testing';

const utf8 = (text: string) => new TextEncoder().encode(text);
const HEADER = 'prompt,response_a,response_b,winner';

describe('generic pairwise files', () => {
  it('reads the CSV fixture: quoted newlines and quotes, judge columns, scenarios, ties dropped', async () => {
    const batch = await parseImportFile('generic-sample.csv', fixture('generic-sample.csv'));
    assert.equal(batch.format, 'generic');
    assert.deepEqual(batch.dropped, [{ reason: 'tie', count: 1 }]);
    assert.equal(batch.pairs.length, 4);
    const [limerick, idempotent, math, prime] = batch.pairs;

    assert.equal(limerick.externalId, 'g-001');
    assert.equal(limerick.responseA.split('\n').length, 5);
    assert.match(limerick.responseA, /^There once was a cat named Lou,\nwho slept in a box/);
    assert.deepEqual([limerick.modelA, limerick.modelB, limerick.scenario, limerick.fineScenario, limerick.language],
      ['vicuna-13b', 'alpaca-13b', 'Creative Writing', null, 'English']);
    assert.deepEqual(limerick.labels, [
      { judge: 'human', kind: 'human', preferred: 'A', probabilityA: null },
      { judge: 'gpt-4', kind: 'llm', preferred: 'A', probabilityA: null },
      { judge: 'llama-2-7b', kind: 'llm', preferred: 'B', probabilityA: null },
    ]);

    assert.equal(idempotent.query, 'Explain what "idempotent" means, in one sentence.');
    assert.equal(idempotent.responseB, 'It means "the same power", from Latin.');
    assert.deepEqual([idempotent.scenario, idempotent.fineScenario], ['Knowledge-aware', 'explaining-general']);
    assert.deepEqual(idempotent.labels.map((l) => [l.judge, l.preferred]), [['human', 'B'], ['gpt-4', 'B']]);

    assert.deepEqual([math.scenario, math.language, math.labels.length, math.labels[0].preferred], [null, null, 1, 'B']);

    assert.match(prime.externalId, /^[0-9a-f]{20}$/);
    assert.deepEqual([prime.modelA, prime.modelB, prime.scenario], ['unknown', 'unknown', 'Exam Questions']);
  });

  it('reads the same columns from JSON Lines, and CRLF CSV like LF CSV', async () => {
    const csv = await parseImportFile('generic-sample.csv', fixture('generic-sample.csv'));
    const crlf = new TextDecoder().decode(fixture('generic-sample.csv')).replace(/\n/g, '\r\n');
    const fromCrlf = await parseImportFile('crlf.csv', utf8(crlf));
    // Line breaks inside quoted fields are data, so they become CRLF too; everything else is the same.
    assert.deepEqual(fromCrlf.pairs.map((p) => ({ ...p, responseA: p.responseA.replace(/\r\n/g, '\n') })), csv.pairs);

    const rows = csv.pairs.map((p) => ({ id: p.externalId, prompt: p.query, response_a: p.responseA, response_b: p.responseB, winner: p.labels[0].preferred }));
    const fromJsonl = await parseImportFile('pairs.jsonl', jsonlBytes(rows));
    assert.deepEqual(fromJsonl.pairs.map((p) => [p.externalId, p.query, p.responseA, p.responseB, p.labels]),
      csv.pairs.map((p) => [p.externalId, p.query, p.responseA, p.responseB, [p.labels[0]]]));
  });

  it('reads a CSV that starts with a byte order mark', async () => {
    const batch = await parseImportFile('bom.csv', utf8(`\uFEFF${HEADER}\nq,a,b,B\n`));
    assert.deepEqual(batch.pairs.map((p) => [p.query, p.labels[0].preferred]), [['q', 'B']]);
  });

  it('names the header line for missing or unknown columns', async () => {
    await rejectsWith(parseImportFile('generic-wrong-columns.csv', fixture('generic-wrong-columns.csv')),
      { line: 1, field: 'response_b' }, /in the header, missing column response_b; unknown column answer_b/);
    await rejectsWith(parseImportFile('j.csv', utf8(`${HEADER},gpt-4_winner,judge:gpt-4\nq,a,b,A,A,B\n`)),
      { line: 1, field: 'judge:gpt-4' }, /judge "gpt-4" is named by two columns/);
  });

  it('names line and field of a bad value', async () => {
    await rejectsWith(parseImportFile('bad.csv', utf8(`${HEADER}\nq1,"multi\nline",b,A\nq2,a,b,C\n`)),
      { line: 4, field: 'winner' }, /expected A, B, model_a, model_b or tie, found "C"/);
    await rejectsWith(parseImportFile('bad.csv', utf8(`${HEADER},judge:gpt-4\nq1,a,b,A,maybe\n`)),
      { line: 2, field: 'judge:gpt-4' }, /expected A, B, model_a, model_b or tie, found "maybe"/);
    await rejectsWith(parseImportFile('bad.csv', utf8(`${HEADER},scenario\nq1,a,b,A,Poetry\n`)),
      { line: 2, field: 'scenario' }, /unknown scenario "Poetry"/);
    await rejectsWith(parseImportFile('bad.csv', utf8(`${HEADER}\nq1,a,b\n`)),
      { line: 2 }, /expected 4 columns as in the header, found 3/);
    await rejectsWith(parseImportFile('bad.jsonl', jsonlBytes([{ prompt: 'q', response_a: 'a', response_b: 5, winner: 'A' }])),
      { line: 1, field: 'response_b' }, /expected text, found a number/);
    await rejectsWith(parseImportFile('bad.jsonl', jsonlBytes([{ prompt: 'q', response_a: 'a', response_b: 'b', winner: 'A', id: 'x' }, { prompt: 'q2', response_a: 'a', response_b: 'b', winner: 'B', id: 'x' }])),
      { line: 2, field: 'id' }, /duplicate id "x" \(first seen at line 1\)/);
  });
});

describe('any file', () => {
  it('refuses an empty file', async () => {
    await rejectsWith(parseImportFile('empty.jsonl', fixture('empty.jsonl')), { file: 'empty.jsonl' }, /^empty\.jsonl: the file is empty$/);
    await rejectsWith(parseImportFile('blank.csv', utf8('\n  \r\n')), {}, /the file is empty \(only blank lines\)/);
    await rejectsWith(parseImportFile('header.csv', utf8(`${HEADER}\n`)), {}, /a header but no rows/);
    await rejectsWith(parseImportFile('none.json', utf8('[]')), {}, /holds no records/);
  });

  it('refuses a file that is not UTF-8, naming the first bad line', async () => {
    await rejectsWith(parseImportFile('latin1.csv', fixture('latin1.csv')), { line: 3 }, /^latin1\.csv, line 3: the file is not UTF-8 text/);
  });

  it('refuses a file over the size limit before reading it', async () => {
    assert.equal(MAX_IMPORT_BYTES, 512 * 1024 * 1024);
    await rejectsWith(parseImportFile('huge.jsonl', new Uint8Array(MAX_IMPORT_BYTES + 1)), {}, /at most 512 MiB/);
  });

  it('names the line of a JSON syntax error in an array', async () => {
    // Records stream, so the first error in the file is the one told: the first record here is whole.
    const ok = '{"prompt": "q", "response_a": "a", "response_b": "b", "winner": "A"}';
    await rejectsWith(parseImportFile('a.json', utf8(`[\n  ${ok},\n  {"prompt" "x"}\n]`)), { line: 3, unit: 'line' }, /^a\.json, line 3: not valid JSON/);
  });

  it('refuses what it cannot recognise, and formats that cannot come as CSV', async () => {
    await rejectsWith(parseImportFile('x.jsonl', jsonlBytes([{ text: 'hello', label: 1 }])), { line: 1 }, /cannot tell the format from the fields "text", "label"/);
    await rejectsWith(parseImportFile('x.jsonl', jsonlBytes([1, 2])), { line: 1 }, /expected a JSON object/);
    await rejectsWith(parseImportFile('x.csv', fixture('generic-sample.csv'), 'arena'), {}, /arena format has nested fields and cannot come as CSV/);
    await rejectsWith(parseImportFile('x.parquet', utf8('PAR1 not really PAR1')), {}, /not a readable parquet file/);
  });

  it('follows an explicit format over detection', async () => {
    await rejectsWith(parseImportFile('arena-sample.jsonl', fixture('arena-sample.jsonl'), 'generic'),
      { line: 1, field: 'prompt' }, /missing columns prompt, response_a, response_b/);
  });
});
