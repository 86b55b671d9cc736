// Long work (fits now, annotation later) runs as jobs: one after another, each with progress, an ETA and a
// cancel switch, reported through the contract's job.progress event.
import { randomUUID } from 'node:crypto';
import type { JobProgress } from '../../preload/contract';
import { userFailure } from './errors';

export interface JobContext {
  signal: AbortSignal;
  /** Reports progress; the ETA is the job's own estimate, or the rate so far when it has none. */
  progress(done: number, total: number, message: string, etaSeconds?: number): void;
}

/** Running progress goes out at most this often; a change of state always goes out at once. */
export const PROGRESS_INTERVAL_MS = 250;

export class Cancelled extends Error {
  constructor() {
    super('Cancelled.');
  }
}

export class JobQueue {
  private tail: Promise<void> = Promise.resolve();
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly emit: (progress: JobProgress) => void) {}

  /** Queues a job behind the others and returns its id at once. */
  enqueue(kind: string, run: (ctx: JobContext) => Promise<string>): string {
    const jobId = randomUUID();
    const controller = new AbortController();
    this.running.set(jobId, controller);
    const report = (p: Omit<JobProgress, 'jobId' | 'kind'>) => this.emit({ jobId, kind, ...p });
    report({ done: 0, total: 1, etaSeconds: null, message: 'Queued', state: 'running' });
    this.tail = this.tail.then(async () => {
      const started = Date.now();
      let last = { done: 0, total: 1 };
      let lastSent = 0;
      try {
        if (controller.signal.aborted) throw new Cancelled();
        const message = await run({
          signal: controller.signal,
          progress: (done, total, message, etaSeconds) => {
            last = { done, total };
            const now = Date.now();
            if (lastSent && now - lastSent < PROGRESS_INTERVAL_MS) return;
            lastSent = now;
            const elapsed = (now - started) / 1000;
            const eta = etaSeconds ?? (done > 0 ? (elapsed * (total - done)) / done : null);
            report({ done, total, etaSeconds: eta, message, state: 'running' });
          },
        });
        report({ done: last.total, total: last.total, etaSeconds: 0, message, state: 'done' });
      } catch (err) {
        const cancelled = controller.signal.aborted || err instanceof Cancelled;
        report({ ...last, etaSeconds: null, message: cancelled ? 'Cancelled.' : (userFailure(err) as Error).message, state: cancelled ? 'cancelled' : 'failed' });
      } finally {
        this.running.delete(jobId);
      }
    });
    return jobId;
  }

  cancel(jobId: string): boolean {
    const controller = this.running.get(jobId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  runningIds(): string[] {
    return [...this.running.keys()];
  }

  /** Resolves when every queued job has ended. */
  idle(): Promise<void> {
    return this.tail;
  }
}

