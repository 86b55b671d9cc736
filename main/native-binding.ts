// Which build of better-sqlite3's native module to load. `npm install` builds it for Node's ABI, which browser
// mode, the command line and the tests use; Electron has an ABI of its own, so scripts/electron-native.js builds
// a second copy into a folder of its own (native-build/electron; packaged: resources/native), and only a process
// running under Electron is pointed at it (better-sqlite3's `nativeBinding` option).
import { join } from 'node:path';

/** Where scripts/electron-native.js writes the Electron build, relative to the app's root. */
export const ELECTRON_BUILD_DIR = join('native-build', 'electron');
/** Where electron-builder's extraResources puts it in the packaged app, relative to process.resourcesPath. */
export const PACKAGED_BUILD_DIR = 'native';
export const BINDING_FILE = 'better_sqlite3.node';

export interface BindingPaths {
  /** The app's root: the project folder under `electron .`, app.asar when packaged. */
  appRoot: string;
  /** process.resourcesPath in Electron (outside app.asar: a native module cannot be loaded from inside it). */
  resourcesPath?: string;
  packaged: boolean;
}

/** The Electron build under Electron; undefined (better-sqlite3's own Node build) under Node. */
export function nativeBindingPath(versions: { electron?: string }, paths: BindingPaths): string | undefined {
  if (!versions.electron) return undefined;
  if (paths.packaged) {
    if (!paths.resourcesPath) throw new Error('A packaged app needs its resources folder to find the database module.');
    return join(paths.resourcesPath, PACKAGED_BUILD_DIR, BINDING_FILE);
  }
  return join(paths.appRoot, ELECTRON_BUILD_DIR, BINDING_FILE);
}
