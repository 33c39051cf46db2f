// Shared Jest settings: TypeScript through SWC with decorator metadata (Nest DI needs it).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true, tsx: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // ESM-only packages Jest must compile: age-encryption and its (and otplib's) @scure/@noble dependencies.
  transformIgnorePatterns: ['/node_modules/\\.pnpm/(?!(@scure\\+base|@noble\\+[a-z-]+|age-encryption)@)'],
};
