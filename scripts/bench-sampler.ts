// Side-by-side benchmark of our NUTS against rstan's bernoulli_logit_glm on the same data.
//   npx tsx scripts/bench-sampler.ts [--sizes 400,1000,1500] [--seeds 1] [--workers 2]
//                                    [--kernel auto|js|wasm-simd] [--integrators split,leapfrog] [--no-stan]
// For each n: simulate one dataset (paper-like feature rates, the paper's human weights for
// Knowledge-aware as truth), fit it with ours (4 chains x (500 + 1500) in a worker pool) with
// each integrator -- 'split' (the default: the Laplace prior moved exactly) and 'leapfrog'
// (Stan's algorithm step for step) -- and, when `library(rstan)` loads, with Stan (same chains,
// warmup, draws). Reports posterior means as z-scores against Stan, min bulk/tail ESS per
// CPU-second, gradients per ESS and the ratios.
// Stan's draws are read back and summarised with our diagnostics, so both sides are measured
// with the same ESS code (checked against posterior 1.4 in native-workers/diagnostics.test.ts).

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { essBulk, essTail, mcseMean, parameterChains, type Chains } from '../native-workers/diagnostics';
import { fitLogistic } from '../native-workers/fit';
import { resolveKernel } from '../native-workers/model-wasm';
import { SamplerPool } from '../native-workers/pool';
import { groupNonzeroRates, simulateComparisons } from '../native-workers/simulate';
import { defaultWorkerUrl } from '../native-workers/worker-path';

const args = process.argv.slice(2);
function arg(name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
const sizes = arg('sizes', '400,1000,1500').split(',').map(Number);
const seeds = Number(arg('seeds', '1'));
const workers = Number(arg('workers', '2'));
const noStan = args.includes('--no-stan');
const kernel = arg('kernel', 'auto') as 'auto' | 'js' | 'wasm-simd';
type Integrator = 'split' | 'leapfrog';
const integrators = arg('integrators', 'split,leapfrog').split(',') as Integrator[];
const CHAINS = 4, WARMUP = 500, DRAWS = 1500, K = 29, B = 0.1;

const root = resolve(import.meta.dirname ?? '.', '..');
const paper = JSON.parse(readFileSync(join(root, 'resources/paper-effect-strengths.json'), 'utf8')) as {
  groups: Record<string, Record<string, number[]>>;
};
const truth = paper.groups['Knowledge-aware']['human'];
const rates = groupNonzeroRates('Knowledge-aware');

const STAN_MODEL = `
data { int<lower=0> N; int<lower=1> K; matrix[N, K] X; int<lower=0, upper=1> y[N]; real<lower=0> b; }
parameters { vector[K] alpha; }
model {
  alpha ~ double_exponential(0, b);
  y ~ bernoulli_logit_glm(X, 0.0, alpha);
}
`;

const STAN_DRIVER = String.raw`
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(rstan))
cache <- args[3]
rds <- file.path(cache, "logistic_glm.rds")
if (file.exists(rds)) sm <- readRDS(rds) else {
  # Debian's r-cran-bh ships no headers: point rstan at the system Boost
  sm <- stan_model(model_code = readLines(args[4]), model_name = "logistic_glm", boost_lib = "/usr/include")
  saveRDS(sm, rds)
}
d <- jsonlite::fromJSON(args[1])
d$X <- matrix(d$X, nrow = d$N, ncol = d$K, byrow = TRUE)
fit <- sampling(sm, data = d, chains = as.integer(d$chains), iter = as.integer(d$warmup + d$draws),
                warmup = as.integer(d$warmup), seed = as.integer(d$seed), cores = as.integer(d$cores), refresh = 0)
a <- extract(fit, pars = "alpha", permuted = FALSE)  # iterations x chains x K
sp <- get_sampler_params(fit, inc_warmup = TRUE)
el <- get_elapsed_time(fit)
out <- list(
  alpha = lapply(seq_len(dim(a)[2]), function(c) as.vector(t(a[, c, ]))),  # draw-major per chain
  elapsed = as.vector(el[, "warmup"] + el[, "sample"]),
  leapfrogs = sapply(sp, function(s) sum(s[, "n_leapfrog__"])),
  divergent = sapply(sp, function(s) sum(s[(d$warmup + 1):nrow(s), "divergent__"])),
  stepsize = sapply(sp, function(s) s[nrow(s), "stepsize__"]),
  meanLeapfrog = sapply(sp, function(s) mean(s[(d$warmup + 1):nrow(s), "n_leapfrog__"]))
)
writeLines(jsonlite::toJSON(out, digits = NA, auto_unbox = TRUE), args[2])
`;

function stanAvailable(): boolean {
  if (noStan) return false;
  const r = spawnSync('Rscript', ['-e', 'suppressMessages(library(rstan)); cat("ok")'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('ok');
}

interface Side {
  means: number[];
  mcse: number[];
  minBulk: number;
  minTail: number;
  cpuSec: number;
  wallSec: number;
  gradients: number;
  divergences: number;
  stepSize: number;
  meanLeapfrog: number;
}

function sideFromChains(chainsByParam: Chains[], cpuSec: number, wallSec: number, gradients: number, divergences: number, stepSize: number, meanLeapfrog: number): Side {
  return {
    means: chainsByParam.map((ch) => ch.reduce((s, c) => s + c.reduce((a, b) => a + b, 0), 0) / (ch.length * ch[0].length)),
    mcse: chainsByParam.map(mcseMean),
    minBulk: Math.min(...chainsByParam.map(essBulk)),
    minTail: Math.min(...chainsByParam.map((c) => essTail(c))),
    cpuSec,
    wallSec,
    gradients,
    divergences,
    stepSize,
    meanLeapfrog,
  };
}

async function runOurs(pool: SamplerPool, X: Int8Array, y: Uint8Array, seed: number, integrator: Integrator): Promise<Side> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const fit = await fitLogistic({ X, y, K, priorScale: B, chains: CHAINS, warmup: WARMUP, draws: DRAWS, seed, pool, kernel, nuts: { integrator } });
  const wallSec = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const byParam = Array.from({ length: K }, (_, k) => parameterChains(fit.draws, k));
  const gradients = fit.chains.reduce((s, c) => s + c.gradientEvaluations, 0);
  return sideFromChains(byParam, (cpu.user + cpu.system) / 1e6, wallSec, gradients, fit.summary.divergences, fit.summary.stepSize, fit.summary.meanLeapfrog);
}

function runStan(X: Int8Array, y: Uint8Array, seed: number, dir: string, cache: string): Side {
  const dataFile = join(dir, `data-${y.length}-${seed}.json`);
  const outFile = join(dir, `stan-${y.length}-${seed}.json`);
  writeFileSync(dataFile, JSON.stringify({ N: y.length, K, X: Array.from(X), y: Array.from(y), b: B, chains: CHAINS, warmup: WARMUP, draws: DRAWS, seed, cores: workers }));
  writeFileSync(join(dir, 'model.stan'), STAN_MODEL);
  writeFileSync(join(dir, 'driver.R'), STAN_DRIVER);
  const t0 = performance.now();
  const r = spawnSync('Rscript', [join(dir, 'driver.R'), dataFile, outFile, cache, join(dir, 'model.stan')], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  if (r.status !== 0) throw new Error(`rstan failed:\n${r.stderr}`);
  const wallSec = (performance.now() - t0) / 1000;
  const o = JSON.parse(readFileSync(outFile, 'utf8')) as {
    alpha: number[][];
    elapsed: number[];
    leapfrogs: number[];
    divergent: number[];
    stepsize: number[];
    meanLeapfrog: number[];
  };
  const byParam: Chains[] = Array.from({ length: K }, (_, k) => o.alpha.map((flat) => Float64Array.from({ length: DRAWS }, (_, i) => flat[i * K + k])));
  const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
  return sideFromChains(byParam, sum(o.elapsed), wallSec, sum(o.leapfrogs), sum(o.divergent), sum(o.stepsize) / o.stepsize.length, sum(o.meanLeapfrog) / o.meanLeapfrog.length);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const f1 = (v: number) => v.toFixed(1);
const f2 = (v: number) => v.toFixed(2);

async function main(): Promise<void> {
  const haveStan = stanAvailable();
  console.log(`node ${process.versions.node}, kernel ${resolveKernel(kernel)}, ${workers} workers, chains ${CHAINS} x (${WARMUP} + ${DRAWS}), K = ${K}, b = ${B}, seeds per size = ${seeds}`);
  console.log(haveStan ? 'rstan found: running Stan (bernoulli_logit_glm) side by side' : 'Stan was NOT found (Rscript -e "library(rstan)" failed or --no-stan): reporting ours alone');
  const dir = join(tmpdir(), `bench-sampler-${process.pid}`);
  const cache = join(root, 'bench-results', 'stan-cache');
  mkdirSync(dir, { recursive: true });
  if (haveStan) mkdirSync(cache, { recursive: true });
  const pool = new SamplerPool({ workerUrl: defaultWorkerUrl(), size: workers });
  // warm the workers (module loading, JIT) so the first timed fit is not penalised
  {
    const w = simulateComparisons(200, rates, truth, 1);
    await fitLogistic({ X: w.X, y: w.y, K, chains: workers, warmup: 100, draws: 100, pool, kernel });
  }
  const rows: string[] = [];
  try {
    for (const n of sizes) {
      const per: { ours: Record<string, Side>; stan?: Side }[] = [];
      for (let s = 0; s < seeds; s++) {
        const seed = 1000 + s;
        const { X, y } = simulateComparisons(n, rates, truth, seed);
        const ours: Record<string, Side> = {};
        for (const integrator of integrators) ours[integrator] = await runOurs(pool, X, y, seed, integrator);
        const stan = haveStan ? runStan(X, y, seed, dir, cache) : undefined;
        per.push({ ours, stan });
        const line = [`n=${n} seed=${seed}`];
        const describe = (who: string, side: Side, extra = '') =>
          `${who}: wall ${f2(side.wallSec)} s${extra}, cpu ${f2(side.cpuSec)} s, min bulk-ESS ${f1(side.minBulk)}, tail-ESS ${f1(side.minTail)}, step ${side.stepSize.toFixed(3)}, leapfrog/iter ${f1(side.meanLeapfrog)}, divergences ${side.divergences}`;
        for (const integrator of integrators) line.push(describe(`ours (${integrator})`, ours[integrator]));
        if (stan) {
          line.push(describe('stan', stan, ' (incl. R start)'));
          for (const integrator of integrators) {
            const o = ours[integrator];
            const z = o.means.map((m, k) => (m - stan.means[k]) / Math.sqrt(o.mcse[k] ** 2 + stan.mcse[k] ** 2));
            const maxZ = Math.max(...z.map(Math.abs));
            const meanZ2 = z.reduce((a, v) => a + v * v, 0) / z.length;
            line.push(`means, ours (${integrator}) vs Stan: max |z| = ${f2(maxZ)} over ${K} (pass < 3), mean z^2 = ${f2(meanZ2)}; z = ${z.map((v) => v.toFixed(1)).join(' ')}`);
          }
        }
        console.log(line.join('\n  '));
      }
      const med = (f: (s: Side) => number, pick: (p: (typeof per)[number]) => Side) => median(per.map((p) => f(pick(p))));
      const bulkPerCpu = (s: Side) => s.minBulk / s.cpuSec;
      const tailPerCpu = (s: Side) => s.minTail / s.cpuSec;
      const gradPerEss = (s: Side) => s.gradients / s.minBulk;
      // CPU per gradient including tree bookkeeping (ours: whole process; Stan: per-chain elapsed)
      const usPerGrad = (s: Side) => (s.cpuSec / s.gradients) * 1e6;
      const stanSide = (p: (typeof per)[number]) => p.stan!;
      let row = `n=${n}:`;
      for (const integrator of integrators) {
        const mine = (p: (typeof per)[number]) => p.ours[integrator];
        row += `\n      ours (${integrator}) bulk-ESS/CPU-s ${f1(med(bulkPerCpu, mine))}, tail-ESS/CPU-s ${f1(med(tailPerCpu, mine))}, grads/bulk-ESS ${f1(med(gradPerEss, mine))}, µs CPU/gradient ${f1(med(usPerGrad, mine))}, wall ${f2(med((s) => s.wallSec, mine))} s, bulk-ESS/wall-s ${f1(med((s) => s.minBulk / s.wallSec, mine))}`;
        if (haveStan) {
          row += `\n        ratio ours (${integrator})/stan: bulk-ESS per CPU-s ${f2(med(bulkPerCpu, mine) / med(bulkPerCpu, stanSide))}, tail-ESS per CPU-s ${f2(med(tailPerCpu, mine) / med(tailPerCpu, stanSide))}, gradients per ESS ${f2(med(gradPerEss, mine) / med(gradPerEss, stanSide))}`;
        }
      }
      if (haveStan) row += `\n      stan bulk-ESS/CPU-s ${f1(med(bulkPerCpu, stanSide))}, tail-ESS/CPU-s ${f1(med(tailPerCpu, stanSide))}, grads/bulk-ESS ${f1(med(gradPerEss, stanSide))}, µs CPU/gradient ${f1(med(usPerGrad, stanSide))}`;
      rows.push(row);
    }
  } finally {
    await pool.close();
  }
  console.log(`\nsummary (median over ${seeds} seed(s); CPU-seconds include warmup; ours = process CPU incl. workers, Stan = sum of per-chain elapsed)`);
  for (const r of rows) console.log(r);
}

await main();
