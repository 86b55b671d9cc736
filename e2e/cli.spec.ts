// The command line through its real entry point (bin/preference-studio.js, a child process): output, exit
// status, one clear sentence on error, and nothing changed by a failed command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, stop } from './harness';
import { PROPERTY_NAMES } from '../main/services/data/properties';
import { paperReference } from '../main/services/data/reference';
import { pearson } from './by-hand';

const FIXTURES = 'main/services/data/import/fixtures';
const dir = mkdtempSync(join(tmpdir(), 'ps-cli-'));
const db = join(dir, 'cli.sqlite');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/preference-studio.js', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr.trim() };
}
const oneSentence = (text: string) => assert.equal(text.split('\n').length, 1, `one line on stderr, got:\n${text}`);
const studies = () => JSON.parse(cli('studies', '--db', db, '--json').out) as { name: string; pairCount: number }[];

test('help lists the commands; an unknown command is a usage error', () => {
  const help = cli('--help');
  assert.equal(help.code, 0);
  for (const c of ['import', 'fit', 'fit-features', 'serve']) assert.match(help.out, new RegExp(`^  ${c}`, 'm'));
  const wrong = cli('frobnicate');
  assert.equal(wrong.code, 2);
  oneSentence(wrong.err);
});

test('import prints the counts kept and dropped with reasons', () => {
  const r = cli('import', `${FIXTURES}/arena-sample.jsonl`, '--study', 'Arena', '--db', db);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Imported 8 pairs into "Arena"/);
  assert.match(r.out, /2 tie, 1 tie \(bothbad\), 1 multi-turn conversation/);
  const json = JSON.parse(cli('import', `${FIXTURES}/generic-sample.csv`, '--study', 'Generic', '--db', db, '--json').out);
  assert.equal(json.studyName, 'Generic');
  assert.equal(json.format, 'generic');
});

test('a file imported twice, a malformed file or a missing file changes nothing', () => {
  const before = studies();
  const again = cli('import', `${FIXTURES}/arena-sample.jsonl`, '--study', 'Arena', '--db', db);
  assert.equal(again.code, 1);
  assert.match(again.err, /already imported/);
  oneSentence(again.err);
  const broken = cli('import', `${FIXTURES}/arena-malformed.jsonl`, '--study', 'Broken', '--db', db);
  assert.equal(broken.code, 1);
  assert.match(broken.err, /arena-malformed\.jsonl, line 4/);
  oneSentence(broken.err);
  const missing = cli('import', join(dir, 'nope.jsonl'), '--db', db);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no such file/);
  assert.deepEqual(studies(), before);
});

test('bad arguments give one sentence, exit 2, and create no database', () => {
  const fresh = join(dir, 'untouched.sqlite');
  for (const args of [
    ['fit', '--judge', 'human', '--group', 'Code'],
    ['fit', '--study', 'S', '--judge', 'human'],
    ['fit', '--study', 'S', '--judge', 'human', '--group', 'Cooking'],
    ['fit', '--study', 'S', '--judge', 'human', '--all-groups', '--chains', 'four'],
    ['fit-features', 'a.csv', '--scale=-1'],
    ['fit-features', 'a.csv', '--scale', '-1'],
    ['fit-features', 'a.csv', '--integrator', 'euler'],
    ['import'],
    ['import', 'a.jsonl', '--colour', 'red'],
  ]) {
    const r = cli(...args, '--db', fresh);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    oneSentence(r.err);
  }
  assert.throws(() => statSync(fresh));
});

/** A features file whose labels are drawn from known weights, so the fit has a truth to recover. */
function featuresFile(rows: number, weights: number[]): string {
  let state = 12345;
  const rand = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const lines = [['label', ...PROPERTY_NAMES].map((n) => (n.includes(',') ? `"${n}"` : n)).join(',')];
  for (let i = 0; i < rows; i++) {
    const phi = PROPERTY_NAMES.map((): number => { const u = rand(); return u < 0.3 ? -1 : u < 0.6 ? 1 : 0; });
    const eta = phi.reduce((s, v, k) => s + v * weights[k], 0);
    lines.push([rand() < 1 / (1 + Math.exp(-eta)) ? 'A' : 'B', ...phi.map((v) => (v === 1 ? '+1' : String(v)))].join(','));
  }
  return lines.join('\n');
}

test('fit-features recovers the weights its labels were drawn from, as JSON', () => {
  const truth = paperReference().weights['Knowledge-aware']['gpt-4-1106-preview'].map((w) => w * 2);
  const file = join(dir, 'features.csv');
  writeFileSync(file, featuresFile(1500, truth));
  const r = cli('fit-features', file, '--folds', '1', '--chains', '2', '--warmup', '300', '--draws', '400', '--integrator', 'leapfrog', '--json');
  assert.equal(r.code, 0, r.err);
  const fit = JSON.parse(r.out);
  assert.match(fit.sampler, /^NUTS, Stan's leapfrog, /);
  assert.equal(fit.rows, 1500);
  assert.equal(fit.properties.length, 29);
  for (const key of ['mean', 'sd', 'q5', 'q95', 'sigmaMean', 'rhat', 'essBulk', 'essTail']) assert.equal(typeof fit.properties[0][key], 'number', key);
  const r2 = pearson(truth, fit.properties.map((p: { mean: number }) => p.mean));
  assert.ok(r2 > 0.9, `Pearson ${r2.toFixed(3)}`);
  assert.equal(fit.heldOutAccuracy, null);
});

test('fit-features names the column or value it cannot use', () => {
  const file = join(dir, 'bad.csv');
  writeFileSync(file, featuresFile(20, new Array(29).fill(0)).replace('label,', 'labels,'));
  const r = cli('fit-features', file);
  assert.equal(r.code, 1);
  assert.match(r.err, /missing column "label"/);
  oneSentence(r.err);
  writeFileSync(file, featuresFile(20, new Array(29).fill(0)).replace(/\n(A|B),0,/, '\n$1,2,'));
  const v = cli('fit-features', file);
  assert.equal(v.code, 1);
  assert.match(v.err, /line \d+, field "harmless".*"2" is not a comparison feature/);
});

test('fit stores the dissection of a judge on a group of the demo project', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-cli-demo-'));
  await stop(await serve(dataDir)); // the first start creates the demo project
  const demoDb = join(dataDir, 'preference-studio.sqlite');
  const r = cli('fit', '--db', demoDb, '--study', 'Demo project', '--judge', 'human', '--group', 'Advice',
    '--folds', '2', '--chains', '2', '--warmup', '150', '--draws', '200', '--json');
  assert.equal(r.code, 0, r.err);
  const fit = JSON.parse(r.out);
  assert.equal(fit.group, 'Advice');
  // The demo's 400 Advice pairs, less those error detection tagged not applicable (left out, as the paper does).
  assert.ok(fit.rows + fit.notApplicablePairs >= 400);
  assert.ok(fit.heldOutAccuracy > 0.5);
  assert.equal(fit.folds, 2);
  const text = cli('fit', '--db', demoDb, '--study', 'Demo project', '--judge', 'nobody', '--group', 'Advice');
  assert.equal(text.code, 1);
  assert.equal(text.err, 'There is no judge named "nobody".');
});
