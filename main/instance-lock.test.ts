import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderInUseError, LOCK_FILE, lockDataDir } from './instance-lock';

const freshDir = () => mkdtempSync(join(tmpdir(), 'ps-lock-'));

/** The pid of a process that has exited (and been reaped), so it names no running program. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

test('a second lock on the same folder names the holder\'s pid and URL and says how to use another folder', () => {
  const dir = freshDir();
  const lock = lockDataDir(dir);
  try {
    lock.setUrl('http://127.0.0.1:5180/?token=abc');
    const record = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    assert.deepEqual(record, { pid: process.pid, url: 'http://127.0.0.1:5180/?token=abc' });
    assert.equal(statSync(join(dir, LOCK_FILE)).mode & 0o777, 0o600);
    assert.throws(() => lockDataDir(dir), FolderInUseError);
  } finally {
    lock.release();
  }
  assert.equal(existsSync(join(dir, LOCK_FILE)), false);
  lockDataDir(dir).release();
});

test('a live process\'s lock refuses the folder in one sentence', () => {
  const dir = freshDir();
  // The test runner's parent is alive and is not this process.
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, url: 'http://127.0.0.1:5181/?token=t' }));
  assert.throws(() => lockDataDir(dir), {
    name: 'Error',
    message: `The data folder ${dir} is in use by another Preference Studio (pid ${process.ppid}, open http://127.0.0.1:5181/?token=t); to run a second one, give it another folder with --data-dir DIR.`,
  });
  assert.deepEqual(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')), { pid: process.ppid, url: 'http://127.0.0.1:5181/?token=t' });
});

test('a dead process\'s lock, an unreadable one or our own pid from a previous run is taken over', () => {
  for (const stale of [JSON.stringify({ pid: deadPid(), url: 'http://127.0.0.1:5180/?token=old' }), '', '{"pid":', JSON.stringify({ pid: process.pid })]) {
    const dir = freshDir();
    writeFileSync(join(dir, LOCK_FILE), stale);
    const lock = lockDataDir(dir);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')), { pid: process.pid }, stale);
    lock.release();
    assert.equal(existsSync(join(dir, LOCK_FILE)), false);
  }
});

test('releasing leaves another instance\'s lock alone', () => {
  const dir = freshDir();
  const lock = lockDataDir(dir);
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid }));
  lock.release();
  assert.deepEqual(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')), { pid: process.ppid });
});

test('the lock is released when its process exits', () => {
  const dir = freshDir();
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', `
    import('${join(import.meta.dirname, 'instance-lock.ts')}').then(({ lockDataDir }) => { lockDataDir(${JSON.stringify(dir)}); process.exit(0); });
  `], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  assert.equal(existsSync(join(dir, LOCK_FILE)), false);
});
