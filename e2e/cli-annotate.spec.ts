// `preference-studio annotate` through its real entry point against the fake OpenAI server: a run killed
// halfway (SIGKILL) resumes with the same command and the server shows that no answered request was sent again;
// the Batch API mode collects judge labels; bad arguments are one sentence; the key is nowhere on disk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startFakeOpenAI, type FakeOpenAI } from '../main/services/annotate/testing/fake-openai';
import { fixtureImportFile } from '../main/services/annotate/testing/fixtures';
import { deadPort } from '../main/services/annotate/testing/harness';

const KEY = 'sk-cli-test-key-9f8e7d6c5b4a3210';
const dir = mkdtempSync(join(tmpdir(), 'ps-cli-annotate-'));
const db = join(dir, 'cli.sqlite');
let fake: FakeOpenAI;

interface Run { code: number | null; out: string; err: string }

/** The CLI as a child process; async, because the fake server answers from this process. */
function cli(args: string[], env: Record<string, string | undefined> = { OPENAI_API_KEY: KEY }, onStart?: (kill: () => void) => void): Promise<Run> {
  const child = spawn(process.execPath, ['bin/preference-studio.js', ...args], { env: { ...process.env, OPENAI_API_KEY: undefined, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  onStart?.(() => child.kill('SIGKILL'));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err: err.trim() })));
}

const until = async (condition: () => boolean, what: string) => {
  const end = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

before(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY });
  const file = join(dir, 'fixtures.jsonl');
  writeFileSync(file, fixtureImportFile());
  const imported = await cli(['import', file, '--study', 'Fixtures', '--db', db]);
  assert.equal(imported.code, 0, imported.err);
});

after(async () => {
  await fake?.close();
});

test('annotate killed halfway resumes with the same command, and no answered request is sent twice', async () => {
  const args = ['annotate', '--study', 'Fixtures', '--model', 'fake-model', '--base-url', fake.url, '--concurrency', '2', '--db', db, '--json'];
  fake.stallAfter(9);
  // The kill comes once the run has stored the nine answers it received (one still on the wire when a process
  // dies is lost to it, and asked again).
  const stored = () => {
    try {
      const reader = new Database(db, { readonly: true });
      try {
        return (reader.prepare('SELECT requests FROM annotation_jobs WHERE id = 1').get() as { requests: number } | undefined)?.requests ?? 0;
      } finally {
        reader.close();
      }
    } catch {
      return 0;
    }
  };
  const killed = await cli(args, { OPENAI_API_KEY: KEY }, (kill) => {
    void until(() => fake.requests.some((r) => r.outcome === 'stalled') && stored() >= 9, 'nine stored answers and a held request').then(kill);
  });
  assert.equal(killed.code, null, 'killed by a signal');
  await until(() => !fake.requests.some((r) => r.outcome === 'stalled'), 'the killed run\'s connections to close');
  const answeredBefore = new Set(fake.answered().map((r) => r.hash));
  assert.equal(answeredBefore.size, 9);
  fake.release();
  const sentBefore = fake.requests.length;
  const resumed = await cli(args);
  assert.equal(resumed.code, 0, resumed.err);
  const job = JSON.parse(resumed.out);
  assert.equal(job.resumed, true);
  assert.equal(job.id, 1, 'the same job');
  assert.deepEqual([job.status, job.done, job.failed, job.total], ['done', 4, 0, 4]);
  assert.deepEqual(fake.answeredTwice(), []);
  const sentAfter = fake.requests.slice(sentBefore);
  assert.ok(sentAfter.length > 0);
  assert.ok(sentAfter.every((r) => !answeredBefore.has(r.hash)), 'the resumed run sent nothing answered before the kill');
  assert.ok(job.cacheHits >= 9);
});

test('judge labels through the Batch API: JSONL upload, polling, download, merge', async () => {
  const before = fake.requests.length;
  const r = await cli(['annotate', '--study', 'Fixtures', '--kind', 'judge', '--judge', 'cli judge', '--model', 'fake-model', '--base-url', fake.url, '--batch', '--poll', '1', '--db', db, '--json']);
  assert.equal(r.code, 0, r.err);
  const job = JSON.parse(r.out);
  assert.deepEqual([job.kind, job.mode, job.done, job.judge], ['judge', 'batch', 4, 'cli judge']);
  const sent = fake.requests.slice(before);
  assert.equal(sent.length, 8, 'two orders of four pairs');
  assert.ok(sent.every((s) => s.via === 'batch' && s.kind === 'judge'));
  const studies = JSON.parse((await cli(['studies', '--db', db, '--json'])).out) as { name: string; judgeCount: number }[];
  assert.equal(studies.find((s) => s.name === 'Fixtures')?.judgeCount, 2, 'human and the new LLM judge');
});

test('annotate --kind scenario on a dead port fails; --current-endpoint resumes that job at the right address, assigning every pair a scenario of Table 8; a second run has nothing to do', async () => {
  const dead = `http://127.0.0.1:${await deadPort()}/v1`;
  const failed = await cli(['annotate', '--study', 'Fixtures', '--kind', 'scenario', '--model', 'fake-model', '--base-url', dead, '--tries', '1', '--db', db]);
  assert.equal(failed.code, 1);
  assert.match(failed.err, new RegExp(`^Started job (\\d+): 4 pairs with fake-model at ${dead.replace(/[.:/]/g, '\\$&')}\\.\\nCannot reach ${dead.replace(/[.:/]/g, '\\$&')} \\(connect ECONNREFUSED [^)]*\\), once\\.$`));
  const failedId = Number(/^Started job (\d+)/.exec(failed.err)![1]);
  const args = ['annotate', '--study', 'Fixtures', '--kind', 'scenario', '--model', 'fake-model', '--base-url', fake.url, '--db', db, '--json'];
  const r = await cli([...args, '--current-endpoint']);
  assert.equal(r.code, 0, r.err);
  const job = JSON.parse(r.out) as { id: number; kind: string; status: string; done: number; total: number; baseUrl: string; resumed: boolean; message: string };
  assert.deepEqual([job.id, job.resumed, job.kind, job.status, job.done, job.total, job.baseUrl], [failedId, true, 'scenario', 'done', 4, 4, fake.url]);
  assert.ok(job.message.endsWith(`Resumed at ${fake.url}, the current endpoint (it was started at ${dead}).`), job.message);
  const reader = new Database(db, { readonly: true });
  try {
    const rows = reader.prepare("SELECT p.scenario FROM pairs p JOIN studies s ON s.id = p.study_id WHERE s.name = 'Fixtures' ORDER BY p.id").all() as { scenario: string | null }[];
    assert.ok(rows.every((row) => row.scenario !== null), JSON.stringify(rows));
  } finally {
    reader.close();
  }
  const again = await cli(args);
  assert.equal(again.code, 1);
  assert.match(again.err, /has a scenario/);
});

test('annotate --check: the model, latency, log-probabilities and JSON mode; a dead port and a wrong key are one sentence with status 1', async () => {
  const ok = await cli(['annotate', '--check', '--model', 'fake-model', '--base-url', fake.url, '--db', db]);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /^fake-model answered at http:\/\/127\.0\.0\.1:\d+\/v1 in \d+ ms; log-probabilities work; JSON mode works\.\n$/);
  const json = await cli(['annotate', '--check', '--model', 'fake-model', '--base-url', fake.url, '--json']);
  assert.equal(json.code, 0, json.err);
  const report = JSON.parse(json.out) as { ok: boolean; answeredBy: string; latencyMs: number; logprobs: boolean; jsonMode: boolean };
  assert.deepEqual([report.ok, report.answeredBy, report.logprobs, report.jsonMode], [true, 'fake-model', true, true]);
  assert.ok(report.latencyMs >= 0);
  const dead = `http://127.0.0.1:${await deadPort()}/v1`;
  const unreachable = await cli(['annotate', '--check', '--model', 'fake-model', '--base-url', dead]);
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.err, /^Cannot reach http:\/\/127\.0\.0\.1:\d+\/v1: connect ECONNREFUSED [^\n]*\.$/);
  const wrongKey = await cli(['annotate', '--check', '--model', 'fake-model', '--base-url', fake.url], { OPENAI_API_KEY: 'sk-not-the-right-one-123456' });
  assert.equal(wrongKey.code, 1);
  assert.match(wrongKey.err, /^The endpoint refused the API key \(401\): Incorrect API key provided: \[key hidden\]/);
  assert.ok(!wrongKey.err.includes('sk-not-the-right-one'));
});

test('bad arguments are one sentence with exit status 2; no key for OpenAI is one sentence with status 1', async () => {
  for (const args of [
    ['annotate', '--db', db],
    ['annotate', '--study', 'Fixtures', '--kind', 'summaries', '--db', db],
    ['annotate', '--study', 'Fixtures', '--cost-cap', '-1', '--db', db],
    ['annotate', '--study', 'Fixtures', '--limit', '0', '--db', db],
  ]) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.equal(r.err.split('\n').length, 1, r.err);
  }
  const noKey = await cli(['annotate', '--study', 'Fixtures', '--all', '--limit', '1', '--model', 'fake-model', '--base-url', '', '--db', db], {});
  assert.equal(noKey.code, 1);
  assert.match(noKey.err, /There is no API key for OpenAI: it is read from the OPENAI_API_KEY environment variable\.$/);
});

test('the key appears in no file next to the database', () => {
  const files = readdirSync(dir);
  assert.ok(files.some((f) => f.startsWith('cli.sqlite')));
  for (const file of files) assert.equal(readFileSync(join(dir, file)).indexOf(KEY.slice(3)), -1, `${file} holds the key`);
});
