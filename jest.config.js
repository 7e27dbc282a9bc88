/** Unit, integration and contract tests. Browser tests live in jest.e2e.config.js. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/tests/e2e/'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'], '^.+\\.js$': ['@swc/jest'] },
  // otplib (tests only, the independent TOTP implementation) depends on ESM-only packages.
  transformIgnorePatterns: ['/node_modules/(?!(@scure|@noble)/)'],
  testTimeout: 30000,
};
