// Two writers on one database (issue 11): while another program (here a child `node` with its own connection)
// holds the write lock, a review verdict through dispatch waits for it and is stored; held past the busy timeout,
// the reply is one sentence saying another program is writing, and nothing of the write is stored.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudio, DATABASE_FILE, type Studio } from '../studio';
import { defaultWorkerUrl } from '../../../native-workers/worker-path';
import type { ReviewPair, ReviewRound } from '../../../preload/contract';
import { BUSY_MESSAGE } from '../errors';
import { holdWriteLock } from './hold-write-lock';

const dataDir = mkdtempSync(join(tmpdir(), 'ps-two-writers-'));
const options = { dataDir, transport: 'browser', version: 'test', samplerWorkerUrl: defaultWorkerUrl() } as const;
const studio = createStudio(options);
/** The same folder opened with a busy timeout shorter than any hold below, so it gives up while the lock is held. */
const impatient = createStudio({ ...options, busyTimeoutMs: 50 });
after(async () => {
  await impatient.close();
  await studio.close();
});
const DEMO = 1;

async function ok<T>(s: Studio, channel: string, req: unknown): Promise<T> {
  const r = await s.dispatch(channel, req);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  return r.res as T;
}

let checkerId: number;
let pair: ReviewPair;

test('a verdict waits while another program holds the write lock for 2 s, then is stored', async () => {
  const round = await ok<ReviewRound>(studio, 'review.createRound', { studyId: DEMO, size: 2, strategy: 'random', seed: 5, checkers: ['ana'], blind: true });
  checkerId = round.checkers[0].id;
  pair = await ok<ReviewPair>(studio, 'review.pair', { checkerId, position: 0 });
  const holder = await holdWriteLock(join(dataDir, DATABASE_FILE), 2000);
  const reply = await studio.dispatch('review.verdict', {
    checkerId, pairId: pair.pair.id, itemKey: pair.items[0].key, verdict: 'reject', cursor: { position: 0, itemKey: pair.items[1].key },
  });
  assert.ok(reply.ok, JSON.stringify(!reply.ok && reply.error));
  await holder.exited;
  const stored = await ok<ReviewPair>(studio, 'review.pair', { checkerId, position: 0 });
  assert.deepEqual(stored.verdicts.map((v) => [v.itemKey, v.verdict]), [[pair.items[0].key, 'reject']]);
});

test('held past the busy timeout, a verdict fails with the one sentence and nothing of it is stored', async () => {
  const holder = await holdWriteLock(join(dataDir, DATABASE_FILE));
  try {
    const verdict = { checkerId, pairId: pair.pair.id, itemKey: pair.items[1].key, verdict: 'approve', cursor: { position: 1, itemKey: null } };
    assert.deepEqual(await impatient.dispatch('review.verdict', verdict), { ok: false, error: { code: 'BUSY', message: BUSY_MESSAGE } });
    // A single statement outside a transaction (the checker's place) says the same.
    assert.deepEqual(await impatient.dispatch('review.cursor', { checkerId, position: 1, itemKey: null }), { ok: false, error: { code: 'BUSY', message: BUSY_MESSAGE } });
    // Reads go on while the other program writes: only the first verdict, the place it moved to, one undo step.
    const stored = await ok<ReviewPair>(impatient, 'review.pair', { checkerId, position: 0 });
    assert.deepEqual(stored.verdicts.map((v) => v.itemKey), [pair.items[0].key]);
    const [round] = await ok<ReviewRound[]>(impatient, 'review.rounds', { studyId: DEMO });
    assert.deepEqual([round.checkers[0].position, round.checkers[0].itemKey], [0, pair.items[1].key]);
    assert.deepEqual(impatient.storage.verdicts.undoState(checkerId), { canUndo: true, canRedo: false });
    assert.equal((impatient.storage.db.prepare('SELECT count(*) AS n FROM verdict_history WHERE checker_id = ?').get(checkerId) as { n: number }).n, 1);
  } finally {
    await holder.release();
  }
  // The other program done, the same verdict goes through.
  await ok(impatient, 'review.verdict', { checkerId, pairId: pair.pair.id, itemKey: pair.items[1].key, verdict: 'approve' });
  assert.equal((await ok<ReviewPair>(studio, 'review.pair', { checkerId, position: 0 })).verdicts.length, 2);
});
