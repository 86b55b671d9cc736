// Tier A6 through workers, and the pool's behaviour: progress, cancellation, dead workers,
// queueing of fits.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fitLogistic, shareLogisticData } from './fit';
import { drawStride } from './nuts';
import { ChainFailedError, SamplerPool, WorkerCrashedError, type PoolProgress } from './pool';
import { Rng } from './rng';
import { simulateComparisons, PAPER_NONZERO_RATES } from './simulate';
import { defaultWorkerUrl } from './worker-path';

const K = 29;
function data(n: number, seed: number) {
  const rng = new Rng(seed);
  const alpha = PAPER_NONZERO_RATES.map(() => 0.3 * rng.normal());
  return simulateComparisons(n, PAPER_NONZERO_RATES, alpha, seed);
}

const pool = new SamplerPool({ workerUrl: defaultWorkerUrl(), size: 2 });
after(() => pool.close());

test('same seed -> bit-identical draws in process and through the worker pool', async () => {
  const { X, y } = data(250, 1);
  const opts = { X, y, K, chains: 3, warmup: 150, draws: 100, seed: 9 };
  const local = await fitLogistic(opts);
  const pooled = await fitLogistic({ ...opts, pool });
  assert.equal(local.draws.data.length, pooled.draws.data.length);
  assert.ok(local.draws.data.every((v, i) => Object.is(v, pooled.draws.data[i])), 'draws differ');
  assert.deepEqual(local.chains.map((c) => c.stepSize), pooled.chains.map((c) => c.stepSize));
  const other = await fitLogistic({ ...opts, seed: 10, pool });
  assert.ok(other.draws.data.some((v, i) => v !== pooled.draws.data[i]));
  // and with the scalar JS kernel
  const localJs = await fitLogistic({ ...opts, kernel: 'js' });
  const pooledJs = await fitLogistic({ ...opts, kernel: 'js', pool });
  assert.equal(localJs.kernel, 'js');
  assert.ok(localJs.draws.data.every((v, i) => Object.is(v, pooledJs.draws.data[i])), 'JS-kernel draws differ');
});

test('progress events rise to the total and carry an ETA', async () => {
  const { X, y } = data(200, 2);
  const events: PoolProgress[] = [];
  await fitLogistic({ X, y, K, chains: 2, warmup: 100, draws: 100, seed: 1, pool, onProgress: (p) => events.push(p) });
  assert.ok(events.length >= 4);
  for (let i = 1; i < events.length; i++) assert.ok(events[i].iterationsDone >= events[i - 1].iterationsDone);
  const last = events[events.length - 1];
  assert.equal(last.iterationsDone, 400);
  assert.equal(last.iterationsTotal, 400);
  assert.equal(last.chainsDone, 2);
  assert.ok(events.some((e) => e.etaMs !== undefined && e.etaMs > 0));
});

test('cancellation stops running chains at the next iteration and frees the workers', async () => {
  const { X, y } = data(1000, 3);
  const ac = new AbortController();
  const t0 = performance.now();
  let firstProgress = -1;
  const big = fitLogistic({
    X, y, K, chains: 4, warmup: 500, draws: 20000, seed: 1, pool, signal: ac.signal,
    onProgress: () => {
      if (firstProgress < 0) {
        firstProgress = performance.now() - t0;
        ac.abort();
      }
    },
  });
  await assert.rejects(big, (e: Error) => e.name === 'AbortError');
  // a full run would take minutes; running chains stop within an iteration (a few ms each)
  const afterAbort = performance.now() - t0 - firstProgress;
  assert.ok(afterAbort < 2000, `rejected ${afterAbort} ms after abort`);
  const small = data(100, 4);
  const ok = await fitLogistic({ X: small.X, y: small.y, K, chains: 2, warmup: 50, draws: 50, pool });
  assert.equal(ok.draws.chains, 2);
});

test('a dead worker rejects its fit cleanly and is respawned', async () => {
  const { X, y } = data(150, 5);
  const shared = shareLogisticData(X, y, K);
  const chains = 2, warmup = 50, draws = 50;
  const out = new SharedArrayBuffer(chains * draws * drawStride(K) * 8);
  const before = pool.respawns;
  await assert.rejects(
    pool.sample({ data: shared, priorScale: 0.1, chains, warmup, draws, seed: 1, out, fault: { chain: 1, exitAtIteration: 20 } }),
    (e: Error) => e instanceof WorkerCrashedError && /chain 1/.test(e.message),
  );
  assert.equal(pool.respawns, before + 1);
  const again = await fitLogistic({ X, y, K, chains: 4, warmup, draws, pool });
  assert.equal(again.chains.length, 4);
});

test('an exception inside a chain rejects the fit; the worker survives', async () => {
  const { X, y } = data(150, 6);
  const shared = shareLogisticData(X, y, K);
  const out = new SharedArrayBuffer(2 * 50 * drawStride(K) * 8);
  const before = pool.respawns;
  await assert.rejects(
    pool.sample({ data: shared, priorScale: 0.1, chains: 2, warmup: 50, draws: 50, seed: 1, out, fault: { chain: 0, throwAtIteration: 10 } }),
    (e: Error) => e instanceof ChainFailedError && /injected failure/.test(e.message),
  );
  assert.equal(pool.respawns, before);
});

test('fits queue behind each other in submission order', async () => {
  const one = new SamplerPool({ workerUrl: defaultWorkerUrl(), size: 1 });
  try {
    const a = data(200, 7);
    const b = data(200, 8);
    const order: string[] = [];
    const fa = fitLogistic({ X: a.X, y: a.y, K, chains: 2, warmup: 100, draws: 100, pool: one }).then(() => order.push('a'));
    const fb = fitLogistic({ X: b.X, y: b.y, K, chains: 2, warmup: 100, draws: 100, pool: one }).then(() => order.push('b'));
    await Promise.all([fa, fb]);
    assert.deepEqual(order, ['a', 'b']);
  } finally {
    await one.close();
  }
});

test('closing the pool rejects queued fits', async () => {
  const p = new SamplerPool({ workerUrl: defaultWorkerUrl(), size: 1 });
  const { X, y } = data(500, 9);
  const f1 = fitLogistic({ X, y, K, chains: 1, warmup: 100, draws: 5000, pool: p });
  const f2 = fitLogistic({ X, y, K, chains: 1, warmup: 100, draws: 100, pool: p });
  const r1 = assert.rejects(f1, /closed/);
  const r2 = assert.rejects(f2, /closed/);
  await new Promise((r) => setTimeout(r, 100));
  await p.close();
  await r1;
  await r2;
});
