const { withReporters } = require('../../jest.preset.js');

const preset = withReporters('web-e2e');

/** Browser journeys against the real product (scripts/start.mjs, PostgreSQL from DATABASE_URL). */
module.exports = {
  ...preset,
  displayName: 'web-e2e',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
  testTimeout: 180_000,
};
