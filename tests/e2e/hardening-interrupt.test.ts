import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMock, type MockServer } from '../../support/mock/server.ts';
import { verifyRunDir } from '../../reporters/audit/verify.ts';
import { descendantsOf, isRunning, readReport, runFoldersIn, standinEnv, STANDIN_TOKENS, startSuite, waitFor } from '../helpers/suite-run.ts';

/**
 * Interrupted runs end to end: section 1 runs against a stand-in mock (embedded ClickHouse, started by the
 * wrapper) and the wrapper gets a signal while 1.6's request is held by the mock. The run must stop after
 * 1.6 (which still loads its answer), write an INCOMPLETE report that verifies, and leave nothing behind:
 * no process of the run, no scratch folder, no ClickHouse data folder.
 */

let reportsDir: string;
let mock: MockServer;
beforeEach(async () => {
  reportsDir = mkdtempSync(join(tmpdir(), 'qta-hardening-signal-'));
  // 1.6 is the first request for one order (1.1–1.5 list orders): held long enough to send the signal meanwhile.
  mock = await startMock({ ...STANDIN_TOKENS, faults: [{ method: 'GET', path: '^/orders/\\d+$', kind: 'slow', delayMs: 1500, times: 1 }] });
});
afterEach(async () => {
  await mock.close();
  rmSync(reportsDir, { recursive: true, force: true });
});

test.each(['SIGINT', 'SIGTERM'] as const)('%s to the wrapper mid-run: the test in flight finishes, an INCOMPLETE report verifies, nothing is left behind', async (signal) => {
  const suite = startSuite({ envName: 'standin', reportsDir, args: ['tests/spec/1-orders.spec.ts'], env: standinEnv(mock) });
  const wrapperPid = suite.child.pid!;
  const endedEarly = suite.finished.then(() => Promise.reject(new Error(`the run ended before it was interrupted\n${suite.output()}`)));
  const during = <T>(what: string, condition: () => T | undefined | false) => Promise.race([waitFor(what, condition, 90_000), endedEarly]);

  const runDir = await during('the run folder with runtime.json', () => runFoldersIn(reportsDir).find((dir) => runtimeOf(dir)));
  // This run's own scratch folder: another run started in the same second has the same name prefix.
  const { scratchDir } = runtimeOf(runDir)!;
  expect(existsSync(scratchDir), `${scratchDir} exists during the run`).toBe(true);
  const clickhouse = descendantsOf(wrapperPid).filter((p) => p.command.includes('embedded-server.cjs'));
  expect(clickhouse, 'the run started one embedded ClickHouse').toHaveLength(1);
  const clickhouseDataDir = clickhouse[0].command.trim().split(' ').at(-1)!;
  await during('1.6 to send its request', () => mock.requests.some((r) => /\/api\/rest\/v1\/orders\/\d+$/.test(r.path)));
  // Everything the run started (ClickHouse, vitest's test workers) must end with it.
  const started = descendantsOf(wrapperPid);
  process.kill(wrapperPid, signal);

  const run = await suite.finished;
  expect({ exitCode: run.exitCode, signal: run.signal }, suite.output()).toEqual({ exitCode: 128 + constants.signals[signal], signal: null });
  expect(run.stderr).toContain(`${signal}: stopping after the current test`);
  await waitFor('every process of the run to exit with it', () => started.every((p) => !isRunning(p.pid)), 10_000).catch(() => {
    throw new Error(`still running after the run ended: ${started.filter((p) => isRunning(p.pid)).map((p) => `${p.pid} ${p.command}`).join('; ')}`);
  });
  // The global teardown ran: the private scratch folder (raw ids) and ClickHouse's temporary data are gone.
  expect(existsSync(scratchDir), `${scratchDir} removed`).toBe(false);
  expect(existsSync(clickhouseDataDir), `${clickhouseDataDir} removed`).toBe(false);

  const report = readReport(runDir);
  expect(report.summary).toMatchObject({ incomplete: true, interruption: `interrupted by ${signal}`, status: 'Issues Found', violations: [] });
  expect(report.auditMd).toContain(`> **INCOMPLETE**: the run was interrupted (interrupted by ${signal})`);
  for (const id of ['1.1', '1.2', '1.3', '1.4', '1.5']) expect(report.spec(id).result, `${id} ran before the signal`).toBe('passed');
  // 1.6 was in flight: it loaded its one order after the signal instead of being cut off.
  expect(report.summary.specs.find((s) => s.id === '1.6')).toMatchObject({ runRows: { stg_qtickets_api_orders_raw: 1 } });
  for (const id of ['1.7', '1.8', '1.9', '1.10']) expect(report.spec(id).reason, id).toBe(`not executed (run interrupted: interrupted by ${signal})`);
  // The run ended through vitest, not the exit hook: ClickHouse was measured after the last write.
  expect(report.summary.measurement.measured).toBe(true);
  expect(report.events.at(-1)).toMatchObject({ event: 'run_end', incomplete: true });

  expect(verifyRunDir(runDir, Object.values(STANDIN_TOKENS)).problems).toEqual([]);
}, 150_000);

/** The run's runtime.json once it is fully written. */
function runtimeOf(runDir: string): { scratchDir: string } | undefined {
  try {
    return JSON.parse(readFileSync(join(runDir, 'runtime.json'), 'utf8'));
  } catch {
    return undefined;
  }
}
