// Where the app keeps its data when run under plain Node (browser mode, command line) and in Electron, which
// uses the same folder. The folder is, strongest first: --data-dir (browser mode), PREFERENCE_STUDIO_DATA, the
// folder chosen in Settings (kept in a small settings file outside every data folder, since it says which data
// folder to open), or the platform's default.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DataFolderSource } from '../preload/contract';

/** The platform's folder for the data when none is chosen. */
export function platformDataDir(): string {
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Preference Studio');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Preference Studio');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'preference-studio');
}

/** The file that keeps the data folder chosen in Settings; PREFERENCE_STUDIO_SETTINGS names another. */
export function settingsFile(): string {
  if (process.env.PREFERENCE_STUDIO_SETTINGS) return process.env.PREFERENCE_STUDIO_SETTINGS;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'Preference Studio', 'settings.json');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Preference Studio Settings', 'settings.json');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'preference-studio', 'settings.json');
}

/** The data folder chosen in Settings, or null (none chosen, or no settings file yet). */
export function chosenDataDir(file = settingsFile()): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`the settings file ${file} is not valid JSON; correct or delete it.`);
  }
  const dir = (parsed as { dataDir?: unknown } | null)?.dataDir;
  if (dir === undefined || dir === null) return null;
  if (typeof dir !== 'string' || dir === '') throw new Error(`the settings file ${file} names no data folder in "dataDir"; correct or delete it.`);
  return dir;
}

/** Keeps `dir` as the chosen data folder (null: the default), written whole so that no start reads half a file. */
export function chooseDataDir(dir: string | null, file = settingsFile()): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify({ dataDir: dir }, null, 2)}\n`);
  renameSync(temporary, file);
}

/** The data folder to open and what chose it; `flag` is browser mode's --data-dir. */
export function resolveDataDir(flag?: string): { dir: string; source: DataFolderSource } {
  if (flag) return { dir: flag, source: 'flag' };
  if (process.env.PREFERENCE_STUDIO_DATA) return { dir: process.env.PREFERENCE_STUDIO_DATA, source: 'environment' };
  const chosen = chosenDataDir();
  if (chosen) return { dir: chosen, source: 'settings' };
  return { dir: platformDataDir(), source: 'default' };
}

export function defaultDataDir(): string {
  return resolveDataDir().dir;
}
