import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudio } from '../studio';
import { defaultWorkerUrl } from '../../../native-workers/worker-path';
import type { JobProgress, RefitRecord, ReviewRound, ReviewWriteResult } from '../../../preload/contract';
import { comparisonFeatures } from '../data/features';
import { PROPERTY_NAMES } from '../data/properties';

const events: JobProgress[] = [];
const studio = createStudio({
  dataDir: mkdtempSync(join(tmpdir(), 'ps-refit-')), transport: 'browser', version: 'test',
  samplerWorkerUrl: defaultWorkerUrl(), samplerThreads: 2,
  emit: (_event, payload) => events.push(payload as JobProgress),
});
after(() => studio.close());

const DEMO = 1;
const GROUP = 'Advice';
const quick = { chains: 2, warmup: 150, draws: 150, folds: 1, seed: 3 };
const FRIENDLY = PROPERTY_NAMES.indexOf('friendly');

async function ok<T>(channel: string, req: unknown): Promise<T> {
  const r = await studio.dispatch(channel, req);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  return r.res as T;
}

let round: ReviewRound;
/** Round pairs of the group whose friendly feature the rejection turns to 0. */
let changed = 0;
let reviewedInGroup = 0;

test('a checker rejects "friendly" of response A on every pair of the group in a round and approves the rest', async () => {
  round = await ok<ReviewRound>('review.createRound', { studyId: DEMO, size: 60, strategy: 'stratified', seed: 11, checkers: ['ana'], blind: true, includeSimulated: true });
  const ana = round.checkers[0].id;
  for (const pairId of studio.storage.review.roundPairIds(round.id)) {
    const pair = studio.storage.pairs.pair(pairId);
    // A pair whose error check was not applicable is in no fit (section 3.4), so not counted here either.
    if (pair.scenario === GROUP && !pair.unsafe && pair.annotation!.errors!.A.applicable && pair.annotation!.errors!.B.applicable) {
      reviewedInGroup++;
      if (comparisonFeatures(pair.annotation!)[FRIENDLY] !== 0) changed++;
      await ok('review.verdict', { checkerId: ana, pairId, itemKey: 'basic:A:friendly', verdict: 'reject' });
    }
    await ok<ReviewWriteResult>('review.approveRest', { checkerId: ana, pairId });
  }
  assert.ok(reviewedInGroup >= 3, `the stratified round has ${reviewedInGroup} ${GROUP} pairs`);
  assert.ok(changed >= 1, 'some reviewed pair had a friendly feature to lose');
});

async function finished(refit: RefitRecord): Promise<RefitRecord> {
  await studio.jobs.idle();
  return (await ok<RefitRecord[]>('review.refits', { roundId: round.id })).find((r) => r.id === refit.id)!;
}

test('a refit on the reviewed pairs fits both sides; the rejected property carries no information in the corrected one', async () => {
  const started = await ok<RefitRecord>('review.refit', { roundId: round.id, judge: 'human', group: GROUP, scope: 'reviewed', settings: quick });
  assert.deepEqual([started.status, started.originalRows, started.correctedRows, started.changedRows, started.reusedFitId],
    ['running', reviewedInGroup, reviewedInGroup, changed, null]);
  const refit = await finished(started);
  assert.equal(refit.status, 'done', refit.error ?? '');
  assert.equal(refit.properties.length, 29);
  const friendly = refit.properties[FRIENDLY];
  // Every corrected row has phi = 0 for friendly: its posterior is the Laplace(0, 0.1) prior, centred on 0.
  assert.ok(Math.abs(friendly.corrected.alphaMean) < 0.05, `corrected alpha ${friendly.corrected.alphaMean}`);
  assert.equal(friendly.alphaShift, friendly.corrected.alphaMean - friendly.original.alphaMean);
  assert.equal(friendly.exceedsUncertainty, friendly.corrected.alphaMean < friendly.original.alphaQ5 || friendly.corrected.alphaMean > friendly.original.alphaQ95);
  const mine = events.filter((e) => e.jobId === refit.jobId);
  assert.equal(mine.at(-1)?.state, 'done');
  assert.ok(mine.some((e) => e.state === 'running' && e.total === 2 && e.done > 0 && e.done < 2), 'progress runs over the two fits');
  const table = await ok<{ fileName: string; content: string }>('review.table', { roundId: round.id, table: 'refit', format: 'csv', refitId: refit.id });
  assert.match(table.fileName, /^refit_demo-project_round-1_human_advice_\d{4}-\d{2}-\d{2}\.csv$/);
  assert.match(table.content.split('\r\n')[1], /^harmless,/);
});

test('on the whole group the stored dissection with the same settings is reused as the original side', async () => {
  const { jobId } = await ok<{ jobId: string }>('dissect.fit', { studyId: DEMO, judge: 'human', groups: [GROUP], settings: quick });
  await studio.jobs.idle();
  const stored = (await ok<{ id: number; judge: string; group: string; rows: number; status: string }[]>('dissect.fits', { studyId: DEMO }))
    .find((f) => f.judge === 'human' && f.group === GROUP)!;
  assert.equal(stored.status, 'done', `fit job ${jobId}`);
  const refit = await finished(await ok<RefitRecord>('review.refit', { roundId: round.id, judge: 'human', group: GROUP, scope: 'group', settings: quick }));
  assert.equal(refit.status, 'done', refit.error ?? '');
  assert.deepEqual([refit.reusedFitId, refit.originalRows, refit.correctedRows, refit.changedRows], [stored.id, stored.rows, stored.rows, changed]);
  assert.ok(events.filter((e) => e.jobId === refit.jobId && e.state === 'running').every((e) => e.total === 1), 'one fit only');
  // Other settings cannot reuse it.
  const other = await ok<RefitRecord>('review.refit', { roundId: round.id, judge: 'human', group: GROUP, scope: 'group', settings: { ...quick, seed: 4 } });
  assert.equal(other.reusedFitId, null);
  await ok('jobs.cancel', { jobId: other.jobId });
  assert.equal((await finished(other)).status, 'cancelled');
});

test('a refit names what it cannot do', async () => {
  const refuse = async (req: object, message: RegExp) => {
    const r = await studio.dispatch('review.refit', { roundId: round.id, judge: 'human', group: GROUP, scope: 'group', ...req });
    assert.ok(!r.ok && message.test(r.error.message), JSON.stringify(r));
  };
  await refuse({ judge: 'nobody' }, /There is no judge named "nobody"/);
  await refuse({ group: 'Cooking' }, /"Cooking" is not a group/);
  await refuse({ scope: 'reviewed', group: 'w_stances', settings: { ...quick, folds: 10 } }, /needs at least 10/);
  await refuse({ settings: { chains: 0 } }, /chains must be a whole number/);
});
