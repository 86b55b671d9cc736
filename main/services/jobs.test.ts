import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobQueue } from './jobs';
import type { JobProgress } from '../../preload/contract';
import { BUSY_MESSAGE } from './errors';

test('a job reporting progress thousands of times a second sends only a few events, and always its end', async () => {
  // A fit's chains report every 25 iterations; unthrottled, that flooded the renderer with re-renders.
  const events: JobProgress[] = [];
  const jobs = new JobQueue((p) => events.push(p));
  jobs.enqueue('fit', async ({ progress }) => {
    const started = Date.now();
    for (let i = 0; Date.now() - started < 300; i++) progress(i, 1e9, 'busy');
    return 'finished';
  });
  await jobs.idle();
  const running = events.filter((e) => e.state === 'running');
  assert.ok(running.length <= 4, `${running.length} running events in 300 ms`);
  assert.equal(events.at(-1)?.state, 'done');
  assert.equal(events.at(-1)?.message, 'finished');
});

test('the first progress of a job is sent at once', async () => {
  const events: JobProgress[] = [];
  const jobs = new JobQueue((p) => events.push(p));
  jobs.enqueue('fit', async ({ progress }) => {
    progress(1, 10, 'first step');
    assert.ok(events.some((e) => e.message === 'first step'));
    return 'ok';
  });
  await jobs.idle();
});

test('a job that fails because another program holds the database says so in one sentence', async () => {
  const events: JobProgress[] = [];
  const jobs = new JobQueue((p) => events.push(p));
  jobs.enqueue('fit', async () => {
    throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  });
  await jobs.idle();
  assert.deepEqual([events.at(-1)?.state, events.at(-1)?.message], ['failed', BUSY_MESSAGE]);
});
