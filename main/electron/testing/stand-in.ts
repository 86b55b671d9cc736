// A stand-in `electron` for loading the built main process without Electron's binary (main/electron/shell.test.ts,
// e2e/electron-window.spec.ts): it records what the main process asks of it (handlers, windows, menus, headers,
// dialogs) so a test can check it and play the user's part (click a menu item, close the window, quit).
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

export type Listener = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
export interface MenuItem { label?: string; role?: string; accelerator?: string; click?: () => void; submenu?: MenuItem[] }

/** One stand-in `electron`, recording what the main process asks of it. */
export function standIn(options: { appRoot: string; packaged: boolean; lock: boolean }) {
  let ready!: () => void;
  const whenReady = new Promise<void>((r) => (ready = r));
  let quitCalled!: () => void;
  const quit = new Promise<void>((r) => (quitCalled = r));
  const rec = {
    appEvents: new Map<string, Listener>(), handlers: new Map<string, Listener>(), windows: [] as FakeWindow[],
    menu: [] as MenuItem[], headerListener: undefined as Listener | undefined, opened: [] as string[], openedPaths: [] as string[],
    errorBoxes: [] as string[], messageBoxes: [] as { message: string; detail?: string }[], userData: '', quits: 0, lockAsked: 0,
    openDialogFile: '', ready, quit,
    /** Called with what the main process sends a window's page (webContents.send), after it is recorded. */
    onSend: undefined as ((channel: string, payload: unknown) => void) | undefined,
  };
  class FakeWindow {
    options: { width: number; height: number; x?: number; y?: number; webPreferences: Record<string, unknown> };
    loaded = '';
    events = new Map<string, Listener>();
    contentsEvents = new Map<string, Listener>();
    openHandler: Listener | undefined;
    sent: [string, unknown][] = [];
    focused = 0;
    webContents = {
      setWindowOpenHandler: (fn: Listener) => (this.openHandler = fn),
      on: (event: string, fn: Listener) => this.contentsEvents.set(event, fn),
      send: (channel: string, payload: unknown) => {
        this.sent.push([channel, payload]);
        rec.onSend?.(channel, payload);
      },
    };
    constructor(opts: FakeWindow['options']) {
      this.options = opts;
      rec.windows.push(this);
    }
    static getAllWindows = () => rec.windows;
    loadFile(file: string) {
      this.loaded = file;
      return Promise.resolve();
    }
    on(event: string, fn: Listener) { this.events.set(event, fn); }
    maximize() {}
    isMaximized() { return false; }
    isMinimized() { return false; }
    restore() {}
    focus() { this.focused++; }
    getNormalBounds() { return { x: 10, y: 20, width: 1111, height: 777 }; }
  }
  const electron = {
    app: {
      setPath: (name: string, path: string) => { if (name === 'userData') rec.userData = path; },
      requestSingleInstanceLock: () => (rec.lockAsked++, options.lock),
      on: (event: string, fn: Listener) => rec.appEvents.set(event, fn),
      whenReady: () => whenReady,
      getVersion: () => '9.8.7',
      getAppPath: () => options.appRoot,
      isPackaged: options.packaged,
      quit: () => { rec.quits++; quitCalled(); },
      exit: () => {},
    },
    BrowserWindow: FakeWindow,
    ipcMain: { handle: (channel: string, fn: Listener) => rec.handlers.set(channel, fn) },
    Menu: { buildFromTemplate: (t: MenuItem[]) => t, setApplicationMenu: (m: MenuItem[]) => (rec.menu = m) },
    session: { defaultSession: { webRequest: { onHeadersReceived: (fn: Listener) => (rec.headerListener = fn) } } },
    // A reversible stand-in cipher: what it writes is not the key's text.
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (plain: string) => Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a),
      decryptString: (encrypted: Buffer) => Buffer.from(encrypted.map((b) => b ^ 0x5a)).toString('utf8'),
    },
    shell: { openExternal: async (url: string) => { rec.opened.push(url); }, openPath: async (path: string) => { rec.openedPaths.push(path); return ''; } },
    dialog: {
      showOpenDialog: async () => ({ canceled: false, filePaths: [rec.openDialogFile] }),
      showMessageBox: async (o: { message: string; detail?: string }) => { rec.messageBoxes.push(o); return { response: 0 }; },
      showErrorBox: (_title: string, message: string) => rec.errorBoxes.push(message),
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  };
  return { electron, rec };
}

export type Recorded = ReturnType<typeof standIn>['rec'];

/** From now on `electron` resolves to the stand-in a test puts on globalThis before loading a main process. */
export function useStandInElectron(): void {
  register(new URL('./electron-hooks.js', import.meta.url));
}

/** Imports a built main process with its own stand-in and data folder (the main process reads PREFERENCE_STUDIO_DATA). */
export async function loadMain(file: string, dataDir: string, options: Parameters<typeof standIn>[0], query = ''): Promise<Recorded> {
  const s = standIn(options);
  (globalThis as { electronStandIn?: unknown }).electronStandIn = s.electron;
  process.env.PREFERENCE_STUDIO_DATA = dataDir;
  await import(pathToFileURL(file).href + query);
  return s.rec;
}

/** A menu item by its top menu (label or role) and label. */
export function menuItem(menu: MenuItem[], top: string, label: string): MenuItem {
  const item = menu.find((m) => m.label === top || m.role === top)?.submenu?.find((m) => m.label === label);
  if (!item) throw new Error(`no ${top} > ${label} in the menu`);
  return item;
}
