import { VERIFIED_TABLES, type TableCounts, type VerifiedTable } from '../../support/clickhouse/tables.ts';
import { describeExchange, isErrorExchange } from './rows.ts';
import type { SpecRow } from './types.ts';

/**
 * Every figure the report, summary.json and verify-report show is computed here from the matrix rows, once:
 * the Summary's Key Numbers and the Metrics section are two renderings of the same objects.
 */

export interface Totals {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  denied: number;
  /** passed + failed + denied: the specs that sent their request. */
  executed: number;
  artifacts: number;
}

export function computeTotals(rows: readonly SpecRow[]): Totals {
  const count = (result: SpecRow['result']) => rows.filter((r) => r.result === result).length;
  const totals = { total: rows.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), denied: count('denied') };
  return { ...totals, executed: totals.passed + totals.failed + totals.denied, artifacts: rows.reduce((n, r) => n + r.artifacts.length, 0) };
}

/**
 * Metric groups of the report (format §2.4): a group claims records by their entity or by the API of the spec
 * that fetched them; what no group claims is shown under "Other answers".
 */
const GROUPS: { name: string; entities: (entity: string, api: SpecRow['api']) => boolean; tables: VerifiedTable[] }[] = [
  { name: 'Orders', entities: (e) => e === 'orders', tables: ['stg_qtickets_api_orders_raw', 'fact_qtickets_sales_daily'] },
  { name: 'Clients', entities: (e) => e === 'clients', tables: ['stg_qtickets_api_clients_raw'] },
  { name: 'Events', entities: (e) => e === 'events', tables: [] },
  {
    name: 'Discounts & Promo Codes',
    entities: (e) => ['discounts', 'promoCodes', 'colorThemes'].includes(e),
    tables: ['stg_qtickets_api_discounts_raw', 'stg_qtickets_api_promo_codes_raw', 'stg_qtickets_api_price_shades_raw'],
  },
  { name: 'Barcodes', entities: (e) => e === 'barcodes', tables: ['stg_qtickets_api_barcodes_raw'] },
  { name: 'Partners API', entities: (_, api) => api === 'partners', tables: ['stg_qtickets_api_partner_tickets_raw'] },
  { name: 'Inventory Snapshot', entities: (e) => e === 'inventory', tables: ['stg_qtickets_api_inventory_raw', 'fact_qtickets_inventory_latest'] },
  { name: 'Other answers', entities: () => true, tables: [] },
];
const OTHER = 'Other answers';

export interface GroupMetrics {
  group: string;
  /** Per entity: records fetched and pages, summed over the specs that fetched it. */
  entities: { entity: string; fetched: number; pages: number }[];
  specs: string[];
  recordsFetched: number;
  pages: number;
  /** The API's paging.total as each spec saw it (totals of different filters are never added up). */
  pagingTotals: { spec: string; entity: string; total: number }[];
  /** Σ over specs of the rows carrying each spec's `_ver` (measured per test with FINAL). */
  rowsWritten: Partial<Record<VerifiedTable, number>>;
}

export function computeMetrics(rows: readonly SpecRow[]): GroupMetrics[] {
  const written = sumRunRows(rows);
  const metrics = GROUPS.map((g) => ({ group: g.name, entities: [] as GroupMetrics['entities'], specs: [] as string[], recordsFetched: 0, pages: 0, pagingTotals: [] as GroupMetrics['pagingTotals'], rowsWritten: Object.fromEntries(g.tables.map((t) => [t, written[t]])) }));
  for (const row of rows) {
    for (const record of row.records) {
      const m = metrics[GROUPS.findIndex((g) => g.entities(record.entity, row.api))];
      let entity = m.entities.find((x) => x.entity === record.entity);
      if (!entity) m.entities.push((entity = { entity: record.entity, fetched: 0, pages: 0 }));
      entity.fetched += record.fetched;
      entity.pages += record.pages;
      m.recordsFetched += record.fetched;
      m.pages += record.pages;
      if (!m.specs.includes(row.id)) m.specs.push(row.id);
      if (record.pagingTotal !== null) m.pagingTotals.push({ spec: row.id, entity: record.entity, total: record.pagingTotal });
    }
  }
  return metrics.filter((m) => m.group !== OTHER || m.specs.length > 0);
}

/** Σ over tests of the rows each test wrote (its `_ver`, counted with FINAL right after it ran). */
export function sumRunRows(rows: readonly SpecRow[]): TableCounts {
  const sums = Object.fromEntries(VERIFIED_TABLES.map((t) => [t, 0])) as TableCounts;
  for (const row of rows) for (const t of VERIFIED_TABLES) sums[t] += row.clickhouse?.runRows[t] ?? 0;
  return sums;
}

/** One line of Key Numbers. When `ids` is given, `value` is the number of those ids. */
export interface KeyNumber {
  label: string;
  value: number;
  ids?: string[];
  detail?: string;
}

export function computeKeyNumbers(rows: readonly SpecRow[], metrics: readonly GroupMetrics[]): KeyNumber[] {
  const ids = (keep: (r: SpecRow) => boolean) => rows.filter(keep).map((r) => r.id);
  const withIds = (label: string, list: string[]): KeyNumber => ({ label, value: list.length, ids: list });
  const numbers: KeyNumber[] = [
    withIds('Failed', ids((r) => r.result === 'failed')),
    withIds('Skipped', ids((r) => r.result === 'skipped')),
    withIds('Denied as expected', ids((r) => r.result === 'denied')),
  ];
  // "Other answers" (writes' and errors' bodies) stays in Metrics only: it is not a fetch of the tenant's data.
  for (const m of metrics.filter((x) => x.group !== OTHER)) {
    const tables = Object.entries(m.rowsWritten).map(([t, n]) => `${t} +${n}`);
    numbers.push({ label: `${m.group}: records fetched`, value: m.recordsFetched, detail: `${m.pages} page(s)${tables.length ? `; rows written: ${tables.join(', ')}` : ''}; specs ${m.specs.join(', ') || 'none'}` });
  }
  numbers.push(withIds('Partners API writes', ids((r) => r.api === 'partners' && r.kind === 'write')));
  numbers.push(withIds('Partners API reads', ids((r) => r.api === 'partners' && r.kind !== 'write')));
  numbers.push(withIds('Tests with an error answer', ids((r) => r.exchanges.some(isErrorExchange))));
  numbers.push(withIds('Tests with retries', ids((r) => r.exchanges.some((x) => x.retries.length > 0))));
  return numbers;
}

export function renderKeyNumber(k: KeyNumber): string {
  const ids = k.ids && k.ids.length > 0 ? ` (${k.ids.join(', ')})` : '';
  return `- ${k.label}: ${k.value}${ids}${k.detail ? ` — ${k.detail}` : ''}`;
}

export type ErrorClass = 'expected' | 'unexpected' | 'literal probe' | 'lookup';

export interface ErrorEntry {
  testId: string;
  role: string;
  request: string;
  answer: string;
  classification: ErrorClass;
}

/** Every error answer of the run (HTTP ≥ 400, Partners status:"error", HTML, malformed, no answer). */
export function collectErrorAnswers(rows: readonly SpecRow[]): ErrorEntry[] {
  const entries: ErrorEntry[] = [];
  for (const row of rows) {
    const accepted = row.result === 'passed' || row.result === 'denied';
    for (const x of row.exchanges.filter(isErrorExchange)) {
      const classification: ErrorClass =
        x.role === 'deviation' ? 'literal probe' : x.role === 'discovery' ? 'lookup' : accepted ? 'expected' : 'unexpected';
      entries.push({ testId: row.id, role: x.role, request: `${x.method} ${x.path}`, answer: describeExchange(x) + (x.error && x.status !== null ? ` (${x.error})` : ''), classification });
    }
  }
  return entries;
}

export interface RetryEntry {
  testId: string;
  request: string;
  attempt: number;
  waitMs: number;
  cause: string;
}

export function collectRetries(rows: readonly SpecRow[]): RetryEntry[] {
  return rows.flatMap((row) => row.exchanges.flatMap((x) => x.retries.map((r) => ({ testId: row.id, request: `${x.method} ${x.path}`, attempt: r.attempt, waitMs: r.waitMs, cause: r.cause }))));
}
