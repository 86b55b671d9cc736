// Client-side limits of one endpoint: requests in flight, requests per minute and tokens per minute, counted over
// a sliding minute. A request waits (first come, first served) until all three allow it; its token count is
// an estimate, corrected to the real usage when the answer arrives.
import { Cancelled } from '../jobs';

export interface Limits { concurrency: number; requestsPerMinute: number; tokensPerMinute: number }

const MINUTE_MS = 60_000;

interface Entry { at: number; tokens: number }

export class RateLimiter {
  private active = 0;
  private readonly window: Entry[] = [];
  private readonly waiters: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly limits: Limits, private readonly now: () => number = Date.now) {}

  /**
   * Waits for a slot; the returned function ends the request with its real token count. `onMinuteWait` hears when
   * the request must wait for the minute to have room (not for a request in flight), with the time it will.
   */
  async acquire(tokens: number, signal?: AbortSignal, onMinuteWait?: (untilMs: number) => () => void): Promise<(actualTokens?: number) => void> {
    let endWait: (() => void) | undefined;
    try {
      await this.slot(tokens, signal, (until) => {
        endWait?.();
        endWait = onMinuteWait?.(until);
      });
    } finally {
      endWait?.();
    }
    const entry: Entry = { at: this.now(), tokens };
    this.window.push(entry);
    this.active++;
    let released = false;
    return (actualTokens) => {
      if (released) return;
      released = true;
      if (actualTokens !== undefined) entry.tokens = actualTokens;
      this.active--;
      this.wakeAll();
    };
  }

  private async slot(tokens: number, signal: AbortSignal | undefined, minuteWait: (untilMs: number) => void): Promise<void> {
    let reported: number | null = null;
    while (!this.fits(tokens)) {
      if (signal?.aborted) throw new Cancelled();
      const until = this.active < this.limits.concurrency ? this.roomAt(tokens) : null;
      if (until !== null && until !== reported) minuteWait((reported = until));
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        this.waiters.push(wake);
        signal?.addEventListener('abort', wake, { once: true });
        this.schedule();
      });
    }
  }

  /** When enough of the minute's requests and tokens will have left it for this request to fit. */
  private roomAt(tokens: number): number {
    let until = this.now();
    const over = this.window.length - this.limits.requestsPerMinute;
    if (over >= 0) until = Math.max(until, this.window[over].at + MINUTE_MS);
    let used = this.window.reduce((s, e) => s + e.tokens, 0);
    for (const e of this.window) {
      if (used + tokens <= this.limits.tokensPerMinute) break;
      used -= e.tokens;
      until = Math.max(until, e.at + MINUTE_MS);
    }
    return until;
  }

  private prune(): void {
    const cutoff = this.now() - MINUTE_MS;
    while (this.window.length > 0 && this.window[0].at <= cutoff) this.window.shift();
  }

  private fits(tokens: number): boolean {
    this.prune();
    if (this.active >= this.limits.concurrency) return false;
    if (this.window.length >= this.limits.requestsPerMinute) return false;
    const used = this.window.reduce((s, e) => s + e.tokens, 0);
    // A request larger than the whole budget still goes, alone in its minute, rather than never.
    return this.window.length === 0 || used + tokens <= this.limits.tokensPerMinute;
  }

  private wakeAll(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** When the window's oldest request leaves the minute, waiters look again. */
  private schedule(): void {
    if (this.timer || this.window.length === 0) return;
    const delay = Math.max(1, this.window[0].at + MINUTE_MS - this.now() + 1);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wakeAll();
    }, delay);
    this.timer.unref?.();
  }
}
