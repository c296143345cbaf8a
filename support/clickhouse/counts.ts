import type { ClickHouseClient } from '@clickhouse/client';
import { checkDatabaseName } from './errors.ts';
import { VERIFIED_TABLES, type TableCounts, type VerifiedTable } from './tables.ts';

/**
 * Row counts of the 11 verified tables, each figure in one query for all tables. ReplacingMergeTree tables
 * drop duplicates only at merge time, so exact counts use FINAL; `meta_job_runs` is a plain MergeTree
 * (FINAL is not allowed there, and it has no duplicates to drop).
 */

const PLAIN_TABLES = new Set<VerifiedTable>(['meta_job_runs']);
const INVENTORY_TABLES = new Set<VerifiedTable>(['stg_qtickets_api_inventory_raw', 'fact_qtickets_inventory_latest']);

const from = (database: string, table: VerifiedTable, final = true) => `${database}.${table}${final && !PLAIN_TABLES.has(table) ? ' FINAL' : ''}`;

/** `total`: count(); `unique`: count() FINAL (plain count for meta_job_runs). */
export async function countTables(client: ClickHouseClient, database: string): Promise<{ total: TableCounts; unique: TableCounts }> {
  const rows = await selectPerTable<{ total: number | string; unique_rows: number | string }>(
    client,
    database,
    (table) => `(SELECT count() FROM ${from(database, table, false)}) AS total, (SELECT count() FROM ${from(database, table)}) AS unique_rows`,
  );
  return {
    total: perTable((table) => Number(rows.get(table)!.total)),
    unique: perTable((table) => Number(rows.get(table)!.unique_rows)),
  };
}

/** Rows whose surviving (FINAL) version is `ver`, per table: what one test wrote. meta_job_runs has no `_ver`: 0. */
export async function countRowsAtVersion(client: ClickHouseClient, database: string, ver: bigint | string): Promise<TableCounts> {
  const versioned = VERIFIED_TABLES.filter((table) => !PLAIN_TABLES.has(table));
  const rows = await selectPerTable<{ n: number | string }>(
    client,
    database,
    (table) => `(SELECT count() FROM ${from(database, table)} WHERE _ver = {ver:UInt64}) AS n`,
    { ver: String(ver) },
    versioned,
  );
  return perTable((table) => Number(rows.get(table)?.n ?? 0));
}

/** max(_ver) as a decimal string ('' for meta_job_runs or an empty table); max(snapshot_ts) for the inventory tables ('' otherwise). */
export async function tableStats(client: ClickHouseClient, database: string): Promise<Record<VerifiedTable, { maxVer: string; maxSnapshotTs: string }>> {
  const rows = await selectPerTable<{ max_ver: string; max_snapshot_ts: string }>(client, database, (table) => {
    const maxOf = (column: string) => `(SELECT if(count() = 0, '', toString(max(${column}))) FROM ${from(database, table)})`;
    return `${PLAIN_TABLES.has(table) ? "''" : maxOf('_ver')} AS max_ver, ${INVENTORY_TABLES.has(table) ? maxOf('snapshot_ts') : "''"} AS max_snapshot_ts`;
  });
  return perTable((table) => ({ maxVer: rows.get(table)!.max_ver, maxSnapshotTs: rows.get(table)!.max_snapshot_ts }));
}

export async function serverVersion(client: ClickHouseClient): Promise<string> {
  const [row] = await (await client.query({ query: 'SELECT version() AS version', format: 'JSONEachRow' })).json<{ version: string }>();
  return row.version;
}

/** One UNION ALL query with a row per table: `SELECT '<table>' AS table_name, <columns(table)>`. */
async function selectPerTable<Row>(
  client: ClickHouseClient,
  database: string,
  columns: (table: VerifiedTable) => string,
  queryParams: Record<string, string> = {},
  tables: readonly VerifiedTable[] = VERIFIED_TABLES,
): Promise<Map<VerifiedTable, Row>> {
  checkDatabaseName(database);
  const query = tables.map((table) => `SELECT '${table}' AS table_name, ${columns(table)}`).join('\nUNION ALL\n');
  const rows = await (await client.query({ query, query_params: queryParams, format: 'JSONEachRow' })).json<Row & { table_name: VerifiedTable }>();
  return new Map(rows.map((row) => [row.table_name, row]));
}

function perTable<T>(value: (table: VerifiedTable) => T): Record<VerifiedTable, T> {
  return Object.fromEntries(VERIFIED_TABLES.map((table) => [table, value(table)])) as Record<VerifiedTable, T>;
}
