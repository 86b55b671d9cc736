// `preference-studio export` through the real entry point: effect strengths, judge similarity and a DPO dataset of
// the demo project as files a user takes away, checked against the fit the command line stored and against
// numbers worked out here from the weights and the comparison features; one sentence and exit 1 or 2 on error.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, stop } from './harness';
import { Storage } from '../main/services/storage';
import { comparisonFeatures } from '../main/services/data/features';
import { paperReference } from '../main/services/data/reference';
import { pearson } from './by-hand';

const STUDY = 'Demo project';
const dir = mkdtempSync(join(tmpdir(), 'ps-cli-export-'));
let db: string;
/** The fit of human on Communication that the command line stored: posterior means and sigma per property. */
let fit: { properties: { name: string; mean: number; sigmaMean: number; sigmaQ5: number; sigmaQ95: number }[] };

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/preference-studio.js', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr.trim() };
}
const oneSentence = (text: string) => assert.equal(text.split('\n').length, 1, `one line on stderr, got:\n${text}`);

before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ps-cli-export-demo-'));
  await stop(await serve(dataDir)); // the first start creates the demo project
  db = join(dataDir, 'preference-studio.sqlite');
  const r = cli('fit', '--db', db, '--study', STUDY, '--judge', 'human', '--group', 'Communication',
    '--folds', '2', '--chains', '2', '--warmup', '150', '--draws', '200', '--json');
  assert.equal(r.code, 0, r.err);
  fit = JSON.parse(r.out);
});

test('export effect-strengths writes sigma(alpha) and its 90% interval per property, beside a paper judge', () => {
  const r = cli('export', 'effect-strengths', '--db', db, '--study', STUDY, '--group', 'Communication', '--paper-judge', 'human');
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\r\n').map((l) => l.split(','));
  // A quick fit is usually flagged: its columns then say so, and why.
  const human = /^human( \[flagged fit: [^\],]+\])? %$/.exec(lines[0][1]);
  assert.ok(human, lines[0][1]);
  const label = lines[0][1].slice(0, -2);
  assert.deepEqual(lines[0], ['property', `${label} %`, `${label} 5%`, `${label} 95%`, 'human (paper) %', 'human (paper) 5%', 'human (paper) 95%']);
  assert.equal(lines.length, 30);
  const published = paperReference().weights.Communication.human;
  for (const [i, p] of fit.properties.entries()) {
    const row = lines.find((l) => l[0] === p.name)!;
    assert.deepEqual(row.slice(1, 4), [p.sigmaMean, p.sigmaQ5, p.sigmaQ95].map((v) => (v * 100).toFixed(1)), p.name);
    assert.equal(row[4], (100 / (1 + Math.exp(-published[i]))).toFixed(1));
    assert.deepEqual(row.slice(5), ['', ''], 'the paper published no intervals');
  }
  const out = join(dir, 'strengths.tex');
  const latex = cli('export', 'effect-strengths', '--db', db, '--study', STUDY, '--group', 'Communication', '--format', 'latex', '--out', out);
  assert.equal(latex.code, 0, latex.err);
  assert.match(latex.out, /^Wrote the effect-strengths of 1 judge to .*strengths\.tex\.$/m);
  assert.match(readFileSync(out, 'utf8'), /\\caption\{Effect strengths on Communication\}/);
});


test("export similarity puts the study's judges beside all of the paper's, as JSON", () => {
  const out = join(dir, 'similarity.json');
  const r = cli('export', 'similarity', '--db', db, '--study', STUDY, '--all-paper', '--format', 'json', '--out', out);
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(readFileSync(out, 'utf8')) as Record<string, string | number | null>[];
  assert.equal(rows.length, 34);
  assert.equal(rows.at(-1)!.judge, 'human (paper)', 'humans last');
  const human = rows.find((row) => row.judge === 'human')!;
  assert.equal(human.human, 1);
  // Only Communication is fitted, so the similarity to the paper's human is one Pearson coefficient.
  const expected = pearson(fit.properties.map((p) => p.mean), paperReference().weights.Communication.human);
  assert.ok(Math.abs((human['human (paper)'] as number) - expected) < 1e-9);
});

/** Pairs with |P(A) - 0.5| > 0.15 under each group's weights, worked out from the demo's comparison features. */
function expectedDpo(weights: Record<string, number[]>, simulated = true): { prompt: string; chosen: string; rejected: string }[] {
  const storage = new Storage(db);
  try {
    const out: { prompt: string; chosen: string; rejected: string }[] = [];
    for (const [group, alpha] of Object.entries(weights)) {
      const where = `${group === 'Unsafe Queries' ? 'unsafe = 1' : 'unsafe = 0 AND scenario = @group'}${simulated ? '' : ' AND simulated = 0'}`;
      const pairs = storage.db.prepare(`SELECT id, query, response_a, response_b FROM pairs WHERE annotated = 1 AND ${where} ORDER BY id`).all({ group }) as
        { id: number; query: string; response_a: string; response_b: string }[];
      for (const p of pairs) {
        const phi = comparisonFeatures(storage.annotations.annotation(p.id));
        const pA = 1 / (1 + Math.exp(-alpha.reduce((t, a, i) => t + a * phi[i], 0)));
        if (pA > 0.65) out.push({ prompt: p.query, chosen: p.response_a, rejected: p.response_b });
        if (pA < 0.35) out.push({ prompt: p.query, chosen: p.response_b, rejected: p.response_a });
      }
    }
    return out;
  } finally {
    storage.close();
  }
}

test('export dpo relabels the demo with the stored fit, or with the paper\'s published model on every scenario', () => {
  const out = join(dir, 'human.jsonl');
  const r = cli('export', 'dpo', '--db', db, '--study', STUDY, '--judge', 'human', '--include-simulated', '--out', out);
  assert.equal(r.code, 0, r.err);
  // A quick fit like this one is usually flagged: then every line says why, and so does the summary.
  const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const expected = expectedDpo({ Communication: fit.properties.map((p) => p.mean) });
  assert.equal(lines.length, expected.length);
  assert.ok(lines.length > 50);
  assert.match(r.out, new RegExp(`^Wrote ${expected.length} pairs \\(\\d+ of \\d+ left out within 50 \\+- 15%(; flagged fits, their lines carry fit_flag: Communication \\(.+\\))?\\) to .*human\\.jsonl\\.$`, 'm'));
  const flagged = /fit_flag/.test(r.out);
  for (const l of lines) assert.deepEqual(Object.keys(l), ['prompt', 'chosen', 'rejected', ...(flagged ? ['fit_flag'] : [])]);
  assert.deepEqual(lines.map(({ prompt, chosen, rejected }) => ({ prompt, chosen, rejected })), expected);

  // Without --include-simulated the demo's simulated pairs stay out, and the summary says so.
  const real = cli('export', 'dpo', '--db', db, '--study', STUDY, '--judge', 'human');
  assert.equal(real.code, 0, real.err);
  const realLines = real.out.trim() ? real.out.trim().split('\n').map((l) => JSON.parse(l)) : [];
  assert.deepEqual(realLines.map(({ prompt, chosen, rejected }) => ({ prompt, chosen, rejected })), expectedDpo({ Communication: fit.properties.map((p) => p.mean) }, false));
  assert.match(real.err, /\d+ simulated pairs left out \(--include-simulated keeps them\)/);

  const reference = paperReference();
  const scenarios = ['Exam Questions', 'Code', 'Creative Writing', 'Functional Writing', 'Communication', 'Knowledge-aware', 'Advice', 'Daily Tasks', 'NLP Tasks', 'Others', 'Unsafe Queries'];
  const paperWeights = Object.fromEntries(scenarios.map((g) => [g, reference.weights[g]['gpt-4-1106-preview']]));
  const against = cli('export', 'dpo', '--db', db, '--study', STUDY, '--judge', 'gpt-4-1106-preview', '--paper', '--against', '--include-simulated');
  assert.equal(against.code, 0, against.err);
  const flipped = against.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(flipped, expectedDpo(paperWeights).map((e) => ({ prompt: e.prompt, chosen: e.rejected, rejected: e.chosen })));
  assert.match(against.err, /^\d+ pairs kept of \d+/);
});

test('export refuses bad requests with one sentence: exit 2 for usage, 1 for what the data cannot give', () => {
  for (const args of [
    ['export'],
    ['export', 'charts', '--study', STUDY],
    ['export', 'effect-strengths', '--study', STUDY],
    ['export', 'effect-strengths', '--study', STUDY, '--group', 'Cooking'],
    ['export', 'similarity', '--study', STUDY, '--format', 'pdf'],
    ['export', 'dpo', '--study', STUDY],
    ['export', 'similarity'],
  ]) {
    const r = cli(...args, '--db', db);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    oneSentence(r.err);
  }
  const study = cli('export', 'similarity', '--db', db, '--study', 'Nope');
  assert.equal(study.code, 1);
  assert.equal(study.err, 'There is no study named "Nope".');
  const nofit = cli('export', 'dpo', '--db', db, '--study', STUDY, '--judge', 'yi-6b-chat');
  assert.equal(nofit.code, 1);
  assert.equal(nofit.err, 'yi-6b-chat has no finished fit on any scenario; fit it in Dissect first.');
});
