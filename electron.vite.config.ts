// Our sources live in top-level main/, preload/, renderer/ and native-workers/ (not electron-vite's src/*),
// so every entry is named here. `electron-vite build` needs no Electron binary.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          // Electron's entry; the only bundle that imports `electron`.
          index: resolve('main/electron/main.ts'),
          // Browser mode and the command line run these under plain Node.
          serve: resolve('main/serve.ts'),
          cli: resolve('main/cli.ts'),
          'sampler-worker': resolve('native-workers/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
