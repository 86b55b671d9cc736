// Malformed and hostile import files, made by this test from a seed (so every run makes the same ones): every
// container (JSON Lines, JSON array, CSV, parquet, gzip, and UTF-8 with a BOM or UTF-16 text) and every format
// (Chatbot Arena, the paper's, generic). Each must be refused with one sentence that names the file, and the line or
// record and the field where one applies; nothing may be written (every table keeps its row count); and no case may
// hang (each runs under a timeout).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { ImportFormat } from '../../../../preload/contract';
import { AppFailure } from '../../errors';
import { RATED_BASIC_PROPERTIES } from '../properties';
import { Storage } from '../../storage';
import { importBytes } from '../../studio';
import { writeArenaParquet } from './fixtures/make-arena-parquet';
import { ImportError } from './types';

const SEED = 20261205;
const CASE_TIMEOUT_MS = 30_000;

/** mulberry32: a small seeded generator, so that the files are the same on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)];
  // Text with what trips parsers: quotes, commas, backslashes, non-ASCII (but no line breaks, so lines are countable).
  const ALPHABET = 'abcdefghij klmnop,"\\\'éü中文😀-_.:;';
  const text = (min = 3, max = 24) => Array.from({ length: int(min, max) }, () => pick([...ALPHABET])).join('');
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(0, 255));
  return { next, int, pick, text, bytes };
}
const rnd = random(SEED);

type Row = Record<string, unknown>;
type Container = 'jsonl' | 'json' | 'csv';

const MODELS = ['vicuna-13b', 'koala-13b', 'gpt-4', 'claude-v1'];
const basic = () => Object.fromEntries(RATED_BASIC_PROPERTIES.map((p) => [p.promptName ?? p.name, rnd.int(0, 3)]));

/** The formats fuzzed with generated rows (the public datasets' layouts have hostile cases of their own below). */
type Fuzzed = 'arena' | 'paper' | 'generic' | 'pairs';
const VALID: Record<Fuzzed, (i: number) => Row> = {
  arena: (i) => ({
    question_id: `q-${i}-${rnd.int(0, 1e6)}`, model_a: rnd.pick(MODELS), model_b: rnd.pick(MODELS), winner: rnd.pick(['model_a', 'model_b']),
    conversation_a: [{ role: 'user', content: rnd.text() }, { role: 'assistant', content: rnd.text() }],
    conversation_b: [{ role: 'user', content: rnd.text() }, { role: 'assistant', content: rnd.text() }],
    turn: 1, language: 'English',
  }),
  paper: (i) => ({
    query: `${i} ${rnd.text()}`, response_1: { content: rnd.text(), model: rnd.pick(MODELS) }, response_2: { content: rnd.text(), model: rnd.pick(MODELS) },
    preference_labels: { human: rnd.pick(['response_1', 'response_2']), 'gpt-4-1106-preview': rnd.pick(['response_1', 'response_2']) },
  }),
  generic: (i) => ({ prompt: `${i} ${rnd.text()}`, response_a: rnd.text(), response_b: rnd.text(), winner: rnd.pick(['A', 'B']), model_a: rnd.pick(MODELS) }),
  pairs: (i) => ({
    id: `p-${i}`, query: `${i} ${rnd.text()}`, response_a: rnd.text(), response_b: rnd.text(), model_a: rnd.pick(MODELS), model_b: rnd.pick(MODELS),
    scenario: 'Others', unsafe: false, reference: null, labels: [{ judge: 'human', kind: 'human', preferred: rnd.pick(['A', 'B']), probability_a: null }],
  }),
};

interface Expect { line?: number; unit?: 'line' | 'record'; field?: string; message: RegExp }
interface Case { name: string; file: string; bytes: Uint8Array; format?: ImportFormat; expect: Expect }

const utf8 = (s: string) => new TextEncoder().encode(s);
const jsonlOf = (rows: unknown[]) => utf8(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
const concat = (...parts: (Uint8Array | string)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));

/** A record-level fault: how to spoil record `k` (given as JSON text, so that any bytes can be written), and what the error must say. */
interface Fault {
  name: string;
  formats: Fuzzed[];
  /** JSON text of the spoiled record. */
  json(row: Row, k: number, rows: Row[]): string;
  /** CSV cells of the spoiled row (generic only), or undefined when the fault cannot be said in CSV. */
  csv?(row: Row, k: number, rows: Row[]): (string | Uint8Array)[] | undefined;
  field?: string;
  /** The error is about the line's bytes, not a field (CSV's raw bytes). */
  csvField?: string | null;
  message: RegExp;
  csvMessage?: RegExp;
}

const set = (row: Row, path: string[], value: unknown): Row => {
  const copy = structuredClone(row);
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[path[path.length - 1]] = value;
  return copy;
};
const without = (row: Row, key: string): Row => {
  const copy = { ...row };
  delete copy[key];
  return copy;
};
/** Inserts raw JSON text as the first field of an object's text. */
const withRawField = (row: Row, key: string, raw: string) => `{${JSON.stringify(key)}:${raw},${JSON.stringify(row).slice(1)}`;
const DEEP = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
const HUGE = 'x'.repeat(2 * 1024 * 1024);

const FAULTS: Fault[] = [
  // Wrong types per field.
  { name: 'winner is a number', formats: ['generic'], json: (r) => JSON.stringify({ ...r, winner: 5 }), csv: (r) => [...cells(r).slice(0, 3), 'C', ...cells(r).slice(4)], field: 'winner', message: /expected text, found a number/, csvMessage: /expected A, B, model_a, model_b or tie, found "C"/ },
  { name: 'response_b is a list', formats: ['generic'], json: (r) => JSON.stringify({ ...r, response_b: ['a'] }), field: 'response_b', message: /expected text, found an array/ },
  { name: 'scenario unknown', formats: ['generic'], json: (r) => JSON.stringify({ ...r, scenario: 'Poetry' }), field: 'scenario', message: /unknown scenario "Poetry"/ },
  { name: 'winner unknown', formats: ['arena'], json: (r) => JSON.stringify({ ...r, winner: 'model_c' }), field: 'winner', message: /found "model_c"/ },
  { name: 'conversation is text', formats: ['arena'], json: (r) => JSON.stringify({ ...r, conversation_a: 'hello' }), field: 'conversation_a', message: /expected a list, found a string/ },
  { name: 'content is a number', formats: ['arena'], json: (r) => JSON.stringify(set(r, ['conversation_b', '1', 'content'], 42)), field: 'conversation_b[1].content', message: /expected text, found a number/ },
  { name: 'role unknown', formats: ['arena'], json: (r) => JSON.stringify(set(r, ['conversation_a', '0', 'role'], 'system')), field: 'conversation_a[0].role', message: /unknown role "system"/ },
  { name: 'turn as text', formats: ['arena'], json: (r) => JSON.stringify({ ...r, turn: '2' }), field: 'turn', message: /expected an integer, found "2"/ },
  { name: 'flagged as text', formats: ['arena'], json: (r) => JSON.stringify({ ...r, openai_moderation: { flagged: 'yes' } }), field: 'openai_moderation.flagged', message: /expected true or false/ },
  { name: 'query is a number', formats: ['paper'], json: (r) => JSON.stringify({ ...r, query: 7 }), field: 'query', message: /expected text, found a number/ },
  { name: 'response is text', formats: ['paper'], json: (r) => JSON.stringify({ ...r, response_1: 'just text' }), field: 'response_1', message: /expected an object, found a string/ },
  { name: 'label unknown', formats: ['paper'], json: (r) => JSON.stringify(set(r, ['preference_labels', 'human'], 'maybe')), field: 'preference_labels.human', message: /expected response_1 or response_2, found "maybe"/ },
  // A rating out of range is read as 0, as the authors' code does (paper.test.ts); answers given twice are refused.
  { name: 'ratings per pair and per response', formats: ['paper'], json: (r) => JSON.stringify({ ...r, basic: {}, basic_response_1: basic(), basic_response_2: basic() }), field: 'basic', message: /given both per pair and per response/ },
  { name: 'scenario group unknown', formats: ['paper'], json: (r) => JSON.stringify({ ...r, scenario_group: 'Poetry' }), field: 'scenario_group', message: /unknown scenario "Poetry"/ },
  // Missing fields.
  { name: 'prompt missing', formats: ['generic'], json: (r) => JSON.stringify(without(r, 'prompt')), field: 'prompt', message: /missing column prompt/ },
  { name: 'model_b missing', formats: ['arena'], json: (r) => JSON.stringify(without(r, 'model_b')), field: 'model_b', message: /missing/ },
  { name: 'response content missing', formats: ['paper'], json: (r) => JSON.stringify(set(r, ['response_2'], { model: 'x' })), field: 'response_2.content', message: /missing/ },
  { name: 'no assistant reply', formats: ['arena'], json: (r) => JSON.stringify({ ...r, conversation_b: [{ role: 'user', content: 'hi' }] }), field: 'conversation_b', message: /no assistant reply/ },
  // Huge fields: the message quotes a little of them, not megabytes.
  { name: 'huge winner', formats: ['generic', 'arena'], json: (r) => JSON.stringify({ ...r, winner: HUGE }), csv: (r) => [...cells(r).slice(0, 3), HUGE, ...cells(r).slice(4)], field: 'winner', message: /found "x{80}…"/ },
  { name: 'huge query of the wrong type', formats: ['paper'], json: (r) => withRawField(without(r, 'query'), 'query', `[${'1,'.repeat(500_000)}1]`), field: 'query', message: /expected text, found an array/ },
  // NUL and lone surrogates: JSON escapes that no UTF-8 file holds; in CSV, the raw bytes.
  { name: 'lone surrogate', formats: ['generic'], json: (r) => JSON.stringify({ ...r, response_a: 'ab\ud800cd' }), csv: (r) => [cells(r)[0], Buffer.from([0x61, 0xed, 0xa0, 0x80, 0x62]), ...cells(r).slice(2)], field: 'response_a', message: /lone surrogate/, csvField: null, csvMessage: /not UTF-8 text/ },
  { name: 'lone low surrogate', formats: ['arena'], json: (r) => JSON.stringify(set(r, ['conversation_a', '1', 'content'], '\udc00 tail')), field: 'conversation_a[1].content', message: /lone surrogate/ },
  { name: 'lone surrogate in a judge name', formats: ['paper'], json: (r) => JSON.stringify({ ...r, preference_labels: { 'judge\ud83d': 'response_1' } }), field: 'preference_labels', message: /a field name holds a lone surrogate/ },
  { name: 'NUL escape', formats: ['generic'], json: (r) => JSON.stringify({ ...r, prompt: 'a\u0000b' }), csv: (r) => [Buffer.from([0x61, 0x00, 0x62]), ...cells(r).slice(1)], field: 'prompt', message: /NUL character/, csvField: null, csvMessage: /NUL byte/ },
  { name: 'NUL escape in a query', formats: ['paper'], json: (r) => JSON.stringify({ ...r, query: '\u0000' }), field: 'query', message: /NUL character/ },
  // Keys that would pollute a prototype were they assigned rather than defined.
  { name: '__proto__ key', formats: ['generic'], json: (r) => withRawField(r, '__proto__', '{"winner":"A"}'), field: '__proto__', message: /unknown column __proto__/ },
  { name: 'constructor key', formats: ['generic'], json: (r) => withRawField(r, 'constructor', '"x"'), field: 'constructor', message: /unknown column constructor/ },
  { name: 'winner only on __proto__', formats: ['arena'], json: (r) => withRawField(without(r, 'winner'), '__proto__', '{"winner":"model_a"}'), field: 'winner', message: /missing/ },
  { name: 'judge "constructor" with a bad label', formats: ['paper'], json: (r) => JSON.stringify({ ...r, preference_labels: { constructor: 'response_3' } }), field: 'preference_labels.constructor', message: /found "response_3"/ },
  // Deeply nested JSON where text or an object belongs.
  { name: 'deeply nested prompt', formats: ['generic'], json: (r) => withRawField(without(r, 'prompt'), 'prompt', DEEP), field: 'prompt', message: /expected text, found an array/ },
  { name: 'deeply nested conversation', formats: ['arena'], json: (r) => withRawField(without(r, 'conversation_a'), 'conversation_a', `[${DEEP}]`), field: 'conversation_a[0]', message: /expected an object, found an array/ },
  { name: 'deeply nested response', formats: ['paper'], json: (r) => withRawField(without(r, 'response_1'), 'response_1', DEEP), field: 'response_1', message: /expected an object, found an array/ },
  // Ids.
  { name: 'duplicate id', formats: ['generic', 'arena'], json: (r, _k, rows) => JSON.stringify(r.prompt !== undefined ? { ...r, id: 'dup' } : { ...r, question_id: rows[0].question_id }), field: 'x', message: /duplicate id/ },
];

const CSV_COLUMNS = ['prompt', 'response_a', 'response_b', 'winner', 'model_a'];
const cells = (r: Row) => CSV_COLUMNS.map((c) => String(r[c] ?? ''));
const csvCell = (v: string | Uint8Array) => (typeof v === 'string' ? `"${v.replaceAll('"', '""')}"` : concat('"', v, '"'));
const csvLine = (vs: (string | Uint8Array)[]) => concat(...vs.flatMap((v, i) => (i === 0 ? [csvCell(v)] : [',', csvCell(v)])), '\n');

/** The file's bytes with `spoiled` as record k: JSON Lines (record k on line k), a JSON array (record k on line k + 1) or CSV (row k on line k + 1). */
function fileOf(container: Container, rows: Row[], k: number, spoiled: string | (string | Uint8Array)[]): Uint8Array {
  const json = rows.map((r, i) => (i === k - 1 ? spoiled as string : JSON.stringify(r)));
  if (container === 'jsonl') return utf8(`${json.join('\n')}\n`);
  if (container === 'json') return utf8(`[\n${json.join(',\n')}\n]\n`);
  const header = csvLine(CSV_COLUMNS);
  return concat(header, ...rows.map((r, i) => (i === k - 1 ? csvLine(spoiled as string[]) : csvLine(cells(r)))));
}

function recordCases(): Case[] {
  const cases: Case[] = [];
  for (const fault of FAULTS) {
    for (const format of fault.formats) {
      for (const container of ['jsonl', 'json', 'csv'] as Container[]) {
        if (container === 'csv' && (format !== 'generic' || !fault.csv)) continue;
        const n = rnd.int(3, 7);
        const rows = Array.from({ length: n }, (_, i) => VALID[format](i));
        const k = fault.name === 'duplicate id' ? rnd.int(2, n) : rnd.int(1, n);
        if (fault.name === 'duplicate id' && format === 'generic') rows[0] = { ...rows[0], id: 'dup' };
        const spoiled = container === 'csv' ? fault.csv!(rows[k - 1], k, rows)! : fault.json(rows[k - 1], k, rows);
        const field = fault.name === 'duplicate id' ? (format === 'generic' ? 'id' : 'question_id')
          : container === 'csv' && fault.csvField !== undefined ? fault.csvField ?? undefined : fault.field;
        const unit = container === 'json' ? 'record' : 'line';
        const line = container === 'jsonl' ? k : container === 'json' ? k : k + 1;
        // A CSV row's raw bytes are checked before the row is read as a record.
        const expect = { line, unit: unit as 'line' | 'record', field, message: container === 'csv' && fault.csvMessage ? fault.csvMessage : fault.message };
        if (container === 'csv' && fault.csvField === null) expect.unit = 'line';
        cases.push({ name: `${format} ${container}: ${fault.name} (record ${k} of ${n})`, file: `${format}-${fault.name.replace(/\W+/g, '-')}.${container}`, bytes: fileOf(container, rows, k, spoiled), expect });
      }
    }
  }
  return cases;
}

/** The same faults through gzip, a UTF-8 byte order mark and UTF-16: the line and field must not move. */
function encodedCases(base: Case[]): Case[] {
  const out: Case[] = [];
  const textual = base.filter((c) => !c.file.endsWith('.csv') || !/not UTF-8|NUL byte/.test(String(c.expect.message)));
  for (const c of textual.filter(() => rnd.next() < 0.35)) {
    out.push({ ...c, name: `gzip of ${c.name}`, file: `${c.file}.gz`, bytes: gzipSync(c.bytes) });
  }
  for (const c of textual.filter((x) => !/huge|deeply/.test(x.name) && rnd.next() < 0.2)) {
    out.push({ ...c, name: `BOM + ${c.name}`, bytes: concat(Buffer.from([0xef, 0xbb, 0xbf]), c.bytes) });
    const text = new TextDecoder().decode(c.bytes);
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    const bom = rnd.next() < 0.5;
    out.push({ ...c, name: `UTF-16LE${bom ? ' with BOM' : ''}: ${c.name}`, bytes: bom ? concat(Buffer.from([0xff, 0xfe]), le) : le });
    out.push({ ...c, name: `UTF-16BE${bom ? ' with BOM' : ''}: ${c.name}`, bytes: bom ? concat(Buffer.from([0xfe, 0xff]), be) : be });
  }
  return out;
}

/** Faults of the file as a whole: cut short, broken syntax, binary data, empty, a record too long, every row dropped. */
function fileCases(): Case[] {
  const cases: Case[] = [];
  const rowsOf = (format: Fuzzed, n = rnd.int(3, 6)) => Array.from({ length: n }, (_, i) => VALID[format](i));
  for (const format of ['arena', 'paper', 'generic'] as Fuzzed[]) {
    // Cut short inside the last record.
    const rows = rowsOf(format);
    const n = rows.length;
    const jsonl = fileOf('jsonl', rows, 0, '');
    const lastStart = jsonl.lastIndexOf(0x0a, jsonl.length - 2) + 1;
    const cut = lastStart + rnd.int(2, jsonl.length - lastStart - 4);
    cases.push({ name: `${format} jsonl cut short`, file: `${format}-cut.jsonl`, bytes: jsonl.subarray(0, cut), expect: { line: n, unit: 'line', message: /not valid JSON/ } });
    const array = fileOf('json', rows, 0, '');
    cases.push({ name: `${format} json cut short`, file: `${format}-cut.json`, bytes: array.subarray(0, array.length - rnd.int(3, 12)), expect: { line: n + 1, unit: 'line', message: /never closed|not valid JSON/ } });
    cases.push({ name: `${format} gzip cut short`, file: `${format}-cut.jsonl.gz`, bytes: gzipSync(jsonl).subarray(0, 40), expect: { message: /not a readable gzip file \(unexpected end of file: the file may be cut short\)/ } });
    // JSON syntax.
    const text = rows.map((r) => JSON.stringify(r));
    const k = rnd.int(2, n);
    cases.push({ name: `${format} json missing comma`, file: `${format}-comma.json`, bytes: utf8(`[\n${text.slice(0, k - 1).join(',\n')}\n${text.slice(k - 1).join(',\n')}\n]`), expect: { line: k + 1, unit: 'line', message: /not valid JSON/ } });
    cases.push({ name: `${format} json trailing comma`, file: `${format}-trailing.json`, bytes: utf8(`[\n${text.join(',\n')},\n]`), expect: { line: n + 2, unit: 'line', message: /expected an element of the array/ } });
    cases.push({ name: `${format} json text after the array`, file: `${format}-after.json`, bytes: utf8(`[\n${text.join(',\n')}\n] and more`), expect: { line: n + 2, unit: 'line', message: /unexpected text after the closing "\]"/ } });
    cases.push({ name: `${format} jsonl line is a list`, file: `${format}-list.jsonl`, bytes: utf8(`${text.slice(0, k - 1).join('\n')}\n[1, 2]\n`), expect: { line: k, unit: 'line', message: /expected a JSON object on this line/ } });
    cases.push({ name: `${format} json element is text`, file: `${format}-text.json`, bytes: utf8(`[${text.slice(0, k - 1).join(',')},"text"]`), expect: { line: k, unit: 'record', message: /expected a JSON object/ } });
    cases.push({ name: `${format} raw NUL byte`, file: `${format}-nul.jsonl`, bytes: concat(text.slice(0, k - 1).join('\n'), '\n', text[k - 1].slice(0, 5), Buffer.from([0]), text[k - 1].slice(5), '\n'), expect: { line: k, unit: 'line', message: /NUL byte/ } });
    cases.push({ name: `${format} Latin-1 byte`, file: `${format}-latin1.jsonl`, bytes: concat(text.slice(0, k - 1).join('\n'), '\n', text[k - 1].slice(0, 5), Buffer.from([0xe9]), text[k - 1].slice(5), '\n'), expect: { line: k, unit: 'line', message: /not UTF-8 text/ } });
    cases.push({ name: `${format} invalid UTF-16`, file: `${format}-utf16.jsonl`, bytes: concat(Buffer.from([0xff, 0xfe]), Buffer.from(text.join('\n'), 'utf16le'), Buffer.from([0x00, 0xd8, 0x41, 0x00])), expect: { message: /looks like UTF-16LE text but is not valid UTF-16LE/ } });
    // All rows ties: nothing to import (the paper's format has no ties).
    if (format !== 'paper') {
      const ties = rows.map((r) => ({ ...r, winner: 'tie' }));
      cases.push({ name: `${format} every row a tie`, file: `${format}-ties.jsonl`, bytes: fileOf('jsonl', ties, 0, ''), expect: { message: /no usable rows: all \d+ were dropped \(tie: \d+\)/ } });
    }
  }
  // CSV quoting, in rows without quotes of their own (so that an unclosed quote runs to the end of the file).
  const rows = rowsOf('generic', 5);
  const plainRow = (i: number) => `p${i},a${i},b${i},A,m${i}\n`;
  const csv = (k: number, line: string) => concat(CSV_COLUMNS.join(','), '\n', ...rows.map((_, i) => (i === k - 1 ? line : plainRow(i))));
  for (let t = 0; t < 3; t++) {
    const k = rnd.int(1, 5);
    cases.push({ name: `csv unclosed quote (row ${k}, ${t})`, file: 'unclosed.csv', bytes: csv(k, `"unclosed ${t},b,c,A,m\n`), expect: { line: k + 1, unit: 'line', message: /quoted field is never closed/ } });
    cases.push({ name: `csv stray quote (row ${k}, ${t})`, file: 'stray.csv', bytes: csv(k, `ab"c,b,c,A,m\n`), expect: { line: k + 1, unit: 'line', message: /" inside an unquoted field/ } });
    cases.push({ name: `csv text after a closing quote (row ${k}, ${t})`, file: 'after.csv', bytes: csv(k, `"a"b,b,c,A,m\n`), expect: { line: k + 1, unit: 'line', message: /unexpected text after the closing quote/ } });
    cases.push({ name: `csv too few columns (row ${k}, ${t})`, file: 'few.csv', bytes: csv(k, 'a,b,c\n'), expect: { line: k + 1, unit: 'line', message: /expected 5 columns as in the header, found 3/ } });
  }
  cases.push({ name: 'csv header repeats a column', file: 'twice.csv', bytes: utf8('prompt,prompt,response_a,response_b,winner\na,b,c,d,A\n'), expect: { line: 1, field: 'prompt', message: /names this column twice/ } });
  cases.push({ name: 'csv __proto__ column', file: 'proto.csv', bytes: utf8('prompt,response_a,response_b,winner,__proto__\na,b,c,A,x\n'), expect: { line: 1, field: '__proto__', message: /unknown column __proto__/ } });
  cases.push({ name: 'csv of the arena format', file: 'arena.csv', format: 'arena', bytes: fileOf('csv', rows, 0, ''), expect: { message: /cannot come as CSV/ } });
  // Parquet: values spoiled in a real parquet file, files cut short or not parquet at all, and the wrong format.
  const sample = readFileSync(new URL('fixtures/arena-sample.jsonl', import.meta.url), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row);
  const spoilParquet: [string, (r: Row) => Row, string, RegExp][] = [
    ['winner unknown', (r) => ({ ...r, winner: 'model_c' }), 'winner', /found "model_c"/],
    ['role unknown', (r) => set(r, ['conversation_b', '0', 'role'], 'robot'), 'conversation_b[0].role', /unknown role "robot"/],
    ['no assistant reply', (r) => ({ ...r, conversation_a: [{ role: 'user', content: 'hi' }] }), 'conversation_a', /no assistant reply/],
    ['duplicate id', (r) => ({ ...r, question_id: sample[0].question_id }), 'question_id', /duplicate id/],
  ];
  for (const [name, spoil, field, message] of spoilParquet) {
    const k = rnd.int(2, sample.length);
    const bytes = writeArenaParquet(sample.map((r, i) => (i === k - 1 ? spoil(r) : r)));
    cases.push({ name: `arena parquet: ${name} (record ${k})`, file: `spoiled-${k}.parquet`, bytes, expect: { line: k, unit: 'record', field, message } });
    cases.push({ name: `gzip of arena parquet: ${name} (record ${k})`, file: `spoiled-${k}.parquet.gz`, bytes: gzipSync(bytes), expect: { line: k, unit: 'record', field, message } });
  }
  const parquet = writeArenaParquet(sample);
  for (let t = 0; t < 4; t++) {
    const cut = rnd.int(8, parquet.length - 2);
    cases.push({ name: `parquet cut short at byte ${cut}`, file: 'cut.parquet', bytes: parquet.subarray(0, cut), expect: { message: /not a readable parquet file/ } });
  }
  cases.push({ name: 'parquet of junk between the signatures', file: 'junk.parquet', bytes: concat('PAR1', rnd.bytes(200), 'PAR1'), expect: { message: /not a readable parquet file/ } });
  cases.push({ name: 'parquet named file of text', file: 'text.parquet', bytes: utf8('{"prompt": "q"}\n'), expect: { message: /not a readable parquet file \(it does not start with the parquet signature PAR1\)/ } });
  cases.push({ name: 'arena parquet read as the paper\'s format', file: 'arena.parquet', format: 'paper', bytes: parquet, expect: { line: 1, unit: 'record', field: 'query', message: /missing/ } });
  cases.push({ name: 'arena parquet read as generic', file: 'arena.parquet', format: 'generic', bytes: parquet, expect: { line: 1, unit: 'record', field: 'prompt', message: /missing columns prompt/ } });
  // Binary files, named as data files.
  const signatures: [string, Uint8Array, RegExp][] = [
    ['zip', concat(Buffer.from([0x50, 0x4b, 3, 4]), rnd.bytes(100)), /this is a zip archive/],
    ['PNG', concat(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), rnd.bytes(100)), /this is a PNG image/],
    ['ELF', concat(Buffer.from([0x7f, 0x45, 0x4c, 0x46]), rnd.bytes(100)), /this is a program \(an ELF executable\)/],
    ['PDF', concat('%PDF-1.7\n', rnd.bytes(100)), /this is a PDF document/],
    ['SQLite', concat('SQLite format 3\u0000', rnd.bytes(100)), /this is an SQLite database/],
    ['xz', concat(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), rnd.bytes(100)), /this is an xz archive/],
    ['gzip in gzip', gzipSync(gzipSync(utf8('{"prompt": 1}'))), /gzip archive inside a gzip archive/],
  ];
  for (const [what, bytes, message] of signatures) {
    for (const ext of ['jsonl', 'json', 'csv']) {
      const expected = { jsonl: 'JSON Lines', json: 'JSON', csv: 'CSV' }[ext];
      cases.push({ name: `${what} named .${ext}`, file: `binary.${ext}`, bytes, expect: { message: new RegExp(`${message.source}.*, not ${expected}`) } });
    }
  }
  for (let t = 0; t < 6; t++) {
    const ext = rnd.pick(['jsonl', 'json', 'csv', 'bin', 'gz']);
    const bytes = concat(Buffer.from([rnd.int(0x80, 0xff), 0]), rnd.bytes(rnd.int(10, 5000)));
    cases.push({ name: `random bytes ${t} named .${ext}`, file: `junk.${ext}`, bytes, expect: { message: /binary data|not UTF-8 text|not a readable|NUL byte|this is/ } });
  }
  // Empty, and a record too long to be one.
  cases.push({ name: 'empty file', file: 'empty.jsonl', bytes: new Uint8Array(0), expect: { message: /the file is empty$/ } });
  cases.push({ name: 'only blank lines', file: 'blank.jsonl', bytes: utf8('\n \r\n\t\n'), expect: { message: /only blank lines/ } });
  cases.push({ name: 'gzip of nothing', file: 'nothing.jsonl.gz', bytes: gzipSync(new Uint8Array(0)), expect: { message: /empty \(once decompressed\)/ } });
  cases.push({ name: 'an empty array', file: 'none.json', bytes: utf8('[ ]'), expect: { message: /holds no records/ } });
  cases.push({ name: 'a header and no rows', file: 'header.csv', bytes: csvLine(CSV_COLUMNS), expect: { message: /a header but no rows/ } });
  cases.push({ name: 'a line over 16 MiB', file: 'long.jsonl', bytes: concat(JSON.stringify(VALID.generic(1)), '\n{"prompt": "', 'y'.repeat(17 * 2 ** 20)), expect: { line: 2, unit: 'line', message: /the line is longer than 16 MiB/ } });
  cases.push({ name: 'a CSV quote open for over 16 MiB', file: 'long.csv', bytes: concat(csvLine(CSV_COLUMNS), '"', 'z,'.repeat(9 * 2 ** 20)), expect: { line: 2, unit: 'line', message: /the record is longer than 16 MiB \(is a quoted field never closed\?\)/ } });
  // The public datasets' layouts (layouts.test.ts has their valid shapes).
  const alpaca = (preference: unknown) => ({ instruction: 'q', output_1: 'a', generator_1: 'm1', output_2: 'b', generator_2: 'm2', annotator: 'alpaca_eval_gpt4', preference });
  cases.push({ name: 'alpaca_eval weight above 2', file: 'annotations.json', bytes: utf8(JSON.stringify([alpaca(1), alpaca(2.5)])), expect: { line: 2, unit: 'record', field: 'preference', message: /found 2\.5/ } });
  cases.push({ name: 'alpaca_eval preference as text', file: 'annotations.json', bytes: utf8(JSON.stringify([alpaca('NaN')])), expect: { line: 1, unit: 'record', field: 'preference', message: /found "NaN"/ } });
  const autoj = (label: unknown) => ({ scenario: 'chitchat', label, prompt: 'p', 'response 1': 'a', 'response 2': 'b' });
  cases.push({ name: 'Auto-J label as text', file: 'testdata_pairwise.jsonl', bytes: jsonlOf([autoj(0), autoj('0')]), expect: { line: 2, unit: 'line', field: 'label', message: /found "0"/ } });
  const prd = (vote: unknown) => ({ question: 'q', answer_a: 'a', answer_b: 'b', overall_preference: vote });
  cases.push({ name: 'PRD vote of 2', file: 'prd.jsonl', bytes: jsonlOf([prd(-1), prd(1), prd(2)]), expect: { line: 3, unit: 'line', field: 'overall_preference', message: /found 2/ } });
  const hh = (chosen: unknown) => ({ chosen, rejected: '\n\nHuman: q\n\nAssistant: no' });
  cases.push({ name: 'hh-rlhf chosen as an object (gzip)', file: 'test.jsonl.gz', bytes: gzipSync(jsonlOf([hh('\n\nHuman: q\n\nAssistant: yes'), hh({ text: 'x' })])), expect: { line: 2, unit: 'line', field: 'chosen', message: /expected text, found an object/ } });
  const kaggleHeader = 'id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie\n';
  cases.push({ name: 'Kaggle prompt nested 20,000 deep', file: 'train.csv', bytes: utf8(`${kaggleHeader}1,m,n,${DEEP},"[""a""]","[""b""]",1,0,0\n`), expect: { line: 2, unit: 'line', field: 'prompt', message: /expected a JSON-encoded list of texts/ } });
  cases.push({ name: 'Kaggle winner of 2', file: 'train.csv', bytes: utf8(`${kaggleHeader}1,m,n,"[""q""]","[""a""]","[""b""]",2,0,0\n`), expect: { line: 2, unit: 'line', field: 'winner_model_a', message: /expected 0 or 1, found "2"/ } });
  const raw = (id: unknown) => ({ model_a: 'm1', model_b: 'm2', winner: 'model_a', scenario: 'default', prompt: 'p', response_a: 'a', response_b: 'b', gpt4_ref_output: 'r', id, group: 'Others' });
  cases.push({ name: 'paper raw repeated id', file: 'sample_unannotated.jsonl', bytes: jsonlOf([raw(0), raw(1), raw(0)]), expect: { line: 3, unit: 'line', field: 'id', message: /duplicate id "0"/ } });
  const judged = (judge: string, winner: string) => ({ ...VALID.arena(0), question_id: 81, model_a: 'vicuna-13b', model_b: 'gpt-4', judge, winner });
  cases.push({ name: 'a judge voting twice on one pair', file: 'human.jsonl', bytes: jsonlOf([judged('expert_0', 'model_a'), judged('gpt4_pair', 'model_b'), judged('expert_0', 'model_b')]), expect: { line: 3, unit: 'line', field: 'judge', message: /votes twice/ } });
  cases.push({ name: 'the paper\'s labels by position alone', file: 'example_preference_labels.json', bytes: utf8('["A", "B", "B"]'), expect: { message: /cannot be imported alone$/ } });
  cases.push({ name: 'an MT-bench judgment file alone', file: 'gpt-4_pair.jsonl', bytes: jsonlOf([{ question_id: 81, model_1: 'a', model_2: 'b', g1_winner: 'model_1', g2_winner: 'model_1', judge: ['gpt-4', 'pair-v2'], turn: 1 }]), expect: { message: /choose it together with the other files of its set/ } });
  cases.push({ name: 'fields the format cannot be told from', file: 'unknown.jsonl', bytes: utf8('{"text": "hello", "__proto__": {"prompt": "x"}}\n'), expect: { line: 1, unit: 'line', message: /cannot tell the format from the fields "text", "__proto__"/ } });
  return cases;
}

const records = recordCases();
const CASES = [...records, ...encodedCases(records), ...fileCases()];

describe(`import fuzz: ${CASES.length} malformed or hostile files (seed ${SEED})`, () => {
  let dir: string;
  let storage: Storage;
  let counts: () => Record<string, number>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ps-fuzz-'));
    storage = new Storage(join(dir, 'fuzz.sqlite'));
    // A study already holding pairs: a refused import must leave it as it was, and create no other.
    await importBytes(storage, { studyName: 'Fuzz', fileName: 'good.jsonl', bytes: utf8(`${JSON.stringify(VALID.generic(0))}\n`) });
    const tables = (storage.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    counts = () => Object.fromEntries(tables.map((t) => [t, (storage.db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
  });
  after(() => {
    storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes at least 100 cases, the same ones on every run', () => {
    assert.ok(CASES.length >= 100, `${CASES.length} cases`);
    assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length, 'case names are unique');
  });

  CASES.forEach((c, i) => {
    it(c.name, { timeout: CASE_TIMEOUT_MS }, async () => {
      const rowsBefore = counts();
      const studyName = i % 2 === 0 ? 'Fuzz' : `Fuzz ${i}`;
      await assert.rejects(importBytes(storage, { studyName, fileName: c.file, bytes: c.bytes, format: c.format }), (e: unknown) => {
        assert.ok(e instanceof ImportError || (e instanceof AppFailure && e.code.startsWith('IMPORT')), `expected an import error, got ${String(e)}`);
        const message = (e as Error).message;
        assert.ok(!message.includes('\n') && message.length < 600, `one sentence, got: ${message.slice(0, 800)}`);
        assert.ok(message.startsWith(c.file), `names the file: ${message}`);
        assert.match(message, c.expect.message);
        if (c.expect.line !== undefined) {
          assert.ok(e instanceof ImportError);
          assert.equal(e.line, c.expect.line, `line of: ${message}`);
          assert.equal(e.unit, c.expect.unit ?? 'line', `unit of: ${message}`);
          assert.ok(message.includes(`, ${e.unit} ${e.line}`), message);
        }
        if (c.expect.field !== undefined) {
          assert.ok(e instanceof ImportError);
          assert.equal(e.field, c.expect.field, `field of: ${message}`);
          assert.ok(message.includes(`field ${JSON.stringify(c.expect.field)}`), message);
        }
        return true;
      });
      assert.deepEqual(counts(), rowsBefore, 'nothing written');
    });
  });
});
