'use strict';
// Mocha's spec reporter plus the plain closing line CI reads ("N passed, N failed"); hook
// failures count as failures, as they do in mocha's own summary.
const Mocha = require('mocha');

class CobrabotReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const s = this.stats;
      console.log(`\n${s.passes} passed, ${s.failures} failed${s.pending ? `, ${s.pending} skipped` : ''}`);
    });
  }
}

module.exports = CobrabotReporter;
