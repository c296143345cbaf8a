import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onlyRunFolder, readReport, runSuite, type SuiteResult, type WrittenReport } from '../helpers/suite-run.ts';

/**
 * A planted fault in the API itself: the mock ignores `where` filters (and `orderBy`), as the live API does
 * with query parameters. Every spec whose filter narrows the answer must fail on its body predicates, and
 * only on them: the answers are well-formed (contracts pass) and nothing is loaded.
 */

/** The predicates each filtered spec must break on an unfiltered answer (the mock's default order is ids ascending). */
const BROKEN_PREDICATES: Record<string, string[]> = {
  '1.2': ['every order has payed=true'],
  '1.3': ['every order has payed=false', 'ids descending'],
  '1.4': ['every order created on or after 2025-01-01 MSK'],
  '1.5': ['every order has payed=true', 'every order belongs to the requested event', 'ids descending'],
  '3.2': ['every event has is_active=1'],
  '7.5': ['an empty result'],
};

let reportsDir: string;
let run: SuiteResult;
let report: WrittenReport;

beforeAll(async () => {
  reportsDir = mkdtempSync(join(tmpdir(), 'qta-planted-filters-'));
  run = await runSuite({ reportsDir, env: { MOCK_FILTER_MODE: 'ignore' } });
  report = readReport(onlyRunFolder(reportsDir, `${run.stdout}\n${run.stderr}`));
}, 240_000);

afterAll(() => {
  if (reportsDir) rmSync(reportsDir, { recursive: true, force: true });
});

test('filters ignored: exactly 1.2, 1.3, 1.4, 1.5, 3.2 and 7.5 fail; the other 45 pass', () => {
  expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(1);
  expect(report.summary.specs.filter((s) => s.result === 'failed').map((s) => s.id)).toEqual(Object.keys(BROKEN_PREDICATES));
  expect(report.summary.specs.filter((s) => s.result !== 'failed').map((s) => s.result)).toEqual(Array(45).fill('passed'));
});

test.each(Object.entries(BROKEN_PREDICATES))('%s fails on its body predicates alone: %j', (id, predicates) => {
  const outcome = report.result(id);
  expect(outcome.status).toBe(200);
  expect(outcome.contract).toMatchObject({ ok: true, issues: [] });
  // The failure lists one line per broken predicate: "  - <predicate>: <what broke it>".
  const [, ...lines] = String(outcome.error).split('\n');
  expect(lines.map((line) => line.replace(/^ {2}- /, '').split(': ')[0])).toEqual(predicates);
  // Rejected answers are not loaded.
  expect(Object.values(outcome.run_rows).every((rows) => rows === 0)).toBe(true);
});
