#!/usr/bin/env node
// The `preference-studio` command: the built command line (out/main/cli.js).
let cli;
try {
  cli = await import('../out/main/cli.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
  console.error('Preference Studio is not built yet: run `npm run build` in its folder first.');
  process.exit(1);
}
process.exit(await cli.main(process.argv.slice(2)));
