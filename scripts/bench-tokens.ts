// How much counting tokens costs: loading each encoding once, then 10,000 prompts (the paper's basic-properties
// prompt over generated pairs) counted whole with o200k_base, with each pair's texts apart from the prompt's fixed
// parts (as the estimate counts them), and estimated at four characters a token; then the estimate of a 10,000-pair
// annotation job, which counts a spread sample of 200 pairs. Run: npm run bench:tokens [-- --prompts N]
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { tokenCounter } from '../main/services/annotate/tokens';
import { estimateTokens, DEFAULT_ENDPOINT } from '../main/services/annotate/cost';
import { estimateJob } from '../main/services/annotate/estimate';
import { basicPrompt } from '../main/services/annotate/prompts';

const { values } = parseArgs({ options: { prompts: { type: 'string', default: '10000' } } });
const n = Number(values.prompts);
const words = (i: number, k: number) => Array.from({ length: k }, (_, j) => ['the', 'river', 'Paris', 'quickly', 'algorithm', 'because', 'données', '42', 'résumé', 'weather'][(i * 7 + j * 3) % 10]).join(' ');
const pairs = Array.from({ length: n }, (_, i) => ({ query: `Question ${i}: ${words(i, 25)}?`, responseA: words(i + 1, 180), responseB: words(i + 2, 120) }));
const prompts = pairs.map((p) => basicPrompt(p));

const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
};

for (const model of ['gpt-4o', 'gpt-4-1106-preview']) {
  const counter = tokenCounter(model);
  const [, loadMs] = time(() => counter.count([{ role: 'user', content: 'warm up' }]));
  console.log(`${counter.encoding}: loaded in ${loadMs.toFixed(0)} ms (once per process)`);
}
const counter = tokenCounter('gpt-4o');
const [whole, wholeMs] = time(() => prompts.reduce((s, m) => s + counter.count(m), 0));
console.log(`${n} prompts counted whole: ${whole} tokens in ${wholeMs.toFixed(0)} ms (${Math.round(whole / wholeMs * 1000).toLocaleString('en-US')} tokens/s)`);
const [apart, apartMs] = time(() => prompts.reduce((s, m, i) => s + counter.count(m, { texts: [pairs[i].query, pairs[i].responseA, pairs[i].responseB] }), 0));
console.log(`${n} prompts with the pairs' texts counted apart: ${apart} tokens (${((apart - whole) / whole * 100).toFixed(3)}% from whole) in ${apartMs.toFixed(0)} ms`);
const [rough, roughMs] = time(() => prompts.reduce((s, m) => s + estimateTokens(m), 0));
console.log(`${n} prompts estimated at 4 characters a token: ${rough} tokens (${((rough - whole) / whole * 100).toFixed(1)}% from the tokenizer) in ${roughMs.toFixed(0)} ms`);
const [estimate, estimateMs] = time(() => estimateJob({
  pairs, kind: 'annotate', mode: 'direct', endpoint: { ...DEFAULT_ENDPOINT, model: 'gpt-4o' }, price: null, isCached: () => new Set(), counter: tokenCounter('gpt-4o'),
}));
console.log(`the estimate of an annotation job on ${n} pairs: ${estimate.inputTokens} input tokens in ${estimateMs.toFixed(0)} ms. ${estimate.tokenCounting}`);
