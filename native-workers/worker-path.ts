// Default sampler worker for the source tree (tests, scripts): worker-dev.mjs next to this file,
// which loads worker.ts through tsx (see the note there on why a .ts entry alone fails on
// Node 20). The built app must pass its bundled worker .js path to SamplerPool instead.
// Kept apart from pool.ts so a bundler never sees this `new URL(..., import.meta.url)`.

export function defaultWorkerUrl(): URL {
  return new URL('./worker-dev.mjs', import.meta.url);
}
