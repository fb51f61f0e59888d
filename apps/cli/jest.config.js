const { withReporters } = require('../../jest.preset.js');

module.exports = {
  ...withReporters('cli'),
  displayName: 'cli',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts', '<rootDir>/test/**/*.int-spec.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
};
