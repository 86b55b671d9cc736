// The paper's full refit workload on simulated data: every judge x group at the paper's group
// sizes, 10-fold averaging, 4 chains x (500 + 1500) each, through the worker pool.
//   npx tsx scripts/bench-refit.ts            # 33 judges x 16 groups x 10 folds (~26 min on 2 cores)
//   npx tsx scripts/bench-refit.ts --quick    # 2 judges x 3 groups x 10 folds
// Options: --judges a,b  --groups a,b  --folds 10  --chains 4 --warmup 500 --draws 1500
//          --workers <n> (default os.availableParallelism())  --concurrency 2 (cross-fits in flight)
// Labels are simulated from the published weights, so the report also gives the recovery
// (Pearson correlation and top-3 overlap with the weights the data came from).
// Reports wall time, CPU time, peak RSS (process incl. worker threads), max R-hat, divergences.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { crossFit } from '../native-workers/fit';
import { SamplerPool } from '../native-workers/pool';
import { groupNonzeroRates, pearson, simulateComparisons, topThree } from '../native-workers/simulate';
import { defaultWorkerUrl } from '../native-workers/worker-path';

const args = process.argv.slice(2);
function arg(name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const quick = args.includes('--quick');
const root = resolve(import.meta.dirname ?? '.', '..');
const paper = JSON.parse(readFileSync(join(root, 'resources/paper-effect-strengths.json'), 'utf8')) as {
  properties: string[];
  group_sizes: Record<string, number>;
  groups: Record<string, Record<string, number[]>>;
};
const allGroups = Object.keys(paper.group_sizes);
const allJudges = Object.keys(paper.groups[allGroups[0]]);
const groups = arg('groups', quick ? 'express_feeling,Advice,w_constraints' : allGroups.join(',')).split(',');
const judges = arg('judges', quick ? 'human,gpt-4-1106-preview' : allJudges.join(',')).split(',');
const folds = Number(arg('folds', '10'));
const chains = Number(arg('chains', '4'));
const warmup = Number(arg('warmup', '500'));
const draws = Number(arg('draws', '1500'));
const workers = Number(arg('workers', String(availableParallelism())));
const concurrency = Number(arg('concurrency', '2'));
const K = paper.properties.length;


interface Row {
  group: string;
  judge: string;
  n: number;
  seconds: number;
  accuracy: number;
  maxRhat: number;
  divergences: number;
  pearson: number;
  pearsonObserved: number;
  top3Overlap: number;
}

async function main(): Promise<void> {
  const jobs: { group: string; judge: string }[] = [];
  for (const group of groups) for (const judge of judges) {
    if (!paper.groups[group]?.[judge]) throw new Error(`no published weights for ${group} / ${judge}`);
    jobs.push({ group, judge });
  }
  console.log(`${jobs.length} cross-fits (${judges.length} judges x ${groups.length} groups) x ${folds} folds x ${chains} chains x (${warmup} + ${draws}), ${workers} workers, ${concurrency} cross-fits in flight`);
  const pool = new SamplerPool({ workerUrl: defaultWorkerUrl(), size: workers });
  const rows: Row[] = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let next = 0;
  const runOne = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++];
      const truth = paper.groups[job.group][job.judge];
      const rates = groupNonzeroRates(job.group);
      const n = paper.group_sizes[job.group];
      const { X, y } = simulateComparisons(n, rates, truth, 4242 + next);
      const t = performance.now();
      const r = await crossFit({ X, y, K, pool, folds, chains, warmup, draws, seed: 1 + next });
      const all = Array.from({ length: K }, (_, k) => k);
      const observed = all.filter((k) => rates[k] > 0);
      const t3 = topThree(truth, observed);
      const row: Row = {
        ...job,
        n,
        seconds: (performance.now() - t) / 1000,
        accuracy: r.accuracy,
        maxRhat: r.maxRhat,
        divergences: r.divergences,
        pearson: pearson(truth, r.alpha, all),
        pearsonObserved: pearson(truth, r.alpha, observed),
        top3Overlap: topThree(r.alpha, observed).filter((k) => t3.includes(k)).length,
      };
      rows.push(row);
      console.log(
        `[${rows.length}/${jobs.length}] ${job.group} / ${job.judge} (n=${n}): ${row.seconds.toFixed(1)} s, held-out acc ${row.accuracy.toFixed(3)}, ` +
          `max R-hat ${row.maxRhat.toFixed(4)}, divergences ${row.divergences}, Pearson ${row.pearson.toFixed(3)} (observed properties ${row.pearsonObserved.toFixed(3)}), top-3 overlap ${row.top3Overlap}/3`,
      );
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, runOne));
  } finally {
    await pool.close();
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const maxRhat = Math.max(...rows.map((r) => r.maxRhat));
  const summary = {
    crossFits: rows.length,
    fits: rows.length * folds,
    wallSeconds: wall,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb,
    maxRhat,
    divergences: rows.reduce((s, r) => s + r.divergences, 0),
    flagged: rows.filter((r) => !(r.maxRhat <= 1.01) || r.divergences > 0).length,
    meanPearson: rows.reduce((s, r) => s + r.pearson, 0) / rows.length,
    minPearson: Math.min(...rows.map((r) => r.pearson)),
  };
  console.log(
    `\nwall ${wall.toFixed(1)} s, CPU ${summary.cpuSeconds.toFixed(1)} s, peak RSS ${peakRssMb.toFixed(0)} MB, max R-hat ${maxRhat.toFixed(4)}, ` +
      `divergences ${summary.divergences}, flagged cross-fits ${summary.flagged}, Pearson mean ${summary.meanPearson.toFixed(3)} (min ${summary.minPearson.toFixed(3)})`,
  );
  const outDir = join(root, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `bench-refit-${quick ? 'quick-' : ''}${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ settings: { groups, judges, folds, chains, warmup, draws, workers, concurrency }, summary, rows }, null, 1));
  console.log(`details: ${file}`);
}

await main();
