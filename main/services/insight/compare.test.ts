import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from '../storage';
import {
  interSimilarity, intraSimilarity, judgeSimilarity, pearson, similarityMatrix, styleShare, styleSubstance, topAndLast,
} from './compare';
import { paperReference } from '../data/reference';
import { PROPERTY_NAMES } from '../data/properties';

const emptyStorage = () => new Storage(join(mkdtempSync(join(tmpdir(), 'ps-compare-')), 'db.sqlite'));
const NO_STUDY = 1;

test('Pearson of weight vectors, worked by hand', () => {
  assert.equal(pearson([1, 2, 3], [2, 4, 6]), 1);
  assert.equal(pearson([1, 2, 3], [3, 2, 1]), -1);
  // deviations (-1.5, -0.5, 0.5, 1.5) and (-1.5, 0.5, -0.5, 1.5): 4 / sqrt(5 * 5)
  assert.ok(Math.abs(pearson([1, 2, 3, 4], [1, 3, 2, 4])! - 0.8) < 1e-12);
  assert.equal(pearson([1, 1, 1], [1, 2, 3]), null);
});

test('similarity averages Pearson over the groups both judges have, and says how many', () => {
  const m = new Map([['g1', [1, 2, 3]], ['g2', [1, 2, 3, 4]]]);
  const n = new Map([['g1', [2, 4, 6]], ['g2', [1, 3, 2, 4]]]);
  const o = new Map([['g1', [3, 2, 1]]]);
  const { matrix, groupCounts } = similarityMatrix([m, n, o]);
  assert.ok(Math.abs(matrix[0][1]! - 0.9) < 1e-12); // (1 + 0.8) / 2
  assert.equal(groupCounts[0][1], 2);
  assert.equal(matrix[0][2], -1);
  assert.equal(groupCounts[1][2], 1);
  assert.equal(matrix[2][2], 1);
});

test('intra- and inter-group similarity, worked by hand', () => {
  const s = [
    [1, 0.9, 0.5, 0.4],
    [0.9, 1, 0.3, 0.2],
    [0.5, 0.3, 1, 0.8],
    [0.4, 0.2, 0.8, 1],
  ];
  assert.equal(intraSimilarity(s, [0, 1]), 0.9);
  assert.ok(Math.abs(intraSimilarity(s, [0, 1, 2])! - (0.9 + 0.5 + 0.3) / 3) < 1e-12);
  assert.ok(Math.abs(interSimilarity(s, [0, 1], [2, 3])! - (0.5 + 0.4 + 0.3 + 0.2) / 4) < 1e-12);
  assert.equal(intraSimilarity(s, [2]), null);
});

test("the paper's published weights reproduce section 4.2: human and GPT-4-Turbo apart, similar sizes alike", () => {
  const reference = paperReference();
  const judges = Object.keys(reference.judgeSizes).map((name) => ({ source: 'paper' as const, name }));
  const result = judgeSimilarity(emptyStorage(), { studyId: NO_STUDY, judges });
  assert.equal(result.judges.length, 33);
  assert.equal(result.groups.length, 16);
  // Figure 3's order: by size, the proprietary LLMs after the open ones, human last.
  assert.deepEqual(result.judges.slice(0, 2).map((j) => j.judge.name).sort(), ['yi-6b', 'yi-6b-chat']);
  assert.equal(result.judges.at(-1)!.judge.name, 'human');
  const at = (name: string) => result.judges.findIndex((j) => j.judge.name === name);
  const open = result.judges.map((j, i) => (j.sizeBillion !== null ? i : -1)).filter((i) => i >= 0);
  assert.equal(open.length, 30);
  const meanTo = (i: number, others: number[]) => {
    const v = others.filter((k) => k !== i).map((k) => result.matrix[i][k]!);
    return v.reduce((a, b) => a + b, 0) / v.length;
  };
  const human = meanTo(at('human'), open);
  const gpt4 = meanTo(at('gpt-4-1106-preview'), open);
  // LLaMA-2-7B is the paper's own outlier (no consistent preference, 63% accuracy); every other open LLM is
  // closer to the open LLMs than human and GPT-4-Turbo are.
  const rest = open.filter((i) => i !== at('llama-2-7b')).map((i) => meanTo(i, open));
  assert.ok(Math.max(human, gpt4) + 0.1 < Math.min(...rest), `human ${human.toFixed(3)}, GPT-4-Turbo ${gpt4.toFixed(3)}, open LLMs from ${Math.min(...rest).toFixed(3)}`);
  // "most similar to Qwen-72B(-Chat)"
  const closest = (i: number) => result.judges.map((j, k) => ({ name: j.judge.name, s: k === i ? -Infinity : result.matrix[i][k]! }))
    .sort((a, b) => b.s - a.s).map((x) => x.name);
  assert.match(closest(at('human'))[0], /^qwen-72b/);
  assert.ok(closest(at('gpt-4-1106-preview')).slice(0, 3).some((n) => n.startsWith('qwen-72b')));

  // Section 4.2.2: intra <14B 0.83, intra >30B 0.88, inter 0.74 in the paper.
  const [small, large] = result.intra;
  const inter = result.inter[0];
  assert.deepEqual([small.group, small.judges, large.group, large.judges], ['<14B', 20, '>30B', 10]);
  assert.ok(small.similarity! > inter.similarity! && large.similarity! > inter.similarity!);
  for (const [ours, paper] of [[small.similarity!, 0.83], [large.similarity!, 0.88], [inter.similarity!, 0.74]]) {
    assert.ok(Math.abs(ours - paper) < 0.03, `ours ${ours.toFixed(3)} vs the paper's ${paper}`);
  }
});

test('the style share is the part of sum |alpha| that style properties carry', () => {
  const alpha = new Array(PROPERTY_NAMES.length).fill(0);
  alpha[PROPERTY_NAMES.indexOf('friendly')] = -0.2;
  alpha[PROPERTY_NAMES.indexOf('lengthy')] = 0.1;
  alpha[PROPERTY_NAMES.indexOf('no severe errors')] = 0.7;
  assert.ok(Math.abs(styleShare(alpha, new Set(['friendly', 'lengthy']))! - 0.3) < 1e-12);
  assert.equal(styleShare(new Array(PROPERTY_NAMES.length).fill(0), new Set(['friendly'])), null);
});

test("style vs substance of the paper's judges: every property on one side, and an edited split changes the shares", () => {
  const judges = [{ source: 'paper' as const, name: 'human' }, { source: 'paper' as const, name: 'gpt-4-1106-preview' }];
  const storage = emptyStorage();
  const byDefault = styleSubstance(storage, { studyId: NO_STUDY, judges });
  assert.equal(byDefault.style.length + byDefault.substance.length, 29);
  for (const j of byDefault.judges) {
    assert.equal(j.groups, 16);
    assert.ok(Math.abs(j.styleShare + j.substanceShare - 1) < 1e-12);
  }
  // The mean over the 16 groups of each group's share, summed here from the published weights directly.
  const reference = paperReference();
  const style = new Set(byDefault.style);
  const expected = reference.groups.map((g) => {
    const a = reference.weights[g].human;
    const total = a.reduce((t, w) => t + Math.abs(w), 0);
    return a.reduce((t, w, i) => t + (style.has(reference.properties[i]) ? Math.abs(w) : 0), 0) / total;
  }).reduce((t, v) => t + v, 0) / 16;
  assert.ok(Math.abs(byDefault.judges[0].styleShare - expected) < 1e-12);
  const allStyle = styleSubstance(storage, { studyId: NO_STUDY, judges, style: [...PROPERTY_NAMES] });
  assert.ok(allStyle.judges.every((j) => Math.abs(j.styleShare - 1) < 1e-12));
  assert.throws(() => styleSubstance(storage, { studyId: NO_STUDY, judges, style: ['charm'] }), /Unknown property: charm/);
});

test('top and last three by degree of preference', () => {
  const properties = [0.1, -0.5, 0.9, 0.3, -0.2].map((alpha, i) => ({
    name: `p${i}`, alpha, strength: 1 / (1 + Math.exp(-alpha)), strengthQ5: null, strengthQ95: null, rhat: null,
  }));
  assert.deepEqual(topAndLast(properties), { top: ['p2', 'p3', 'p0'], last: ['p1', 'p4', 'p0'] });
});
