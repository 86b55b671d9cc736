// The layer rules of .dependency-cruiser.cjs bite: dependency-cruiser, with the project's configuration, passes a
// small tree that keeps the layers and fails one with each kind of violation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const CONFIG = resolve('.dependency-cruiser.cjs');
const CLI = resolve('node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ps-lint-rules-'));
  const all = { 'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', strict: true } }), ...files };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function cruise(dir: string) {
  const run = spawnSync(process.execPath, [CLI, 'main', 'preload', 'renderer', 'native-workers', '--config', CONFIG, '--output-type', 'err'], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

const layered = {
  'preload/contract/index.ts': "export interface Contract { 'app.info': { req: object; res: string } }\n",
  'main/services/db/database.ts': 'export const open = (path: string) => path;\n',
  'main/services/review/store.ts': "import { open } from '../db/database';\nexport const reviewStore = () => open('x');\n",
  'main/services/studio.ts': "import type { Contract } from '../../preload/contract';\nimport { reviewStore } from './review/store';\nexport const studio = (c?: Contract) => [c, reviewStore()];\n",
  'renderer/src/api.ts': "import type { Contract } from '../../preload/contract';\nexport type Api = Contract;\n",
  'native-workers/fit.ts': 'export const fit = (x: number) => x * 2;\n',
};

test('a tree that keeps the layers passes', () => {
  const { status, output } = cruise(tree(layered));
  assert.equal(status, 0, output);
});

// One tree with one violation of each rule (dependency-cruiser is slow to start; one run checks them all).
const broken = () => cruise(tree({
  ...layered,
  'main/services/review/review.ts': "import type { Fit } from '../dissect/fit';\nexport interface Round { fit: Fit }\n",
  'main/services/dissect/fit.ts': "import type { Round } from '../review/review';\nexport interface Fit { round?: Round }\n",
  'main/services/review/dialog.ts': "import { dialog } from 'electron';\nexport const ask = dialog;\n",
  'main/services/review/view.ts': "import type { Api } from '../../../renderer/src/api';\nexport type V = Api;\n",
  'renderer/src/review.ts': "import { reviewStore } from '../../main/services/review/store';\nexport const r = reviewStore;\n",
  'native-workers/store.ts': "import { open } from '../main/services/db/database';\nexport const o = open;\n",
  'main/services/review/handlers.ts': "import { studio } from '../studio';\nexport const h = studio;\n",
  'renderer/src/store/index.ts': "import { createShell } from './shell';\nexport interface Store { shell: ReturnType<typeof createShell> }\n",
  'renderer/src/store/shell.ts': "import type { Store } from './index';\nexport const createShell = (get: () => Store) => get;\n",
}));

test('each layer rule fails its violation: a circle (type-only, in main/ and in the renderer), a domain importing the composition root, services to electron or renderer, renderer to a service, a worker to main', () => {
  const { status, output } = broken();
  assert.notEqual(status, 0);
  const violations = (rule: string) => output.split('\n').filter((line) => line.includes(`error ${rule}:`));
  assert.match(violations('no-circular').join('\n'), /main\/services\/(review\/review|dissect\/fit)\.ts/);
  assert.match(violations('no-circular').join('\n'), /renderer\/src\/store\/(index|shell)\.ts/, 'a type-only circle in the renderer too');
  assert.match(violations('root-not-imported-back').join('\n'), /main\/services\/review\/handlers\.ts → main\/services\/studio\.ts/);
  assert.match(violations('services-not-electron').join('\n'), /main\/services\/review\/dialog\.ts → electron/);
  assert.match(violations('services-not-renderer').join('\n'), /main\/services\/review\/view\.ts → renderer\/src\/api\.ts/);
  assert.match(violations('renderer-only-contract').join('\n'), /renderer\/src\/review\.ts → main\/services\/review\/store\.ts/);
  assert.match(violations('workers-not-main').join('\n'), /native-workers\/store\.ts → main\/services\/db\/database\.ts/);
  // The layered files themselves raise nothing.
  assert.doesNotMatch(output, /error [\w-]+: (main\/services\/studio|renderer\/src\/api|native-workers\/fit)\.ts/);
});
