/** @type {import('jest').Config} */
module.exports = {
  ...require('@dumpstation/testing/jest-preset'),
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  // One PostgreSQL 17 (the service's own database server) per run; each test file makes its own databases.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};
