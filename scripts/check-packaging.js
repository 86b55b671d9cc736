// `npm run check:packaging`: runs electron-builder offline on Linux (a stand-in Electron folder through its
// electronDist option, a copy of the Node build of better-sqlite3 standing in for the Electron one) and checks
// the layout the app relies on: the Electron build in resources/native, the sampler's worker and its imports in
// app.asar.unpacked, the app and better-sqlite3's JavaScript (without its Node build) in app.asar, and the
// project's own Node build untouched. It cannot check that Electron runs the result.
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, Platform } from 'electron-builder';
import { ELECTRON_BUILD_DIR, BINDING_FILE } from './electron-native.js';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const nodeBuild = require.resolve('better-sqlite3/build/Release/better_sqlite3.node');
const hash = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
if (!existsSync(join(root, 'out/main/index.js'))) throw new Error('out/ is missing: run `npx electron-vite build` first.');

const work = mkdtempSync(join(tmpdir(), 'ps-package-'));
const nodeBuildBefore = hash(nodeBuild);
const problems = [];
try {
  const project = join(work, 'project');
  mkdirSync(project);
  for (const file of ['package.json', 'package-lock.json', 'electron-builder.yml']) copyFileSync(join(root, file), join(project, file));
  for (const dir of ['out', 'resources']) cpSync(join(root, dir), join(project, dir), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'));
  mkdirSync(join(project, ELECTRON_BUILD_DIR), { recursive: true });
  copyFileSync(nodeBuild, join(project, ELECTRON_BUILD_DIR, BINDING_FILE));
  const electronDist = join(work, 'electron');
  mkdirSync(electronDist);
  writeFileSync(join(electronDist, 'electron'), '');
  chmodSync(join(electronDist, 'electron'), 0o755);

  await build({
    projectDir: project, publish: 'never', targets: Platform.LINUX.createTarget('dir'),
    config: { electronDist, directories: { output: join(work, 'dist') } },
  });

  const resources = join(work, 'dist/linux-unpacked/resources');
  const expect = (ok, what) => (ok ? console.log(`ok: ${what}`) : problems.push(what));
  expect(existsSync(join(resources, 'native', BINDING_FILE)), `resources/native/${BINDING_FILE}`);
  const worker = join(resources, 'app.asar.unpacked/out/main/sampler-worker.js');
  expect(existsSync(worker), 'app.asar.unpacked/out/main/sampler-worker.js');
  for (const [, spec] of readFileSync(worker, 'utf8').matchAll(/from "(\.[^"]+)"/g)) {
    expect(existsSync(join(resources, 'app.asar.unpacked/out/main', spec)), `the worker's import ${spec} unpacked beside it`);
  }
  const { listPackage } = require('@electron/asar');
  const inAsar = new Set(listPackage(join(resources, 'app.asar')).map((f) => f.replaceAll('\\', '/')));
  for (const file of ['/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/node_modules/better-sqlite3/lib/index.js']) {
    expect(inAsar.has(file), `app.asar holds ${file}`);
  }
  expect(![...inAsar].some((f) => f.startsWith('/node_modules/better-sqlite3/build')), 'app.asar holds no Node build of better-sqlite3');
  expect(hash(nodeBuild) === nodeBuildBefore, 'node_modules/better-sqlite3 keeps its Node build');
} finally {
  rmSync(work, { recursive: true, force: true });
}
// An explicit exit: electron-builder leaves handlers behind that would otherwise decide the exit code.
if (problems.length) console.error(`The packaged layout is wrong: ${problems.join('; ')}.`);
process.exit(problems.length ? 1 : 0);
