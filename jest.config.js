/** Unit, integration and contract tests. Browser tests live in jest.e2e.config.js. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/tests/e2e/'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'], '^.+\\.js$': ['@swc/jest'] },
  // ESM-only packages swc turns into CommonJS for jest (as esbuild does for the bundles): jose,
  // and what otplib (tests only, the independent TOTP implementation) depends on.
  transformIgnorePatterns: ['/node_modules/(?!(jose|@scure|@noble)/)'],
  testTimeout: 30000,
};
