import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** The layers (ARCHITECTURE.md): which folder may import which. Each rule says why it exists. */
const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
  'stream',
  'url',
  'util',
  'zlib',
];

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', 'release', 'coverage', '.tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The renderer never touches Node, the network or the file system: only the bridge.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'os', 'child_process', 'electron', 'undici', 'ws'],
              message: 'Renderer code uses the bridge only.',
            },
            { group: ['**/main/**', '**/preload/**'], message: 'Renderer code may import shared/ only.' },
          ],
        },
      ],
    },
  },
  {
    // Only thin glue files may import Electron.
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Electron imports live in main/electron/ only.' }] },
      ],
    },
  },
  {
    // shared/ is loaded by both sides, so it depends on nothing but itself (and zod).
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'shared/ runs in the renderer too.' }],
          patterns: [
            { group: NODE_BUILTINS, message: 'shared/ runs in the renderer too: no Node modules.' },
            { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'shared/ imports only shared/.' },
          ],
        },
      ],
    },
  },
  {
    // The sandboxed preload loads with every window: channel names, the bridge's rejection shape and
    // the listener registry (small, zod-free modules) and types; zod and the rest stay out of it.
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/shared/*',
                '!**/shared/channel-names',
                '!**/shared/envelope',
                '!**/shared/listeners',
                '!**/shared/errors',
              ],
              allowTypeImports: true,
              message: 'preload/ imports channel names, the envelope, listeners and types only.',
            },
            { group: ['**/main/**', '**/renderer/**'], message: 'preload/ imports shared/ only.' },
          ],
        },
      ],
    },
  },
  {
    // Providers talk to Spaces; the library keeps files; the job runner joins them through the
    // core. Neither side knows the other, so each can change (or be tested) alone.
    files: ['main/providers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Electron imports live in main/electron/ only.' }],
          patterns: [
            {
              group: ['**/library/**', '**/jobs/**', '**/core', '**/electron/**', '**/web/**', '**/cli/**'],
              message: 'main/providers/ must not import the library, jobs, core or an entry point.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/library/**/*.ts', 'main/jobs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Electron imports live in main/electron/ only.' }],
          patterns: [
            {
              group: ['**/providers/**', '**/core', '**/electron/**', '**/web/**', '**/cli/**'],
              message: 'main/library/ and main/jobs/ must not import providers, the core or an entry point.',
            },
          ],
        },
      ],
    },
  },
  {
    // No import cycles between modules (value imports; type-only imports are erased at build).
    files: ['main/**/*.ts', 'shared/**/*.ts', 'preload/**/*.ts', 'renderer/src/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.node.json', 'tsconfig.web.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
