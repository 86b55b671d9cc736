import { runChain, drawStride } from './nuts';
import { LogisticModel, prepareLogisticData } from './model';
import { LogisticModelWasm } from './model-wasm';
import { groupNonzeroRates, simulateComparisons } from './simulate';
import { readFileSync } from 'node:fs';
const paper = JSON.parse(readFileSync('/work/main/resources/paper-effect-strengths.json', 'utf8'));
const n = Number(process.argv[2] ?? 1000);
const { X, y } = simulateComparisons(n, groupNonzeroRates('Knowledge-aware'), paper.groups['Knowledge-aware']['human'], 1000);
const data = prepareLogisticData(X, y, 29);
const js = new LogisticModel(data, 0.1), wasm = new LogisticModelWasm(data, 0.1);
for (let rep = 0; rep < 2; rep++) for (const [name, t] of [['js', js], ['wasm', wasm]] as const) {
  const out = new Float64Array(1500 * drawStride(29));
  const c0 = process.cpuUsage(); const t0 = performance.now();
  const r = runChain(t, { warmup: 500, draws: 1500, seed: 1000, chain: 0 }, out);
  const el = performance.now() - t0; const cpu = process.cpuUsage(c0);
  console.log(n, name, 'wall', el.toFixed(0), 'cpu', ((cpu.user + cpu.system) / 1000).toFixed(0), 'ms', r.gradientEvaluations, 'grads', ((cpu.user + cpu.system) / r.gradientEvaluations).toFixed(1), 'us/grad (cpu)');
}
