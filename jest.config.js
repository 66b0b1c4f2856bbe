// Three tiers, one runner: unit tests beside the code, e2e over HTTP against a real database,
// browser tests in Debian's Chromium. `npm test` runs all three.
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] };
const common = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'] };

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/src', '<rootDir>/dev'],
      testMatch: ['**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      roots: ['<rootDir>/test/e2e'],
      testMatch: ['**/*.e2e-spec.ts'],
      setupFiles: ['<rootDir>/test/support/setup-env.ts'],
    },
    {
      ...common,
      displayName: 'browser',
      roots: ['<rootDir>/test/browser'],
      testMatch: ['**/*.browser-spec.ts'],
      setupFiles: ['<rootDir>/test/support/setup-env.ts'],
    },
  ],
  testTimeout: 30000,
  // On two cores jest would run every file in its own main process, one after another, and that
  // process's heap grows with each file's module registry (Nest, MikroORM, pdfkit…) until it runs
  // out (seen at ~4 GB, ~250 files in). With a limit, files run in a worker that is replaced
  // whenever it holds more than this after a file.
  workerIdleMemoryLimit: '1GB',
};
