/** @type {import('jest').Config} */
module.exports = {
  ...require('./jest-preset'),
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  testTimeout: 60_000,
};
