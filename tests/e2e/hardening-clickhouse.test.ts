import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedClickHouse, type EmbeddedClickHouse } from '../../support/clickhouse/embedded.ts';
import { startMock, type MockServer } from '../../support/mock/server.ts';
import { verifyRunDir } from '../../reporters/audit/verify.ts';
import { isRunning, onlyRunFolder, readReport, runFoldersIn, runSuite, standinEnv, STANDIN_TOKENS, startSuite, waitFor } from '../helpers/suite-run.ts';

/**
 * ClickHouse faults end to end: an unreachable ClickHouse stops the run before any test with one message;
 * a ClickHouse lost in the middle of a run fails the specs that need it with a ClickHouse message, keeps the
 * earlier results, and the report is still written (saying the final counts could not be measured).
 */

let reportsDir: string;
beforeEach(() => {
  reportsDir = mkdtempSync(join(tmpdir(), 'qta-hardening-ch-'));
});
afterEach(() => {
  rmSync(reportsDir, { recursive: true, force: true });
});

test.each(['mock', 'standin'])('--env %s with an unreachable CLICKHOUSE_URL: exit 2, one message on stderr, no test ran', async (envName) => {
  // Nothing listens there: the standin's API addresses are never contacted either.
  const env = { CLICKHOUSE_URL: 'http://127.0.0.1:1', ...(envName === 'standin' ? standinEnv({ restBaseUrl: 'http://127.0.0.1:1/api/rest/v1', partnersBaseUrl: 'http://127.0.0.1:1/api/partners/v1' }) : {}) };
  const run = await runSuite({ envName, reportsDir, env });
  const output = `${run.stdout}\n${run.stderr}`;

  expect(run.exitCode, output).toBe(2);
  const lines = run.stderr.split('\n').filter((line) => line.trim() !== '');
  expect(lines, output).toEqual([
    'ClickHouse at http://127.0.0.1:1 is not reachable (ECONNREFUSED). Check CLICKHOUSE_URL.',
    'Nothing was run. See README.md ("Configuration").',
  ]);
  expect(run.stdout, 'vitest never started').not.toMatch(/Test Files|FAIL|✓|×/);
  expect(runFoldersIn(reportsDir), 'no report folder: no test ran').toEqual([]);
}, 60_000);

describe('ClickHouse lost in the middle of a run', () => {
  let clickhouse: EmbeddedClickHouse;
  let mock: MockServer;

  beforeEach(async () => {
    clickhouse = await startEmbeddedClickHouse();
    // Section 2 runs 2.1 → 2.4 in order. 2.3's request (a denied probe) is held for a while: long enough
    // to take ClickHouse away after 2.3 counted its rows and before it checks its deltas.
    mock = await startMock({ ...STANDIN_TOKENS, faults: [{ method: 'POST', path: '^/clients$', kind: 'slow', delayMs: 2000, times: 1 }] });
  }, 60_000);
  afterEach(async () => {
    await mock?.close();
    await clickhouse?.stop();
  });

  test('the specs after the loss fail with a ClickHouse message, the earlier ones passed, the report is still written', async () => {
    const suite = startSuite({ envName: 'standin', reportsDir, args: ['tests/spec/2-clients.spec.ts'], env: { ...standinEnv(mock), CLICKHOUSE_URL: clickhouse.url } });
    const writeProbed = () => mock.requests.some((r) => r.method === 'POST' && r.path.endsWith('/api/rest/v1/clients'));
    const endedEarly = suite.finished.then(() => Promise.reject(new Error(`the run ended before 2.3 sent its request\n${suite.output()}`)));
    await Promise.race([waitFor('2.3 to send POST /clients', writeProbed, 90_000), endedEarly]);
    process.kill(clickhouse.pid, 'SIGKILL');
    await waitFor('ClickHouse to be gone', () => !isRunning(clickhouse.pid), 10_000);

    const run = await suite.finished;
    const report = readReport(onlyRunFolder(reportsDir, suite.output()));
    expect(run.exitCode, suite.output()).toBe(1);
    for (const id of ['2.1', '2.2']) expect(report.spec(id), `${id} ran before the loss`).toMatchObject({ result: 'passed' });
    for (const id of ['2.3', '2.4']) {
      const spec = report.spec(id);
      expect(spec.result, id).toBe('failed');
      expect(spec.reason, id).toBe(`ClickHouse at ${clickhouse.url} is not reachable any more (ECONNREFUSED): it answered when the run started and was lost during the run`);
    }

    expect(report.summary.measurement).toMatchObject({ measured: false });
    expect(report.summary.measurement.reason).toMatch(/^ClickHouse could not be measured at the end of the run/);
    expect(report.auditMd).toContain('**After-counts could not be measured**');
    expect(report.summary).toMatchObject({ incomplete: false, status: 'Issues Found' });
    expect(verifyRunDir(report.runDir, Object.values(STANDIN_TOKENS)).problems).toEqual([]);
  }, 150_000);
});
