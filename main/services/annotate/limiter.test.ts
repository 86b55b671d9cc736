// The client-side limits: requests in flight, requests per minute and tokens per minute over a sliding minute.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from './limiter';

const tick = () => new Promise((r) => setImmediate(r));

test('concurrency: a request waits until one in flight ends', async () => {
  const limiter = new RateLimiter({ concurrency: 1, requestsPerMinute: 100, tokensPerMinute: 1e6 });
  const release = await limiter.acquire(10);
  let second = false;
  const next = limiter.acquire(10).then((r) => { second = true; return r; });
  await tick();
  assert.equal(second, false);
  release();
  (await next)();
  assert.equal(second, true);
});

test('requests and tokens per minute: a request waits until the minute has room', async () => {
  let now = 0;
  const limiter = new RateLimiter({ concurrency: 10, requestsPerMinute: 2, tokensPerMinute: 1000 }, () => now);
  (await limiter.acquire(100))();
  const big = await limiter.acquire(800);
  let third = false;
  const waiting = limiter.acquire(10).then((r) => { third = true; return r; });
  await tick();
  assert.equal(third, false, 'two requests this minute');
  now = 60_001;
  big(50);
  (await waiting)();
  assert.equal(third, true, 'the minute moved on');
  // Tokens: a 900-token request inside the minute leaves no room for 200 more.
  now = 120_000;
  const t1 = await limiter.acquire(900);
  let fits = false;
  const over = limiter.acquire(200).then((r) => { fits = true; return r; });
  await tick();
  assert.equal(fits, false, '900 + 200 tokens is over 1000 a minute');
  now = 180_001;
  t1(900);
  (await over)();
  assert.equal(fits, true);
});

test('a request larger than the whole token budget still goes, alone in its minute', async () => {
  const limiter = new RateLimiter({ concurrency: 2, requestsPerMinute: 10, tokensPerMinute: 100 }, () => 0);
  (await limiter.acquire(5000))();
});
