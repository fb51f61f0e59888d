const { withReporters } = require('../../jest.preset.js');

module.exports = { ...withReporters('domain'), displayName: 'domain', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
