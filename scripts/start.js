// `npm start`: builds, then opens the Electron app where its binary is installed (after building better-sqlite3
// for Electron's ABI, once, into native-build/electron); where it is not (machines without network cannot
// download it), says so and serves the same UI in browser mode.
import { spawn } from 'node:child_process';
import { build } from 'electron-vite';
import { electronBinary } from './electron-binary.js';
import { ensureElectronNative } from './electron-native.js';

const args = process.argv.slice(2);

try {
  await build({ logLevel: 'error' });
} catch (err) {
  console.error(`The build failed, so nothing was started: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

const electron = electronBinary();
if (electron) {
  try {
    await ensureElectronNative();
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
const child = electron
  ? spawn(electron, ['.', ...args], { stdio: 'inherit' })
  : (console.log('Electron is not installed on this machine, so Preference Studio starts in browser mode instead.'),
    spawn(process.execPath, ['out/main/serve.js', ...args], { stdio: 'inherit' }));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
