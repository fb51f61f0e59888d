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
import { readdirSync } from 'node:fs';
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

// apps/web: what every web file may not import.
const WEB_BASE = [...APPS('web'), { group: ['@nestjs/*', 'typeorm', 'pg', 'argon2'], message: 'The web app runs in the browser: no server packages.' }];
// Read from disk so that a new feature is a zone by itself.
const WEB_FEATURES = readdirSync(new URL('./apps/web/src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const WEB_FEATURE_ZONE = (feature, depth) => [
  {
    group: ['@/features/*', '@/features/*/**', `!@/features/${feature}`, `!@/features/${feature}/**`],
    message: `Features do not import each other: move what ${feature} shares to components/, hooks/ or lib/, or compose the features in app/.`,
  },
  { group: ['@/app', '@/app/**'], message: 'app/ composes the features; a feature does not import it.' },
  {
    // Relative paths stay inside the feature; anything outside it is reached through the @/ alias.
    regex: `^(\\.\\./){${depth},}`,
    message: `Do not climb out of the feature with ../: import shared code as @/components, @/hooks or @/lib (features do not import each other).`,
  },
];
const WEB_SHARED_ZONE = (dir) => [
  {
    group: ['@/features', '@/features/**', '@/app', '@/app/**', '**/features/**', '**/app/**'],
    message: `${dir}/ is shared by every feature: it imports no feature and not app/.`,
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
          // migrations/ is no Nx project: the API's data source lists them. scripts/lib/nginx.js (plain Node) renders
          // docker/nginx.conf for the topology test and bench/topology alike. The only relative imports out of a project.
          allow: ['../../../../../migrations', '../../../../scripts/lib/nginx'],
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
    rules: { 'no-restricted-imports': ['error', { patterns: WEB_BASE }] },
  },
  // Zones inside apps/web (bulletproof-react's unidirectional architecture): app/ composes features;
  // a feature imports components/, hooks/, lib/, testing/ and @kept/* libs, never another feature or app/;
  // components/, hooks/, lib/ and testing/ import no feature and not app/. Each block restates WEB_BASE
  // because a later block's no-restricted-imports replaces an earlier one's for the same file.
  ...['components', 'hooks', 'lib', 'testing'].map((dir) => ({
    files: [`apps/web/src/${dir}/**/*.ts`, `apps/web/src/${dir}/**/*.tsx`],
    rules: { 'no-restricted-imports': ['error', { patterns: [...WEB_BASE, ...WEB_SHARED_ZONE(dir)] }] },
  })),
  ...WEB_FEATURES.flatMap((feature) => [
    {
      // A file at the feature's top level: one `../` already leaves the feature.
      files: [`apps/web/src/features/${feature}/*.ts`, `apps/web/src/features/${feature}/*.tsx`],
      rules: { 'no-restricted-imports': ['error', { patterns: [...WEB_BASE, ...WEB_FEATURE_ZONE(feature, 1)] }] },
    },
    {
      // A file in api/, components/, hooks/ …: `../` is the feature root, `../../` leaves it.
      files: [`apps/web/src/features/${feature}/*/**/*.ts`, `apps/web/src/features/${feature}/*/**/*.tsx`],
      rules: { 'no-restricted-imports': ['error', { patterns: [...WEB_BASE, ...WEB_FEATURE_ZONE(feature, 2)] }] },
    },
  ]),
  {
    // The browser tests drive the real product from Node: they may use pg to make a database.
    files: ['apps/web/e2e/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: APPS('web') }] },
  },
);
