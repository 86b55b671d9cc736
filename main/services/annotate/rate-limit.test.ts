// Rate-limit waits: the server's wait read as OpenAI's client and headers give it, the limiter's own minute,
// the job saying "waiting for the rate limit (n s)" while its counters stand still, and an ETA that counts it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { durationMs, serverWaitMs } from './caller';
import { RateLimiter } from './limiter';
import { RateLimitWaits, etaSeconds } from './waits';
import { bench } from './testing/harness';

const headers = (h: Record<string, string>) => new Headers(h);

test("the server's wait: retry-after-ms, retry-after (seconds or a date), else on a 429 OpenAI's x-ratelimit-reset of the limit that ran out", () => {
  assert.deepEqual(['20ms', '1s', '6m0s', '1h2m3.5s', '0.5s', '17.28s'].map(durationMs), [20, 1000, 360_000, 3_723_500, 500, 17_280]);
  assert.equal(durationMs('soon'), undefined);
  assert.equal(durationMs('1s later'), undefined);
  assert.equal(serverWaitMs(headers({ 'retry-after-ms': '250.5', 'retry-after': '9' }), 429), 250.5);
  assert.equal(serverWaitMs(headers({ 'retry-after': '2' }), 429), 2000);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(serverWaitMs(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }), 503, now), 7000);
  // OpenAI's 429s name both limits; the one with nothing remaining is the one that ran out.
  const openai = {
    'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1m30s',
    'x-ratelimit-limit-tokens': '30000', 'x-ratelimit-remaining-tokens': '29000', 'x-ratelimit-reset-tokens': '2s',
  };
  assert.equal(serverWaitMs(headers(openai), 429), 90_000);
  assert.equal(serverWaitMs(headers({ ...openai, 'x-ratelimit-remaining-requests': '3', 'x-ratelimit-remaining-tokens': '0' }), 429), 2000);
  assert.equal(serverWaitMs(headers({ ...openai, 'x-ratelimit-remaining-requests': '3' }), 429), 90_000, 'neither says 0: the later reset');
  assert.equal(serverWaitMs(headers(openai), 500), undefined, 'only a 429 is about the rate limit');
  assert.equal(serverWaitMs(headers({}), 429), undefined, 'no header: our own backoff');
});

test('the limiter says when a request waits for the minute (not for a request in flight), and until when', async () => {
  const heard: number[] = [];
  const onWait = (until: number) => { heard.push(until); return () => {}; };
  const tick = () => new Promise((r) => setImmediate(r));
  const single = new RateLimiter({ concurrency: 1, requestsPerMinute: 100, tokensPerMinute: 1e6 });
  const inFlight = await single.acquire(10, undefined, onWait);
  const next = single.acquire(10, undefined, onWait);
  await tick();
  inFlight();
  (await next)();
  assert.deepEqual(heard, [], 'waiting for the request in flight is no rate-limit wait');

  let now = 1000;
  const limiter = new RateLimiter({ concurrency: 2, requestsPerMinute: 2, tokensPerMinute: 1000 }, () => now);
  (await limiter.acquire(100, undefined, onWait))();
  now = 5000;
  const second = await limiter.acquire(100, undefined, onWait);
  const third = limiter.acquire(100, undefined, onWait);
  await tick();
  assert.deepEqual(heard, [61_000], 'two requests this minute: room when the first leaves it');
  now = 61_001;
  second();
  (await third)();
  // Tokens: 850 of 1000 used within the minute leave no room for 200 until those 850 leave it.
  now = 200_000;
  const held = await limiter.acquire(850, undefined, onWait);
  const big = limiter.acquire(200, undefined, onWait);
  await tick();
  assert.equal(heard.at(-1), 260_000);
  now = 260_001;
  held();
  (await big)();
});

test('the ETA: the wait left, then the pending items at the pace of the run before the wait began', () => {
  assert.equal(etaSeconds({ startedAt: 0, now: 10_000, finished: 0, pending: 5, waitingSince: null, waitMs: null }), null);
  assert.equal(etaSeconds({ startedAt: 0, now: 10_000, finished: 5, pending: 5, waitingSince: null, waitMs: null }), 10);
  // Waiting since 10 s for 40 s more: the wait is not counted twice (in the pace and as the wait left).
  assert.equal(etaSeconds({ startedAt: 0, now: 20_000, finished: 5, pending: 5, waitingSince: 10_000, waitMs: 40_000 }), 50);
  let now = 0;
  const waits = new RateLimitWaits(() => {}, () => now);
  const a = waits.begin(30_000);
  now = 1000;
  const b = waits.begin(50_000);
  assert.deepEqual([waits.remainingMs(), waits.since()], [49_000, 0]);
  b();
  assert.deepEqual([waits.remainingMs(), waits.since()], [29_000, 0]);
  a();
  assert.deepEqual([waits.remainingMs(), waits.since()], [null, null]);
});

test('a 429 with OpenAI\'s headers: the job says "waiting for the rate limit (n s)" with an ETA while it waits, then goes on', async () => {
  const b = await bench({ endpoint: { concurrency: 1 } });
  try {
    b.fake.setFaults([{
      pair: 'fx-driving', kind: 'scenario', replies: [{
        status: 429, message: 'Rate limit reached for fake-model on requests per min (RPM): Limit 3, Used 3, Requested 1.',
        code: 'rate_limit_exceeded',
        headers: { 'x-ratelimit-limit-requests': '3', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '300ms', 'x-ratelimit-reset-tokens': '5ms' },
      }],
    }]);
    const jobId = await b.run({ kind: 'scenario', limit: 2 });
    const job = b.runner.job(jobId);
    assert.equal(job.status, 'done', job.message ?? '');
    assert.equal(job.retries, 1);
    const waiting = b.events.filter((e) => e.rateLimitWaitSeconds != null);
    assert.ok(waiting.length > 0, 'the wait was said');
    assert.ok(waiting.every((e) => e.rateLimitWaitSeconds === 1 && /; waiting for the rate limit \(1 s\)\.$/.test(e.message)), JSON.stringify(waiting));
    assert.ok(waiting.every((e) => e.etaSeconds !== null && e.etaSeconds > 0), 'one pair done: the ETA counts the wait');
    assert.equal(b.events.at(-1)!.rateLimitWaitSeconds, null, 'no wait once the job ended');
    assert.equal(job.rateLimitWaitSeconds, null);
  } finally {
    await b.close();
  }
});

test('a 429 the server says not to retry (insufficient quota) stops the job with one sentence after one request', async () => {
  const b = await bench({ endpoint: { concurrency: 1 } });
  try {
    b.fake.setFaults([{
      pair: 'fx-paris', kind: 'scenario', replies: [{
        status: 429, code: 'insufficient_quota', message: 'You exceeded your current quota, please check your plan and billing details.',
        headers: { 'x-should-retry': 'false' },
      }],
    }]);
    const job = b.runner.job(await b.run({ kind: 'scenario' }));
    assert.equal(job.status, 'failed');
    assert.equal(job.message, 'The endpoint says the account has no quota left (429 insufficient_quota): You exceeded your current quota, please check your plan and billing details.');
    assert.equal(b.fake.requests.filter((r) => r.kind === 'scenario').length, 1);
    assert.equal(job.retries, 0);
  } finally {
    await b.close();
  }
});
