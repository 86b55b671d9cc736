// The `electron` the built main process sees in main/electron/shell.test.ts: the objects the test put on
// globalThis.electronStandIn before importing it.
const standIn = globalThis.electronStandIn;
if (!standIn) throw new Error('main/electron/shell.test.ts sets globalThis.electronStandIn before loading the main process.');
export const { app, BrowserWindow, dialog, ipcMain, Menu, safeStorage, screen, session, shell } = standIn;
export default standIn;
