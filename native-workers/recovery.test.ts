// Recovery of the paper's published weights (resources/paper-effect-strengths.json).
// Comparison features are simulated with paper-like rates of nonzero comparisons
// (simulate.ts: most basic properties differ in 15-55% of pairs, funny/informal 5-7%, error
// features 30%, query-specific ones 40% in their own group and 0 elsewhere), labels are drawn
// from the published weights of 'human' and 'gpt-4-1106-preview' (GPT-4-Turbo), and the
// 10-fold-average pipeline refits them.
//
// Measured with the paper's full settings (10 folds, 4 chains x (500 + 1500)), Pearson with the
// truth at the paper's group sizes is 0.74-0.97 (Advice 0.87/0.85, Knowledge-aware 0.91/0.96,
// w_constraints 0.95/0.97, intent_unclear 0.76/0.92, Code 0.74/0.88, express_feeling (n=121)
// 0.19/0.80, human/GPT-4-Turbo), and it varies by ±0.05-0.1 between simulated datasets of the
// same size: the data, not the sampler, limit it (the MAP on the same data does no better), so
// Pearson >= 0.95 is asserted only at 10x the paper's group size. For scale: with the Cramér–Rao
// variances (inverse Fisher information at the true weights, same simulated features), the best
// Pearson an unbiased estimator can expect is sd(truth) / sqrt(var(truth) + mean variance):
// averaged over the 16 groups 0.64 (human) and 0.73 (GPT-4-Turbo) at the paper's sizes, 0.91 and
// 0.95 at 10x; the prior's shrinkage does better than that (the full refit, bench:refit: mean
// 0.72 and 0.80 over the 16 groups), but not 0.95. The CI runs use fewer folds,
// chains and draws than the paper, as the test names say.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { crossFit } from './fit';
import { mapEstimate } from './map';
import { SamplerPool } from './pool';
import { groupNonzeroRates, pearson, simulateComparisons, topThree } from './simulate';
import { defaultWorkerUrl } from './worker-path';

const paper = JSON.parse(readFileSync(new URL('../resources/paper-effect-strengths.json', import.meta.url), 'utf8')) as {
  properties: string[];
  group_sizes: Record<string, number>;
  groups: Record<string, Record<string, number[]>>;
};
const K = paper.properties.length;
const JUDGES = ['human', 'gpt-4-1106-preview'];
const pool = new SamplerPool({ workerUrl: defaultWorkerUrl(), size: 2 });
after(() => pool.close());


interface Outcome {
  label: string;
  pearson: number;
  pearsonMap: number;
  overlap: number;
  maxRhat: number;
  divergences: number;
}

async function recover(group: string, judge: string, sizeFactor: number, settings: { folds: number; chains: number; warmup: number; draws: number }): Promise<Outcome> {
  const truth = paper.groups[group][judge];
  assert.equal(truth.length, K, `${group}/${judge} weights`);
  const rates = groupNonzeroRates(group);
  const n = paper.group_sizes[group] * sizeFactor;
  const { X, y } = simulateComparisons(n, rates, truth, 12345);
  const r = await crossFit({ X, y, K, pool, seed: 7, ...settings });
  // properties that never differ in this group cannot be estimated: compare the others
  const observed = Array.from({ length: K }, (_, k) => k).filter((k) => rates[k] > 0);
  const map = mapEstimate(X, y, K, { priorScale: 0.1 });
  const t3 = topThree(truth, observed);
  return {
    label: `${group}/${judge} n=${n}`,
    pearson: pearson(truth, r.alpha, observed),
    pearsonMap: pearson(truth, map.alpha, observed),
    overlap: topThree(r.alpha, observed).filter((k) => t3.includes(k)).length,
    maxRhat: r.maxRhat,
    divergences: r.divergences,
  };
}

test(
  'recovery at the paper group sizes (Advice 400, Knowledge-aware 820, w_constraints 1418; 3 folds, 2 chains x (200 + 300) instead of 10 x 4 x (500 + 1500)): ' +
    'Pearson >= 0.70 each, >= 0.85 on average, within 0.08 of the MAP on the same data, top-3 overlap >= 2 in 5 of 6 fits (0.95 is not reachable at these sizes)',
  async (t) => {
    const settings = { folds: 3, chains: 2, warmup: 200, draws: 300 };
    const jobs = ['Advice', 'Knowledge-aware', 'w_constraints'].flatMap((g) => JUDGES.map((j) => recover(g, j, 1, settings)));
    const out = await Promise.all(jobs);
    for (const o of out) {
      t.diagnostic(`${o.label}: Pearson ${o.pearson.toFixed(3)} (MAP ${o.pearsonMap.toFixed(3)}), top-3 overlap ${o.overlap}/3, max R-hat ${o.maxRhat.toFixed(3)}, divergences ${o.divergences}`);
      assert.ok(o.pearson >= 0.7, `${o.label}: Pearson ${o.pearson}`);
      assert.ok(Math.abs(o.pearson - o.pearsonMap) <= 0.08, `${o.label}: Pearson ${o.pearson} vs MAP ${o.pearsonMap}`);
      assert.equal(o.divergences, 0, o.label);
    }
    const meanPearson = out.reduce((s, o) => s + o.pearson, 0) / out.length;
    assert.ok(meanPearson >= 0.85, `mean Pearson ${meanPearson}`);
    assert.ok(out.filter((o) => o.overlap >= 2).length >= 5, 'top-3 overlap');
  },
);

test('recovery at 10x the paper group size (Advice, n = 4000; 3 folds, 2 chains x (200 + 300)): Pearson >= 0.95 and the same top-3 for both judges', async (t) => {
  const settings = { folds: 3, chains: 2, warmup: 200, draws: 300 };
  const out = await Promise.all(JUDGES.map((j) => recover('Advice', j, 10, settings)));
  for (const o of out) {
    t.diagnostic(`${o.label}: Pearson ${o.pearson.toFixed(3)} (MAP ${o.pearsonMap.toFixed(3)}), top-3 overlap ${o.overlap}/3`);
    assert.ok(o.pearson >= 0.95, `${o.label}: Pearson ${o.pearson}`);
    assert.equal(o.overlap, 3, `${o.label}: top-3`);
  }
});
