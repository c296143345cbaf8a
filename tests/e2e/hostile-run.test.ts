import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { startMock, type FaultRule, type MockServer } from '../../support/mock/server.ts';
import { repoRoot } from '../../support/paths.ts';
import { verifyRunDir } from '../../reporters/audit/verify.ts';
import { descendantsOf, isRunning, onlyRunFolder, onlySpecs, readReport, startSuite, waitFor, type SuiteResult, type WrittenReport } from '../helpers/suite-run.ts';

/**
 * A hostile API end to end: `npm test --env <name>` with its tokens in `.env.<name>` (the documented set-up)
 * and a password in QTICKETS_BASE_URL, against a mock that echoes Authorization into response headers, sends
 * a 50 MB answer, a 10,000-deep one, Markdown/HTML in names and keys, and bytes that are not UTF-8. No output
 * may hold a secret, each broken answer fails its spec with the real reason, and the report verifies.
 */

const TOKENS = { restToken: 'hostile-rest-token-4f1c9a2e7b', partnersToken: 'hostile-partners-key-8d3b6e0f5a' };
const URL_USER = 'auditor';
const URL_PASSWORD = 'url-pass-7e2d91c4';
const ENV_NAME = `hostile-${process.pid}`;
const ENV_FILE = join(repoRoot, `.env.${ENV_NAME}`);

const FAULTS: FaultRule[] = [
  { method: 'GET', path: '^/orders$', kind: 'huge-answer', bytes: 50 * 2 ** 20 },
  { method: 'GET', path: '^/events$', kind: 'deep-nesting', depth: 10_000 },
  { method: 'GET', path: '^/(color-themes|discounts)$', kind: 'hostile-names' },
  { method: 'GET', path: '^/promo-codes$', kind: 'invalid-utf8' },
  // Under the answer bound, over the run's artifact budget.
  { method: 'GET', path: '^/clients$', kind: 'huge-answer', bytes: 2 ** 20 },
  // Every other answer, Partners included, copies the credential back.
  { kind: 'echo-authorization' },
];
const SELECTED = ['1.1', '2.1', '3.1', '4.1', '4.2', '4.3', '6.9'];
const ARTIFACT_BUDGET = 256 * 1024;
const SECRETS = [TOKENS.restToken, TOKENS.partnersToken, URL_PASSWORD, `${URL_USER}:${URL_PASSWORD}`];

let mock: MockServer;
let reportsDir: string;
let run: SuiteResult;
let report: WrittenReport;
let allureDir: string;
const seenProcesses = new Map<number, string>();

beforeAll(async () => {
  mock = await startMock({ ...TOKENS, faults: FAULTS });
  reportsDir = mkdtempSync(join(tmpdir(), 'qta-hostile-'));
  allureDir = join(reportsDir, 'allure-results');
  const withPassword = (url: string) => url.replace('http://', `http://${URL_USER}:${URL_PASSWORD}@`);
  writeFileSync(
    ENV_FILE,
    [
      `QTICKETS_BASE_URL=${withPassword(mock.restBaseUrl)}`,
      `QTICKETS_TOKEN=${TOKENS.restToken}`,
      `QTICKETS_PARTNERS_BASE_URL=${mock.partnersBaseUrl}`,
      `QTICKETS_PARTNERS_TOKEN=${TOKENS.partnersToken}`,
      'QTICKETS_RATE_LIMIT=0',
      'QTICKETS_RETRY_BASE_MS=10',
      'QTICKETS_MAX_RETRIES=0',
      `AUDIT_MAX_ARTIFACT_BYTES=${ARTIFACT_BUDGET}`,
      '',
    ].join('\n'),
  );
  // allure-vitest's reporter writing into this test's folder (the wrapper keeps the audit reporter).
  const allureReporter = join(reportsDir, 'allure-hostile-reporter.mjs');
  writeFileSync(
    allureReporter,
    `import AllureReporter from ${JSON.stringify(import.meta.resolve('allure-vitest/reporter'))};
export default class extends AllureReporter {
  constructor() {
    super({ resultsDir: ${JSON.stringify(allureDir)} });
  }
}
`,
  );
  const suite = startSuite({ envName: ENV_NAME, reportsDir, args: ['--reporter', allureReporter, ...onlySpecs(SELECTED)] });
  const watch = setInterval(() => {
    for (const p of descendantsOf(suite.child.pid!)) seenProcesses.set(p.pid, p.command);
  }, 100);
  try {
    run = await suite.finished;
  } finally {
    clearInterval(watch);
  }
  report = readReport(onlyRunFolder(reportsDir, `${run.stdout}\n${run.stderr}`));
}, 300_000);

afterAll(async () => {
  rmSync(ENV_FILE, { force: true });
  await mock?.close();
  if (reportsDir) rmSync(reportsDir, { recursive: true, force: true });
});

/** Every file below a folder, with its bytes. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, bytes: readFileSync(path) }));
}

test('the run ends on its own with failed specs (exit 1), and names no start-up failure', () => {
  expect(run.signal, run.stderr).toBeNull();
  expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(1);
  expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/No spec test ran|audit reporter failed/);
  const executed = report.summary.specs.filter((s) => !s.reason.startsWith('not selected')).map((s) => s.id);
  expect(executed).toEqual(SELECTED);
});

test('the secrets reached the API and came back: the mock echoed them', () => {
  const echoed = mock.requests.filter((r) => r.authorization === `Bearer ${TOKENS.restToken}` || r.authorization === `Bearer ${TOKENS.partnersToken}`);
  expect(echoed.length).toBeGreaterThan(0);
  expect(mock.requests.some((r) => r.path.includes('/partners/') && r.authorization === `Bearer ${TOKENS.partnersToken}`)).toBe(true);
});

test('no secret in any output: the run folder, every entry of the zip, allure-results', () => {
  const files = filesUnder(report.runDir);
  const zip = files.find((f) => f.path.endsWith('.zip'))!;
  const entries = Object.entries(unzipSync(zip.bytes)).map(([name, bytes]) => ({ path: `zip:${name}`, bytes: Buffer.from(bytes) }));
  const allure = filesUnder(allureDir);
  expect(allure.some((f) => f.path.endsWith('-attachment.json')), allure.map((f) => f.path).join('\n')).toBe(true);
  expect(entries.length).toBeGreaterThan(5);
  const found = [...files, ...entries, ...allure].flatMap((f) => SECRETS.filter((s) => f.bytes.includes(s)).map((s) => `${f.path}: ${s}`));
  expect(found).toEqual([]);
  // The echoed headers are kept, redacted: the proof that the echo reached the artifacts.
  const artifacts = files.filter((f) => f.path.includes('/artifacts/')).map((f) => JSON.parse(f.bytes.toString()));
  const echoed = artifacts.filter((a) => a.response?.headers?.['x-echo-authorization']);
  expect(echoed.length).toBeGreaterThan(0);
  for (const a of echoed) expect(a.response.headers).toMatchObject({ 'x-echo-authorization': 'Bearer <redacted>', 'set-cookie': '<redacted>', 'x-debug': 'token=<redacted>' });
  expect(artifacts.filter((a) => a.request?.url?.includes('@'))).toEqual([]);
});

test('the leak scan knew the secrets of .env.<name> and the URL password, and found none left', () => {
  expect(report.summary.leakScan.secretsChecked).toBeGreaterThanOrEqual(SECRETS.length);
  expect(report.summary.leakScan.findings).toEqual([]);
});

test('a 50 MB answer fails its spec naming the bound, with a truncated, marked artifact', () => {
  expect(report.spec('1.1')).toMatchObject({ result: 'failed', reason: expect.stringMatching(/larger than 20971520 bytes \(QTICKETS_MAX_ANSWER_BYTES\)/) });
  const artifact = join(report.runDir, 'artifacts', '1.1', '01-spec.json');
  expect(statSync(artifact).size).toBeLessThan(64 * 1024);
  expect(JSON.parse(readFileSync(artifact, 'utf8')).response).toMatchObject({ kind: 'malformed', text_truncated: true, bytes: 20 * 2 ** 20 });
});

test('an answer under the size bound but past the run artifact budget is stored as a marked stub', () => {
  expect(report.spec('2.1').result).toBe('failed');
  const stub = JSON.parse(readFileSync(join(report.runDir, 'artifacts', '2.1', '01-spec.json'), 'utf8'));
  expect(stub).toMatchObject({ test_id: '2.1', omitted: expect.stringMatching(new RegExp(`AUDIT_MAX_ARTIFACT_BYTES \\(${ARTIFACT_BUDGET} bytes`)) });
  const written = filesUnder(join(report.runDir, 'artifacts')).reduce((sum, f) => sum + f.bytes.length, 0);
  // The budget, plus the few hundred bytes of each stub written past it.
  expect(written).toBeLessThan(ARTIFACT_BUDGET + 10 * 1024);
});

test('an answer nested 10,000 deep fails its spec with the depth bound, no stack overflow', () => {
  expect(report.spec('3.1')).toMatchObject({ result: 'failed', reason: expect.stringMatching(/nests deeper than 64 levels \(QTICKETS_MAX_JSON_DEPTH\)/) });
  expect(report.auditMd).not.toContain('Maximum call stack');
});

test('invalid UTF-8 is a finding of its spec', () => {
  expect(report.spec('4.3')).toMatchObject({ result: 'failed', reason: expect.stringMatching(/not valid UTF-8 \(first invalid byte at offset \d+\)/) });
});

test('Markdown and HTML in API names: 51 matrix rows, no raw markup, no false invariant violation', () => {
  const md = report.auditMd;
  const matrix = md.split('## 3. Test Matrix')[1].split('\n## ')[0];
  expect(matrix.split('\n').filter((line) => line.startsWith('|')).length).toBe(2 + 51);
  expect(md).not.toMatch(/\r|<script|<img|<b>/);
  // The hostile text did reach the report, escaped.
  expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(report.summary.violations).toEqual([]);
});

test('the report verifies, and every process of the run has exited', async () => {
  expect(verifyRunDir(report.runDir, SECRETS).problems).toEqual([]);
  expect(seenProcesses.size).toBeGreaterThan(0);
  await waitFor('every process of the run to exit', () => [...seenProcesses.keys()].every((pid) => !isRunning(pid)), 10_000).catch(() => {
    throw new Error(`still running: ${[...seenProcesses].filter(([pid]) => isRunning(pid)).map(([pid, cmd]) => `${pid} ${cmd}`).join('; ')}`);
  });
}, 60_000);
