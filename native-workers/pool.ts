// A worker_threads pool for NUTS chains: one chain per task, tasks of a fit queue behind
// the tasks of earlier fits (FIFO), every request carries a sequence id, a dead worker rejects
// its task and is replaced. The worker script is an explicit input (see worker-path.ts).

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { resolveKernel, type KernelKind } from './model-wasm';
import { drawStride, type ChainOptions, type NutsOptions } from './nuts';
import type { ChainDone, ChainTask, SharedLogisticData, WorkerRequest, WorkerResponse } from './protocol';

export interface SamplerPoolOptions {
  /** worker script: the bundled .js in the app, worker.ts under tsx (defaultWorkerUrl()) */
  workerUrl: URL | string;
  /** number of workers, default os.availableParallelism() */
  size?: number;
}

export interface PoolProgress {
  /** iterations (warmup + sampling) completed over all chains of the fit */
  iterationsDone: number;
  iterationsTotal: number;
  chainsDone: number;
  chains: number;
  elapsedMs: number;
  /** naive remaining-time estimate from the rate so far; undefined before any progress */
  etaMs?: number;
}

export interface PoolSampleRequest {
  data: SharedLogisticData;
  priorScale: number;
  chains: number;
  warmup: number;
  draws: number;
  seed: number;
  nuts?: NutsOptions;
  /** gradient kernel; 'auto' (default) = WASM SIMD when this runtime has it */
  kernel?: KernelKind | 'auto';
  /** Float64 [chain][draw][column]; chains * draws * drawStride(K) doubles */
  out: SharedArrayBuffer;
  /** report every this many iterations per chain (default 25) */
  progressEvery?: number;
  /** test-only fault injection, applied to the given chain */
  fault?: { chain: number; exitAtIteration?: number; throwAtIteration?: number };
}

export interface PoolSampleOptions {
  onProgress?: (p: PoolProgress) => void;
  signal?: AbortSignal;
}

export class WorkerCrashedError extends Error {
  constructor(message: string, readonly exitCode: number | null) {
    super(message);
    this.name = 'WorkerCrashedError';
  }
}

export class ChainFailedError extends Error {
  constructor(message: string, readonly chain: number, readonly remoteStack?: string) {
    super(message);
    this.name = 'ChainFailedError';
  }
}

function abortError(): Error {
  return new DOMException('The fit was cancelled', 'AbortError');
}

interface Task {
  seq: number;
  fit: FitJob;
  chain: number;
  msg: WorkerRequest;
  /** iterations reported so far */
  progress: number;
}

interface FitJob {
  tasks: Task[];
  control: Int32Array;
  results: (ChainDone | undefined)[];
  pending: number;
  settled?: boolean;
  error?: Error;
  total: number;
  started: number;
  options: PoolSampleOptions;
  resolve: (r: ChainDone[]) => void;
  reject: (e: Error) => void;
  onAbort?: () => void;
}

interface Slot {
  id: number;
  worker: Worker;
  task: Task | null;
}

export class SamplerPool {
  readonly size: number;
  private readonly workerUrl: URL | string;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextSeq = 1;
  private closed = false;
  /** workers replaced after dying (for tests and logs) */
  respawns = 0;

  constructor(options: SamplerPoolOptions) {
    this.workerUrl = options.workerUrl;
    this.size = Math.max(1, options.size ?? availableParallelism());
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn(i));
  }

  private spawn(id: number): Slot {
    const worker = new Worker(this.workerUrl);
    const slot: Slot = { id, worker, task: null };
    worker.unref(); // an idle pool must not keep the process alive
    worker.on('message', (msg: WorkerResponse) => this.onMessage(slot, msg));
    worker.on('error', (err) => this.onDeath(slot, err, null));
    worker.on('exit', (code) => this.onDeath(slot, null, code));
    return slot;
  }

  /**
   * Runs `chains` chains of one logistic fit. Draws land in request.out; resolves with the
   * per-chain adaptation results in chain order.
   */
  sample(request: PoolSampleRequest, options: PoolSampleOptions = {}): Promise<ChainDone[]> {
    if (this.closed) return Promise.reject(new Error('SamplerPool is closed'));
    const { chains, draws, warmup } = request;
    if (!(chains >= 1 && draws >= 0 && warmup >= 0)) return Promise.reject(new RangeError('need chains >= 1, draws >= 0, warmup >= 0'));
    const stride = drawStride(request.data.K);
    if (request.out.byteLength < chains * draws * stride * 8) {
      return Promise.reject(new RangeError('out buffer too small for chains x draws x columns'));
    }
    if (options.signal?.aborted) return Promise.reject(abortError());
    return new Promise<ChainDone[]>((resolve, reject) => {
      const fit: FitJob = {
        tasks: [],
        control: new Int32Array(new SharedArrayBuffer(4)),
        results: new Array(chains).fill(undefined),
        pending: chains,
        total: chains * (warmup + draws),
        started: performance.now(),
        options,
        resolve,
        reject,
      };
      for (let c = 0; c < chains; c++) {
        const chainOptions: ChainOptions = { ...request.nuts, warmup, draws, seed: request.seed, chain: c };
        const task: ChainTask = {
          data: request.data,
          priorScale: request.priorScale,
          kernel: resolveKernel(request.kernel),
          options: chainOptions,
          out: request.out,
          outOffset: c * draws * stride,
          control: fit.control.buffer as SharedArrayBuffer,
          progressEvery: request.progressEvery ?? 25,
          fault: request.fault?.chain === c ? request.fault : undefined,
        };
        const seq = this.nextSeq++;
        fit.tasks.push({ seq, fit, chain: c, msg: { type: 'run', seq, task }, progress: 0 });
      }
      if (options.signal) {
        const signal = options.signal;
        fit.onAbort = () => this.failFit(fit, abortError());
        signal.addEventListener('abort', fit.onAbort, { once: true });
      }
      this.queue.push(...fit.tasks);
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.task || this.queue.length === 0) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      slot.worker.ref(); // keep the process alive while a chain runs
      slot.worker.postMessage(task.msg);
    }
  }

  private release(slot: Slot): void {
    slot.task = null;
    slot.worker.unref();
    this.dispatch();
  }

  private onMessage(slot: Slot, msg: WorkerResponse): void {
    const task = slot.task;
    if (!task || task.seq !== msg.seq) return; // stale message from a task we gave up on
    const fit = task.fit;
    switch (msg.type) {
      case 'progress': {
        task.progress = msg.iterations;
        this.reportProgress(fit);
        return;
      }
      case 'done':
        this.release(slot);
        fit.results[task.chain] = msg.result;
        this.settleTask(fit);
        return;
      case 'cancelled':
        this.release(slot);
        this.settleTask(fit);
        return;
      case 'error':
        this.release(slot);
        this.failFit(fit, new ChainFailedError(`chain ${task.chain}: ${msg.error.message}`, task.chain, msg.error.stack));
        this.settleTask(fit);
        return;
    }
  }

  private onDeath(slot: Slot, err: Error | null, code: number | null): void {
    if (this.slots[slot.id] !== slot) return; // already replaced ('error' is followed by 'exit')
    const task = slot.task;
    slot.task = null;
    if (!this.closed) {
      this.respawns++;
      this.slots[slot.id] = this.spawn(slot.id);
    }
    if (task) {
      const why = err ? err.message : `exit code ${code}`;
      this.failFit(task.fit, new WorkerCrashedError(`sampler worker died running chain ${task.chain}: ${why}`, code));
      this.settleTask(task.fit);
    }
    if (!this.closed) this.dispatch();
  }

  private reportProgress(fit: FitJob): void {
    const cb = fit.options.onProgress;
    if (!cb) return;
    let done = 0, chainsDone = 0;
    for (const t of fit.tasks) {
      done += t.progress;
      if (fit.results[t.chain]) chainsDone++;
    }
    const elapsedMs = performance.now() - fit.started;
    cb({
      iterationsDone: done,
      iterationsTotal: fit.total,
      chainsDone,
      chains: fit.tasks.length,
      elapsedMs,
      etaMs: done > 0 ? (elapsedMs * (fit.total - done)) / done : undefined,
    });
  }

  /** Marks the fit failed: queued chains are dropped, running ones are told to stop. */
  private failFit(fit: FitJob, error: Error): void {
    if (fit.error) return;
    fit.error = error;
    Atomics.store(fit.control, 0, 1);
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].fit === fit) {
        this.queue.splice(i, 1);
        fit.pending--;
      }
    }
    this.finishIfSettled(fit);
  }

  private settleTask(fit: FitJob): void {
    fit.pending--;
    if (!fit.error) this.reportProgress(fit);
    this.finishIfSettled(fit);
  }

  /** Resolves or rejects once no chain of the fit is queued or running. */
  private finishIfSettled(fit: FitJob): void {
    if (fit.pending > 0 || fit.settled) return;
    fit.settled = true;
    if (fit.options.signal && fit.onAbort) fit.options.signal.removeEventListener('abort', fit.onAbort);
    if (fit.error) fit.reject(fit.error);
    else fit.resolve(fit.results as ChainDone[]);
  }

  /** Stops all workers; queued and running fits reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new Error('SamplerPool closed');
    for (const t of this.queue.splice(0)) {
      t.fit.pending--;
      this.failFit(t.fit, err);
      this.finishIfSettled(t.fit);
    }
    for (const s of this.slots) if (s.task) this.failFit(s.task.fit, err);
    // each terminated worker emits 'exit', which settles its running task in onDeath
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
