import { defineConfig } from 'vitest/config';

/**
 * The self-tests that `npm run mutation` runs against each mutant of the checking code: fast, in-process and
 * pure — no spec project, no audit reporter, no mock or ClickHouse server. Stryker runs them in worker threads.
 */
export default defineConfig({
  test: {
    globals: true,
    include: [
      'tests/unit/contracts-*.test.ts',
      'tests/unit/catalogue-*.test.ts',
      'tests/unit/deep-predicates.test.ts',
      'tests/unit/implied-*.test.ts',
      'tests/e2e/implied-oracle.test.ts',
      'tests/unit/masking-*.test.ts',
      'tests/unit/reporter-invariants*.test.ts',
      'tests/unit/reporter-archive*.test.ts',
      'tests/unit/reporter-leaks*.test.ts',
      'tests/unit/verify-report*.test.ts',
      'tests/unit/write-gate*.test.ts',
      'tests/e2e/verify-report.test.ts',
    ],
    // Files stay isolated (vitest's default): Stryker's setup file, run per file, switches mutants on and
    // attributes coverage to tests; with isolate: false it ran once, and mutants survived untested.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
