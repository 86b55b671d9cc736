// The layers of the app, checked by `npm run lint` (dependency-cruiser); scripts/lint-rules.test.ts proves they bite.
// CommonJS because dependency-cruiser loads its configuration with require().
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circles anywhere, type-only imports included (tsPreCompilationDeps below keeps them in the graph).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'root-not-imported-back',
      severity: 'error',
      comment: 'The composition root joins the domains; no domain imports it back (they get a StudioContext from context.ts). Tests may.',
      from: { path: '^main/services/', pathNot: '^main/services/studio\\.ts$|\\.test\\.ts$' },
      to: { path: '^main/services/studio\\.ts$' },
    },
    {
      name: 'services-not-electron',
      severity: 'error',
      comment: 'Services run under plain Node (browser mode, CLI, tests): only main/electron/ may import electron.',
      from: { path: '^main/', pathNot: '^main/electron/' },
      to: { path: '^electron$|(^|/)node_modules/electron/' },
    },
    {
      name: 'services-not-renderer',
      severity: 'error',
      comment: 'Main talks to the renderer through the contract only.',
      from: { path: '^main/' },
      to: { path: '^renderer/' },
    },
    {
      name: 'renderer-only-contract',
      severity: 'error',
      comment: 'The renderer calls only the contract (preload/contract) and its own files, besides its npm libraries.',
      from: { path: '^renderer/', pathNot: '\\.test\\.tsx?$' },
      to: { pathNot: '^(renderer/|preload/contract/)|(^|/)node_modules/' },
    },
    {
      name: 'workers-not-main',
      severity: 'error',
      comment: 'The numeric workers are pure: they import nothing of main/.',
      from: { path: '^native-workers/' },
      to: { path: '^main/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    preserveSymlinks: true,
    exclude: { path: '^(out|dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
