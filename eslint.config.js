// One lint setup for the whole repository. The import rules keep the layers apart: the pure
// core imports neither Docker nor Electron, dockerode stays inside its adapter, and Electron
// stays inside main/electron.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'test/compat/ric/node_modules/**',
      // Broken on purpose: the runtime must report its syntax error.
      'test/fixtures/behaviours/node-syntax/**',
    ],
  },
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
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only main/electron may import electron.' }] }],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/docker/dockerode-engine.ts', 'main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'Only main/electron may import electron.' },
            { name: 'dockerode', message: 'Use the ContainerEngine interface; dockerode stays in main/docker/dockerode-engine.ts.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The core is pure: no Electron.' },
            { name: 'dockerode', message: 'The core is pure: no Docker.' },
          ],
          patterns: [
            {
              group: ['../docker/*', '../engine/*', '../lambda-api/*', '../store/*', '../cli/*'],
              message: 'The core depends on nothing outside main/core.',
            },
          ],
        },
      ],
    },
  },
  {
    // The console's renderer runs in the browser (or the sandboxed window): no Node.js there.
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'The renderer has no Node.js; ask main through the client.' }] },
      ],
    },
  },
  {
    files: ['runtime-images/**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Function code as users write it for Lambda: CommonJS handlers with the full (event, context, callback) signature.
    files: ['test/fixtures/**/*.{js,cjs}', 'test/compat/ric/handlers/**/*.js', 'test/bench/functions/**/*.js', 'resources/**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none' }],
    },
  },
);
