import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildDemoBatch } from './demo';
import { comparisonFeatures, wordCount } from './features';
import { PROPERTIES, RATED_BASIC_PROPERTIES } from './properties';
import { SCENARIOS, toScenario } from './scenarios';
import type { ImportedPair } from './import/types';
import type { ErrorCheck, PairAnnotation, QueryItemKind, Side } from '../../../preload/contract';

// The expectations below come from the paper and the published weights file, not from demo.ts.
const paper = JSON.parse(readFileSync(new URL('../../../resources/paper-effect-strengths.json', import.meta.url), 'utf8')) as {
  properties: string[];
  judge_sizes_billion_params: Record<string, number | null>;
  groups: Record<string, Record<string, number[]>>;
};
const UNSAFE = 'Unsafe Queries';
const GROUPS = [...SCENARIOS, UNSAFE];
const SIDES: Side[] = ['A', 'B'];

/** Table 9 (non-repetitive has no row there). */
const TABLE9: Record<string, number> = {
  harmless: 2.90, 'grammarly correct': 2.70, friendly: 1.79, polite: 2.78, interactive: 0.22, authoritative: 1.67,
  funny: 0.08, 'use rhetorical devices': 0.16, 'complex word & sentence': 0.89, 'use supporting materials': 0.13,
  'well formatted': 1.26, 'admit limits': 0.17, persuasive: 0.27, 'step-by-step': 0.37, 'use informal expressions': 0.04,
  clear: 2.54, 'contain rich info': 1.74, novel: 0.47, relevant: 2.45,
  'clarify intent': 1.33, 'show empathetic': 1.48, 'satisfy constraints': 2.01, 'support stances': 2.28, 'correct mistakes': 1.08,
};
const TABLE9_ERRORS = { minor: 0.23, moderate: 0.61, severe: 0.59 };
const TABLE9_LENGTH = 164.52;
/** Appendix F. */
const STANCE_SCORE: Record<string, number> = {
  'Strongly supported': 3, 'Weakly supported': 2.25, Neutral: 1.5, 'Weakly opposed': 0.75, 'Strongly opposed': 0,
};
const MISTAKE_SCORE: Record<string, number> = {
  'Pointed out and corrected': 3, 'Corrected without being pointed out': 2, 'Pointed out but not corrected': 1,
  'Neither pointed out nor corrected': 0,
};
const ERROR_TYPES = ['Factual error', 'Information contradiction to the query', 'Math operation error', 'Code generation error'];

const cpuBefore = process.cpuUsage();
const batch = buildDemoBatch();
const cpuUsed = process.cpuUsage(cpuBefore);
const buildCpuMs = (cpuUsed.user + cpuUsed.system) / 1000;
const simulated = batch.pairs.filter((p) => p.simulated);
const handwritten = batch.pairs.filter((p) => !p.simulated);
const groupOf = (p: ImportedPair) => (p.unsafe ? UNSAFE : p.scenario!);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const sd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};

// ---------- completeness ----------

function itemScoreFromLabel(kind: QueryItemKind, label: string): number {
  if (kind === 'constraint') return Number(label);
  return (kind === 'stance' ? STANCE_SCORE : MISTAKE_SCORE)[label];
}

function assertComplete(p: ImportedPair): void {
  const id = p.externalId;
  const a = p.annotation as PairAnnotation;
  assert.ok(a && a.prerequisites && a.errors, `${id}: annotation, prerequisites and error checks`);
  assert.ok(a.model && a.promptVersion, `${id}: annotation model and prompt version`);
  for (const name of Object.keys(a.ratings)) assert.ok(PROPERTIES.some((q) => q.name === name), `${id}: unknown property ${name}`);
  for (const { name } of RATED_BASIC_PROPERTIES) {
    for (const side of SIDES) {
      const v = a.ratings[name]?.[side];
      assert.ok(Number.isInteger(v) && v >= 0 && v <= 3, `${id}: ${name} ${side} = ${v}`);
    }
  }
  for (const side of SIDES) assert.ok(Number.isInteger(a.ratings.lengthy?.[side]) && a.ratings.lengthy[side] > 0, `${id}: lengthy ${side}`);

  const pre = a.prerequisites!;
  const lists: [QueryItemKind, string[], string][] = [
    ['constraint', pre.constraints, 'satisfy constraints'], ['stance', pre.stances, 'support stances'], ['mistake', pre.mistakes, 'correct mistakes'],
  ];
  assert.equal(a.items.length, lists.reduce((n, [, texts]) => n + texts.length, 0), `${id}: one round-two item per listed text`);
  for (const [kind, texts, property] of lists) {
    for (const text of texts) {
      const matching = a.items.filter((i) => i.kind === kind && i.text === text);
      assert.equal(matching.length, 1, `${id}: one ${kind} item for "${text}"`);
      for (const side of SIDES) assert.equal(matching[0].scores[side], itemScoreFromLabel(kind, matching[0].labels[side]), `${id}: Appendix F score of "${text}"`);
    }
    assert.equal(property in a.ratings, texts.length > 0, `${id}: ${property} rated exactly when the query has ${kind}s`);
    if (texts.length > 0) {
      for (const side of SIDES) {
        const expected = mean(a.items.filter((i) => i.kind === kind).map((i) => i.scores[side]));
        assert.ok(Math.abs(a.ratings[property][side] - expected) < 1e-12, `${id}: ${property} ${side} is the mean of its items`);
      }
    }
  }
  assert.equal('clarify intent' in a.ratings, !pre.clearIntent, `${id}: clarify intent rated exactly when the intent is unclear`);
  assert.equal('show empathetic' in a.ratings, pre.expressFeelings, `${id}: show empathetic rated exactly when feelings are expressed`);
  for (const name of ['clarify intent', 'show empathetic']) {
    if (name in a.ratings) for (const side of SIDES) assert.ok([0, 1, 2, 3].includes(a.ratings[name][side]), `${id}: ${name} ${side}`);
  }

  for (const side of SIDES) {
    const check: ErrorCheck = a.errors![side];
    assert.equal(typeof check.applicable, 'boolean', `${id}: error check ${side}`);
    if (!check.applicable) assert.equal(check.errors.length, 0, `${id}: a not-applicable response lists no errors`);
    for (const e of check.errors) {
      assert.ok(e.description.length > 0 && ERROR_TYPES.includes(e.type) && ['minor', 'moderate', 'severe'].includes(e.severity), `${id}: error ${JSON.stringify(e)}`);
    }
  }

  const judges = p.labels.map((l) => l.judge);
  assert.equal(new Set(judges).size, judges.length, `${id}: one label per judge`);
  for (const l of p.labels) {
    assert.ok(l.preferred === 'A' || l.preferred === 'B', `${id}: ${l.judge} prefers A or B`);
    if (l.judge === 'human') assert.ok(l.kind === 'human' && l.probabilityA === null, `${id}: human label`);
    else assert.ok(l.kind === 'llm' && l.probabilityA! > 0 && l.probabilityA! < 1, `${id}: ${l.judge} gives P(A) in (0, 1)`);
  }
}

/** Markdown only: no HTML tags outside code (where `a < b` and generics are fine). */
function htmlTags(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return prose.match(/<\/?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?\/?>/g) ?? [];
}

test('the default batch builds well inside the start-up budget', () => {
  // The budget is about 1 s. CPU time rather than wall time, so that other processes on a busy machine do not
  // count; twice the budget leaves room for a slow machine and still catches a real regression.
  assert.ok(buildCpuMs < 2000, `built in ${buildCpuMs.toFixed(0)} ms of CPU time`);
});

test('the same seed gives the same batch, and another seed another one', () => {
  assert.deepEqual(buildDemoBatch({ seed: 11, pairsPerGroup: 30 }), buildDemoBatch({ seed: 11, pairsPerGroup: 30 }));
  const other = buildDemoBatch({ seed: 12, pairsPerGroup: 30 });
  assert.notDeepEqual(buildDemoBatch({ seed: 11, pairsPerGroup: 30 }).pairs, other.pairs);
  // Handwritten pairs do not depend on the seed.
  assert.deepEqual(other.pairs.filter((p) => !p.simulated), handwritten);
  assert.deepEqual(buildDemoBatch(), batch);
});

test('a paper-format batch whose judges are in the published weights, with their sizes', () => {
  assert.equal(batch.format, 'paper');
  assert.deepEqual(batch.dropped, []);
  const judges = [...new Set(simulated.flatMap((p) => p.labels.map((l) => l.judge)))];
  assert.ok(judges.includes('human') && judges.includes('gpt-4-1106-preview') && judges.includes('gpt-3.5-turbo-1106'));
  const open = judges.filter((j) => paper.judge_sizes_billion_params[j] != null);
  assert.ok(open.length >= 3, 'at least three open models');
  const sizes = open.map((j) => paper.judge_sizes_billion_params[j]!);
  assert.ok(Math.min(...sizes) <= 7 && Math.max(...sizes) >= 70, `open models span sizes: ${sizes}`);
  for (const j of judges) for (const g of GROUPS) assert.equal(paper.groups[g][j]?.length, 29, `weights for ${j} in ${g}`);
  assert.deepEqual(batch.judgeSizes, Object.fromEntries(open.map((j) => [j, paper.judge_sizes_billion_params[j]])));
  for (const p of simulated) assert.deepEqual(p.labels.map((l) => l.judge).sort(), [...judges].sort(), p.externalId);
  for (const p of handwritten) {
    assert.deepEqual(p.labels.map((l) => l.judge).sort(), ['gpt-4-1106-preview', 'human'], p.externalId);
    const gpt4 = p.labels.find((l) => l.judge === 'gpt-4-1106-preview')!;
    assert.equal(gpt4.probabilityA! > 0.5, gpt4.preferred === 'A', `${p.externalId}: GPT-4's label follows its probability`);
  }
});

test('every pair is complete: texts, models, scenario, labels and a full annotation', () => {
  assert.equal(new Set(batch.pairs.map((p) => p.externalId)).size, batch.pairs.length, 'unique external ids');
  for (const p of batch.pairs) {
    assert.ok(p.query && p.responseA && p.responseB && p.language, p.externalId);
    assert.ok(p.modelA && p.modelB && p.modelA !== p.modelB, `${p.externalId}: two source models`);
    assert.ok((SCENARIOS as readonly string[]).includes(p.scenario ?? ''), `${p.externalId}: scenario ${p.scenario}`);
    for (const text of [p.query, p.responseA, p.responseB]) assert.deepEqual(htmlTags(text), [], `${p.externalId}: HTML in text`);
    assertComplete(p);
  }
  for (const p of simulated) {
    assert.ok(p.query.startsWith('[Simulated]') && p.responseA.startsWith('[Simulated response A') && p.responseB.startsWith('[Simulated response B'), p.externalId);
  }
  for (const p of handwritten) {
    assert.ok(!/\[Simulated/.test(p.query + p.responseA + p.responseB), p.externalId);
    assert.equal(toScenario(p.fineScenario ?? ''), p.scenario, `${p.externalId}: fine scenario ${p.fineScenario} is one of Table 8's for ${p.scenario}`);
  }
});

test('handwritten pairs: all scenarios, unsafe queries, every kind of annotation, counted lengths', () => {
  assert.ok(handwritten.length >= 28 && handwritten.length <= 36, `${handwritten.length} handwritten pairs`);
  for (const s of SCENARIOS) assert.ok(handwritten.some((p) => p.scenario === s && !p.unsafe), `a safe ${s} pair`);
  assert.ok(handwritten.filter((p) => p.unsafe).length >= 2, 'two unsafe queries');
  const ann = handwritten.map((p) => p.annotation!);
  assert.ok(ann.some((a) => !a.prerequisites!.clearIntent), 'unclear intent');
  assert.ok(ann.some((a) => a.prerequisites!.expressFeelings), 'feelings');
  assert.ok(ann.some((a) => a.prerequisites!.constraints.length > 0), 'constraints');
  assert.ok(ann.some((a) => a.prerequisites!.stances.length > 0), 'stances');
  assert.ok(ann.some((a) => a.prerequisites!.mistakes.length > 0), 'mistakes');
  assert.ok(ann.some((a) => !a.errors!.A.applicable || !a.errors!.B.applicable), 'a not-applicable error check');
  for (const severity of ['minor', 'moderate', 'severe']) {
    assert.ok(ann.some((a) => [...a.errors!.A.errors, ...a.errors!.B.errors].some((e) => e.severity === severity)), severity);
  }
  const texts = handwritten.map((p) => `${p.responseA}\n${p.responseB}`);
  assert.ok(texts.some((t) => /```\w*\n/.test(t)), 'a code block');
  assert.ok(texts.some((t) => /^\|.*\|\n\|[-| :]+\|$/m.test(t)), 'a table');
  assert.ok(texts.some((t) => /^(\d+\.|-) /m.test(t)), 'a list');
  assert.ok(handwritten.some((p) => p.labels.find((l) => l.judge === 'human')!.preferred !== p.labels.find((l) => l.judge !== 'human')!.preferred),
    'human and GPT-4 disagree somewhere');
  for (const p of handwritten) {
    assert.deepEqual(p.annotation!.ratings.lengthy, { A: wordCount(p.responseA), B: wordCount(p.responseB) }, `${p.externalId}: lengthy is the word count`);
  }
});

test("the Table 11 pair carries the paper's annotations and the comparison features they imply", () => {
  const p = batch.pairs.find((x) => x.externalId === 'paper-table-11');
  assert.ok(p, 'Table 11 pair present');
  assert.equal(p.query, 'give me an itinerary for a day in paris on june 11th saturday from 12pm to 10pm. no museums or other things that take too long. include lunch and dinner (vegan options preferred)');
  assert.equal(p.scenario, 'Daily Tasks');
  assert.equal(p.labels.find((l) => l.judge === 'human')!.preferred, 'A', 'preferred by the user');
  const a = p.annotation!;
  const basic: Record<string, [number, number]> = {
    harmless: [3, 3], 'grammarly correct': [3, 2], friendly: [2, 2], polite: [3, 3], interactive: [0, 0], authoritative: [2, 2],
    funny: [0, 0], 'use rhetorical devices': [0, 0], 'complex word & sentence': [1, 1], 'use supporting materials': [0, 0],
    'well formatted': [2, 2], 'admit limits': [0, 0], persuasive: [0, 0], 'step-by-step': [0, 0], 'use informal expressions': [0, 0],
    'non-repetitive': [3, 2], clear: [3, 2], relevant: [3, 1], novel: [1, 1], 'contain rich info': [2, 3],
    // The paper's NLTK word counts, which the app's counter reproduces on the texts as printed.
    lengthy: [102, 346],
  };
  for (const [name, [A, B]] of Object.entries(basic)) assert.deepEqual(a.ratings[name], { A, B }, name);
  assert.equal(a.prerequisites!.clearIntent, true);
  assert.equal(a.prerequisites!.expressFeelings, false);
  assert.deepEqual(a.prerequisites!.mistakes, []);
  assert.deepEqual(a.items.filter((i) => i.kind === 'constraint').map((i) => [i.scores.A, i.scores.B]), [[3, 3], [3, 2], [3, 1], [3, 3], [3, 2]]);
  const stances = a.items.filter((i) => i.kind === 'stance');
  assert.equal(stances.length, 2);
  assert.deepEqual(stances.map((s) => s.labels.A), ['Strongly supported', 'Strongly supported']);
  assert.equal(stances[1].labels.B, 'Weakly supported');
  const count = (side: Side, severity: string) => a.errors![side].errors.filter((e) => e.severity === severity).length;
  assert.deepEqual([count('A', 'minor'), count('A', 'moderate'), count('A', 'severe')], [0, 1, 0]);
  assert.deepEqual([count('B', 'minor'), count('B', 'moderate'), count('B', 'severe')], [1, 4, 1]);
  assert.ok(a.errors!.A.applicable && a.errors!.B.applicable);

  // Appendix H applied to the printed ratings by hand: relevant 3 vs 1 does not count (neither is 0); 102 words
  // is under 70% of 346; constraints 3 vs 2.2; stances 3 vs at most 2.625 whatever B's first label is.
  const expected: Record<string, number> = {
    'grammarly correct': 1, 'non-repetitive': 1, clear: 1, 'contain rich info': -1, lengthy: -1,
    'no minor errors': 1, 'no moderate errors': 1, 'no severe errors': 1, 'satisfy constraints': 1, 'support stances': 1,
  };
  assert.deepEqual(Array.from(comparisonFeatures(a)), PROPERTIES.map((q) => expected[q.name] ?? 0));
});

test('each group has the configured number of simulated pairs', () => {
  for (const [pairs, perGroup] of [[simulated, 400], [buildDemoBatch({ pairsPerGroup: 25 }).pairs, 25], [buildDemoBatch({ pairsPerGroup: 0 }).pairs, 0]] as const) {
    const sim = pairs.filter((p) => p.simulated);
    assert.equal(sim.length, GROUPS.length * perGroup);
    for (const g of GROUPS) assert.equal(sim.filter((p) => groupOf(p) === g).length, perGroup, `${g} with ${perGroup} per group`);
  }
  assert.throws(() => buildDemoBatch({ pairsPerGroup: -1 }), RangeError);
  assert.throws(() => buildDemoBatch({ seed: 0.5 }), RangeError);
});

// Tolerance for the statistics below: 4 standard errors of the simulated mean (a correct simulation misses by
// more with probability about 6e-5 per check), plus half a unit of the last digit Table 9 prints, since its
// means are rounded. With 400 pairs per group a wrong target of even 0.05 on a 0-3 scale fails most checks.
const within = (value: number, target: number, se: number, rounding: number) => Math.abs(value - target) <= 4 * se + rounding;

test('simulated ratings, error counts and lengths match Table 9', () => {
  // Pairs are independent draws, so a pair's mean over its two responses is the sampling unit.
  const check = (name: string, perPair: number[], target: number, rounding = 0.005) => {
    const m = mean(perPair);
    const se = sd(perPair) / Math.sqrt(perPair.length);
    assert.ok(within(m, target, se, rounding), `${name}: ${m.toFixed(3)} vs ${target} (se ${se.toFixed(4)}, n ${perPair.length})`);
  };
  for (const [name, target] of Object.entries(TABLE9)) {
    // Query-specific means are over the pairs that meet the prerequisite (Table 9's note).
    const rated = simulated.filter((p) => name in p.annotation!.ratings);
    assert.ok(rated.length >= 80, `${name}: ${rated.length} rated pairs`);
    check(name, rated.map((p) => (p.annotation!.ratings[name].A + p.annotation!.ratings[name].B) / 2), target);
  }
  check('lengthy', simulated.map((p) => (p.annotation!.ratings.lengthy.A + p.annotation!.ratings.lengthy.B) / 2), TABLE9_LENGTH, 0.5);
  for (const [severity, target] of Object.entries(TABLE9_ERRORS)) {
    // Counts of applicable responses only; using the pair count as n is conservative, the two answers being correlated.
    const counts = simulated.flatMap((p) => SIDES.filter((s) => p.annotation!.errors![s].applicable)
      .map((s) => p.annotation!.errors![s].errors.filter((e) => e.severity === severity).length));
    const m = mean(counts);
    const se = sd(counts) / Math.sqrt(simulated.length);
    assert.ok(within(m, target, se, 0.005), `${severity} errors: ${m.toFixed(3)} vs ${target}`);
  }
  const notApplicable = simulated.filter((p) => !p.annotation!.errors!.A.applicable || !p.annotation!.errors!.B.applicable).length / simulated.length;
  assert.ok(notApplicable > 0.01 && notApplicable < 0.15, `a small share of not-applicable error checks: ${notApplicable}`);
});

test('query-specific prerequisites occur at the rates of Table 2', () => {
  const table2: [string, number, (a: PairAnnotation) => boolean][] = [
    ['with explicit constraints', 1418, (a) => a.prerequisites!.constraints.length > 0],
    ['unclear intent', 459, (a) => !a.prerequisites!.clearIntent],
    ['show subjective stances', 388, (a) => a.prerequisites!.stances.length > 0],
    ['express feelings', 121, (a) => a.prerequisites!.expressFeelings],
    ['contain mistakes or bias', 401, (a) => a.prerequisites!.mistakes.length > 0],
  ];
  const n = simulated.length;
  for (const [name, count, holds] of table2) {
    const rate = count / 5240;
    const seen = simulated.filter((p) => holds(p.annotation!)).length;
    assert.ok(Math.abs(seen - n * rate) <= 4 * Math.sqrt(n * rate * (1 - rate)), `${name}: ${seen} of ${n}, expected ${(n * rate).toFixed(0)}`);
  }
});

test('lengthy differs in a realistic share of pairs', () => {
  // The paper does not publish this share; the band only rules out lengths that (almost) never or always differ.
  const at = PROPERTIES.findIndex((p) => p.name === 'lengthy');
  const share = simulated.filter((p) => comparisonFeatures(p.annotation!)[at] !== 0).length / simulated.length;
  assert.ok(share > 0.4 && share < 0.8, `lengthy differs in ${(share * 100).toFixed(0)}% of pairs`);
});

// ---------- labels against the published weights ----------

const phis = simulated.map((p) => comparisonFeatures(p.annotation!));
const simJudges = [...new Set(simulated.flatMap((p) => p.labels.map((l) => l.judge)))];
const predicted = (judge: string, weightsOf: string = judge) => simulated.map((p, k) => {
  const alpha = paper.groups[groupOf(p)][weightsOf];
  const eta = alpha.reduce((s, w, i) => s + w * phis[k][i], 0);
  return 1 / (1 + Math.exp(-eta));
});
const chosenA = (judge: string) => simulated.map((p) => (p.labels.find((l) => l.judge === judge)!.preferred === 'A' ? 1 : 0));

test('labels agree with P(A | phi) under the judge\'s published weights, within sampling error', () => {
  for (const judge of simJudges) {
    const p = predicted(judge);
    const y = chosenA(judge);
    if (judge !== 'human') {
      simulated.forEach((pair, k) => assert.ok(Math.abs(pair.labels.find((l) => l.judge === judge)!.probabilityA! - p[k]) < 1e-12, `${judge}: probabilityA of ${pair.externalId}`));
    }
    // Calibration: within bins of predicted P(A), the share of A labels matches the mean prediction.
    for (const [lo, hi] of [[0, 0.3], [0.3, 0.5], [0.5, 0.7], [0.7, 1]]) {
      const inBin = p.map((_, k) => k).filter((k) => p[k] >= lo && p[k] < hi);
      if (inBin.length < 50) continue;
      const residual = inBin.reduce((s, k) => s + y[k] - p[k], 0);
      const se = Math.sqrt(inBin.reduce((s, k) => s + p[k] * (1 - p[k]), 0));
      assert.ok(Math.abs(residual) <= 4 * se, `${judge}, P(A) in [${lo}, ${hi}): ${residual.toFixed(1)} more A labels than predicted (se ${se.toFixed(1)})`);
    }
    // Score test: at the true weights, sum (y - p) phi_i has mean 0 and variance sum p(1 - p) phi_i^2 for every
    // property; labels drawn from other weights push it away on the properties where the weights differ.
    for (let i = 0; i < paper.properties.length; i++) {
      let score = 0;
      let variance = 0;
      phis.forEach((phi, k) => {
        score += (y[k] - p[k]) * phi[i];
        variance += p[k] * (1 - p[k]) * phi[i] * phi[i];
      });
      if (variance < 10) continue; // too few pairs where the property differs for a normal approximation
      assert.ok(Math.abs(score) <= 4.5 * Math.sqrt(variance), `${judge}, ${paper.properties[i]}: z = ${(score / Math.sqrt(variance)).toFixed(2)}`);
    }
  }
});

test('labels are likelier under their own judge\'s weights than under a clearly different judge\'s, or a coin', () => {
  const logLikelihood = (y: number[], p: number[]) => mean(y.map((v, k) => Math.log(v ? p[k] : 1 - p[k])));
  const distance = (a: string, b: string) => GROUPS.reduce((s, g) => s + paper.groups[g][a].reduce((t, w, i) => t + (w - paper.groups[g][b][i]) ** 2, 0), 0);
  for (const judge of simJudges) {
    const y = chosenA(judge);
    const own = logLikelihood(y, predicted(judge));
    const other = simJudges.filter((j) => j !== judge).reduce((best, j) => (distance(judge, j) > distance(judge, best) ? j : best), simJudges.find((j) => j !== judge)!);
    const theirs = logLikelihood(y, predicted(judge, other));
    assert.ok(own > theirs, `${judge}: mean log-likelihood ${own.toFixed(4)} under its weights, ${theirs.toFixed(4)} under ${other}'s`);
    assert.ok(own > Math.log(0.5) + 0.02, `${judge}: labels carry signal (${own.toFixed(4)} vs a coin's ${Math.log(0.5).toFixed(4)})`);
  }
});
