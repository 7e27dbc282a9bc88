/** Browser tests: playwright-core driving Debian's /usr/bin/chromium against twilio-run + the emulator. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/e2e'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'], '^.+\\.js$': ['@swc/jest'] },
  // As in jest.config.js: otplib's ESM-only dependencies (the authenticator test derives codes with it).
  transformIgnorePatterns: ['/node_modules/(?!(jose|@scure|@noble)/)'],
  // Every answer a page receives from a function is checked against the OpenAPI document.
  setupFilesAfterEnv: ['<rootDir>/tests/e2e/helpers/contract-guard.ts'],
  testTimeout: 60000,
  maxWorkers: 1,
};
