// Writes each Jest run's totals to $KEPT_JEST_RESULTS/<project>.json so `npm test` can print one
// "N passed, N failed" line over every project.
const fs = require('node:fs');
const path = require('node:path');

class ResultsReporter {
  constructor(globalConfig, options = {}) {
    this.name = options.name ?? path.basename(globalConfig.rootDir);
  }

  onRunComplete(_contexts, results) {
    const dir = process.env.KEPT_JEST_RESULTS;
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true });
    const { numPassedTests, numFailedTests, numPendingTests, numRuntimeErrorTestSuites, numTotalTests } = results;
    fs.writeFileSync(
      path.join(dir, `${this.name}.json`),
      JSON.stringify({ numPassedTests, numFailedTests, numPendingTests, numRuntimeErrorTestSuites, numTotalTests }),
    );
  }
}

module.exports = ResultsReporter;
