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

test('annotate --kind scenario assigns every unassigned pair a scenario of Table 8; a second run has nothing to do', async () => {
  const args = ['annotate', '--study', 'Fixtures', '--kind', 'scenario', '--model', 'fake-model', '--base-url', fake.url, '--db', db, '--json'];
  const r = await cli(args);
  assert.equal(r.code, 0, r.err);
  const job = JSON.parse(r.out) as { kind: string; status: string; done: number; total: number };
  assert.deepEqual([job.kind, job.status, job.done, job.total], ['scenario', 'done', 4, 4]);
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
