import { readFileSync } from 'node:fs';
import { crossFit } from './fit';
import { SamplerPool } from './pool';
import { defaultWorkerUrl } from './worker-path';
import { groupNonzeroRates, simulateComparisons } from './simulate';
const paper = JSON.parse(readFileSync('/work/main/resources/paper-effect-strengths.json', 'utf8'));
const pool = new SamplerPool({ workerUrl: defaultWorkerUrl(), size: 2 });
const groups = process.argv[2].split(',');
const folds = Number(process.argv[3] ?? 10), chains = Number(process.argv[4] ?? 4), warmup = Number(process.argv[5] ?? 500), draws = Number(process.argv[6] ?? 1500);
function pearson(a: ArrayLike<number>, b: ArrayLike<number>, idx: number[]) { const n=idx.length; let ma=0,mb=0; for(const i of idx){ma+=a[i];mb+=b[i];} ma/=n; mb/=n; let sab=0,saa=0,sbb=0; for(const i of idx){sab+=(a[i]-ma)*(b[i]-mb); saa+=(a[i]-ma)**2; sbb+=(b[i]-mb)**2;} return sab/Math.sqrt(saa*sbb); }
const top3 = (a: ArrayLike<number>, idx: number[]) => [...idx].sort((i,j)=>a[j]-a[i]).slice(0,3);
for (const g of groups) for (const judge of ['human','gpt-4-1106-preview']) {
  const truth: number[] = paper.groups[g][judge]; const n = paper.group_sizes[g];
  const rates = groupNonzeroRates(g);
  const { X, y } = simulateComparisons(n, rates, truth, 12345);
  const t0 = performance.now();
  const r = await crossFit({ X, y, K: 29, pool, folds, chains, warmup, draws, seed: 7 });
  const all = Array.from({length:29},(_,k)=>k); const ident = all.filter(k=>rates[k]>0);
  const t3t = top3(truth, ident), t3e = top3(r.alpha, ident);
  const overlap = t3t.filter(k=>t3e.includes(k)).length;
  console.log(JSON.stringify({ g, judge, n, pearsonAll: +pearson(truth, r.alpha, all).toFixed(3), pearsonIdent: +pearson(truth, r.alpha, ident).toFixed(3), top3Overlap: overlap, acc: +r.accuracy.toFixed(3), maxRhat: +r.maxRhat.toFixed(3), div: r.divergences, sec: +((performance.now()-t0)/1000).toFixed(1) }));
}
await pool.close();
