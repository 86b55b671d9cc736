// A review write sent again with the same write id (its answer was lost: the server stopped after storing it) is
// applied once and answered with the stored answer: a missed error is not added twice, an undo does not take back
// two steps. Through dispatch, as both transports call it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudio } from '../studio';
import { defaultWorkerUrl } from '../../../native-workers/worker-path';
import type { ReviewPair, ReviewRound, ReviewWriteResult } from '../../../preload/contract';

const studio = createStudio({ dataDir: mkdtempSync(join(tmpdir(), 'ps-write-once-')), transport: 'browser', version: 'test', samplerWorkerUrl: defaultWorkerUrl() });
after(() => studio.close());
const DEMO = 1;

async function ok<T>(channel: string, req: unknown): Promise<T> {
  const r = await studio.dispatch(channel, req);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  return r.res as T;
}

let checkerId: number;
let pair: ReviewPair;
const stored = async () => Object.fromEntries((await ok<ReviewPair>('review.pair', { checkerId, position: pair.position })).verdicts.map((v) => [v.itemKey, v.verdict]));
const historySteps = () => (studio.storage.db.prepare('SELECT count(DISTINCT batch) AS n FROM verdict_history WHERE checker_id = ?').get(checkerId) as { n: number }).n;

test('a missed error sent twice with one write id is added once; the repeat gets the first answer', async () => {
  const round = await ok<ReviewRound>('review.createRound', { studyId: DEMO, size: 6, strategy: 'random', seed: 2, checkers: ['ana'], blind: true });
  checkerId = round.checkers[0].id;
  for (let position = 0; !pair; position++) {
    const p = await ok<ReviewPair>('review.pair', { checkerId, position });
    if (p.items.some((i) => i.key === 'complete:A')) pair = p;
  }
  const req = { checkerId, pairId: pair.pair.id, side: 'A', error: { description: 'Gets the date wrong', type: 'Factual error', severity: 'moderate' }, writeId: 'w-missed-1' };
  const first = await ok<ReviewWriteResult>('review.addMissedError', req);
  const again = await ok<ReviewWriteResult>('review.addMissedError', req);
  assert.deepEqual(again, first);
  assert.deepEqual(Object.entries(await stored()).sort(), [['complete:A', 'reject'], ['missed:A:1', 'add']]);
  assert.equal(historySteps(), 1);
  // Another write id is another write: a second missed error.
  await ok('review.addMissedError', { ...req, writeId: 'w-missed-2' });
  assert.equal((await stored())['missed:A:2'], 'add');
});

test('an undo sent twice with one write id takes back one step', async () => {
  const [i1, i2] = pair.items.filter((i) => i.valueKind !== 'complete');
  await ok('review.verdict', { checkerId, pairId: pair.pair.id, itemKey: i1.key, verdict: 'reject', writeId: 'w-v1' });
  await ok('review.verdict', { checkerId, pairId: pair.pair.id, itemKey: i2.key, verdict: 'approve', writeId: 'w-v2' });
  const first = await ok<ReviewWriteResult>('review.undo', { checkerId, writeId: 'w-undo-1' });
  const again = await ok<ReviewWriteResult>('review.undo', { checkerId, writeId: 'w-undo-1' });
  assert.deepEqual(again, first);
  assert.deepEqual(first.changes.map((c) => [c.itemKey, c.verdict]), [[i2.key, null]]);
  const now = await stored();
  assert.equal(now[i1.key], 'reject', 'the verdict before the undone one is still given');
  assert.equal(now[i2.key], undefined);
  // A redo sent twice gives the one step back once.
  await ok('review.redo', { checkerId, writeId: 'w-redo-1' });
  await ok('review.redo', { checkerId, writeId: 'w-redo-1' });
  assert.equal((await stored())[i2.key], 'approve');
  assert.equal(studio.storage.verdicts.undoState(checkerId).canRedo, false);
});

test('a write id given to another write is refused, and nothing is written', async () => {
  const before = await stored();
  const r = await studio.dispatch('review.undo', { checkerId, writeId: 'w-v1' });
  assert.deepEqual(r, { ok: false, error: { code: 'INVALID', message: 'The write id "w-v1" was already given to another write; give each write its own id.' } });
  const long = await studio.dispatch('review.undo', { checkerId, writeId: 'x'.repeat(129) });
  assert.equal(!long.ok && long.error.code, 'INVALID');
  assert.deepEqual(await stored(), before);
});

test('only a checker\'s latest thousand write ids are kept', async () => {
  const item = pair.items.find((i) => i.valueKind !== 'complete')!;
  for (let i = 0; i < 1001; i++) {
    await ok('review.verdict', { checkerId, pairId: pair.pair.id, itemKey: item.key, verdict: i % 2 ? 'approve' : 'reject', writeId: `w-many-${i}` });
  }
  const kept = studio.storage.db.prepare('SELECT write_id FROM review_writes WHERE checker_id = ? ORDER BY rowid').all(checkerId) as { write_id: string }[];
  assert.equal(kept.length, 1000);
  assert.deepEqual([kept[0].write_id, kept.at(-1)!.write_id], ['w-many-1', 'w-many-1000']);
});
