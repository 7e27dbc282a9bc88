/** Unit, integration and contract tests. Browser tests live in jest.e2e.config.js. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/tests/e2e/'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  testTimeout: 30000,
};
