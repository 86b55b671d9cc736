// Runs the test files of one tier with Node's own test runner (TypeScript through tsx).
// Node 20's --test takes no globs, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const tiers = {
  unit: { dirs: ['main', 'native-workers', 'preload', 'renderer/src', 'scripts'], suffix: '.test.ts' },
  e2e: { dirs: ['e2e'], suffix: '.spec.ts' },
  // Imports of the real public files in ../shared/data/real (skipped where absent).
  real: { dirs: ['main'], suffix: '.conformance.ts' },
};

function find(dir, suffix, out) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) find(path, suffix, out);
    else if (name.endsWith(suffix)) out.push(path);
  }
  return out;
}

const tier = process.argv[2] ?? 'all';
const only = process.argv.slice(3);
const chosen = tier === 'all' ? ['unit', 'real', 'e2e'] : [tier];
const files = chosen.flatMap((t) => tiers[t].dirs.flatMap((d) => find(d, tiers[t].suffix, []))).sort()
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
if (files.length === 0) {
  console.error(`no test files for "${tier}"`);
  process.exit(1);
}
// One file at a time: the machine has two cores and the sampler tests use both.
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
