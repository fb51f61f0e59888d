const { withReporters } = require('../../jest.preset.js');

module.exports = { ...withReporters('contracts'), displayName: 'contracts', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
