// Lint rules the project holds by tool instead of review (issue 14.5).
// Started from cdk8s-plus's .eslintrc.json: max-len 150 (URLs, strings,
// template literals, comments and regular expressions exempt, as there),
// alphabetised import order, no duplicate imports, no explicit `any` as a
// warning. Added: imports before any other statement. Import cycles are
// checked by dependency-cruiser (.dependency-cruiser.cjs): import-x/no-cycle
// skips `import type`, and a type-only cycle is a layering mistake too.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Generated (imports/), compiled (lib/) and rendered (dist/) code is not ours to lint.
    ignores: ['imports/**', 'lib/**', 'dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.d.ts'],
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    plugins: { 'import-x': importX },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'max-len': ['error', {
        code: 150,
        ignoreUrls: true,
        ignoreStrings: true,
        ignoreTemplateLiterals: true,
        ignoreComments: true,
        ignoreRegExpLiterals: true,
      }],
      '@typescript-eslint/no-explicit-any': 'warn',
      // A closure may read a variable assigned after it is created (the informer callbacks in controller.ts).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'import-x/first': 'error',
      'import-x/no-duplicates': 'error',
      'import-x/order': ['error', {
        groups: ['builtin', 'external'],
        alphabetize: { order: 'asc', caseInsensitive: true },
      }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-shadow': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'dot-notation': 'off',
      '@typescript-eslint/dot-notation': 'error',
    },
  },
);
