import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultRule } from '../../support/mock/faults.ts';
import { repoRoot } from '../../support/paths.ts';
import { inheritedEnv, readReport, runFoldersIn, runSuite, type SuiteResult, type WrittenReport } from '../helpers/suite-run.ts';

/**
 * The change log and the baseline over whole runs of three specs: 1.1 (GET /orders), 2.1 (GET /clients) and
 * 4.1 (GET /color-themes).
 * Run 1 is clean and becomes the baseline (with 4.1's standing deviation). In runs 2 and 3 the mock's answer
 * to 1.1 carries an extra field, 4.1 answers 404 and 2.1's answer is slow. Run 2's change log names all three;
 * `--fail-on new` against the first baseline fails on all three; run 3, against a baseline written from run 2
 * (which accepts the field, the failure and 2.1's slower p95), passes.
 */

const SPECS = ['-t', '(^| )(1\\.1|2\\.1|4\\.1) '];
const FAULTS: FaultRule[] = [
  { method: 'GET', path: '^/orders$', kind: 'add-field', field: 'data.0.grown_field' },
  { method: 'GET', path: '^/color-themes$', kind: 'status', status: 404 },
  // 2.1's answer comes 1.5 s late: a slower endpoint, for the change log and against the first baseline.
  { method: 'GET', path: '^/clients$', kind: 'slow', delayMs: 1500 },
];

let dir: string;
let reportsDir: string;
const runs: { result: SuiteResult; report: WrittenReport }[] = [];

/** One run of the two specs; its report is the newest folder. */
async function auditRun(args: string[], env: Record<string, string> = {}): Promise<void> {
  const result = await runSuite({ reportsDir, args: [...SPECS, ...args], env });
  const folder = runFoldersIn(reportsDir).sort().at(-1);
  if (!folder || runs.some((r) => r.report.runDir === folder)) throw new Error(`the run wrote no report\n${result.stdout}\n${result.stderr}`);
  runs.push({ result, report: readReport(folder) });
}

/** `npm run baseline <file>` on the reports folder. */
function writeBaseline(name: string): { file: string; status: number | null; output: string } {
  const file = join(dir, name);
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/baseline.ts'), name], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...inheritedEnv(), AUDIT_REPORTS_DIR: reportsDir, INIT_CWD: dir },
  });
  return { file, status: child.status, output: `${child.stdout}\n${child.stderr}` };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qta-changelog-'));
  reportsDir = join(dir, 'reports');
  await auditRun([]);
  const first = writeBaseline('baseline-1.json');
  if (first.status !== 0) throw new Error(first.output);
  await auditRun(['--baseline', first.file, '--fail-on', 'new'], { MOCK_FAULTS: JSON.stringify(FAULTS) });
  const second = writeBaseline('baseline-2.json');
  if (second.status !== 0) throw new Error(second.output);
  await auditRun(['--baseline', second.file, '--fail-on', 'new'], { MOCK_FAULTS: JSON.stringify(FAULTS) });
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the clean first run passes and has no earlier run to compare with', () => {
  const [{ result, report }] = runs;
  expect(result.exitCode, result.stdout + result.stderr).toBe(0);
  expect(report.summary.trend).toBeNull();
  expect(report.spec('1.1').result).toBe('passed');
  expect(report.spec('4.1').result).toBe('passed');
});

test("the second run's change log names the extra field and the changed status, as data and in audit.md", () => {
  const { report } = runs[1];
  const trend = report.summary.trend;
  expect(trend).toMatchObject({ previousRunId: runs[0].report.summary.runId, previousVerified: true, newFailures: ['4.1'] });
  const grown = trend.fieldsAppeared.filter((d: { path: string }) => d.path.includes('grown_field'));
  expect(grown).toEqual([{ id: '1.1', contract: expect.any(String), path: expect.stringContaining('grown_field'), count: 1, example: expect.any(String), firstSeen: report.summary.runId }]);
  expect(trend.answers).toEqual([{ id: '4.1', endpoint: 'GET /color-themes', from: expect.objectContaining({ status: 200 }), to: expect.objectContaining({ status: 404 }) }]);
  expect(trend.fieldsGone).toEqual([]);
  const section = report.auditMd.slice(report.auditMd.indexOf('## 11.'), report.auditMd.indexOf('## 12.'));
  expect(section).toContain('grown_field');
  expect(section).toMatch(/4\.1 `GET \/color-themes` 200 application\/json.* → 404/);
  expect(trend.latency.filter((l: { slower: boolean }) => l.slower)).toContainEqual({ api: 'rest', method: 'GET', path: '/clients', then: expect.any(Object), now: expect.any(Object), slower: true });
  expect(section).toMatch(/Slower endpoints[^\n]*REST `GET \/clients` p95 \d+ → \d+ ms/);
});

test('--fail-on new against the clean baseline fails on exactly the new drift path and failure', () => {
  const { result, report } = runs[1];
  expect(result.exitCode, result.stdout + result.stderr).toBe(1);
  const check = report.summary.baseline;
  expect(check).toMatchObject({ fromRunId: runs[0].report.summary.runId, env: 'mock', failOn: 'new' });
  // 4.1's standing deviation (the spec's literal path is not the one that works) was already in the clean run.
  expect(check.known).toEqual([{ kind: 'deviation', spec: '4.1', what: expect.stringContaining('→ GET /color-themes'), runId: runs[0].report.summary.runId }]);
  expect(check.new.map((f: { kind: string; spec: string }) => `${f.kind} ${f.spec}`).sort()).toEqual(['drift 1.1', 'failure 4.1', 'slower REST']);
  expect(check.new.find((f: { kind: string }) => f.kind === 'slower')).toMatchObject({ latency: { api: 'rest', method: 'GET', path: '/clients' } });
  expect(report.summary.gate).toMatchObject({ failOn: 'new', fail: true });
  expect(result.stdout).toContain('--fail-on new: fail');
  expect(report.auditMd).toContain('### Against the Baseline');
});

test('with both in the baseline the same faults pass --fail-on new, listed as known with the run they came from', () => {
  const { result, report } = runs[2];
  expect(report.spec('4.1').result).toBe('failed');
  expect(result.exitCode, result.stdout + result.stderr).toBe(0);
  const check = report.summary.baseline;
  expect(check.new).toEqual([]);
  expect(check.known.map((f: { kind: string; spec: string; runId: string }) => `${f.kind} ${f.spec} ${f.runId}`).sort()).toEqual([
    `deviation 4.1 ${runs[1].report.summary.runId}`,
    `drift 1.1 ${runs[1].report.summary.runId}`,
    `failure 4.1 ${runs[1].report.summary.runId}`,
  ]);
  expect(report.summary.gate).toEqual({ failOn: 'new', fail: false, reasons: [] });
  // The kept drift path still names the run it was first seen in.
  expect(report.summary.driftSeen.filter((d: { path: string }) => d.path.includes('grown_field')).map((d: { firstSeen: string }) => d.firstSeen)).toEqual([runs[1].report.summary.runId]);
  const baseline = JSON.parse(readFileSync(join(dir, 'baseline-2.json'), 'utf8'));
  expect(baseline).toMatchObject({ format: 'qtickets-audit-baseline/1', env: 'mock', runId: runs[1].report.summary.runId });
});
