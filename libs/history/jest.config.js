const { withReporters } = require('../../jest.preset.js');

module.exports = { ...withReporters('history'), displayName: 'history', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
