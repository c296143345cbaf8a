import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVitest } from 'vitest/node';
import { vitestRunOptions } from '../../support/cli/args.ts';
import { startMock, type MockServer } from '../../support/mock/server.ts';
import { AUDIT_REPORTER } from '../../support/harness/run-dir.ts';
import { inheritedEnv, onlyRunFolder, spawnNode, STANDIN_TOKENS, standinEnv } from '../helpers/suite-run.ts';

async function runWrapper(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { exitCode, stdout, stderr } = await spawnNode(['support/cli/entry.mjs', ...args], { ...inheritedEnv(), NO_COLOR: '1', ...env }).finished;
  return { code: exitCode, stdout, stderr };
}

// One whole audit in a child process against a mock standing in for production. Should that run include the
// self-tests after all (the regression this catches), this file must not start another audit from inside it.
describe.skipIf(process.env.AUDIT_ENV === 'standin')('npm test -- --env <live> against a stand-in production', { timeout: 300_000 }, () => {
  let mock: MockServer;
  let dir: string;
  beforeAll(async () => {
    mock = await startMock(STANDIN_TOKENS);
    dir = mkdtempSync(join(tmpdir(), 'qta-live-run-'));
  });
  afterAll(async () => {
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('runs the 51 specs and no self-test, says so, and writes the JUnit file where --outputFile.junit says', async () => {
    const junit = join(dir, 'out.xml');
    const reportsDir = join(dir, 'reports');
    const result = await runWrapper(['--env', 'standin', '--reporter=dot', '--reporter=junit', `--outputFile.junit=${junit}`], { ...standinEnv(mock), AUDIT_REPORTS_DIR: reportsDir });
    const output = `${result.stdout}\n${result.stderr}`;

    expect(existsSync(junit), output).toBe(true);
    const cases = [...readFileSync(junit, 'utf8').matchAll(/<testcase classname="([^"]+)"/g)].map((m) => m[1]);
    expect(cases).toHaveLength(51);
    expect(cases.filter((file) => !file.startsWith('tests/spec/'))).toEqual([]);

    const summary = JSON.parse(readFileSync(join(onlyRunFolder(reportsDir, output), 'summary.json'), 'utf8'));
    expect(summary.totals.total).toBe(51);
    expect(summary.selfTests).toMatchObject({ ran: false, passed: 0, failed: 0 });
    expect(result.stdout).toContain('self-tests: not run');
    const closing = /^tests: (\d+) passed, (\d+) failed, (\d+) skipped$/m.exec(result.stdout);
    expect(closing, output).not.toBeNull();
    const [passed, failed, skipped] = closing!.slice(1).map(Number);
    expect(passed + failed + skipped).toBe(51);
  });
});

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
