import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { catalogue } from '../../support/catalogue/index.ts';
import { CSV_HEADER, parseCsv } from '../../reporters/audit/clickhouse.ts';
import { parseJsonl } from '../../reporters/audit/events.ts';
import { verifyRunDir } from '../../reporters/audit/verify.ts';
import { PLANTED_TOKEN, fakeMeasure, produceRun, sampleCases, unreachableClickHouse } from '../helpers/fixtures/reporter/sample-run.ts';

let root: string;
let exitCode: typeof process.exitCode;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'audit-session-'));
  exitCode = process.exitCode;
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  process.exitCode = exitCode; // the session sets 1 for a run with violations; the self-tests must not inherit it
});

const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

describe('a complete run', () => {
  test('writes every output, consistent and verifiable', async () => {
    const measure = fakeMeasure();
    const { runDir, result, printed } = await produceRun(root, '20251126_100000', { measure });
    expect(result!.problems).toEqual([]);
    expect(result!.summary.violations).toEqual([]);
    expect(readdirSync(runDir).sort()).toEqual(
      ['DONE.txt', 'artifacts', 'audit.md', 'clickhouse-before.json', 'clickhouse_counts.csv', 'openapi.json', 'qtickets_audit_20251126_100000.zip', 'qtickets_audit_20251126_100000.zip.sha256', 'run.jsonl', 'runtime.json', 'summary.json'].sort(),
    );
    const s = result!.summary;
    expect(s.totals).toEqual({ total: 51, passed: 4, failed: 2, skipped: 44, denied: 1, executed: 7, artifacts: 8 });
    expect(s.selfTests).toMatchObject({ passed: 2, failed: 0 });
    expect(s.status).toBe('Issues Found');
    expect(verifyRunDir(runDir, [PLANTED_TOKEN]).problems).toEqual([]);
    expect(printed.join('')).toContain('SHA256 ' + s.archive.sha256);
    // The job run went to ClickHouse before the after-snapshot, with the rows the tests wrote.
    expect(measure.calls[0]).toMatchObject({ status: 'error', rowsPerTable: { stg_qtickets_api_orders_raw: 30, stg_qtickets_api_partner_tickets_raw: 2 } });
  });

  test('the matrix shows what was sent and received, in catalogue order, with each result class', async () => {
    const { runDir } = await produceRun(root, '20251126_100000');
    const md = read(runDir, 'audit.md');
    const row = (id: string) => md.split('\n').find((l) => l.startsWith(`| ${id} |`))!;
    const matrix = md.slice(md.indexOf('## 3. Test Matrix'), md.indexOf('## 4.'));
    expect(matrix.split('\n').filter((l) => /^\| \d+\.\d+ \|/.test(l)).map((l) => l.split(' | ')[0].slice(2))).toEqual(catalogue.map((s) => s.id));
    expect(row('1.1')).toContain('`GET /orders`');
    expect(row('1.1')).toContain('200 application/json · passed [mock]');
    expect(row('1.1')).toContain('+30 stg_qtickets_api_orders_raw, +5 fact_qtickets_sales_daily');
    expect(row('1.3')).toContain('No change');
    expect(row('3.7')).toContain('`GET /shows/41/seats`');
    expect(row('3.7')).toContain('404 text/html · failed: 3.7 Seats of one show: - expected 200 a JSON answer, got 404 text/html [mock]');
    expect(row('6.1')).toContain('200 application/json status:"error" WRONG_AUTHORIZATION · denied as expected');
    expect(row('2.4')).toContain('skipped: prerequisite not found');
    expect(row('4.2')).toContain('skipped: not selected');
    expect(row('1.2')).toContain('skipped: not executed (not collected in this run)');
    expect(row('5.1')).toContain('no answer (ECONNRESET) · failed: network failure: ECONNRESET');
    expect(md).toContain('- **Overall status**: Issues Found');
    expect(md).toContain('- **Self-tests**: 2 passed, 0 failed');
    expect(md).toContain('> **MOCK RUN**');
  });

  test('Errors & Retries list every error answer (expected ones marked), every failure and every retry', async () => {
    const { runDir } = await produceRun(root, '20251126_100000');
    const md = read(runDir, 'audit.md');
    const errors = md.slice(md.indexOf('## 5.'), md.indexOf('## 6.'));
    expect(errors).toContain('### Error answers (5)');
    expect(errors).toMatch(/\| 3\.7 \| spec \| `GET \/shows\/41\/seats` \| 404 text\/html \| unexpected \|/);
    expect(errors).toMatch(/\| 3\.7 \| deviation \| `GET \/events\/33\/seats\/41` \| 404 text\/html \| literal probe \|/);
    expect(errors).toMatch(/\| 7\.2 \| spec \| `GET \/orders\/999999999` \| 404 application\/json RESOURCE_NOT_FOUND \| expected \|/);
    expect(errors).toMatch(/\| 6\.1 \| denied-probe .* WRONG_AUTHORIZATION \| expected \|/);
    expect(errors).toContain('### Test failures (2)');
    expect(errors).toContain('### Retries (3)');
    expect(errors).toMatch(/\| 1\.1 \| `GET \/orders` \| 1 \| 1000 ms \| 503 application\/json \|/);
  });

  test('run.jsonl: stages in order, one start and result per spec, every exchange and retry, true UTC never decreasing', async () => {
    const { runDir, result } = await produceRun(root, '20251126_100000');
    const events = parseJsonl(read(runDir, 'run.jsonl'));
    expect(events.filter((e) => e.event === 'stage').map((e) => e.stage)).toEqual(['Stage1', 'Stage2', 'Stage3']);
    expect(events.filter((e) => e.event === 'test_result')).toHaveLength(51);
    expect(events.filter((e) => e.event === 'exchange')).toHaveLength(8);
    expect(events.filter((e) => e.event === 'retry')).toHaveLength(3);
    const ts = events.map((e) => e.ts);
    expect(ts.every((t) => /Z$/.test(t))).toBe(true);
    expect([...ts].sort()).toEqual(ts);
    const stage2 = events.find((e) => e.stage === 'Stage2')!;
    expect(stage2).toMatchObject({ tests_executed: 51, passed: 4, failed: 2, skipped: 44, denied: 1, artifacts_generated: 8 });
    const network = events.find((e) => e.event === 'test_result' && e.test_id === '5.1')!;
    expect(network).toMatchObject({ status: 'error', outcome: 'failed' });
    expect(network.notes).toEqual(['exception: network failure: ECONNRESET']);
    expect(result!.summary.timing.startedAt).toBe(ts[0]);
    expect(result!.summary.timing.finishedAt).toBe(ts.at(-1));
  });

  test('clickhouse_counts.csv: measured after − before, before from the pre-run snapshot, rows the tests wrote', async () => {
    const { runDir } = await produceRun(root, '20251126_100000');
    const text = read(runDir, 'clickhouse_counts.csv');
    expect(text.split('\n')[0]).toBe(CSV_HEADER);
    const rows = parseCsv(text);
    expect(rows).toHaveLength(11);
    expect(rows.find((r) => r.table === 'stg_qtickets_api_orders_raw')).toMatchObject({ before: 100, after: 130, delta: 30, runRows: 30, uniqueAfter: 120 });
    expect(rows.find((r) => r.table === 'meta_job_runs')).toMatchObject({ before: 3, after: 4, delta: 1, runRows: 0, maxVer: '' });
  });

  test('archive: the expected files, receipts agree, sha256sum accepts the .sha256 file', async () => {
    const { runDir, result } = await produceRun(root, '20251126_100000');
    const name = 'qtickets_audit_20251126_100000.zip';
    const entries = Object.keys(unzipSync(readFileSync(join(runDir, name)))).sort();
    expect(entries).toContain('audit.md');
    expect(entries).toContain('artifacts/3.7/01-spec.json');
    expect(entries.filter((e) => !e.startsWith('artifacts/'))).toEqual(['audit.md', 'clickhouse_counts.csv', 'openapi.json', 'run.jsonl', 'summary.json']);
    const done = read(runDir, 'DONE.txt');
    const hash = result!.summary.archive.sha256!;
    expect(done).toContain(`SHA256: ${hash}`);
    expect(done).toContain(`Size: ${readFileSync(join(runDir, name)).length}`);
    expect(read(runDir, 'audit.md')).toContain(`**SHA256**: ${hash}`);
    const zipped = new TextDecoder().decode(unzipSync(readFileSync(join(runDir, name)))['audit.md']);
    expect(zipped).toContain('**SHA256**: see DONE.txt');
    expect(execFileSync('sha256sum', ['-c', `${name}.sha256`], { cwd: runDir, encoding: 'utf8' })).toContain(`${name}: OK`);
  });

  test('no output holds the planted token', async () => {
    const { runDir } = await produceRun(root, '20251126_100000');
    expect(() => execFileSync('grep', ['-r', '-l', PLANTED_TOKEN, runDir])).toThrow(); // grep exits 1: not found
    const zip = unzipSync(readFileSync(join(runDir, 'qtickets_audit_20251126_100000.zip')));
    for (const bytes of Object.values(zip)) expect(Buffer.from(bytes).includes(PLANTED_TOKEN)).toBe(false);
  });

  test('a run without self-tests says they were not run, not "0 passed, 0 failed"', async () => {
    const { runDir, result, printed } = await produceRun(root, '20251126_100000', { selfTestsInRun: false, cases: (dir) => sampleCases(dir).filter((c) => c.project === 'spec') });
    expect(result!.summary.selfTests).toMatchObject({ ran: false, passed: 0, failed: 0 });
    const md = read(runDir, 'audit.md');
    expect(md).toContain('- **Self-tests**: not run');
    expect(md).not.toMatch(/Self-tests\*\*: 0 passed/);
    const console = printed.join('');
    expect(console).toContain('self-tests: not run');
    const t = result!.summary.totals;
    expect(console).toContain(`tests: ${t.passed + t.denied} passed, ${t.failed} failed, ${t.skipped} skipped`);
    expect(verifyRunDir(runDir, [PLANTED_TOKEN]).problems).toEqual([]);
  });
});

describe('honest failure modes', () => {
  test('a leaked token in an artifact fails the run, and the report shows it masked', async () => {
    const { runDir, result } = await produceRun(root, '20251126_100000', {
      cases: (dir) => {
        const cases = sampleCases(dir);
        writeFileSync(join(dir, 'artifacts', '1.1', '01-spec.json'), readFileSync(join(dir, 'artifacts', '1.1', '01-spec.json'), 'utf8').replace('redacted', PLANTED_TOKEN));
        return cases;
      },
    });
    const s = result!.summary;
    expect(s.leakScan.findings).toEqual([{ file: 'artifacts/1.1/01-spec.json', kind: 'secret', excerpt: expect.stringMatching(/^masked:[0-9a-f]{8}$/) }]);
    expect(s.checklist.find((c) => c.key === 'no-leaks')!.ok).toBe(false);
    expect(process.exitCode).toBe(1);
    expect(read(runDir, 'audit.md')).not.toContain(PLANTED_TOKEN);
    expect(result!.problems.some((p) => p.startsWith('leak in artifacts/1.1/01-spec.json: secret masked:'))).toBe(true);
  });

  test('ClickHouse unreachable at the end: the report says so and invents no number', async () => {
    const { runDir, result } = await produceRun(root, '20251126_100000', { measure: unreachableClickHouse });
    const md = read(runDir, 'audit.md');
    expect(md).toContain('**After-counts could not be measured**: ClickHouse could not be measured at the end of the run: connect ECONNREFUSED');
    expect(md).toMatch(/\| stg_qtickets_api_orders_raw \| 100 \| not measured \| not measured \| 30 \| not measured \|/);
    expect(parseCsv(read(runDir, 'clickhouse_counts.csv'))[0]).toMatchObject({ before: 100, after: null, delta: null, uniqueAfter: null });
    expect(result!.summary.checklist.find((c) => c.key === 'tables-have-records')).toMatchObject({ ok: false });
    expect(result!.problems).toEqual([]);
  });

  test('a facts mismatch or an extra meta_job_runs row is an invariant violation that fails the run', async () => {
    const { result } = await produceRun(root, '20251126_100000', { measure: fakeMeasure({ factsMismatch: true, after: { meta_job_runs: 5 } }) });
    const found = result!.summary.violations.map((v) => v.invariant).sort((a, b) => a - b);
    expect(found).toEqual([5, 10]);
    expect(result!.summary.status).toBe('Issues Found');
    expect(process.exitCode).toBe(1);
    expect(result!.problems).toContain('the run itself recorded 2 invariant violation(s)');
  });

  test('an interrupted run is written INCOMPLETE with what ran, and still verifies', async () => {
    const { runDir, result } = await produceRun(root, '20251126_100000', { interruptAfter: 3 });
    const s = result!.summary;
    expect(s.incomplete).toBe(true);
    expect(s.totals).toMatchObject({ total: 51, passed: 2, skipped: 49 });
    const md = read(runDir, 'audit.md');
    expect(md).toContain('> **INCOMPLETE**: the run was interrupted (interrupted by SIGINT). 48 of 51 specs did not execute');
    expect(md.split('\n').find((l) => l.startsWith('| 7.2 |'))).toContain('not executed (run interrupted: interrupted by SIGINT)');
    expect(md).toContain('After-counts could not be measured**: not measured: interrupted by SIGINT');
    expect(result!.problems).toEqual([]);
    expect(verifyRunDir(runDir).problems).toEqual([]);
  });

  test('the next run compares itself with a verified previous run only', async () => {
    await produceRun(root, '20251126_100000');
    const second = await produceRun(root, '20251126_110000', {
      cases: (dir) => sampleCases(dir).map((c) => (c.name.startsWith('3.7') ? { ...c, state: 'passed' as const, errors: [], evidence: { ...c.evidence!, result: 'passed' as const, exchanges: c.evidence!.exchanges.map((x) => x.role === 'spec' ? { ...x, status: 200, contentType: 'application/json', kind: 'ok' } : x) } } : c)),
    });
    // The edited evidence no longer matches its artifact: that run does not verify, and a third run must not compare with it.
    expect(second.result!.summary.trend).toMatchObject({ previousRunId: '20251126_100000', previousVerified: true, fixed: ['3.7'] });
    expect(second.result!.problems.some((p) => p.includes('3.7'))).toBe(true);
    const third = await produceRun(root, '20251126_120000');
    expect(third.result!.summary.trend).toMatchObject({ previousRunId: '20251126_110000', previousVerified: false, fixed: [], newFailures: [] });
    expect(read(third.runDir, 'audit.md')).toContain('The previous run 20251126_110000 does not pass verification');
  });
});
