// worker_threads entry: runs one NUTS chain per request, synchronously, and writes the draws
// straight into the fit's shared buffer. Cancellation is a shared Int32 flag polled once per
// iteration, because a busy worker cannot read messages until its chain returns.

import { parentPort } from 'node:worker_threads';
import { createLogisticTarget } from './model-wasm';
import { runChain } from './nuts';
import type { ChainTask, WorkerRequest, WorkerResponse } from './protocol';

if (!parentPort) throw new Error('native-workers/worker must run in a worker thread');
const port = parentPort;

function post(msg: WorkerResponse): void {
  port.postMessage(msg);
}

function run(seq: number, task: ChainTask): void {
  const { data } = task;
  const model = createLogisticTarget(
    {
      n: data.n,
      nPad: data.nPad,
      K: data.K,
      X: new Float64Array(data.X, 0, data.nPad * data.K),
      y: new Float64Array(data.y, 0, data.nPad),
    },
    task.priorScale,
    task.kernel,
  );
  const control = new Int32Array(task.control);
  const out = new Float64Array(task.out);
  const fault = task.fault;
  const result = runChain(model, task.options, out, task.outOffset, {
    shouldStop: () => Atomics.load(control, 0) !== 0,
    progressEvery: task.progressEvery,
    onProgress: (iterations) => post({ type: 'progress', seq, iterations }),
    beforeIteration: fault
      ? (it) => {
          if (it === fault.exitAtIteration) process.exit(3); // ends this thread only
          if (it === fault.throwAtIteration) throw new Error(`injected failure at iteration ${it}`);
        }
      : undefined,
  });
  if (result.cancelled) {
    post({ type: 'cancelled', seq, iterations: result.iterations });
    return;
  }
  post({
    type: 'done',
    seq,
    result: {
      stepSize: result.stepSize,
      invMetric: Array.from(result.invMetric),
      gradientEvaluations: result.gradientEvaluations,
      iterations: result.iterations,
      warmupMs: result.warmupMs,
      samplingMs: result.samplingMs,
    },
  });
}

port.on('message', (msg: WorkerRequest) => {
  if (msg.type !== 'run') return;
  try {
    run(msg.seq, msg.task);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ type: 'error', seq: msg.seq, error: { name: err.name, message: err.message, stack: err.stack } });
  }
});
