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
      'tests/unit/masking-*.test.ts',
      'tests/unit/reporter-invariants*.test.ts',
      'tests/unit/reporter-archive*.test.ts',
      'tests/unit/reporter-leaks*.test.ts',
      'tests/unit/verify-report*.test.ts',
    ],
    // These files share no state: one module graph for all of them saves re-importing it for every mutant.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
