import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VerifiedTable } from '../../support/clickhouse/tables.ts';
import type { SpecOutcome } from '../../support/core/outcome.ts';
import { rowsFromEvents } from '../../reporters/audit/events.ts';
import { checkInvariants } from '../../reporters/audit/invariants.ts';
import { renderMarkdown } from '../../reporters/audit/markdown.ts';
import { derive, type Summary } from '../../reporters/audit/model.ts';
import { inCatalogueOrder } from '../../reporters/audit/rows.ts';
import type { CaseInput } from '../../reporters/audit/types.ts';
import { verifyRunDir } from '../../reporters/audit/verify.ts';
import { BEFORE, START, evidence, fakeMeasure, produceRun, readRunBundle, zeroCounts } from '../helpers/fixtures/reporter/sample-run.ts';

/**
 * A run with known latencies through the reporter: GET /orders is sent four times (1.1, 1.2, 1.4, and 1.6's
 * lookup) in 200, 80, 120 and 40 ms, with one retried 429 in 1.1 and two in 1.4, whose kept answer is a 429
 * too; GET /orders/{order_id} twice (1.6 in 45 ms, 7.2 in 25 ms); Partners POST /tickets/find once (140 ms).
 */

const TABLE = [
  '| API | Endpoint | Requests | p50 | p95 | Max | Retries | 429s |',
  '|---|---|---|---|---|---|---|---|',
  // sorted 40, 80, 120, 200: p50 rank ⌈2⌉ = 80, p95 rank ⌈3.8⌉ = 200; 429s: 1 + 2 retried, 1 kept.
  '| REST | `GET /orders` | 4 | 80 ms | 200 ms | 200 ms | 3 | 4 |',
  '| REST | `GET /orders/{order_id}` | 2 | 25 ms | 45 ms | 45 ms | 0 | 0 |',
  '| Partners | `POST /tickets/find` | 1 | 140 ms | 140 ms | 140 ms | 0 | 0 |',
];

const at = (second: number) => new Date(START + second * 1000).toISOString();
const noRows = () => ({ before: BEFORE.total, after: BEFORE.total, runRows: zeroCounts(), expected: {}, loaded: {} });
const tooMany = (attempt: number) => ({ attempt, waitMs: 1000 * attempt, status: 429, cause: 'HTTP 429 (Retry-After: 1)' });

function latencyCases(runDir: string): (CaseInput & { key: string })[] {
  const spec = (id: string, state: CaseInput['state'], e: SpecOutcome<VerifiedTable>, errors: string[] = []) => ({ key: `k-${id}`, project: 'spec', name: `${id} latency case`, state, mode: 'run', errors, durationMs: 500, evidence: e });
  const orders = { api: 'rest' as const, method: 'GET', path: '/orders', status: 200, contentType: 'application/json', kind: 'ok' };
  return [
    spec('1.1', 'passed', evidence(runDir, '1.1', 1, { result: 'passed', endpoint: 'GET /orders', exchanges: [{ ...orders, role: 'spec', ts: at(1.5), latencyMs: 200, retries: [tooMany(1)] }], clickhouse: noRows() })),
    spec('1.2', 'passed', evidence(runDir, '1.2', 2, { result: 'passed', endpoint: 'GET /orders', exchanges: [{ ...orders, role: 'spec', ts: at(2.5), latencyMs: 80 }], clickhouse: noRows() })),
    spec('1.4', 'failed', evidence(runDir, '1.4', 3, {
      result: 'failed',
      endpoint: 'GET /orders',
      exchanges: [{ ...orders, role: 'spec', ts: at(3.5), latencyMs: 120, status: 429, kind: 'rest-error', retries: [tooMany(1), tooMany(2)] }],
      clickhouse: noRows(),
    }), ['1.4: expected 200, got 429']),
    spec('1.6', 'passed', evidence(runDir, '1.6', 4, {
      result: 'passed',
      endpoint: 'GET /orders/1614202',
      exchanges: [
        { ...orders, role: 'discovery', ts: at(4.5), latencyMs: 40 },
        { ...orders, role: 'spec', ts: at(4.5), path: '/orders/1614202', latencyMs: 45 },
      ],
      clickhouse: noRows(),
    })),
    spec('6.9', 'passed', evidence(runDir, '6.9', 5, {
      result: 'passed',
      endpoint: 'POST /tickets/find',
      exchanges: [{ role: 'spec', api: 'partners', ts: at(5.5), method: 'POST', path: '/tickets/find', status: 200, contentType: 'application/json', kind: 'ok', latencyMs: 140 }],
      clickhouse: noRows(),
    })),
    spec('7.2', 'passed', evidence(runDir, '7.2', 6, {
      result: 'passed',
      endpoint: 'GET /orders/999999999',
      exchanges: [{ role: 'spec', api: 'rest', ts: at(6.5), method: 'GET', path: '/orders/999999999', status: 404, contentType: 'application/json', kind: 'rest-error', code: 'RESOURCE_NOT_FOUND', latencyMs: 25, body: { code: 'RESOURCE_NOT_FOUND' } }],
      clickhouse: noRows(),
    })),
  ];
}

let root: string;
let runDir: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'audit-latency-'));
  ({ runDir } = await produceRun(root, '20251126_110000', { cases: latencyCases, measure: fakeMeasure({ wrote: {} }) }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const read = (name: string) => readFileSync(join(runDir, name), 'utf8');

/** The lines between a heading and the next heading, without blank lines. */
function section(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, i) => i > start && line.startsWith('#'));
  return lines.slice(start + 1, end).filter((line) => line.trim() !== '');
}

test('audit.md: the Latency section has one row per endpoint with the hand-worked figures, then the method', () => {
  const lines = section(read('audit.md'), '## 6. Latency');
  expect(lines.slice(0, TABLE.length)).toEqual(TABLE);
  expect(lines.slice(TABLE.length)).toHaveLength(1);
  expect(lines.at(-1)).toMatch(/^Latency = milliseconds .* nearest-rank/);
});

test('summary.json: the same figures as data', () => {
  const summary = JSON.parse(read('summary.json')) as Summary;
  expect(summary.latency).toEqual([
    { api: 'rest', method: 'GET', path: '/orders', requests: 4, p50Ms: 80, p95Ms: 200, maxMs: 200, retries: 3, status429: 4 },
    { api: 'rest', method: 'GET', path: '/orders/{order_id}', requests: 2, p50Ms: 25, p95Ms: 45, maxMs: 45, retries: 0, status429: 0 },
    { api: 'partners', method: 'POST', path: '/tickets/find', requests: 1, p50Ms: 140, p95Ms: 140, maxMs: 140, retries: 0, status429: 0 },
  ]);
});

test('the run verifies; a latency edited in summary.json or a request dropped from the table is a violation', () => {
  expect(verifyRunDir(runDir).problems).toEqual([]);
  expect((JSON.parse(read('summary.json')) as Summary).violations).toEqual([]);

  const edited = readRunBundle(runDir);
  edited.summary.latency[0].p95Ms = 150;
  expect(checkInvariants(edited).map((v) => v.invariant)).toContain(2);

  const dropped = readRunBundle(runDir);
  dropped.events.push({ ts: dropped.events.at(-1)!.ts, event: 'exchange', test_id: '9.9', answer_kind: 'ok' });
  expect(checkInvariants(dropped).map((v) => v.message)).toContain('the Latency table counts 7 requests, run.jsonl records 8 sent');
});

test('deep mode: the section says that the pages after the first are not counted', () => {
  const bundle = readRunBundle(runDir);
  const rows = inCatalogueOrder(rowsFromEvents(bundle.events));
  const facts = { ...bundle.summary, runtime: { ...bundle.summary.runtime, allPages: true } };
  const deep = section(renderMarkdown(rows, facts, derive(rows, facts)), '## 6. Latency');
  expect(deep.at(-1)).toMatch(/^Deep mode: the pages a walk fetched after the first are not exchanges of the run and are not counted here/);
  expect(section(bundle.markdown, '## 6. Latency').some((line) => line.startsWith('Deep mode'))).toBe(false);
});
