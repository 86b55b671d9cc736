// "Test connection" against the test server: a working endpoint reports the model, latency, log-probabilities and
// JSON mode; one without log-probabilities or without JSON mode says which; a wrong key, a model it does not
// serve and a dead port are one sentence each. Through the channel, the form's unsaved fields are what is tested.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkConnection } from './check';
import { DEFAULT_ENDPOINT } from './cost';
import { startFakeOpenAI, type FakeOpenAIOptions } from './testing/fake-openai';
import { TEST_KEY, deadPort } from './testing/harness';
import { createStudio } from '../studio';
import { environmentSecrets } from './secrets';
import { defaultWorkerUrl } from '../../../native-workers/worker-path';
import type { ConnectionCheck, EndpointSettings } from '../../../preload/contract';

async function check(fake: FakeOpenAIOptions, endpoint: Partial<EndpointSettings> = {}, key: string | null = TEST_KEY) {
  const server = await startFakeOpenAI({ apiKey: TEST_KEY, ...fake });
  try {
    const result = await checkConnection({ ...DEFAULT_ENDPOINT, model: 'fake-model', baseUrl: server.url, ...endpoint }, key, 'the OPENAI_API_KEY environment variable');
    return { result, sent: server.requests.map((r) => r.kind), url: server.url };
  } finally {
    await server.close();
  }
}

test('a working endpoint: the model that answered, the latency, log-probabilities and JSON mode, in one request', async () => {
  const { result, sent, url } = await check({});
  assert.equal(result.ok, true);
  assert.equal(result.answeredBy, 'fake-model');
  assert.ok(Number.isInteger(result.latencyMs) && result.latencyMs! >= 0);
  assert.equal(result.logprobs, true);
  assert.equal(result.jsonMode, true);
  assert.equal(result.baseUrl, url);
  assert.match(result.message, new RegExp(`^fake-model answered at ${url.replace(/[.:/]/g, '\\$&')} in \\d+ ms; log-probabilities work; JSON mode works\\.$`));
  assert.deepEqual(sent, ['check']);
});

test('a server that returns no log-probabilities, and one that refuses JSON mode, are named for it', async () => {
  const noLogprobs = await check({ logprobs: false });
  assert.equal(noLogprobs.result.ok, true);
  assert.deepEqual([noLogprobs.result.logprobs, noLogprobs.result.jsonMode], [false, true]);
  assert.match(noLogprobs.result.message, /log-probabilities do not work \(asked for, none came back\); JSON mode works\.$/);
  const noJson = await check({ jsonMode: false });
  assert.equal(noJson.result.ok, true);
  assert.deepEqual([noJson.result.logprobs, noJson.result.jsonMode], [true, false]);
  assert.match(noJson.result.message, /log-probabilities work; JSON mode does not work \(refused\)\.$/);
  assert.deepEqual(noJson.sent, ['check'], 'the refused request is not a check the server answered; the second one is');
});

test('a wrong key (401), a model the endpoint does not serve (404) and a dead port: one sentence each, the key hidden', async () => {
  const wrongKey = 'sk-wrong-key-for-the-check-0000';
  const refused = await check({}, {}, wrongKey);
  assert.equal(refused.result.ok, false);
  assert.match(refused.result.message, /^The endpoint refused the API key \(401\): Incorrect API key provided: \[key hidden\]/);
  assert.ok(!refused.result.message.includes(wrongKey));
  assert.deepEqual([refused.result.answeredBy, refused.result.latencyMs, refused.result.logprobs, refused.result.jsonMode], [null, null, null, null]);

  const unknown = await check({ models: ['fake-model'] }, { model: 'gpt-9-imaginary' });
  assert.equal(unknown.result.ok, false);
  assert.match(unknown.result.message, /does not know the model "gpt-9-imaginary" \(404\): The model `gpt-9-imaginary` does not exist or you do not have access to it\.$/);

  const dead = `http://127.0.0.1:${await deadPort()}/v1`;
  const unreachable = await checkConnection({ ...DEFAULT_ENDPOINT, model: 'fake-model', baseUrl: dead }, TEST_KEY, 'x');
  assert.equal(unreachable.ok, false);
  assert.match(unreachable.message, new RegExp(`^Cannot reach ${dead.replace(/[.:/]/g, '\\$&')}: .*ECONNREFUSED.*\\.$`));

  const noKey = await checkConnection({ ...DEFAULT_ENDPOINT }, null, 'the OPENAI_API_KEY environment variable');
  assert.deepEqual([noKey.ok, noKey.message], [false, 'There is no API key for OpenAI: it is read from the OPENAI_API_KEY environment variable.']);
});

test('through the channel, the fields given (the form as typed, not saved) are tested and nothing is saved', async () => {
  const fake = await startFakeOpenAI({ apiKey: TEST_KEY });
  const s = createStudio({
    dataDir: mkdtempSync(join(tmpdir(), 'ps-check-')), transport: 'browser', version: 'test', samplerWorkerUrl: defaultWorkerUrl(),
    demoOnFirstStart: false, secrets: environmentSecrets({ OPENAI_API_KEY: TEST_KEY }),
  });
  try {
    const reply = await s.dispatch('annotate.checkConnection', { endpoint: { model: 'fake-model', baseUrl: fake.url } });
    assert.ok(reply.ok, JSON.stringify(reply));
    assert.equal((reply.res as ConnectionCheck).ok, true);
    const settings = await s.dispatch('annotate.settings', {});
    assert.ok(settings.ok);
    assert.equal((settings.res as { endpoint: EndpointSettings }).endpoint.baseUrl, '', 'nothing was saved');
    const bad = await s.dispatch('annotate.checkConnection', { endpoint: { baseUrl: 'localhost:8000' } });
    assert.match((bad as { error: { message: string } }).error.message, /must start with http:\/\/ or https:\/\//);
  } finally {
    await s.close();
    await fake.close();
  }
});
