import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultRule } from '../../support/mock/faults.ts';
import { verifyRunDir } from '../../reporters/audit/verify.ts';
import { onlyRunFolder, onlySpecs, readReport, runSuite, type SuiteResult, type WrittenReport } from '../helpers/suite-run.ts';

/**
 * Fault injection end to end: one `npm test --env mock` run whose mock (MOCK_FAULTS) answers each selected
 * spec's endpoint with another fault. Retryable faults shorter than the bound must pass with their retries
 * recorded; every other fault must fail its spec with a readable reason; the run must still end with a
 * report that verify-report accepts.
 */

const MAX_RETRIES = 2;
const RETRY_BASE_MS = 20;
const RETRY_AFTER_CAP_MS = 300;
const TIMEOUT_MS = 1500;

const FAULTS: FaultRule[] = [
  // 1.1: a burst of 503 one shorter than the bound (attempts 1 and 2 fail, 3 answers).
  { method: 'GET', path: '^/orders$', kind: 'status', status: 503, times: MAX_RETRIES },
  // 2.1: a 429 whose Retry-After (0.2 s) is below the cap: honoured as sent.
  { method: 'GET', path: '^/clients$', kind: 'status', status: 429, retryAfterSeconds: 0.2, times: 1 },
  // 3.1: a 429 whose Retry-After (30 s) is above the cap: the wait is the cap.
  { method: 'GET', path: '^/events$', kind: 'status', status: 429, retryAfterSeconds: 30, times: 1 },
  // 4.2: a 5xx that never ends.
  { method: 'GET', path: '^/discounts$', kind: 'status', status: 502 },
  // 4.1, 4.3, 7.3, 6.9, 7.2: broken answers.
  { method: 'GET', path: '^/color-themes$', kind: 'html-200' },
  { method: 'GET', path: '^/promo-codes$', kind: 'truncated-json' },
  { method: 'GET', path: '^/events/999999999$', kind: 'wrong-content-type' },
  { method: 'POST', path: '^/tickets/find$', kind: 'reset' },
  { method: 'GET', path: '^/orders/999999999$', kind: 'slow', delayMs: 3 * TIMEOUT_MS },
];
const SELECTED = ['1.1', '2.1', '3.1', '4.1', '4.2', '4.3', '6.9', '7.2', '7.3'];

/** What a readable reason must not look like: a JavaScript error about undefined, or a stack trace. */
const UNREADABLE = /undefined|TypeError|ReferenceError|Cannot read|\n\s+at /;

let reportsDir: string;
let run: SuiteResult;
let report: WrittenReport;

beforeAll(async () => {
  reportsDir = mkdtempSync(join(tmpdir(), 'qta-hardening-faults-'));
  run = await runSuite({
    reportsDir,
    args: onlySpecs(SELECTED),
    env: {
      MOCK_FAULTS: JSON.stringify(FAULTS),
      QTICKETS_MAX_RETRIES: String(MAX_RETRIES),
      QTICKETS_RETRY_BASE_MS: String(RETRY_BASE_MS),
      QTICKETS_MAX_RETRY_AFTER_MS: String(RETRY_AFTER_CAP_MS),
      QTICKETS_TIMEOUT_MS: String(TIMEOUT_MS),
    },
  });
  report = readReport(onlyRunFolder(reportsDir, `${run.stdout}\n${run.stderr}`));
}, 180_000);

afterAll(() => {
  if (reportsDir) rmSync(reportsDir, { recursive: true, force: true });
});

/** The spec request's exchange (role spec) of a spec, with its retries. */
const specExchange = (id: string) => {
  const found = report.exchanges(id).filter((x) => x.role === 'spec');
  expect(found, `${id} sent one spec request`).toHaveLength(1);
  return found[0];
};

/** The rows of audit.md's Retries table for one spec, split into cells. */
const retryRows = (id: string) => {
  const section = report.auditMd.split('### Retries')[1]?.split('\n## ')[0] ?? '';
  return section.split('\n').filter((line) => line.startsWith(`| ${id} |`)).map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
};

test('the run ends normally (failed specs, exit 1), with exactly the selected specs executed', () => {
  expect(run.signal, run.stderr).toBeNull();
  expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(1);
  const executed = report.summary.specs.filter((s) => !s.reason.startsWith('not selected')).map((s) => s.id);
  expect(executed).toEqual(SELECTED);
});

/** A spec's retries as run.jsonl has them, checked against the rows of audit.md's Retries table. */
function recordedRetries(id: string, path: string) {
  const retries = specExchange(id).retries.map((r) => ({ attempt: r.attempt as number, wait: r.wait_ms as number, cause: r.cause as string }));
  expect(retryRows(id).filter((row) => row[1] === `\`GET ${path}\``), `${id}: audit.md lists each retry`).toEqual(retries.map((r) => [id, `\`GET ${path}\``, String(r.attempt), `${r.wait} ms`, r.cause]));
  return retries;
}

test('a 503 burst shorter than the retry bound: the spec passes, each retry is in run.jsonl and in Errors & Retries', () => {
  expect(report.spec('1.1')).toMatchObject({ result: 'passed' });
  expect(specExchange('1.1').status).toBe(200);
  const retries = recordedRetries('1.1', '/orders');
  expect(retries.map(({ attempt, wait }) => ({ attempt, wait }))).toEqual([
    { attempt: 1, wait: RETRY_BASE_MS },
    { attempt: 2, wait: 2 * RETRY_BASE_MS },
  ]);
  for (const { cause } of retries) expect(cause).toMatch(/^HTTP 503\b/);
});

test('a 429 with Retry-After: the wait is the Retry-After, capped by QTICKETS_MAX_RETRY_AFTER_MS', () => {
  for (const [id, path, sent, wait] of [
    ['2.1', '/clients', '0.2', 200],
    ['3.1', '/events', '30', RETRY_AFTER_CAP_MS],
  ] as const) {
    expect(report.spec(id), id).toMatchObject({ result: 'passed' });
    const retries = recordedRetries(id, path);
    expect(retries.map(({ attempt, wait }) => ({ attempt, wait })), id).toEqual([{ attempt: 1, wait }]);
    expect(retries[0].cause, id).toMatch(new RegExp(`^HTTP 429\\b.*\\(Retry-After: ${sent.replace('.', '\\.')}\\)$`));
  }
});

test('a persistent 5xx: the retries stop at QTICKETS_MAX_RETRIES and the spec fails naming the status', () => {
  const spec = report.spec('4.2');
  expect(spec.result).toBe('failed');
  expect(spec.reason).toMatch(/got 502 application\/json/);
  expect(spec.reason).not.toMatch(UNREADABLE);
  expect(specExchange('4.2').status).toBe(502);
  const retries = recordedRetries('4.2', '/discounts');
  expect(retries.map((r) => r.attempt)).toEqual(Array.from({ length: MAX_RETRIES }, (_, i) => i + 1));
  for (const { cause } of retries) expect(cause).toMatch(/^HTTP 502\b/);
});

test.each([
  ['4.1', 'HTML with status 200', /got 200 text\/html/],
  ['4.3', 'truncated JSON', /got 200 application\/json \(malformed: the JSON body does not parse/],
  ['7.3', 'a wrong content type', /got 404 text\/plain \(malformed: expected a JSON answer, got content type "text\/plain/],
  ['6.9', 'a connection reset', /got no answer \((UND_ERR_SOCKET|ECONNRESET)/],
  ['7.2', `an answer slower than QTICKETS_TIMEOUT_MS`, new RegExp(`got no answer \\(no answer within ${TIMEOUT_MS} ms`)],
])('%s, %s: the spec fails with a readable reason', (id, _fault, reason) => {
  const spec = report.spec(id);
  expect(spec.result).toBe('failed');
  expect(spec.reason).toMatch(reason);
  expect(spec.reason).not.toMatch(UNREADABLE);
  expect(report.auditMd).toContain(`- **${id}**:`);
});

test('network failures of idempotent requests are retried up to the bound as well', () => {
  for (const id of ['6.9', '7.2']) expect(specExchange(id).retries.map((r) => r.cause.split(':')[0]), id).toEqual(Array(MAX_RETRIES).fill('network'));
});

test('the report is complete and verify-report accepts it', async () => {
  expect(report.summary).toMatchObject({ incomplete: false, interruption: null, status: 'Issues Found', violations: [] });
  expect(verifyRunDir(report.runDir).problems).toEqual([]);
}, 60_000);
