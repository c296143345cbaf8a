import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createVitest, type Vitest } from 'vitest/node';
import AuditReporter from '../../reporters/audit-reporter.ts';
import { verifyRunDir } from '../../reporters/audit/verify.ts';
import type { Summary } from '../../reporters/audit/model.ts';
import { repoRoot } from '../../support/paths.ts';
import { PLANTED_TOKEN, fakeMeasure, writeRunFiles } from '../helpers/fixtures/reporter/sample-run.ts';

/**
 * The reporter inside a real vitest run: a spec-like test file that fills task.meta.audit, a self-test file,
 * `-t` filtering, a fake ClickHouse — then verify-report on what it wrote. Also a run stopped midway.
 */

const FIXTURES = 'tests/helpers/fixtures/reporter';
const SELECTED = '^(?!4\\.2 )'; // every test but 4.2: it shows up as "not selected"

let root: string;
let saved: { exitCode: typeof process.exitCode; env: NodeJS.ProcessEnv };
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'audit-e2e-'));
  saved = { exitCode: process.exitCode, env: { ...process.env } };
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  process.exitCode = saved.exitCode;
  process.env = saved.env;
});

async function fixtureVitest(runDir: string, env: Record<string, string>): Promise<Vitest> {
  writeRunFiles(runDir);
  return createVitest(
    'test',
    {
      config: false,
      root: repoRoot,
      watch: false,
      testNamePattern: SELECTED,
      reporters: [new AuditReporter({ runDir, secrets: () => [PLANTED_TOKEN], measureClickHouse: fakeMeasure({ wrote: { stg_qtickets_api_orders_raw: 3, fact_qtickets_sales_daily: 1 } }) })],
      projects: [
        { test: { name: 'spec', include: [`${FIXTURES}/spec-like.fixture.ts`], pool: 'forks', env: { FIXTURE_RUN_DIR: runDir, ...env } } },
        { test: { name: 'unit', include: [`${FIXTURES}/self.fixture.ts`], pool: 'forks', env } },
      ],
    },
    {},
    { stdout: new (await import('node:stream')).PassThrough(), stderr: new (await import('node:stream')).PassThrough() },
  );
}

const summaryOf = (runDir: string) => JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Summary;
const spec = (s: Summary, id: string) => s.specs.find((x) => x.id === id)!;

test('a vitest run with the reporter writes a report that verifies', async () => {
  const runDir = join(root, '20251126_100000');
  const vitest = await fixtureVitest(runDir, { FIXTURE_SELF_FAIL: 'yes' });
  await vitest.start();
  await vitest.close();

  const s = summaryOf(runDir);
  expect(s.totals).toMatchObject({ total: 51, passed: 4, failed: 1, skipped: 45, denied: 1 });
  expect(spec(s, '1.1')).toMatchObject({ result: 'passed', endpoint: 'GET /orders', status: 200, runRows: { stg_qtickets_api_orders_raw: 3, fact_qtickets_sales_daily: 1 } });
  expect(spec(s, '2.4')).toMatchObject({ result: 'skipped', reason: "prerequisite not found: no clientEmail in this run's answers" });
  expect(spec(s, '3.7')).toMatchObject({ result: 'failed', status: 404, contentType: 'text/html' });
  expect(spec(s, '3.7').reason).toContain('status of GET /shows/41/seats');
  expect(spec(s, '4.2')).toMatchObject({ result: 'skipped', reason: 'not selected' });
  expect(spec(s, '6.1')).toMatchObject({ result: 'denied', code: 'WRONG_AUTHORIZATION' });
  expect(spec(s, '1.2')).toMatchObject({ result: 'skipped', reason: 'not executed (not collected in this run)' });
  // A failing self-test is not a matrix row, but the run is not OK.
  expect(s.selfTests).toMatchObject({ passed: 1, failed: 1, failures: [{ name: 'a self-test that can fail' }] });
  expect(s.status).toBe('Issues Found');
  expect(s.violations).toEqual([]);
  expect(s.leakScan).toMatchObject({ secretsChecked: 1, findings: [] });
  expect(readFileSync(join(runDir, 'audit.md'), 'utf8')).toContain('- **Self-tests**: 1 passed, 1 failed (not matrix rows)');
  expect(verifyRunDir(runDir, [PLANTED_TOKEN]).problems).toEqual([]);
});

test('a run without the spec project writes no report', async () => {
  const runDir = join(root, '20251126_100000');
  const vitest = await createVitest('test', { config: false, root: repoRoot, watch: false, reporters: [new AuditReporter({ runDir })], projects: [{ test: { name: 'unit', include: [`${FIXTURES}/self.fixture.ts`], pool: 'forks' } }] }, {}, { stdout: new (await import('node:stream')).PassThrough(), stderr: new (await import('node:stream')).PassThrough() });
  await vitest.start();
  await vitest.close();
  expect(existsSync(runDir)).toBe(false);
});

test('a run cancelled midway is written INCOMPLETE and verifies', async () => {
  const runDir = join(root, '20251126_100000');
  const vitest = await fixtureVitest(runDir, { FIXTURE_SLOW: '1500' });
  const run = vitest.start();
  await until(() => readFileSync(join(runDir, 'run.jsonl'), 'utf8').includes('"event":"test_start","test_id":"7.3"') || readFileSync(join(runDir, 'run.jsonl'), 'utf8').includes('"test_id":"7.2","spec_ref"'));
  await vitest.cancelCurrentRun('keyboard-input');
  await run;
  await vitest.close();

  const s = summaryOf(runDir);
  expect(s.incomplete).toBe(true);
  expect(s.interruption).toBe('run cancelled');
  expect(spec(s, '7.2').result).toBe('passed');
  expect(spec(s, '7.5')).toMatchObject({ result: 'skipped', reason: 'not executed (run interrupted: run cancelled)' });
  expect(readFileSync(join(runDir, 'audit.md'), 'utf8')).toContain('> **INCOMPLETE**');
  expect(verifyRunDir(runDir).problems).toEqual([]);
});

test('Ctrl-C on a vitest process: the exit hook writes the report, INCOMPLETE, and it verifies', async () => {
  const runDir = join(root, '20251126_100000');
  writeRunFiles(runDir);
  const configDir = join(root, 'config');
  mkdirSync(configDir);
  const config = {
    root: repoRoot,
    test: {
      reporters: [[join(repoRoot, 'reporters/audit-reporter.ts'), { runDir, measureClickHouse: 'off' }]],
      projects: [{ test: { name: 'spec', include: [`${FIXTURES}/spec-like.fixture.ts`], pool: 'forks', env: { FIXTURE_RUN_DIR: runDir, FIXTURE_SLOW: '20000' } } }],
    },
  };
  writeFileSync(join(configDir, 'vitest.config.mjs'), `export default ${JSON.stringify(config)};\n`);
  const child = spawn(process.execPath, [join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--config', join(configDir, 'vitest.config.mjs')], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await until(() => existsSync(join(runDir, 'run.jsonl')) && readFileSync(join(runDir, 'run.jsonl'), 'utf8').includes('"test_id":"7.2","spec_ref"'), 60_000);
  child.kill('SIGINT');
  const code = await exited;

  expect(code, output).not.toBe(0);
  const s = summaryOf(runDir);
  expect(s.incomplete).toBe(true);
  expect(s.interruption).toBe('interrupted by SIGINT');
  expect(spec(s, '1.1').result).toBe('passed');
  expect(spec(s, '7.3')).toMatchObject({ result: 'skipped', reason: 'not executed (run interrupted: interrupted by SIGINT)' });
  expect(s.measurement).toMatchObject({ measured: false, reason: 'not measured: interrupted by SIGINT' });
  expect(verifyRunDir(runDir).problems).toEqual([]);
});

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (condition()) return;
    } catch {
      // the file may not exist yet
    }
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}
