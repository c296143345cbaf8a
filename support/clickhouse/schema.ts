import type { ClickHouseClient } from '@clickhouse/client';
import { checkDatabaseName, ClickHouseStartError } from './errors.ts';

/**
 * The production schema (docs/clickhouse-model.md §2 and the §3 views the dashboards read), built in the suite's
 * own database. The DDL is production-compatible: the same statements run unchanged on the production
 * server. Bootstrapping is idempotent and never alters a table on a server the suite does not own.
 *
 * Left out on purpose:
 * - `mv_qtickets_sales_latest`: a materialized view would add writes to every orders insert, and its content
 *   is wrong by design (`today()` frozen at insert time, no version, partial sums per block; defect 19).
 *   The dashboard view below computes the same figures at query time.
 * - `v_marketing_costs_daily`, `v_romi_daily`: they read VK/Direct spend tables the suite has no source for.
 * - `v_plan_vs_fact`: its definition is not documented and nothing here reads it (`plan_sales` exists).
 * - `v_sales_latest`, `v_sales_14d`, `v_qtickets_inventory`, `v_qtickets_freshness`: bootstrap-only legacy
 *   views (the last one reads the Sheets-era `fact_qtickets_sales`).
 * - `fact_qtickets_inventory`: unused in production.
 */

interface TableDefinition {
  name: string;
  columns: [name: string, type: string][];
  engine: 'ReplacingMergeTree(_ver)' | 'MergeTree';
  partitionBy: string;
  orderBy: string[];
}

const LC = 'LowCardinality(String)';
const catalogueTail: [string, string][] = [['payload_json', 'String'], ['_ver', 'UInt64'], ['_ingest_ts', 'DateTime']];
const replacing = (name: string, columns: [string, string][], orderBy: string[], partitionBy = 'tuple()'): TableDefinition => ({
  name,
  columns,
  engine: 'ReplacingMergeTree(_ver)',
  partitionBy,
  orderBy,
});

/** Every table of docs/clickhouse-model.md §2, columns in the documented order. */
export const TABLES: TableDefinition[] = [
  replacing('stg_qtickets_api_orders_raw', [
    ['order_id', 'String'], ['event_id', 'String'], ['city', LC], ['utm_source', LC], ['utm_medium', LC],
    ['utm_campaign', 'String'], ['utm_content', 'String'], ['utm_term', 'String'], ['sale_ts', 'DateTime'],
    ['tickets_sold', 'UInt32'], ['revenue', 'Float64'], ['currency', LC], ['payload_json', 'String'],
    ['_ver', 'UInt64'], ['_dedup_key', 'FixedString(32)'],
  ], ['_dedup_key']),
  replacing('stg_qtickets_api_inventory_raw', [
    ['snapshot_ts', 'DateTime'], ['event_id', 'String'], ['event_name', 'String'], ['city', LC],
    ['tickets_total', 'Nullable(UInt32)'], ['tickets_left', 'Nullable(UInt32)'], ['_ver', 'UInt64'], ['_dedup_key', 'FixedString(32)'],
  ], ['event_id', 'city', 'snapshot_ts']),
  replacing('fact_qtickets_inventory_latest', [
    ['snapshot_ts', 'DateTime'], ['event_id', 'String'], ['event_name', 'String'], ['city', LC],
    ['tickets_total', 'Nullable(UInt32)'], ['tickets_left', 'Nullable(UInt32)'], ['_ver', 'UInt64'],
  ], ['event_id', 'city']),
  replacing('dim_events', [
    ['event_id', 'String'], ['event_name', 'String'], ['city', LC], ['start_date', 'Nullable(Date)'], ['end_date', 'Nullable(Date)'],
    ['tickets_total', 'UInt32 DEFAULT 0'], ['tickets_left', 'UInt32 DEFAULT 0'], ['_ver', 'UInt64'], ['_loaded_at', 'DateTime DEFAULT now()'],
  ], ['event_id']),
  replacing('fact_qtickets_sales_daily', [
    ['sales_date', 'Date'], ['event_id', 'String'], ['city', LC], ['tickets_sold', 'UInt32'], ['revenue', 'Float64'], ['_ver', 'UInt64'],
  ], ['event_id', 'sales_date', 'city'], 'toYYYYMM(sales_date)'),
  replacing('fact_qtickets_sales_utm_daily', [
    ['sales_date', 'Date'], ['event_id', 'String'], ['city', LC], ['utm_source', LC], ['utm_medium', LC], ['utm_campaign', 'String'],
    ['utm_content', 'String'], ['utm_term', 'String'], ['tickets_sold', 'UInt32'], ['revenue', 'Float64'], ['_ver', 'UInt64'],
  ], ['sales_date', 'event_id', 'city', 'utm_source', 'utm_campaign', 'utm_medium', 'utm_content', 'utm_term'], 'toYYYYMM(sales_date)'),
  replacing('stg_qtickets_api_clients_raw', [
    ['client_id', 'String'], ['email', 'String'], ['phone', 'String'], ['first_name', 'String'], ['last_name', 'String'],
    ['middle_name', 'String'], ...catalogueTail,
  ], ['client_id']),
  replacing('stg_qtickets_api_price_shades_raw', [['shade_id', 'String'], ['name', 'String'], ['color', 'String'], ...catalogueTail], ['shade_id']),
  replacing('stg_qtickets_api_discounts_raw', [
    ['discount_id', 'String'], ['name', 'String'], ['discount_type', LC], ['discount_value', 'Nullable(Float64)'], ...catalogueTail,
  ], ['discount_id']),
  replacing('stg_qtickets_api_promo_codes_raw', [
    ['promo_code_id', 'String'], ['code', 'String'], ['discount_type', LC], ['discount_value', 'Nullable(Float64)'],
    ['valid_from', 'Nullable(DateTime)'], ['valid_to', 'Nullable(DateTime)'], ...catalogueTail,
  ], ['promo_code_id']),
  replacing('stg_qtickets_api_barcodes_raw', [
    ['barcode', 'String'], ['event_id', 'String'], ['show_id', 'String'], ['status', LC], ['checked_at', 'Nullable(DateTime)'], ...catalogueTail,
  ], ['barcode']),
  replacing('stg_qtickets_api_partner_tickets_raw', [
    ['ticket_id', 'String'], ['event_id', 'String'], ['show_id', 'String'], ['external_order_id', 'String'], ['external_id', 'String'],
    ['barcode', 'String'], ['paid', 'UInt8'], ['price', 'Nullable(Float64)'], ...catalogueTail,
  ], ['ticket_id', 'external_order_id']),
  {
    name: 'meta_job_runs',
    columns: [
      ['job', LC], ['run_id', 'UUID DEFAULT generateUUIDv4()'], ['started_at', 'DateTime'], ['finished_at', 'DateTime'], ['status', LC],
      ['rows_processed', 'UInt64 DEFAULT 0'], ['message', "String DEFAULT ''"], ['metrics', "String DEFAULT ''"],
    ],
    engine: 'MergeTree',
    partitionBy: 'toYYYYMM(started_at)',
    orderBy: ['job', 'started_at'],
  },
  // Entered by hand in production; the loader never writes it.
  replacing('plan_sales', [
    ['sales_date', 'Date'], ['event_id', 'String'], ['city', LC], ['plan_tickets', 'UInt32'], ['plan_revenue', 'Float64'],
    ['_ver', 'UInt64'], ['_loaded_at', 'DateTime DEFAULT now()'],
  ], ['sales_date', 'city', 'event_id'], 'toYYYYMM(sales_date)'),
];

/** The column type without its DEFAULT clause, as system.columns shows it. */
const typeOf = (declaration: string) => declaration.replace(/\s+DEFAULT\s.*$/s, '');

export function createTableStatement(database: string, table: TableDefinition): string {
  return [
    `CREATE TABLE IF NOT EXISTS ${database}.${table.name}`,
    '(',
    table.columns.map(([name, type]) => `    ${name} ${type}`).join(',\n'),
    ')',
    `ENGINE = ${table.engine}`,
    `PARTITION BY ${table.partitionBy}`,
    `ORDER BY (${table.orderBy.join(', ')})`,
  ].join('\n');
}

/**
 * The §3 views the dashboards read, computed at query time from deduplicated rows (FINAL) — production's
 * dashboard view reads the daily fact without FINAL, which double-counts rows not merged yet. Dates are
 * naive Moscow time, so "today" is Moscow's today whatever the server's time zone.
 */
export function viewStatements(database: string): { name: string; sql: string }[] {
  const db = database;
  return [
    {
      name: 'v_qtickets_sales_dashboard',
      sql: `CREATE VIEW IF NOT EXISTS ${db}.v_qtickets_sales_dashboard AS
SELECT
    e.event_id AS event_id,
    e.event_name AS event_name,
    e.city AS city,
    e.start_date AS start_date,
    e.end_date AS end_date,
    s.tickets_sold_today AS tickets_sold_today,
    s.revenue_today AS revenue_today,
    s.tickets_sold_14d AS tickets_sold_14d,
    s.revenue_14d AS revenue_14d,
    i.tickets_total AS tickets_total,
    i.tickets_left AS tickets_left,
    i.snapshot_ts AS inventory_snapshot_ts
FROM
(
    SELECT event_id, argMax(event_name, _ver) AS event_name, argMax(city, _ver) AS city,
        argMax(start_date, _ver) AS start_date, argMax(end_date, _ver) AS end_date
    FROM ${db}.dim_events
    GROUP BY event_id
) AS e
LEFT JOIN
(
    SELECT event_id, city,
        sumIf(tickets_sold, sales_date = toDate(now('Europe/Moscow'))) AS tickets_sold_today,
        sumIf(revenue, sales_date = toDate(now('Europe/Moscow'))) AS revenue_today,
        sum(tickets_sold) AS tickets_sold_14d,
        sum(revenue) AS revenue_14d
    FROM ${db}.fact_qtickets_sales_daily FINAL
    WHERE sales_date > toDate(now('Europe/Moscow')) - 14
    GROUP BY event_id, city
) AS s ON s.event_id = e.event_id AND s.city = e.city
LEFT JOIN
(
    SELECT event_id, city, argMax(tickets_total, _ver) AS tickets_total, argMax(tickets_left, _ver) AS tickets_left,
        argMax(snapshot_ts, _ver) AS snapshot_ts
    FROM ${db}.fact_qtickets_inventory_latest
    GROUP BY event_id, city
) AS i ON i.event_id = e.event_id AND i.city = e.city`,
    },
    {
      name: 'v_qtickets_sales_utm_daily',
      sql: `CREATE VIEW IF NOT EXISTS ${db}.v_qtickets_sales_utm_daily AS
SELECT
    sales_date, event_id, city, utm_source, utm_medium, utm_campaign, utm_content, utm_term,
    if(utm_source = '', 'unknown', utm_source) AS utm_group,
    tickets_sold, revenue
FROM ${db}.fact_qtickets_sales_utm_daily FINAL`,
    },
  ];
}

export interface BootstrapResult {
  /** Tables and views this call created. */
  created: string[];
  /** Tables and views that were there already. */
  existing: string[];
  /** Embedded only: tables whose schema had drifted, dropped and created anew (our own engine's data). */
  recreated: string[];
  /** Columns existing tables have beyond ours: harmless, since every insert names its columns. */
  notes: string[];
}

/**
 * Creates what is missing and checks what exists. A table that differs from ours (a missing column, another
 * type, engine, version column or ORDER BY) is schema drift: on the embedded engine it is recreated; on any
 * other server the suite alters nothing and stops with a ClickHouseStartError that lists every difference.
 */
export async function bootstrapSchema(client: ClickHouseClient, database: string, opts: { embedded: boolean }): Promise<BootstrapResult> {
  await createDatabaseIfMissing(client, database);
  const found = await describeDatabase(client, database);
  const result: BootstrapResult = { created: [], existing: [], recreated: [], notes: [] };

  // Everything is checked before anything is created: a drifted database is left exactly as it was.
  const differences = new Map(TABLES.filter((table) => found.has(table.name)).map((table) => [table, compare(table, found.get(table.name)!)]));
  const drift = [...differences].flatMap(([table, list]) => list.map((difference) => `${table.name}: ${difference}`));
  if (drift.length > 0 && !opts.embedded) {
    throw new ClickHouseStartError(
      `ClickHouse database ${database} has tables that differ from the suite's schema (docs/clickhouse-model.md §2), and the suite never alters tables on a server it does not own:\n` +
        drift.map((line) => `  - ${line}`).join('\n') +
        "\nSet CLICKHOUSE_DATABASE to a database of the suite's own (it is created when missing), or bring these tables in line with the model.",
    );
  }

  for (const table of TABLES) {
    const existing = found.get(table.name);
    if (!existing) {
      await client.command({ query: createTableStatement(database, table) });
      result.created.push(table.name);
    } else if (differences.get(table)!.length > 0) {
      await client.command({ query: `DROP TABLE ${database}.${table.name} SYNC` });
      await client.command({ query: createTableStatement(database, table) });
      result.recreated.push(table.name);
    } else {
      result.existing.push(table.name);
      const ours = new Set(table.columns.map(([name]) => name));
      const extra = existing.columns.filter((column) => !ours.has(column.name)).map((column) => column.name);
      if (extra.length > 0) result.notes.push(`${table.name} has columns beyond the model: ${extra.join(', ')}`);
    }
  }

  for (const view of viewStatements(database)) {
    if (found.has(view.name)) {
      result.existing.push(view.name);
    } else {
      await client.command({ query: view.sql });
      result.created.push(view.name);
    }
  }
  return result;
}

interface ExistingTable {
  engine: string;
  engineFull: string;
  sortingKey: string;
  columns: { name: string; type: string }[];
}

/** Asks first, so that a user without the right to create databases can work in an existing one. */
export async function createDatabaseIfMissing(client: ClickHouseClient, database: string): Promise<void> {
  checkDatabaseName(database);
  const result = await client.query({ query: 'SELECT count() AS n FROM system.databases WHERE name = {database:String}', query_params: { database }, format: 'JSONEachRow' });
  const [{ n }] = await result.json<{ n: number | string }>();
  if (Number(n) === 0) await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
}

async function describeDatabase(client: ClickHouseClient, database: string): Promise<Map<string, ExistingTable>> {
  const tables = await (await client.query({
    query: 'SELECT name, engine, engine_full, sorting_key FROM system.tables WHERE database = {database:String}',
    query_params: { database },
    format: 'JSONEachRow',
  })).json<{ name: string; engine: string; engine_full: string; sorting_key: string }>();
  const columns = await (await client.query({
    query: 'SELECT table, name, type FROM system.columns WHERE database = {database:String} ORDER BY table, position',
    query_params: { database },
    format: 'JSONEachRow',
  })).json<{ table: string; name: string; type: string }>();
  return new Map(tables.map((t) => [t.name, {
    engine: t.engine,
    engineFull: t.engine_full,
    sortingKey: t.sorting_key,
    columns: columns.filter((c) => c.table === t.name).map(({ name, type }) => ({ name, type })),
  }]));
}

function compare(table: TableDefinition, existing: ExistingTable): string[] {
  const differences: string[] = [];
  const engine = table.engine.replace(/\(.*$/, '');
  // Replicated and Shared (ClickHouse Cloud) variants behave the same for the suite.
  if (!new RegExp(`^(Replicated|Shared)?${engine}$`).test(existing.engine)) differences.push(`engine is ${existing.engine}, expected ${engine}`);
  else if (engine === 'ReplacingMergeTree' && !/ReplacingMergeTree\(([^)]*,\s*)?_ver\s*\)/.test(existing.engineFull)) differences.push('ReplacingMergeTree without the _ver version column');
  const sortingKey = existing.sortingKey.replace(/[()\s]/g, '');
  if (sortingKey !== table.orderBy.join(',')) differences.push(`ORDER BY (${existing.sortingKey.replace(/^\((.*)\)$/, '$1')}), expected (${table.orderBy.join(', ')})`);
  for (const [name, declaration] of table.columns) {
    const column = existing.columns.find((c) => c.name === name);
    if (!column) differences.push(`column ${name} is missing`);
    else if (column.type !== typeOf(declaration)) differences.push(`column ${name} is ${column.type}, expected ${typeOf(declaration)}`);
  }
  return differences;
}
