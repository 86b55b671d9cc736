#!/usr/bin/env node
// The `preference-studio` command: runs the built command line (out/main/cli.js), building it first when a
// fresh install has not been built yet.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('Building Preference Studio once (out/ is missing)...\n');
  const { build } = await import('electron-vite');
  const cwd = process.cwd();
  process.chdir(root);
  try {
    await build({ logLevel: 'error' });
  } catch (err) {
    console.error(`Preference Studio could not be built: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  } finally {
    process.chdir(cwd);
  }
}
const cli = await import(entry.href);
process.exit(await cli.main(process.argv.slice(2)));
