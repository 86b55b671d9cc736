// Messages between SamplerPool (main thread) and worker.ts. Types only.
// Large arrays never travel in messages: X, y and the draws live in SharedArrayBuffers.

import type { KernelKind } from './model-wasm';
import type { ChainOptions } from './nuts';

/** Logistic data in shared memory (read-only by convention once published). */
export interface SharedLogisticData {
  n: number;
  nPad: number;
  K: number;
  /** Float64 nPad x K, row-major, zero padding rows */
  X: SharedArrayBuffer;
  /** Float64 nPad labels */
  y: SharedArrayBuffer;
}

export interface ChainTask {
  data: SharedLogisticData;
  priorScale: number;
  /** resolved by the caller so every chain of a fit, in or out of workers, uses the same one */
  kernel: KernelKind;
  options: ChainOptions;
  /** Float64 [chain][draw][column] for the whole fit */
  out: SharedArrayBuffer;
  /** where this chain's first draw starts, in doubles */
  outOffset: number;
  /** Int32[1]; nonzero asks the chain to stop before its next iteration */
  control: SharedArrayBuffer;
  progressEvery: number;
  /** test-only fault injection */
  fault?: { exitAtIteration?: number; throwAtIteration?: number };
}

export type WorkerRequest = { type: 'run'; seq: number; task: ChainTask };

export interface ChainDone {
  stepSize: number;
  invMetric: number[];
  gradientEvaluations: number;
  iterations: number;
  warmupMs: number;
  samplingMs: number;
}

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
}

export type WorkerResponse =
  | { type: 'progress'; seq: number; iterations: number }
  | { type: 'done'; seq: number; result: ChainDone }
  | { type: 'cancelled'; seq: number; iterations: number }
  | { type: 'error'; seq: number; error: SerializedError };
