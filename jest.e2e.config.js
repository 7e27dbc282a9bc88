/** Browser tests: playwright-core driving Debian's /usr/bin/chromium against twilio-run + the emulator. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/e2e'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'], '^.+\\.js$': ['@swc/jest'] },
  // As in jest.config.js: otplib's ESM-only dependencies (the authenticator test derives codes with it).
  transformIgnorePatterns: ['/node_modules/(?!(jose|@scure|@noble)/)'],
  testTimeout: 60000,
  maxWorkers: 1,
};
