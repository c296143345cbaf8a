import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { produceRun } from '../helpers/fixtures/reporter/sample-run.ts';

/**
 * audit.md against reviewed text, not against a second rendering by the same code: the sample run has
 * 4 passed (1.1, 1.3, 6.9, 7.2), 2 failed (3.7, 5.1), 1 denied (6.1) and 44 skipped specs (2.4 for a
 * missing prerequisite, 4.2 not selected, the rest not collected), 50 + 10 orders over 2 pages, 2 partner
 * tickets and 30 + 5 + 2 rows written; the requests took 25 ms to 30 s. Any change to these lines must be a
 * reviewed change of this file.
 */

const STATUS = '- **Overall status**: Issues Found (2 failed spec(s))';
const TOTALS = '- **Totals**: 51 specs — passed 4, failed 2, skipped 44, denied as expected 1 (total = passed + failed + skipped + denied = matrix rows)';
const KEY_NUMBERS = [
  '- Failed: 2 (3.7, 5.1)',
  '- Skipped: 44 (1.2, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 1.10, 2.1, 2.2, 2.3, 2.4, 3.1, 3.2, 3.3, 3.4, 3.5, 3.6, 4.1, 4.2, 4.3, 4.4, 4.5, 5.2, 5.3, 5.4, 5.5, 6.2, 6.3, 6.4, 6.5, 6.6, 6.7, 6.8, 6.10, 6.11, 6.12, 6.13, 6.14, 6.15, 7.1, 7.3, 7.4, 7.5)',
  '- Denied as expected: 1 (6.1)',
  '- Orders: records fetched: 60 — 2 page(s); rows written: stg_qtickets_api_orders_raw +30, fact_qtickets_sales_daily +5; specs 1.1, 1.3',
  '- Clients: records fetched: 0 — 0 page(s); rows written: stg_qtickets_api_clients_raw +0; specs none',
  '- Events: records fetched: 0 — 0 page(s); specs none',
  '- Discounts & Promo Codes: records fetched: 0 — 0 page(s); rows written: stg_qtickets_api_discounts_raw +0, stg_qtickets_api_promo_codes_raw +0, stg_qtickets_api_price_shades_raw +0; specs none',
  '- Barcodes: records fetched: 0 — 0 page(s); rows written: stg_qtickets_api_barcodes_raw +0; specs none',
  '- Partners API: records fetched: 2 — 1 page(s); rows written: stg_qtickets_api_partner_tickets_raw +2; specs 6.9',
  '- Inventory Snapshot: records fetched: 0 — 0 page(s); rows written: stg_qtickets_api_inventory_raw +0, fact_qtickets_inventory_latest +0; specs none',
  '- Partners API writes: 7 (6.1, 6.2, 6.3, 6.4, 6.5, 6.6, 6.7)',
  '- Partners API reads: 8 (6.8, 6.9, 6.10, 6.11, 6.12, 6.13, 6.14, 6.15)',
  '- Tests with an error answer: 4 (3.7, 5.1, 6.1, 7.2)',
  '- Tests with retries: 2 (1.1, 5.1)',
];
const MATRIX_HEADER = '| Test ID | Endpoint actually called | Spec Ref | Expected | Result | CH Delta | Duration | Artifacts |';
const MATRIX_ROWS = [
  '| 1.1 | `GET /orders` | qtickets_api_test_requests.md:18-23 | 200 list, perPage 50, ids ascending | 200 application/json · passed [mock] | +30 stg_qtickets_api_orders_raw, +5 fact_qtickets_sales_daily | 1.00 s | 1 |',
  '| 1.2 | — (nothing sent) | qtickets_api_test_requests.md:27-46 | 200 list, only paid orders | — · skipped: not executed (not collected in this run) [mock] | — | — | 0 |',
  '| 1.3 | `GET /orders` | qtickets_api_test_requests.md:50-69 | 200 list, only unpaid orders, loads nothing | 200 application/json · passed [mock] | No change | 1.00 s | 1 |',
  '| 2.4 | — (nothing sent) | qtickets_api_test_requests.md:232-245 | 200 Client updated by email (never observed live) | — · skipped: prerequisite not found: no clientEmail in this run\'s answers [mock] | — | 1.00 s | 0 |',
  '| 3.7 | `GET /shows/41/seats` | qtickets_api_test_requests.md:335-341 | 200 flat seats of one show (the spec path answers 404 HTML) | 404 text/html · failed: 3.7 Seats of one show: - expected 200 a JSON answer, got 404 text/html [mock] | No change | 1.00 s | 2 |',
  '| 4.2 | — (nothing sent) | qtickets_api_test_requests.md:355-359 | 200 list, perPage 100 | — · skipped: not selected [mock] | — | 1.00 s | 0 |',
  '| 5.1 | `GET /shows/5/barcodes` | qtickets_api_test_requests.md:406-410 | 200 bare array on /shows/{id}/barcodes (the spec path answers 404 HTML) | no answer (ECONNRESET) · failed: network failure: ECONNRESET [mock] | not measured | 1.00 s | 1 |',
  '| 6.1 | `POST /tickets/add/0/0` | qtickets_api_test_requests.md:486-507 | 200 status:success, one ticket (never observed live) | 200 application/json status:"error" WRONG_AUTHORIZATION · denied as expected (write not sent with real credentials: run with --allow-writes and sandbox settings to send it) [mock] | No change | 1.00 s | 1 |',
  '| 6.9 | `POST /tickets/find` | qtickets_api_test_requests.md:678-690 | 200 status:success, result[] (live with a wrong key: WRONG_AUTHORIZATION) | 200 application/json · passed [mock] | +2 stg_qtickets_api_partner_tickets_raw | 1.00 s | 1 |',
  '| 7.2 | `GET /orders/999999999` | qtickets_api_test_requests.md:796-801 | 404 RESOURCE_NOT_FOUND {id: 999999999, resource: Order} | 404 application/json RESOURCE_NOT_FOUND · passed [mock] | No change | 1.00 s | 1 |',
];
const WHOLE_RUN = 'CH Delta per test = rows carrying that test\'s `_ver` (FINAL). Whole run, measured: after − before = +38 rows over 11 tables; rows the tests wrote: 37, plus this run\'s meta_job_runs row.';

/** GET /orders: 1.1 in 180 ms with one retry, 1.3 in 95 ms; 3.7's literal probe is an endpoint of its own. */
const LATENCY = [
  '| API | Endpoint | Requests | p50 | p95 | Max | Retries | 429s |',
  '|---|---|---|---|---|---|---|---|',
  '| REST | `GET /orders` | 2 | 95 ms | 180 ms | 180 ms | 1 | 0 |',
  '| REST | `GET /shows/{show_id}/seats` | 1 | 60 ms | 60 ms | 60 ms | 0 | 0 |',
  '| REST | `GET /events/{event_id}/seats/{show_id}` | 1 | 35 ms | 35 ms | 35 ms | 0 | 0 |',
  '| REST | `GET /shows/{show_id}/barcodes` | 1 | 30000 ms | 30000 ms | 30000 ms | 2 | 0 |',
  '| REST | `GET /orders/{order_id}` | 1 | 25 ms | 25 ms | 25 ms | 0 | 0 |',
  '| Partners | `POST /tickets/add/{event_id}/{show_id}` | 1 | 210 ms | 210 ms | 210 ms | 0 | 0 |',
  '| Partners | `POST /tickets/find` | 1 | 140 ms | 140 ms | 140 ms | 0 | 0 |',
  "Latency = milliseconds from sending a request to the end of its answer, for the attempt whose answer was kept (attempts that were repeated count as retries and are not timed). p50 and p95 are nearest-rank: the smallest latency with at least 50 % or 95 % of the endpoint's requests at or below it, so an endpoint with one request has p50 = p95 = max. Every request the run sent counts (spec requests, literal probes, lookups, denied probes), under its documented path; a request the client refused to send does not. 429s = answers with HTTP 429, retried or kept.",
];

let root: string;
let lines: string[];
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'audit-golden-'));
  const { runDir } = await produceRun(root, '20251126_100000');
  lines = readFileSync(join(runDir, 'audit.md'), 'utf8').split('\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The lines between a heading and the next heading, without blank lines. */
const section = (heading: string): string[] => {
  const start = lines.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, i) => i > start && line.startsWith('#'));
  return lines.slice(start + 1, end).filter((line) => line.trim() !== '');
};

test('summary: the status and the totals line', () => {
  expect(lines.filter((line) => line.startsWith('- **Overall status**'))).toEqual([STATUS]);
  expect(lines.filter((line) => line.startsWith('- **Totals**'))).toEqual([TOTALS]);
});

test('key numbers', () => {
  expect(section('### Key Numbers')).toEqual(KEY_NUMBERS);
});

test('matrix: header, the rows of every result class, and the whole-run line', () => {
  const matrix = section('## 3. Test Matrix');
  expect(matrix[0]).toBe(MATRIX_HEADER);
  expect(matrix.filter((line) => /^\| \d\.\d+ \|/.test(line))).toHaveLength(51);
  const idOf = (row: string) => /^\| (\S+) \|/.exec(row)?.[1];
  const ids = new Set(MATRIX_ROWS.map(idOf));
  expect(matrix.filter((line) => ids.has(idOf(line)))).toEqual(MATRIX_ROWS);
  expect(matrix.at(-1)).toBe(WHOLE_RUN);
});

test('latency: one row per documented endpoint, then how the figures are computed', () => {
  expect(section('## 6. Latency')).toEqual(LATENCY);
});
