import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Services, workers and the contract run under plain Node: only the Electron shell may import electron.
    files: ['main/**/*.ts', 'native-workers/**/*.ts', 'preload/contract/**/*.ts', 'scripts/**/*'],
    ignores: ['main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only main/electron/ and preload/index.ts may import electron.' }] }] },
  },
  {
    // Every write transaction goes through db/database.ts's `transaction`, which begins IMMEDIATE and so waits for
    // another program's write lock; a deferred one of a store's own would fail at once with "database is locked".
    files: ['main/**/*.ts'],
    ignores: ['main/services/db/database.ts', 'main/**/*.test.ts', 'main/services/db/hold-write-lock.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.property.name='transaction']", message: 'Write transactions go through transaction() of main/services/db/database.ts.' },
        { selector: 'CallExpression[callee.property.name=/^(exec|prepare)$/] > Literal[value=/^\\s*BEGIN\\b/i]', message: 'Write transactions go through transaction() of main/services/db/database.ts.' },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The renderer reaches main only through the contract.
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', '**/main/**', 'electron', 'better-sqlite3'], message: 'The renderer calls only the contract (renderer/src/api).' }] }],
    },
  },
  {
    // Each slice adds its interface to the store's type with `interface Store extends XSlice {}` (store/store.ts).
    files: ['renderer/src/store/*.ts'],
    rules: { '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }] },
  },
);
