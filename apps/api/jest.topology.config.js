const { withReporters } = require('../../jest.preset.js');

/**
 * The scale-out topology (`npm run test:topology`): nginx, two API processes and two workers from dist/
 * on one PostgreSQL (DATABASE_URL). Needs a build first; `npm test` runs it after the other suites.
 */
module.exports = {
  ...withReporters('topology'),
  displayName: 'topology',
  rootDir: __dirname,
  testMatch: ['<rootDir>/topology/**/*.topology-spec.ts'],
  testTimeout: 120_000,
  maxWorkers: 1,
};
