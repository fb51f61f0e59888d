// Shared Jest settings: every project transpiles TypeScript with SWC (decorators + metadata for NestJS)
// and resolves the workspace libraries from source.
const path = require('node:path');

const root = __dirname;

const preset = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      require.resolve('@swc/jest'),
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true, tsx: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  moduleNameMapper: {
    '^@kept/domain$': path.join(root, 'libs/domain/src/index.ts'),
    '^@kept/contracts$': path.join(root, 'libs/contracts/src/index.ts'),
    '^@kept/history$': path.join(root, 'libs/history/src/index.ts'),
    '^@kept/forecast$': path.join(root, 'libs/forecast/src/index.ts'),
  },
};

module.exports = { ...preset, withReporters: (name) => ({ ...preset, reporters: ['default', [path.join(root, 'tools/jest/results-reporter.js'), { name }]] }) };
