// Flat ESLint config: type-aware TypeScript rules plus the project's module boundaries.
// Boundaries (STYLE.md): libs/domain depends on nothing; libs/contracts only on domain; apps on libs,
// never on each other; libs/domain never imports a framework. Two layers enforce them:
//  - between Nx projects: @nx/enforce-module-boundaries on the tags in each project.json (below);
//  - inside apps/api: kept-api/module-boundaries (tools/eslint), modules meet only through index.ts.
// The no-restricted-imports blocks back these up by path (they also work without Nx's project graph).
// The proof that each boundary fails the lint: apps/api/src/lint-boundaries.spec.ts.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import keptApi from './tools/eslint/api-module-boundaries.mjs';

const FRAMEWORKS = [
  { group: ['@nestjs/*', 'nestjs-*'], message: 'libs/domain is plain TypeScript: no NestJS.' },
  { group: ['typeorm', 'pg'], message: 'libs/domain is plain TypeScript: no database access.' },
  { group: ['react', 'react-*', 'react/*', '@tanstack/*'], message: 'libs/domain is plain TypeScript: no React.' },
  { group: ['zod'], message: 'Validation schemas live in libs/contracts.' },
];
const APPS = (self) => [
  {
    group: ['**/apps/*', '**/apps/*/**', ...['api', 'web', 'cli'].filter((a) => a !== self).flatMap((a) => [`**/${a}/src/**`])],
    message: 'Apps must not import each other; share code through libs/.',
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'test-output/**', '.nx/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Between projects (tags in project.json). type:domain = libs/domain; type:stats = libs/forecast
    // (pure statistics); type:contracts = libs/contracts; type:lib = libs/history; type:app = apps.
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // migrations/ is no Nx project: the API's data source lists them (the only relative import out of a project).
          allow: ['../../../../../migrations'],
          depConstraints: [
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: ['@nestjs/*', 'typeorm', 'pg', 'react', 'react-dom', 'react/*', 'zod'],
            },
            {
              sourceTag: 'type:stats',
              onlyDependOnLibsWithTags: [],
              bannedExternalImports: ['@nestjs/*', 'typeorm', 'pg', 'react', 'react-dom', 'react/*'],
            },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:domain'], bannedExternalImports: ['@nestjs/*', 'typeorm', 'pg', 'react', 'react-dom'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:domain', 'type:stats', 'type:contracts'], bannedExternalImports: ['typeorm', '@nestjs/*', 'react'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'] },
            // Apps use every kind of library, never another app.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:stats', 'type:contracts', 'type:lib', 'type:testing'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'] },
            { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'] },
            { sourceTag: 'scope:cli', onlyDependOnLibsWithTags: ['scope:cli', 'scope:shared'] },
          ],
        },
      ],
    },
  },
  {
    // Inside apps/api: another module only through its index.ts; common/ and config/ import no module.
    // Tests may reach into a module (they test its parts), so specs are exempt.
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/**/*.spec.ts', 'apps/api/src/**/*.int-spec.ts'],
    plugins: { 'kept-api': keptApi },
    rules: { 'kept-api/module-boundaries': 'error' },
  },
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...FRAMEWORKS, { group: ['@kept/*', '**/apps/**', '**/libs/contracts/**'], message: 'libs/domain depends on nothing in the workspace.' }] }],
    },
  },
  {
    files: ['libs/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['@nestjs/*', 'typeorm', 'pg', 'react', 'react-*'], message: 'libs/contracts holds shared types and zod schemas only.' },
        { group: ['**/apps/**', '@kept/contracts'], message: 'libs/contracts may depend on libs/domain only.' },
      ] }],
    },
  },
  {
    // libs/forecast: pure statistics on numbers (ms); libs/history: CSV reading, mapping and a DB-agnostic importer.
    files: ['libs/forecast/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...FRAMEWORKS, { group: ['@kept/*', '**/apps/**', '**/libs/**'], message: 'libs/forecast depends on nothing in the workspace.' }] }],
    },
  },
  {
    files: ['libs/history/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        ...FRAMEWORKS.filter((f) => !f.group.includes('zod') && !f.group.includes('pg')),
        { group: ['typeorm'], message: 'libs/history talks to PostgreSQL only through a minimal { query } client.' },
        { group: ['**/apps/**', '@kept/history'], message: 'libs/history may depend on libs/domain, libs/contracts and libs/forecast only.' },
      ] }],
    },
  },
  {
    files: ['apps/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...APPS('cli'), { group: ['@nestjs/*', 'typeorm', 'react', 'react-*', 'react/*'], message: 'The CLI is plain Node: share code through libs/.' }] }],
    },
  },
  {
    files: ['apps/api/**/*.ts', 'migrations/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...APPS('api'), { group: ['react', 'react-*', 'react/*'], message: 'The API does not render React.' }] }],
    },
  },
  {
    files: ['apps/web/src/**/*.ts', 'apps/web/src/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [...APPS('web'), { group: ['@nestjs/*', 'typeorm', 'pg', 'argon2'], message: 'The web app runs in the browser: no server packages.' }] }],
    },
  },
  {
    // The browser tests drive the real product from Node: they may use pg to make a database.
    files: ['apps/web/e2e/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: APPS('web') }] },
  },
);
