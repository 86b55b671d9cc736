import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudio } from '../studio';
import { comparisonData, validateSettings } from './dissection';
import { defaultWorkerUrl } from '../../../native-workers/worker-path';
import type { JobProgress } from '../../../preload/contract';
import { paperReference } from '../data/reference';
import { PROPERTY_COUNT } from '../data/properties';
import { pearson } from '../insight/compare';

const events: JobProgress[] = [];
const studio = createStudio({
  dataDir: mkdtempSync(join(tmpdir(), 'ps-dissect-')), transport: 'browser', version: 'test',
  samplerWorkerUrl: defaultWorkerUrl(), samplerThreads: 2,
  emit: (_event, payload) => events.push(payload as JobProgress),
});
after(() => studio.close());

const DEMO = 1;
const quick = { chains: 2, warmup: 150, draws: 200, folds: 2, seed: 7 };
const ok = async <T>(p: Promise<{ ok: boolean; res?: unknown; error?: unknown }>) => {
  const r = await p;
  assert.ok(r.ok, JSON.stringify(r.error));
  return r.res as T;
};

test("a group's comparison data holds the judge's labelled, annotated pairs of that group only", () => {
  const code = comparisonData(studio.storage, DEMO, 'human', 'Code');
  const unsafe = comparisonData(studio.storage, DEMO, 'human', 'Unsafe Queries');
  // The demo's few not-applicable error checks are left out of the rows (section 3.4) and counted.
  assert.ok(code.notApplicable > 0 && code.notApplicable < 60, `${code.notApplicable} not applicable`);
  assert.ok(code.y.length + code.notApplicable >= 400 && code.y.length + code.notApplicable < 420, `Code has ${code.y.length} rows`);
  assert.ok(unsafe.y.length + unsafe.notApplicable >= 400 && unsafe.y.length + unsafe.notApplicable < 420);
  assert.equal(code.X.length, code.y.length * PROPERTY_COUNT);
  assert.equal(new Set([...code.pairIds, ...unsafe.pairIds]).size, code.pairIds.length + unsafe.pairIds.length, 'unsafe pairs are not in a scenario');
  assert.ok(code.X.every((v) => v === -1 || v === 0 || v === 1));
});

test('bad fit settings are refused with a sentence naming the setting', () => {
  assert.throws(() => validateSettings({ chains: 0 }), /chains must be a whole number from 1/);
  assert.throws(() => validateSettings({ priorScale: -1 }), /prior scale must be a positive number/);
  assert.deepEqual(validateSettings({}), { chains: 4, warmup: 500, draws: 1500, folds: 10, priorScale: 0.1, seed: 1, integrator: 'split' });
  assert.throws(() => validateSettings({ integrator: 'euler' as 'split' }), /The integrator must be "split" or "leapfrog", not "euler"/);
});

test('the MAP preview leans the same way as the weights the demo labels were drawn from', async () => {
  const preview = await ok<{ rows: number; properties: { name: string; alpha: number }[] }>(studio.dispatch('dissect.preview', { studyId: DEMO, judge: 'gpt-4-1106-preview', group: 'Knowledge-aware' }));
  const truth = paperReference().weights['Knowledge-aware']['gpt-4-1106-preview'];
  const r = pearson(truth, preview.properties.map((p) => p.alpha))!;
  assert.ok(r > 0.6, `Pearson ${r.toFixed(3)} between the MAP and the true weights`);
});

test('a fit job runs in the workers, reports progress with an ETA, and stores effect strengths with diagnostics', async () => {
  const { jobId } = await ok<{ jobId: string }>(studio.dispatch('dissect.fit', { studyId: DEMO, judge: 'human', groups: ['Advice'], settings: quick }));
  await studio.jobs.idle();
  const mine = events.filter((e) => e.jobId === jobId);
  assert.equal(mine.at(-1)?.state, 'done', mine.at(-1)?.message);
  assert.ok(mine.some((e) => e.state === 'running' && e.done > 0 && e.done < e.total && e.etaSeconds !== null), 'progress with an ETA while running');
  const fits = await ok<{ judge: string; group: string; status: string; rows: number; accuracy: number; properties: { strength: number; strengthQ5: number; strengthQ95: number }[]; diagnostics: { maxRhat: number; priorScales: number[]; sampler: string; notApplicablePairs: number } }[]>(studio.dispatch('dissect.fits', { studyId: DEMO }));
  const fit = fits.find((f) => f.judge === 'human' && f.group === 'Advice')!;
  assert.equal(fit.status, 'done');
  const advice = comparisonData(studio.storage, DEMO, 'human', 'Advice');
  assert.deepEqual([fit.rows, fit.diagnostics.notApplicablePairs], [advice.y.length, advice.notApplicable]);
  assert.ok(fit.rows + fit.diagnostics.notApplicablePairs >= 400);
  assert.ok(fit.accuracy > 0.5 && fit.accuracy < 1);
  assert.equal(fit.properties.length, 29);
  for (const p of fit.properties) assert.ok(p.strengthQ5 <= p.strength && p.strength <= p.strengthQ95);
  assert.ok(Number.isFinite(fit.diagnostics.maxRhat));
  assert.deepEqual(fit.diagnostics.priorScales, [0.1, 0.1]);
  assert.match(fit.diagnostics.sampler, /^NUTS, split integrator, (wasm-simd|js) kernel$/);
});

test('integrator "leapfrog" runs Stan\'s integrator and the stored fit says so', async () => {
  const { jobId } = await ok<{ jobId: string }>(studio.dispatch('dissect.fit', { studyId: DEMO, judge: 'human', groups: ['Exam Questions'], settings: { ...quick, integrator: 'leapfrog' } }));
  await studio.jobs.idle();
  assert.equal(events.filter((e) => e.jobId === jobId).at(-1)?.state, 'done');
  const fits = await ok<{ judge: string; group: string; settings: { integrator: string }; diagnostics: { sampler: string } }[]>(studio.dispatch('dissect.fits', { studyId: DEMO }));
  const fit = fits.find((f) => f.judge === 'human' && f.group === 'Exam Questions')!;
  assert.equal(fit.settings.integrator, 'leapfrog');
  assert.match(fit.diagnostics.sampler, /^NUTS, Stan's leapfrog, (wasm-simd|js) kernel$/);
});

test('a queued fit can be cancelled and is stored as cancelled', async () => {
  const { jobId } = await ok<{ jobId: string }>(studio.dispatch('dissect.fit', { studyId: DEMO, judge: 'human', groups: ['Code'], settings: { ...quick, warmup: 2000, draws: 20000 } }));
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(await ok(studio.dispatch('jobs.cancel', { jobId })), { cancelled: true });
  await studio.jobs.idle();
  assert.equal(events.filter((e) => e.jobId === jobId).at(-1)?.state, 'cancelled');
  const fits = await ok<{ judge: string; group: string; status: string }[]>(studio.dispatch('dissect.fits', { studyId: DEMO }));
  assert.equal(fits.find((f) => f.group === 'Code')?.status, 'cancelled');
});

test('a fit of an unknown judge or group is refused before anything is queued', async () => {
  const r1 = await studio.dispatch('dissect.fit', { studyId: DEMO, judge: 'nobody', groups: ['Code'] });
  assert.deepEqual(r1, { ok: false, error: { code: 'NOT_FOUND', message: 'There is no judge named "nobody".' } });
  const r2 = await studio.dispatch('dissect.fit', { studyId: DEMO, judge: 'human', groups: ['Cooking'] });
  assert.equal(r2.ok, false);
});
