/** @type {import('jest').Config} */
module.exports = {
  ...require('@dumpstation/testing/jest-preset'),
  rootDir: '.',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  testTimeout: 120_000,
};
