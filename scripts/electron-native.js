// Builds better-sqlite3's native module for Electron's ABI into a folder of its own (native-build/electron), so
// the Node build that `npm install` left in node_modules/better-sqlite3/build keeps serving browser mode, the
// command line and the tests. Run by `npm start` (when Electron is installed) and `npm run dist`; on its own:
// `npm run native:electron`. @electron/rebuild first tries a prebuilt module, then compiles with node-gyp against
// Electron's headers; both download, so this needs network once per Electron or better-sqlite3 version.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The same folder as ELECTRON_BUILD_DIR in main/native-binding.ts (scripts/electron-native.test.ts checks it).
export const ELECTRON_BUILD_DIR = join('native-build', 'electron');
export const BINDING_FILE = 'better_sqlite3.node';
const RETRY = '`npm run native:electron`';

function packageVersion(root, name) {
  const require = createRequire(join(root, 'package.json'));
  return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
}

/** Is `name` an executable on PATH (a compiler, make, python)? */
export function onPath(name, env = process.env) {
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD').split(';') : [''];
  return (env.PATH ?? '').split(delimiter).some((dir) => dir && exts.some((ext) => existsSync(join(dir, name + ext))));
}

async function online() {
  try {
    await lookup('www.electronjs.org');
    return true;
  } catch {
    return false;
  }
}

function compilerFound() {
  // Windows finds Visual Studio by itself (node-gyp's find-visualstudio); there, only the build's own output tells.
  if (process.platform === 'win32') return true;
  return ['c++', 'g++', 'clang++'].some((c) => onPath(c)) && onPath('make') && ['python3', 'python'].some((p) => onPath(p));
}

/** One sentence on why the build failed and what to run, from what the machine lacks. */
export function explainFailure({ electronVersion, online, compiler, platform = process.platform }) {
  const what = `better-sqlite3 could not be built for Electron ${electronVersion}`;
  if (!online) return `${what} because nothing could be downloaded (no network): connect to the internet and run ${RETRY} again.`;
  if (!compiler) {
    const install = platform === 'darwin' ? 'xcode-select --install' : 'sudo apt install build-essential python3 (or your system\'s C++ compiler, make and Python)';
    return `${what}: no prebuilt module fits this system and no C++ compiler was found; install one (${install}) and run ${RETRY} again.`;
  }
  return `${what} (the build output above says why); fix that and run ${RETRY} again.`;
}

/**
 * The Electron build of better-sqlite3, built when missing or made for another Electron or better-sqlite3.
 * Returns its path; throws an Error with one sentence when it cannot be built.
 */
export async function ensureElectronNative({
  root = process.cwd(),
  electronVersion = packageVersion(root, 'electron'),
  rebuild = async (options) => (await import('@electron/rebuild')).rebuild(options),
  probe = async () => ({ online: await online(), compiler: compilerFound() }),
  log = (line) => console.log(line),
} = {}) {
  const outDir = join(root, ELECTRON_BUILD_DIR);
  const binding = join(outDir, BINDING_FILE);
  const stampFile = join(outDir, 'build.json');
  const stamp = { electron: electronVersion, betterSqlite3: packageVersion(root, 'better-sqlite3'), platform: process.platform, arch: process.arch };
  if (existsSync(binding) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === JSON.stringify(stamp)) return binding;

  log(`Building better-sqlite3 for Electron ${electronVersion} (once per version; needs network)…`);
  // A copy of the package without its Node build, so the rebuild never touches node_modules. It stays inside
  // the project so node-gyp and prebuild-install are found in node_modules above it.
  const source = dirname(createRequire(join(root, 'package.json')).resolve('better-sqlite3/package.json'));
  const stage = join(root, 'native-build', 'stage', 'better-sqlite3');
  rmSync(dirname(stage), { recursive: true, force: true });
  cpSync(source, stage, { recursive: true, filter: (from) => from !== join(source, 'build') });
  try {
    await rebuild({ buildPath: stage, electronVersion, force: true, onlyModules: [] });
    const built = join(stage, 'build', 'Release', BINDING_FILE);
    if (!existsSync(built)) throw new Error(`the build wrote no ${BINDING_FILE}`);
    mkdirSync(outDir, { recursive: true });
    cpSync(built, binding);
    writeFileSync(stampFile, JSON.stringify(stamp));
  } catch (err) {
    log(`(${err instanceof Error ? err.message : String(err)})`);
    throw new Error(explainFailure({ electronVersion, ...(await probe()) }), { cause: err });
  } finally {
    rmSync(dirname(stage), { recursive: true, force: true });
  }
  log(`Built ${binding}.`);
  return binding;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await ensureElectronNative();
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
