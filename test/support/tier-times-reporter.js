/**
 * A jest reporter that prints, at the end of a run, how long each test tier
 * (the first folder under test/: abi, cluster, gitops-engines, ...) took:
 * the wall time from its first suite's start to its last suite's end, and the
 * sum of its suites' own times. .ci/run relies on it to show what each tier
 * costs (issue 13: CI prints what every build and tier took).
 */
const path = require('path');

class TierTimesReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const tiers = new Map();
    for (const suite of results.testResults) {
      const relative = path.relative(path.join(this.rootDir, 'test'), suite.testFilePath);
      const tier = relative.includes(path.sep) ? relative.split(path.sep)[0] : '(top level)';
      const { start, end } = suite.perfStats;
      if (!start || !end) continue;
      const t = tiers.get(tier) ?? { start, end, busy: 0, suites: 0 };
      t.start = Math.min(t.start, start);
      t.end = Math.max(t.end, end);
      t.busy += end - start;
      t.suites += 1;
      tiers.set(tier, t);
    }
    if (tiers.size === 0) return;
    const seconds = (ms) => `${(ms / 1000).toFixed(0)}s`;
    const lines = [...tiers].sort(([, a], [, b]) => b.busy - a.busy)
      .map(([tier, t]) => `  ${tier.padEnd(20)} ${String(t.suites).padStart(3)} suites  ${seconds(t.busy).padStart(6)} in suites  ${seconds(t.end - t.start).padStart(6)} wall`);
    process.stderr.write(`\nTest tier times (slowest first):\n${lines.join('\n')}\n`);
  }
}

module.exports = TierTimesReporter;
