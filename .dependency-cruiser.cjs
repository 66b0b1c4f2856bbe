/**
 * The architecture's boundaries, checked by `npm run lint`:
 * - no import cycles, between files or between features (folders under src/);
 * - a feature reaches another only through that feature's `index.ts` (what its module offers);
 *   `src/shared/` and `src/config/` are the kernel every feature may use, and the composition
 *   roots (`src/*.ts`: app module, app factory, main, CLIs) wire features together;
 * - nothing in src/ imports the dev stand-ins or the benchmark;
 * - only src/finance knows a finance-system adapter.
 * Tests, test factories and `testing/` folders may reach inside a feature.
 */
const TEST_CODE = ['\\.spec\\.ts$', '\\.test-factory\\.ts$', '/testing/'];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: split the shared part out, or invert the dependency.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'feature-public-api-only',
      severity: 'error',
      comment: 'Import another feature through its index.ts, never a file inside it.',
      from: { path: '^src/([^/]+)/', pathNot: TEST_CODE },
      to: {
        path: '^src/[^/]+/.+',
        pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$', '^src/(shared|config)/'],
      },
    },
    {
      name: 'src-not-to-dev-or-bench',
      severity: 'error',
      comment: 'Production code must not import the dev stand-ins or the benchmark.',
      from: { path: '^src/', pathNot: TEST_CODE },
      to: { path: '^(dev|bench)/' },
    },
    {
      name: 'src-not-to-dev-dependencies',
      severity: 'error',
      comment:
        'Production code runs without devDependencies (npm ci --omit=dev): what it imports is a dependency.',
      from: { path: '^src/', pathNot: TEST_CODE },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'finance-adapters-stay-in-finance',
      severity: 'error',
      comment: 'Use the FinanceSystem port; adapters are wired in src/finance only.',
      from: { path: '^src/', pathNot: ['^src/finance/', '^src/[^/]+\\.ts$', ...TEST_CODE] },
      to: { path: '^src/finance/(ledger/|http-finance-|visma/|xledger/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/', '^bench/\\.out/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
