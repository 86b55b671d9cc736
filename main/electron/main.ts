// The Electron shell, kept thin: one window, the menus, IPC registration and safeStorage. All logic lives in
// main/services, which never import `electron` and run the same under plain Node (browser mode, tests, CLI).
// main/electron/shell.test.ts loads the built file with a stand-in `electron` and checks what it asks of it.
import { app, BrowserWindow, dialog, ipcMain, Menu, safeStorage, screen, session, shell, type MenuItemConstructorOptions } from 'electron';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import { createStudio, type Studio } from '../services/studio';
import { lockDataDir, type InstanceLock } from '../instance-lock';
import { CHANNELS, type EventName, type Events } from '../../preload/contract';
import { CONTENT_SECURITY_POLICY } from '../csp';
import { resolveDataDir } from '../paths';
import { encryptedFileSecrets } from '../services/annotate/secrets';
import { nativeBindingPath } from '../native-binding';
import { DEFAULT_SIZE, loadWindowState, saveWindowState } from './window-state';
import { VIEWS } from '../../preload/contract/views';

// The same folder as browser mode and the command line, so all three see one database.
const { dir: dataDir, source: dataDirSource } = resolveDataDir();
const windowStateFile = join(dataDir, 'window-state.json');
// Electron's single-instance lock is held per userData folder: keeping it inside the data folder makes it one
// instance per data folder (two launches with different PREFERENCE_STUDIO_DATA both open).
app.setPath('userData', join(dataDir, 'electron'));

let studio: Studio | undefined;
let window: BrowserWindow | undefined;

function emit<E extends EventName>(event: E, payload: Events[E]): void {
  window?.webContents.send(`event:${event}`, payload);
}

/** Inside the packaged app, a path under app.asar becomes the same path beside it, where asarUnpack puts files. */
function unpacked(path: string): string {
  return path.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
}

function createWindow(): BrowserWindow {
  const saved = loadWindowState(windowStateFile, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    ...(saved?.bounds ?? DEFAULT_SIZE),
    title: 'Preference Studio',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  if (saved?.maximized) win.maximize();
  // On a Mac the app outlives its window: events and menu commands then have no window to go to.
  win.on('closed', () => {
    if (window === win) window = undefined;
  });
  win.on('close', () => saveWindowState(windowStateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() }));
  // Links in model text open in the system browser, never inside the app window.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    event.preventDefault();
    if (url.startsWith('https://')) void shell.openExternal(url);
  });
  void win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  return win;
}

/** File > Import: the system's file dialog, then the file goes to the Data view's import form. */
async function importFromMenu(): Promise<void> {
  if (!window) return;
  const { canceled, filePaths } = await dialog.showOpenDialog(window, { title: 'Import pairs', properties: ['openFile'] });
  if (canceled || !filePaths[0]) return;
  emit('menu.import', { fileName: basename(filePaths[0]), bytes: readFileSync(filePaths[0]) });
}

function showKeys(): void {
  const lines = [
    'Ctrl/Cmd+O  Import a file',
    ...VIEWS.map((v) => `Alt+${v.digit}  or  g then ${v.letter}  ${v.label}`),
  ];
  void dialog.showMessageBox({ type: 'info', title: 'Keyboard shortcuts', message: 'Keyboard shortcuts', detail: lines.join('\n') });
}

function appMenu(): MenuItemConstructorOptions[] {
  const mac = process.platform === 'darwin';
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Import…', accelerator: 'CmdOrCtrl+O', click: () => void importFromMenu() },
        { label: 'Open data folder', click: () => void shell.openPath(dataDir) },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' }, { role: 'viewMenu' }, { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Keyboard shortcuts', click: showKeys },
        {
          label: 'About Preference Studio',
          click: () => void dialog.showMessageBox({
            type: 'info', title: 'About Preference Studio', message: `Preference Studio ${app.getVersion()}`, detail: `Data folder: ${dataDir}`,
          }),
        },
      ],
    },
  ];
}

let folderLock: InstanceLock | undefined;

function start(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  // Worker scripts cannot run from inside the asar archive; electron-builder unpacks them beside it.
  const samplerWorker = unpacked(join(import.meta.dirname, 'sampler-worker.js'));
  try {
    // One app per data folder, whichever kind holds it: Electron's own single-instance lock (below) only sees other
    // desktop launches, not browser mode (`npm start` without Electron) on the same folder.
    folderLock = lockDataDir(dataDir);
    // Checked now rather than at the first fit, so an incomplete install says so when it opens.
    if (!existsSync(samplerWorker)) throw new Error(`The sampler's worker script is missing (${samplerWorker}): install Preference Studio again.`);
    studio = createStudio({
      dataDir, dataDirSource, transport: 'electron', version: app.getVersion(), emit,
      samplerWorkerUrl: samplerWorker,
      // The endpoint's API key, encrypted by the system keychain; never in the database.
      secrets: encryptedFileSecrets(join(dataDir, 'secrets.json'), safeStorage),
      nativeBinding: nativeBindingPath(process.versions, { appRoot: app.getAppPath(), resourcesPath: process.resourcesPath, packaged: app.isPackaged }),
    });
  } catch (err) {
    dialog.showErrorBox('Preference Studio could not start', err instanceof Error ? err.message : String(err));
    folderLock?.release();
    app.exit(1);
    return;
  }
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (_event, req: unknown) => studio!.dispatch(channel, req));
  }
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenu()));
  window = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createWindow();
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another launch already has this data folder open: it gets the focus (below) and this one ends.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  void app.whenReady().then(start);
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Quitting waits for running writes and jobs to stop (studio.close() cancels jobs, waits, closes the database);
// a second quit while that runs (Cmd+Q twice) waits for the same.
let closing: Promise<void> | undefined;
let closed = false;
app.on('before-quit', (event) => {
  if (closed || !studio) return;
  event.preventDefault();
  closing ??= studio.close()
    .catch((err: unknown) => console.error(`Preference Studio did not close cleanly: ${err instanceof Error ? err.message : String(err)}`))
    .finally(() => {
      folderLock?.release();
      closed = true;
      app.quit();
    });
});
