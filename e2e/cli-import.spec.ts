// The command line's import of hostile and unusual files, through its real entry point: what a file holds never
// reaches the terminal as control characters, compressed files are read as they are, and a refused file writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const FIXTURES = 'main/services/data/import/fixtures';
const dir = mkdtempSync(join(tmpdir(), 'ps-cli-import-'));
const db = join(dir, 'cli.sqlite');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/preference-studio.js', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const studies = () => JSON.parse(cli('studies', '--db', db, '--json').out) as { name: string; pairCount: number }[];
// C0 controls but line feed and tab, DEL and C1: what a terminal acts on.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

test('control characters from a file name, a study name or a file\'s values are shown as escapes, never sent raw', () => {
  const evil = join(dir, 'evil\u001b]0;pwned\u0007\u001b[2J.jsonl');
  // U+009B is the one-character CSI of C1; JSON.stringify leaves it alone, so only the sanitiser stands in its way.
  writeFileSync(evil, `${JSON.stringify({ prompt: 'q', response_a: 'a', response_b: 'b', winner: '\u009b2J\u001b[31mred' })}\n`);
  const refused = cli('import', evil, '--db', db);
  assert.equal(refused.code, 1);
  assert.doesNotMatch(refused.err, CONTROL, JSON.stringify(refused.err));
  assert.match(refused.err, /evil\\u001b\]0;pwned\\u0007\\u001b\[2J\.jsonl, line 1, field "winner": expected A, B, model_a, model_b or tie, found "\\u009b2J\\u001b\[31mred"/);
  assert.equal(refused.err.trim().split('\n').length, 1);

  const ok = cli('import', `${FIXTURES}/generic-sample.csv`, '--study', 'Evil\u001b[2J\u009d0;title\u0007', '--db', db);
  assert.equal(ok.code, 0, ok.err);
  assert.doesNotMatch(ok.out, CONTROL, JSON.stringify(ok.out));
  assert.match(ok.out, /Imported 4 pairs into "Evil\\u001b\[2J\\u009d0;title\\u0007"/);
  const json = cli('studies', '--db', db, '--json');
  assert.doesNotMatch(json.out, CONTROL);
  // The JSON output still says the study's true name: \u escapes are JSON's own.
  assert.ok((JSON.parse(json.out) as { name: string }[]).some((s) => s.name === 'Evil\u001b[2J\u009d0;title\u0007'));
});

test('a gzip-compressed file is read as it is; a cut-short one and a zip archive are told for what they are', () => {
  const gz = join(dir, 'arena.jsonl.gz');
  writeFileSync(gz, gzipSync(readFileSync(`${FIXTURES}/arena-sample.jsonl`)));
  const r = cli('import', gz, '--study', 'Gzipped', '--db', db, '--json');
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).kept, 8);

  const before = studies();
  const cut = join(dir, 'cut.jsonl.gz');
  copyFileSync(gz, cut);
  truncateSync(cut, 200);
  const truncated = cli('import', cut, '--study', 'Cut', '--db', db);
  assert.equal(truncated.code, 1);
  assert.match(truncated.err, /^cut\.jsonl\.gz: not a readable gzip file \(unexpected end of file: the file may be cut short\)/);

  const zip = join(dir, 'pairs.jsonl');
  writeFileSync(zip, Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(64, 1)]));
  const zipped = cli('import', zip, '--study', 'Zip', '--db', db);
  assert.equal(zipped.code, 1);
  assert.match(zipped.err, /^pairs\.jsonl: this is a zip archive \(Excel and Word files are zip archives too\), not JSON Lines: unzip it/);
  assert.deepEqual(studies(), before);
});

test('a file over the size limit is refused by its size, before it is read', () => {
  const huge = join(dir, 'huge.jsonl');
  // A sparse file: 600 MiB by its size, nothing on disk; reading it whole would take 600 MiB of memory.
  writeFileSync(huge, '');
  truncateSync(huge, 600 * 2 ** 20);
  const r = cli('import', huge, '--db', db);
  assert.equal(r.code, 1);
  assert.match(r.err, /^huge\.jsonl: the file is 600 MiB; at most 512 MiB can be imported at once/);
});

test('the paper\'s raw layout imports as it is, and several paths that are no set are refused whole naming the file', () => {
  const raw = join(dir, 'sample_unannotated.jsonl');
  const row = (id: number, group: string) => ({
    model_a: 'vicuna-13b', model_b: 'alpaca-13b', winner: 'model_a', scenario: 'chitchat', prompt: `hello ${id}`, 'prompt llama tokens': 2,
    'prompt word': 2, response_a: 'hi', response_b: 'yo', 'response_a llama tokens': 1, 'response_b llama tokens': 1, 'response_a word': 1,
    'response_b word': 1, oaimoderation_tag: '', toxic_chat_tag: '', r1_num_grammar_errors: 0, r2_num_grammar_errors: 0,
    gpt4_ref_output: `Hello! (${id})`, id, group,
  });
  writeFileSync(raw, `${JSON.stringify(row(0, 'Communication'))}\n${JSON.stringify(row(1, 'Unsafe Queries'))}\n`);
  const ok = cli('import', raw, '--study', 'Raw', '--db', db, '--json');
  assert.equal(ok.code, 0, ok.err);
  assert.equal((JSON.parse(ok.out) as { format: string; kept: number }).format, 'paper-raw');
  assert.equal(studies().find((s) => s.name === 'Raw')?.pairCount, 2);

  const refused = cli('import', `${FIXTURES}/arena-sample.jsonl`, `${FIXTURES}/generic-sample.csv`, '--study', 'Set', '--db', db);
  assert.equal(refused.code, 1);
  assert.match(refused.err, /arena-sample\.jsonl, line 1: several files are imported together only as an MT-bench or arena-hard set/);
  assert.equal(studies().some((s) => s.name === 'Set'), false);
});
