// The settings channels through dispatch: defaults, each value checked with one sentence and nothing half-written,
// the endpoint shared with the Annotate view, the data folder kept in the settings file (never one another running
// instance holds), and the undo of the last change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createStudio, type Studio } from '../studio';
import { defaultWorkerUrl } from '../../../native-workers/worker-path';
import type { AnnotateSettings, AppSettings, Reply } from '../../../preload/contract';
import { LOCK_FILE } from '../../instance-lock';
import { resolveDataDir } from '../../paths';

const root = mkdtempSync(join(tmpdir(), 'ps-settings-'));
const file = join(root, 'config', 'settings.json');
const saved = { settings: process.env.PREFERENCE_STUDIO_SETTINGS, data: process.env.PREFERENCE_STUDIO_DATA };
let studio: Studio;

before(() => {
  process.env.PREFERENCE_STUDIO_SETTINGS = file;
  delete process.env.PREFERENCE_STUDIO_DATA;
  studio = createStudio({ dataDir: join(root, 'data'), dataDirSource: 'settings', transport: 'browser', version: 'test', samplerWorkerUrl: defaultWorkerUrl(), demoOnFirstStart: false });
});
after(async () => {
  await studio.close();
  for (const [name, value] of [['PREFERENCE_STUDIO_SETTINGS', saved.settings], ['PREFERENCE_STUDIO_DATA', saved.data]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

async function call<T>(channel: string, req: unknown): Promise<T> {
  const reply = await studio.dispatch(channel, req) as Reply<T>;
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.res;
}
const refused = async (req: unknown) => {
  const reply = await studio.dispatch('settings.save', req) as Reply<unknown>;
  assert.equal(reply.ok, false, `refused: ${JSON.stringify(req)}`);
  return (reply as { error: { message: string } }).error.message;
};

test('the defaults: the paper\'s model, no cost cap, rounds of 50 random pairs for every checker, blind; nothing to undo', async () => {
  const s = await call<AppSettings>('settings.get', {});
  assert.deepEqual(s.endpoint, { baseUrl: '', model: 'gpt-4-1106-preview', concurrency: 4, costCap: null });
  assert.deepEqual(s.review, { pairs: 50, strategy: 'random', checkersPerPair: null, blind: true });
  assert.equal(s.undo, null);
  assert.deepEqual({ ...s.dataFolder, defaultFolder: undefined }, { current: join(root, 'data'), source: 'settings', chosen: null, defaultFolder: undefined, file });
});

test('each wrong value is named in one sentence and nothing of the change is written', async () => {
  const before = await call<AppSettings>('settings.get', {});
  assert.equal(await refused({ endpoint: { concurrency: 0 } }), 'Concurrency must be a whole number from 1 to 256, not 0.');
  assert.match(await refused({ endpoint: { costCap: -2 } }), /^The cost cap must be a number of US dollars above 0 .*, not -2\.$/);
  assert.match(await refused({ endpoint: { baseUrl: 'ftp://x' } }), /base URL must start with http/);
  assert.equal(await refused({ review: { pairs: 2.5 } }), 'Pairs per round must be a whole number from 1 to 100000, not 2.5.');
  assert.equal(await refused({ review: { checkersPerPair: 0 } }), 'Checkers per pair must be a whole number from 1 to 100, not 0.');
  assert.match(await refused({ dataFolder: 'relative/folder' }), /^The data folder must be a full path \(such as .*\), not "relative\/folder"\.$/);
  assert.equal(await refused({ dataFolder: '  ' }), "Type the data folder's full path, or go back to the default folder.");
  const aFile = join(root, 'a-file');
  writeFileSync(aFile, 'x');
  assert.equal(await refused({ dataFolder: join(aFile, 'below') }), `${aFile} is a file, not a folder: choose another data folder.`);
  // A good section beside a wrong one is not written either.
  assert.match(await refused({ review: { pairs: 20 }, endpoint: { costCap: 0 } }), /cost cap/);
  assert.deepEqual(await call<AppSettings>('settings.get', {}), before);
  assert.equal(existsSync(file), false, 'no settings file written');
});

test('the endpoint defaults are the Annotate view\'s endpoint; a change says what it changed and is undone', async () => {
  const s = await call<AppSettings>('settings.save', { endpoint: { model: ' llama3 ', baseUrl: 'http://127.0.0.1:11434/v1/', costCap: 5 } });
  assert.deepEqual(s.endpoint, { baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3', concurrency: 4, costCap: 5 });
  assert.equal(s.undo, 'base URL, model, cost cap');
  const annotate = await call<AnnotateSettings>('annotate.settings', {});
  assert.equal(annotate.endpoint.model, 'llama3');
  assert.equal(annotate.endpoint.requestsPerMinute, 500, 'the endpoint\'s other fields are kept');
  const undone = await call<AppSettings>('settings.undo', {});
  assert.deepEqual(undone.endpoint, { baseUrl: '', model: 'gpt-4-1106-preview', concurrency: 4, costCap: null });
  assert.equal(undone.undo, null);
  assert.equal((await call<AnnotateSettings>('annotate.settings', {})).endpoint.model, 'gpt-4-1106-preview');
  const nothing = await studio.dispatch('settings.undo', {});
  assert.deepEqual(nothing, { ok: false, error: { code: 'INVALID', message: 'There is no change of the settings to undo.' } });
});

test('review defaults are kept; saving the same values again is no change', async () => {
  const s = await call<AppSettings>('settings.save', { review: { pairs: 20, strategy: 'stratified', checkersPerPair: 2, blind: false } });
  assert.deepEqual(s.review, { pairs: 20, strategy: 'stratified', checkersPerPair: 2, blind: false });
  assert.equal(s.undo, 'pairs per round, how pairs are drawn, checkers per pair, blind review');
  await call('settings.save', { endpoint: { costCap: 3 } });
  const same = await call<AppSettings>('settings.save', { review: { pairs: 20 } });
  assert.equal(same.undo, 'cost cap', 'the undo is still the last real change');
  // Only the last change is undone.
  const undone = await call<AppSettings>('settings.undo', {});
  assert.equal(undone.endpoint.costCap, null);
  assert.equal(undone.review.pairs, 20);
});

test('a data folder is kept in the settings file for the next start; one another instance holds is refused; undo puts the file back', async () => {
  const next = join(root, 'next', 'data');
  const s = await call<AppSettings>('settings.save', { dataFolder: `${next}/` });
  assert.equal(s.dataFolder.chosen, next);
  assert.equal(s.dataFolder.current, join(root, 'data'), 'the running app keeps its folder');
  assert.equal(existsSync(next), false, 'nothing is made before the app opens it');
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { dataDir: next });
  assert.deepEqual(resolveDataDir(), { dir: next, source: 'settings' }, 'the next start opens it');
  assert.deepEqual(resolveDataDir('/flag'), { dir: '/flag', source: 'flag' }, '--data-dir comes first');

  // Another running instance's folder (its lock names a live process).
  const held = join(root, 'held');
  mkdirSync(held);
  const other: ChildProcess = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
  try {
    writeFileSync(join(held, LOCK_FILE), JSON.stringify({ pid: other.pid, url: 'http://127.0.0.1:5999/' }));
    assert.equal(await refused({ dataFolder: held }),
      `${held} is in use by another Preference Studio (pid ${other.pid}, open http://127.0.0.1:5999/): close it first or choose another folder.`);
  } finally {
    other.kill();
  }
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { dataDir: next }, 'the refused choice wrote nothing');

  const undone = await call<AppSettings>('settings.undo', {});
  assert.equal(undone.dataFolder.chosen, null);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { dataDir: null });
  assert.equal(resolveDataDir().source, 'default');
});

test('a settings file that is not JSON is named at the start', () => {
  const bad = join(root, 'bad.json');
  writeFileSync(bad, '{ nope');
  process.env.PREFERENCE_STUDIO_SETTINGS = bad;
  try {
    assert.throws(() => resolveDataDir(), { message: `the settings file ${bad} is not valid JSON; correct or delete it.` });
  } finally {
    process.env.PREFERENCE_STUDIO_SETTINGS = file;
  }
});
