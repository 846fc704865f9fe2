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
};
