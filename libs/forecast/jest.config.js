const { withReporters } = require('../../jest.preset.js');

module.exports = { ...withReporters('forecast'), displayName: 'forecast', rootDir: __dirname, testMatch: ['<rootDir>/src/**/*.spec.ts'] };
