// The command line's import while another program writes the same database (issue 11): it waits for the other
// program's write lock (held 2 s by a child `node`, BEGIN IMMEDIATE) and imports, through the real entry point; held
// past the busy timeout, it says in one sentence that another program is writing, and writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '../main/services/storage';
import { holdWriteLock } from '../main/services/db/hold-write-lock';
import { BUSY_MESSAGE } from '../main/services/errors';

const FIXTURES = 'main/services/data/import/fixtures';

function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['bin/preference-studio.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err: err.trim() })));
}

test('an import waits while another program holds the write lock for 2 s, then imports', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'ps-cli-two-writers-')), 'cli.sqlite');
  new Storage(db).close(); // a migrated database, as the app leaves it
  const holder = await holdWriteLock(db, 2000);
  const r = await cli('import', `${FIXTURES}/arena-sample.jsonl`, '--study', 'Arena', '--db', db);
  await holder.exited;
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Imported 8 pairs into "Arena"/);
  const storage = new Storage(db);
  assert.deepEqual(storage.studies.listStudies().map((s) => [s.name, s.pairCount]), [['Arena', 8]]);
  storage.close();
});

test('held past the busy timeout, the import fails with the one sentence and nothing is written', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'ps-cli-two-writers-')), 'cli.sqlite');
  new Storage(db).close();
  const holder = await holdWriteLock(db);
  const r = await cli('import', `${FIXTURES}/arena-sample.jsonl`, '--study', 'Arena', '--db', db);
  await holder.release();
  assert.equal(r.code, 1);
  assert.equal(r.err, BUSY_MESSAGE);
  const storage = new Storage(db);
  assert.deepEqual(storage.studies.listStudies(), []);
  storage.close();
});
