const path = require('node:path');
const { withReporters } = require('../../jest.preset.js');

const preset = withReporters('web');

/** Component and unit tests for the web app: Testing Library in jsdom. */
module.exports = {
  ...preset,
  displayName: 'web',
  rootDir: __dirname,
  // jsdom with Node's fetch globals (Response, Headers, TextEncoder) passed through.
  testEnvironment: path.join(__dirname, 'src/testing/jsdom-environment.js'),
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.spec.tsx'],
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    '^@/(.*)$': path.join(__dirname, 'src/$1'),
    '\\.css$': path.join(__dirname, 'src/testing/style-stub.js'),
  },
  // Above the Testing Library wait (10 s, setup-tests.ts), so a slow wait fails with its own message.
  testTimeout: 30_000,
  setupFilesAfterEnv: [path.join(__dirname, 'src/testing/setup-tests.ts')],
};
