// Where the app keeps its data when run under plain Node (browser mode, command line). Electron uses its own
// userData folder instead. PREFERENCE_STUDIO_DATA overrides both.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(): string {
  if (process.env.PREFERENCE_STUDIO_DATA) return process.env.PREFERENCE_STUDIO_DATA;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Preference Studio');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Preference Studio');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'preference-studio');
}
