import { createVitest } from 'vitest/node';
import { vitestRunOptions } from '../../support/cli/args.ts';
import { AUDIT_REPORTER } from '../../support/harness/run-dir.ts';

/**
 * The reporters `npm test` passes to vitest, as vitest resolves them from the real configuration. (The
 * live run itself, its JUnit file and its self-test count, is checked in prod-safety.test.ts.)
 */

describe("vitest's reporter options", () => {
  async function resolved(args: string[]) {
    const { options } = vitestRunOptions(args);
    const vitest = await createVitest('test', { ...options, run: true, watch: false, project: ['unit'] }, {}, { stdout: process.stdout, stderr: process.stderr });
    try {
      const reporters = vitest.config.reporters.map((r) => (Array.isArray(r) ? r : [r, {}]) as [unknown, Record<string, unknown>]);
      const junit = reporters.find(([name]) => name === 'junit');
      // The junit reporter writes its own option's file if it has one, else the configured outputFile.junit.
      const junitFile = junit ? (junit[1].outputFile ?? (vitest.config.outputFile as Record<string, string>)?.junit) : undefined;
      return { names: reporters.map(([name]) => (typeof name === 'string' ? name : (name as object).constructor.name)), junitFile };
    } finally {
      await vitest.close();
    }
  }

  test('without --reporter the configured reporters apply, the JUnit file in reports/', async () => {
    const { names, junitFile } = await resolved([]);
    expect(names).toEqual(expect.arrayContaining(['default', 'junit', AUDIT_REPORTER]));
    expect(junitFile).toBe('reports/junit.xml');
  });

  test('--reporter=junit --outputFile.junit=F writes F, and the audit reporter is kept', async () => {
    const { names, junitFile } = await resolved(['--reporter=junit', '--outputFile.junit=elsewhere.xml']);
    expect(names).toEqual(['junit', AUDIT_REPORTER]);
    expect(junitFile).toBe('elsewhere.xml');
  });
});
