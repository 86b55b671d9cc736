// Source-tree entry of the sampler worker for tests and scripts that run under tsx.
// A Worker inherits `--import tsx`, but tsx 4 only installs its loader in worker threads on
// Node >= 22.22.3 / 24.11.1; on Node 20 a .ts worker entry fails with "Unknown file
// extension .ts". So: try worker.ts directly, and register tsx's loader here when needed.
// The built app never uses this file; it passes its bundled worker .js to SamplerPool.
try {
  await import('./worker.ts');
} catch (e) {
  if (e?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw e;
  const { register } = await import('tsx/esm/api');
  register();
  // a fresh specifier: the failed import above stays cached under the plain one
  await import('./worker.ts?tsx');
}
