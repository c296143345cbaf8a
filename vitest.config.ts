import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { configDefaults, defineConfig } from 'vitest/config';
import { availableParallelism } from 'node:os';
import { SpecAllureReporter } from './support/allure-reporter.ts';
import { handedOnSettings } from './support/config/hand-on.ts';
import { AUDIT_REPORTER } from './support/harness/run-dir.ts';

// What `npm test` read and checked; vitest started directly has none, and its spec project says so (global setup).
const settings = handedOnSettings();

/**
 * Spec files run in section order: later sections use ids that earlier answers revealed. Self-test files
 * keep vitest's own order (the slowest first, from its results cache), which packs the workers best.
 */
class SectionOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const isSpec = (file: TestSpecification) => file.project.name === 'spec';
    const sections = ordered.filter(isSpec).sort((a, b) => a.moduleId.localeCompare(b.moduleId, 'en', { numeric: true }));
    return [...sections, ...ordered.filter((file) => !isSpec(file))];
  }
}

export default defineConfig({
  test: {
    // The audit reporter comes last, so its summary is the last thing printed.
    reporters: [
      'default',
      new SpecAllureReporter('spec', settings && { envName: settings.config.envName, runId: settings.runId }),
      'junit',
      [AUDIT_REPORTER, { specProject: 'spec', runDir: settings?.runDir, baseline: settings?.config.baseline }],
    ],
    // Here, not in the junit reporter's options: vitest keeps a configured reporter's options when the command
    // line names that reporter again, and they would win over `--outputFile.junit`.
    outputFile: { junit: 'reports/junit.xml' },
    // vitest reads the sequencer from the root config only.
    sequence: { sequencer: SectionOrder },
    // chdb crashes inside worker_threads: every test file runs in a child process.
    pool: 'forks',
    // The self-tests mostly wait on child processes (audit runs, engines, mocks): on 2 cores, vitest's
    // default of one worker per core but one left them waiting in line (135 s instead of about 80 s).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globals: true,
    // `npm run mutation` copies the repository, tests included, into .stryker-tmp.
    exclude: [...configDefaults.exclude, '.stryker-tmp/**'],
    projects: [
      {
        extends: true,
        test: {
          name: 'spec',
          include: ['tests/spec/**/*.spec.ts'],
          ...(settings && { provide: { settings } }),
          globalSetup: ['support/harness/global-setup.ts'],
          setupFiles: ['support/harness/worker-signals.ts'],
          // One spec at a time, in catalogue order: a live API is audited politely, and `_ver` grows per test.
          fileParallelism: false,
          // The spec files share nothing in memory, so one worker can run them all: no per-file start-up.
          isolate: false,
          sequence: { groupOrder: 0 },
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          // Pure and in-process tests: nothing here loads chdb, so worker threads will do, and the files share
          // a worker's loaded modules (no test here changes module state another relies on).
          pool: 'threads',
          isolate: false,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // Self-tests that start child processes, engines or whole audit runs, in child processes (the
          // root's pool). Each file cleans up what it starts, so the files share the workers' loaded modules
          // instead of each paying a worker's start-up.
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          isolate: false,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
