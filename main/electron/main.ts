// The Electron shell, kept thin: one window, the menu, IPC registration and safeStorage. All logic lives in
// main/services, which never import `electron` and run the same under plain Node (browser mode, tests, CLI).
import { app, BrowserWindow, ipcMain, Menu, safeStorage, session, shell } from 'electron';
import { join, sep } from 'node:path';
import { createStudio, type Studio } from '../services/studio';
import { CHANNELS, type EventName, type Events } from '../../preload/contract';
import { CONTENT_SECURITY_POLICY } from '../csp';
import { defaultDataDir } from '../paths';
import { encryptedFileSecrets } from '../services/annotate/secrets';

let studio: Studio | undefined;
let window: BrowserWindow | undefined;

function emit<E extends EventName>(event: E, payload: Events[E]): void {
  window?.webContents.send(`event:${event}`, payload);
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Preference Studio',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  // Links in model text open in the system browser, never inside the app window.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  void win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  return win;
}

void app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  studio = createStudio({
    // The same folder as browser mode and the command line, so all three see one database.
    dataDir: defaultDataDir(), transport: 'electron', version: app.getVersion(), emit,
    // Worker scripts cannot run from inside the asar archive; electron-builder unpacks them beside it.
    samplerWorkerUrl: join(import.meta.dirname, 'sampler-worker.js').replace(`app.asar${sep}`, `app.asar.unpacked${sep}`),
    // The endpoint's API key, encrypted by the system keychain; never in the database.
    secrets: encryptedFileSecrets(join(defaultDataDir(), 'secrets.json'), safeStorage),
  });
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (_event, req: unknown) => studio!.dispatch(channel, req));
  }
  Menu.setApplicationMenu(Menu.buildFromTemplate([
    { role: 'fileMenu' }, { role: 'editMenu' }, { role: 'viewMenu' }, { role: 'windowMenu' },
  ]));
  window = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => void studio?.close());
