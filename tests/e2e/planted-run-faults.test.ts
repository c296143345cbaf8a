import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClickHouse, type ClickHouseRuntime } from '../../support/clickhouse/connect.ts';
import type { FaultRule } from '../../support/mock/faults.ts';
import { startPlantingProxy, type PlantingProxy } from '../helpers/clickhouse-planting-proxy.ts';
import { onlyRunFolder, readReport, runSuite, type SuiteResult, type WrittenReport } from '../helpers/suite-run.ts';

/**
 * Planted faults, one whole spec run: the mock drops a required field from one record of two answers and
 * answers another spec with a wrong status; between the run and its ClickHouse a proxy drops one row of
 * one load and adds one row to another. And the mock ignores `where` filters (and `orderBy`), as the live
 * API does with query parameters: every spec whose filter narrows the answer must fail on its body
 * predicates, and only on them (the answers are well-formed and nothing is loaded). The faults touch
 * disjoint specs, so one run serves both: exactly those eleven specs must fail, each for its own reason,
 * read from run.jsonl.
 */

const FAULTS: FaultRule[] = [
  // 1.6: the order asked for, without `payed`; 4.3: the third promo code of the list, without `code`.
  { method: 'GET', path: '^/orders/\\d+$', kind: 'drop-field', field: 'data.payed' },
  { method: 'GET', path: '^/promo-codes$', kind: 'drop-field', field: 'data.2.code' },
  // 4.1: a 404 where the colour themes should be.
  { method: 'GET', path: '^/color-themes$', kind: 'status', status: 404 },
];
/** The predicates each filtered spec must break on an unfiltered answer (the mock's default order is ids ascending). */
const BROKEN_PREDICATES: Record<string, string[]> = {
  '1.2': ['every order has payed=true'],
  '1.3': ['every order has payed=false', 'ids descending'],
  '1.4': ['every order created on or after 2025-01-01 MSK'],
  '1.5': ['every order has payed=true', 'every order belongs to the requested event', 'ids descending'],
  '3.2': ['every event has is_active=1'],
  '7.5': ['an empty result'],
};
/** 2.1 loads the first clients, 4.2 the first discounts. */
const PLANTINGS = [
  { table: 'stg_qtickets_api_clients_raw', change: 'extra-row' },
  { table: 'stg_qtickets_api_discounts_raw', change: 'missing-row' },
] as const;

let reportsDir: string;
let clickhouse: ClickHouseRuntime;
let proxy: PlantingProxy;
let run: SuiteResult;
let report: WrittenReport;

beforeAll(async () => {
  reportsDir = mkdtempSync(join(tmpdir(), 'qta-planted-faults-'));
  clickhouse = await startClickHouse({ mode: 'embedded', database: 'planted_faults' });
  proxy = await startPlantingProxy(clickhouse.url, [...PLANTINGS]);
  run = await runSuite({
    reportsDir,
    env: { MOCK_FAULTS: JSON.stringify(FAULTS), MOCK_FILTER_MODE: 'ignore', CLICKHOUSE_URL: proxy.url, CLICKHOUSE_DATABASE: 'planted_faults' },
  });
  report = readReport(onlyRunFolder(reportsDir, `${run.stdout}\n${run.stderr}`));
}, 240_000);

afterAll(async () => {
  await proxy?.close();
  await clickhouse?.stop();
  if (reportsDir) rmSync(reportsDir, { recursive: true, force: true });
});

test('exactly the five planted specs and the six filtered ones fail; every other spec passes', () => {
  expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(1);
  expect(proxy.planted).toEqual(PLANTINGS.map((p) => `${p.table} ${p.change}`));
  const failed = report.summary.specs.filter((s) => s.result === 'failed').map((s) => s.id);
  expect(failed).toEqual(['1.2', '1.3', '1.4', '1.5', '1.6', '2.1', '3.2', '4.1', '4.2', '4.3', '7.5']);
  expect(report.summary.specs.filter((s) => s.result !== 'failed').map((s) => s.result)).toEqual(Array(40).fill('passed'));
});

test.each(Object.entries(BROKEN_PREDICATES))('filters ignored: %s fails on its body predicates alone: %j', (id, predicates) => {
  const outcome = report.result(id);
  expect(outcome.status).toBe(200);
  expect(outcome.contract).toMatchObject({ ok: true, issues: [] });
  // The failure lists one line per broken predicate: "  - <predicate>: <what broke it>".
  const [, ...lines] = String(outcome.error).split('\n');
  expect(lines.map((line) => line.replace(/^ {2}- /, '').split(': ')[0])).toEqual(predicates);
  // Rejected answers are not loaded.
  expect(Object.values(outcome.run_rows).every((rows) => rows === 0)).toBe(true);
});

test.each([
  ['1.6', 'orders.one', 'data.payed'],
  ['4.3', 'promoCodes.list', 'data[2].code'],
])('%s: a required field missing from one record: the contract %s fails at %s, and nothing is loaded', (id, contract, path) => {
  const outcome = report.result(id);
  expect(outcome.status).toBe(200);
  expect(outcome.contract).toEqual({ name: contract, ok: false, issues: [`${path}: required field missing`] });
  expect(outcome.error).toContain(`contract ${contract}: ${path}: required field missing`);
  expect(Object.values(outcome.run_rows).every((rows) => rows === 0)).toBe(true);
});

test('a wrong status: the expected and the received answer are named', () => {
  const outcome = report.result('4.1');
  expect(outcome.status).toBe(404);
  expect(outcome.error).toBe('4.1 List price colour themes:\n  - expected 200 a JSON answer, got 404 application/json');
});

test.each([
  ['2.1', 'stg_qtickets_api_clients_raw', +1],
  ['4.2', 'stg_qtickets_api_discounts_raw', -1],
] as const)('%s: ClickHouse holds %s rows off by %i from the answer: the delta fails naming table, expected and measured', (id, table, planted) => {
  const outcome = report.result(id);
  const [records] = outcome.records as { fetched: number }[];
  // The answer's records are the rows the table must gain; the loader sent exactly those.
  expect(outcome.loaded[table]).toBe(records.fetched);
  expect(outcome.run_rows[table]).toBe(records.fetched + planted);
  expect(outcome.contract.ok).toBe(true);
  expect(outcome.error).toMatch(new RegExp(`${table}: expected \\+${records.fetched} rows at _ver \\d+, found ${records.fetched + planted}`));
});
