// The request cache's key, the backoff, and keeping the key out of every message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs, buildRequest, redact, requestHash } from './caller';

test('equal requests hash equally whatever their key order; endpoint, model and content all count', () => {
  const messages = [{ role: 'user' as const, content: 'hello' }];
  const a = buildRequest('basic', 'gpt-x', messages, true);
  const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
  assert.equal(requestHash('http://h/v1/', a), requestHash('http://h/v1', reordered));
  assert.notEqual(requestHash('http://h/v1', a), requestHash('http://other/v1', a));
  assert.notEqual(requestHash('', a), requestHash('', buildRequest('basic', 'gpt-y', messages, true)));
  assert.notEqual(requestHash('', a), requestHash('', buildRequest('basic', 'gpt-x', messages, false)));
  assert.deepEqual(a.response_format, { type: 'json_object' });
  assert.equal(buildRequest('normalise', 'gpt-x', messages, true).response_format, undefined, 'the normalised list is an array');
  const judge = buildRequest('judge', 'gpt-x', messages, true);
  assert.deepEqual([judge.logprobs, judge.top_logprobs, judge.max_tokens, judge.temperature], [true, 20, 3, 0]);
});

test('backoff doubles per attempt with jitter in its upper half, is capped, and a Retry-After wins', () => {
  const policy = (random: number) => ({ maxAttempts: 6, timeoutMs: 1000, baseDelayMs: 100, maxDelayMs: 1000, random: () => random });
  assert.equal(backoffMs(1, policy(0)), 50);
  assert.equal(backoffMs(1, policy(1)), 100);
  assert.equal(backoffMs(3, policy(0.5)), 300);
  assert.equal(backoffMs(10, policy(1)), 1000);
  assert.equal(backoffMs(2, policy(0), 750), 750);
  assert.equal(backoffMs(2, policy(0), 5000), 1000);
});

test('the key, and anything shaped like an OpenAI key, is taken out of messages', () => {
  const key = 'sk-proj-abcdefghijklmnop';
  assert.equal(redact(`401 Incorrect API key provided: ${key}.`, key), '401 Incorrect API key provided: [key hidden].');
  assert.equal(redact('Incorrect API key provided: sk-abc1234*****wxyz.', null), 'Incorrect API key provided: [key hidden].');
  assert.equal(redact('local-key-42 refused', 'local-key-42'), '[key hidden] refused');
});
