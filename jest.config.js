/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  // What each tier (test/<tier>/) took, printed after the run.
  reporters: ['default', '<rootDir>/test/support/tier-times-reporter.js'],
  // Control planes take seconds to start; the default 5 s is for unit tests.
  testTimeout: 60_000,
  // Jest's default is one worker per core minus one: a single worker on a 2-core CI machine,
  // where the engine and cluster tiers spend most of their time waiting on real controllers.
  // Two workers keep `.ci/run` warm inside 15 minutes (926 s with one).
  maxWorkers: 2,
};
