// npm run bench:dsl — the DSL correction on simulated checks (native-workers/dsl-simulation.ts: Knowledge-aware at
// the paper's size, human weights, an annotator with systematic errors). Prints (1) the coverage of the naive and
// corrected 95% intervals per property over seeded replications with 200 pairs checked at random, and (2) the
// mean corrected interval width with random drawing and with the checking design for several budgets, and the
// number of randomly drawn checks the design's width at 200 corresponds to (linear interpolation).
// Usage: tsx scripts/bench-dsl.ts [coverage replications = 1000] [width replications = 60]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { meanCorrectedWidth, paperCheckScenario, pilotErrorTable, simulateCheck, type PaperWeights } from '../native-workers/dsl-simulation';

const root = join(import.meta.dirname ?? '.', '..');
const paper = JSON.parse(readFileSync(join(root, 'resources/paper-effect-strengths.json'), 'utf8')) as PaperWeights;
const scenario = paperCheckScenario(paper);
const COVERAGE_REPS = Number(process.argv[2] ?? 1000);
const WIDTH_REPS = Number(process.argv[3] ?? 60);
const K = paper.properties.length;

const covered = { naive: new Float64Array(K), corrected: new Float64Array(K) };
let estimable: Uint8Array | undefined;
for (let r = 0; r < COVERAGE_REPS; r++) {
  const { fit, truth } = simulateCheck(scenario, 200, 100_000 + r);
  estimable ??= fit.corrected.estimable;
  for (let k = 0; k < K; k++) {
    if (fit.naive.low[k] <= truth[k] && truth[k] <= fit.naive.high[k]) covered.naive[k]++;
    if (fit.corrected.low[k] <= truth[k] && truth[k] <= fit.corrected.high[k]) covered.corrected[k]++;
  }
}
const se = Math.sqrt((0.95 * 0.05) / COVERAGE_REPS);
console.log(`Coverage of 95% intervals, ${COVERAGE_REPS} replications, ${scenario.pairs} pairs, 200 checked at random (binomial SE ${se.toFixed(4)})`);
console.log('| property | naive | corrected |\n|---|---|---|');
let mean = 0, used = 0;
for (let k = 0; k < K; k++) {
  if (!estimable![k]) continue;
  used++;
  mean += covered.corrected[k] / COVERAGE_REPS;
  console.log(`| ${paper.properties[k]} | ${(covered.naive[k] / COVERAGE_REPS).toFixed(3)} | ${(covered.corrected[k] / COVERAGE_REPS).toFixed(3)} |`);
}
console.log(`mean corrected coverage ${(mean / used).toFixed(4)}\n`);

const table = pilotErrorTable(scenario, 200, 99);
const budgets = [150, 200, 250, 300];
const random = budgets.map((b) => meanCorrectedWidth(scenario, b, WIDTH_REPS, 5000));
const design = budgets.map((b) => meanCorrectedWidth(scenario, b, WIDTH_REPS, 5000, table));
console.log(`Mean corrected 95% interval width (log-odds), ${WIDTH_REPS} replications each`);
console.log('| checks | random | design |\n|---|---|---|');
budgets.forEach((b, i) => console.log(`| ${b} | ${random[i].toFixed(4)} | ${design[i].toFixed(4)} |`));
const target = design[budgets.indexOf(200)];
let equivalent = NaN;
for (let i = 0; i + 1 < budgets.length; i++) {
  if (random[i] >= target && target >= random[i + 1]) {
    equivalent = budgets[i] + ((budgets[i + 1] - budgets[i]) * (random[i] - target)) / (random[i] - random[i + 1]);
  }
}
console.log(`The design with 200 checks is as narrow as random drawing with ${equivalent.toFixed(0)} (${((1 - 200 / equivalent) * 100).toFixed(0)}% fewer checks).`);
