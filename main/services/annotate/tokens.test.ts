// Token counting: OpenAI models by their own encoding (o200k_base for the gpt-4o family and later, cl100k_base for
// gpt-4, gpt-4-turbo and gpt-3.5), other models by about four characters a token; the estimate says which, counts
// a large study on a spread sample, and a finished job shows its estimate beside what the API's usage says it cost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodingFor, tokenCounter } from './tokens';
import { estimateTokens } from './cost';
import { EXACT_PAIRS, estimateJob } from './estimate';
import { DEFAULT_ENDPOINT } from './cost';
import { scenarioPrompt } from './scenario';
import { basicPrompt, judgePrompt } from './prompts';
import { bench } from './testing/harness';

test('the encoding per model: the table js-tiktoken keeps, then the family by its prefix; none for other models', () => {
  const cases: [string, string | null][] = [
    ['gpt-4o', 'o200k_base'], ['gpt-4o-2024-08-06', 'o200k_base'], ['gpt-4o-mini', 'o200k_base'], ['chatgpt-4o-latest', 'o200k_base'],
    ['gpt-4.1-mini-2025-04-14', 'o200k_base'], ['o1', 'o200k_base'], ['o3-mini', 'o200k_base'], ['gpt-5', 'o200k_base'],
    ['ft:gpt-4o-mini-2024-07-18:acme::abc123', 'o200k_base'],
    ['gpt-4-1106-preview', 'cl100k_base'], ['gpt-4-turbo-2024-04-09', 'cl100k_base'], ['gpt-4', 'cl100k_base'], ['gpt-4-0613', 'cl100k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'], ['gpt-3.5-turbo-0125', 'cl100k_base'], ['gpt-35-turbo', 'cl100k_base'],
    ['llama3', null], ['qwen2.5:7b-instruct', null], ['mistral-large', null], ['fake-model', null], ['gpt4all', null],
  ];
  for (const [model, encoding] of cases) assert.equal(encodingFor(model), encoding, model);
});

test("counts: OpenAI's chat format on the model's encoding; the estimate for a local model, and says which", () => {
  // OpenAI's cookbook: "tiktoken is great!" is 6 tokens in cl100k_base; a message adds 3, the reply's start 3.
  const gpt4 = tokenCounter('gpt-4');
  assert.equal(gpt4.count([{ role: 'user', content: 'tiktoken is great!' }]), 12);
  assert.equal(gpt4.method, "Tokens counted with cl100k_base, gpt-4's tokenizer.");
  // The cost cap's count keeps a little room for what the API adds unseen.
  assert.equal(gpt4.count([{ role: 'user', content: 'tiktoken is great!' }], { worst: true }), Math.ceil(12 * 1.02) + 16);
  assert.equal(tokenCounter('gpt-4o').encoding, 'o200k_base');
  // The two encodings differ on text that is not English.
  const hindi = [{ role: 'user' as const, content: 'नमस्ते, आप कैसे हैं? मुझे पेरिस में पाँच चीज़ें बताइए।' }];
  assert.ok(tokenCounter('gpt-4o').count(hindi) < gpt4.count(hindi), 'o200k_base is the denser encoding for Hindi');
  const local = tokenCounter('llama3');
  assert.equal(local.encoding, null);
  assert.equal(local.method, 'No tokenizer is known for llama3: tokens are estimated at about four characters a token.');
  assert.equal(local.count(hindi), estimateTokens(hindi));
  assert.equal(local.count(hindi, { worst: true }), estimateTokens(hindi, true));
});

test("a pair's texts counted once apart from the prompts' fixed parts: the whole prompt's count within a token a seam", () => {
  const pair = { query: 'How do I keep basil alive indoors?', responseA: 'Give it six hours of sun, water when the top inch is dry, and pinch off flowers. '.repeat(5), responseB: 'Basil likes light.' };
  const texts = [pair.query, pair.responseA, pair.responseB, ''];
  for (const model of ['gpt-4o', 'gpt-4-1106-preview']) {
    const counter = tokenCounter(model);
    for (const messages of [basicPrompt(pair), judgePrompt(pair.query, pair.responseB, pair.responseA), scenarioPrompt(pair.query, true)]) {
      const whole = counter.count(messages);
      const apart = counter.count(messages, { texts });
      const seams = messages.reduce((n, m) => n + 2 * texts.filter((t) => t && m.content.includes(t)).length, 0);
      assert.ok(Math.abs(whole - apart) <= seams, `${model}: ${whole} whole, ${apart} apart, ${seams} seams`);
    }
  }
});

test('a study larger than the sample is counted on a spread sample and scaled; the estimate names the method', () => {
  const n = EXACT_PAIRS * 2 + 1;
  const pairs = Array.from({ length: n }, (_, i) => ({
    query: `Question ${i}: ${i % 3 ? 'how should I plan a week in Lisbon with two children' : '¿cómo preparo una tortilla de patatas?'} (${i})`,
    responseA: 'A', responseB: 'B',
  }));
  const endpoint = { ...DEFAULT_ENDPOINT, model: 'gpt-4o' };
  const isCached = () => new Set<string>();
  const sampled = estimateJob({ pairs, kind: 'scenario', mode: 'direct', endpoint, price: null, isCached, counter: tokenCounter('gpt-4o') });
  assert.equal(sampled.tokenCounting, `Tokens counted with o200k_base, gpt-4o's tokenizer on ${EXACT_PAIRS.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} pairs, spread over the study, the others scaled by their length.`);
  const counter = tokenCounter('gpt-4o');
  const exact = pairs.reduce((s, p) => s + counter.count(scenarioPrompt(p.query, false), { texts: [p.query] }), 0);
  assert.ok(Math.abs(sampled.inputTokens - exact) / exact < 0.01, `sampled ${sampled.inputTokens} vs exact ${exact}`);
  const small = estimateJob({ pairs: pairs.slice(0, 10), kind: 'scenario', mode: 'direct', endpoint, price: null, isCached, counter: tokenCounter('gpt-4o') });
  assert.equal(small.tokenCounting, "Tokens counted with o200k_base, gpt-4o's tokenizer.");
  const whole = pairs.slice(0, 10).reduce((s, p) => s + counter.count(scenarioPrompt(p.query, false)), 0);
  assert.ok(Math.abs(small.inputTokens - whole) <= 10 * 2, `${small.inputTokens} vs ${whole} counted whole`);
  const local = estimateJob({ pairs: pairs.slice(0, 10), kind: 'scenario', mode: 'direct', endpoint: { ...endpoint, model: 'llama3' }, price: null, isCached, counter: tokenCounter('llama3') });
  assert.match(local.tokenCounting, /^No tokenizer is known for llama3/);
  assert.equal(local.inputTokens, pairs.slice(0, 10).reduce((s, p) => s + estimateTokens(scenarioPrompt(p.query, false)), 0));
});

test("a finished job shows its estimate (counted with the model's tokenizer) beside what the API's usage says it cost", async () => {
  const b = await bench({ endpoint: { model: 'gpt-4o-2024-08-06' } });
  try {
    b.storage.endpoint.replaceModelPrices([{ model: 'gpt-4o', inputPerMillion: 2.5, outputPerMillion: 10 }]);
    const estimate = b.runner.estimate({ studyId: b.studyId, kind: 'scenario', scope: 'missing', mode: 'direct', costCap: null });
    assert.equal(estimate.tokenCounting, "Tokens counted with o200k_base, gpt-4o-2024-08-06's tokenizer.");
    const job = b.runner.job(await b.run({ kind: 'scenario' }));
    assert.equal(job.status, 'done', job.message ?? '');
    assert.deepEqual(job.estimateTokens, { input: estimate.inputTokens, output: estimate.outputTokens, counting: estimate.tokenCounting });
    // The test server reports its own usage (a quarter of the characters): the job adds up what it reported.
    const reported = b.storage.db.prepare('SELECT sum(prompt_tokens) AS i, sum(completion_tokens) AS o FROM request_cache').get() as { i: number; o: number };
    assert.deepEqual(job.usedTokens, { input: reported.i, output: reported.o });
    assert.ok(job.usedTokens.input > 0);
    assert.match(job.message!, /; \$0\.\d+ spent \(estimated \$0\.\d+\), 0 answers reused from the cache\./);
    assert.ok(job.estimate !== null && job.estimate > 0);
  } finally {
    await b.close();
  }
});
