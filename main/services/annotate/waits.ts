// What a job's requests are waiting for the rate limit: a 429's wait (as the server asked) or the endpoint's own
// requests and tokens per minute. Counters freeze while they wait, so the job says so, with the time left, and its
// ETA counts the wait.
export class RateLimitWaits {
  private readonly until = new Map<number, { from: number; until: number }>();
  private ids = 0;

  constructor(private readonly onChange: () => void, private readonly now: () => number = Date.now) {}

  /** A wait until `untilMs`; the returned function ends it (early, when cancelled). */
  begin(untilMs: number): () => void {
    const id = ++this.ids;
    this.until.set(id, { from: this.now(), until: untilMs });
    this.onChange();
    return () => {
      if (this.until.delete(id)) this.onChange();
    };
  }

  /** Milliseconds until the last of the current waits ends; null when nothing waits. */
  remainingMs(): number | null {
    if (this.until.size === 0) return null;
    return Math.max(0, Math.max(...[...this.until.values()].map((w) => w.until)) - this.now());
  }

  /** When the current waiting began (the earliest wait still going); null when nothing waits. */
  since(): number | null {
    if (this.until.size === 0) return null;
    return Math.min(...[...this.until.values()].map((w) => w.from));
  }
}

/**
 * The time left of a job: the current rate-limit wait, then the pending items at the pace of the run so far (its
 * earlier waits included, so limits that keep biting are counted). Null until an item has finished.
 */
export function etaSeconds(o: { startedAt: number; now: number; finished: number; pending: number; waitingSince: number | null; waitMs: number | null }): number | null {
  if (o.finished <= 0) return null;
  const worked = (o.waitingSince ?? o.now) - o.startedAt;
  return (o.waitMs ?? 0) / 1000 + (worked / 1000 / o.finished) * o.pending;
}
