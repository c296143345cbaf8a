import type { ClickHouseClient } from '@clickhouse/client';
import { checkDatabaseName } from './errors.ts';
import { INVENTORY_TABLES, VERIFIED_TABLES, type TableCounts, type VerifiedTable } from './tables.ts';

/**
 * Row counts of the 11 verified tables, each figure in one query for all tables. ReplacingMergeTree tables
 * drop duplicates only at merge time, so exact counts use FINAL; `meta_job_runs` is a plain MergeTree
 * (FINAL is not allowed there, and it has no duplicates to drop).
 */

const PLAIN_TABLES = new Set<VerifiedTable>(['meta_job_runs']);

const from = (database: string, table: VerifiedTable, final = true) => `${database}.${table}${final && !PLAIN_TABLES.has(table) ? ' FINAL' : ''}`;

/** `total`: count(); `unique`: count() FINAL (plain count for meta_job_runs). */
export async function countTables(client: ClickHouseClient, database: string): Promise<{ total: TableCounts; unique: TableCounts }> {
  const counts = await countPerTable(client, database, { total: (table) => from(database, table, false), unique: (table) => from(database, table) });
  return { total: counts.total, unique: counts.unique };
}

/** Plain count() per table: cheap (no merge on read), and it grows with every row written. */
export async function countTotals(client: ClickHouseClient, database: string): Promise<TableCounts> {
  return (await countPerTable(client, database, { total: (table) => from(database, table, false) })).total;
}

/**
 * After one test, in one query: every table's plain count(), and the rows at `ver`. Those are counted with
 * FINAL (the surviving rows) in `exact` tables; elsewhere plainly, which is enough to prove "none": without
 * any row at `ver`, FINAL has none to keep. FINAL merges every part on read, so it is paid only where needed.
 */
export async function countAfterVersion(
  client: ClickHouseClient,
  database: string,
  ver: bigint | string,
  exact: readonly string[],
): Promise<{ total: TableCounts; atVersion: TableCounts }> {
  const counts = await countPerTable(
    client,
    database,
    {
      total: (table) => from(database, table, false),
      atVersion: (table) => (PLAIN_TABLES.has(table) ? null : `${from(database, table, exact.includes(table))} WHERE _ver = {ver:UInt64}`),
    },
    { ver: String(ver) },
  );
  return { total: counts.total, atVersion: counts.atVersion };
}

/**
 * One UNION ALL query with a row per table and figure: `SELECT '<table>', '<figure>', count() FROM <source>`
 * (a null source counts 0). Plain branches, not scalar subqueries: ClickHouse plans them about twice as fast.
 */
async function countPerTable<Figure extends string>(
  client: ClickHouseClient,
  database: string,
  sources: Record<Figure, (table: VerifiedTable) => string | null>,
  queryParams: Record<string, string> = {},
): Promise<Record<Figure, TableCounts>> {
  checkDatabaseName(database);
  const figures = Object.keys(sources) as Figure[];
  const branches = figures.flatMap((figure) =>
    VERIFIED_TABLES.flatMap((table) => {
      const source = sources[figure](table);
      return source === null ? [] : [`SELECT '${table}' AS table_name, '${figure}' AS figure, count() AS n FROM ${source}`];
    }),
  );
  const rows = await (await client.query({ query: branches.join('\nUNION ALL\n'), query_params: queryParams, format: 'JSONEachRow' })).json<{ table_name: VerifiedTable; figure: Figure; n: number | string }>();
  const found = new Map(rows.map((row) => [`${row.figure} ${row.table_name}`, Number(row.n)]));
  const count = (figure: Figure, table: VerifiedTable): number => {
    if (sources[figure](table) === null) return 0;
    const n = found.get(`${figure} ${table}`);
    if (n === undefined) throw new Error(`ClickHouse answered no ${figure} count for ${table}`);
    return n;
  };
  return Object.fromEntries(figures.map((figure) => [figure, perTable((table) => count(figure, table))])) as Record<Figure, TableCounts>;
}

/** max(_ver) as a decimal string ('' for meta_job_runs or an empty table); max(snapshot_ts) for the inventory tables ('' otherwise). */
export async function tableStats(client: ClickHouseClient, database: string): Promise<Record<VerifiedTable, { maxVer: string; maxSnapshotTs: string }>> {
  const rows = await selectPerTable<{ max_ver: string; max_snapshot_ts: string }>(client, database, (table) => {
    const maxOf = (column: string) => `(SELECT if(count() = 0, '', toString(max(${column}))) FROM ${from(database, table)})`;
    return `${PLAIN_TABLES.has(table) ? "''" : maxOf('_ver')} AS max_ver, ${INVENTORY_TABLES.includes(table) ? maxOf('snapshot_ts') : "''"} AS max_snapshot_ts`;
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
): Promise<Map<VerifiedTable, Row>> {
  checkDatabaseName(database);
  const query = VERIFIED_TABLES.map((table) => `SELECT '${table}' AS table_name, ${columns(table)}`).join('\nUNION ALL\n');
  const rows = await (await client.query({ query, query_params: queryParams, format: 'JSONEachRow' })).json<Row & { table_name: VerifiedTable }>();
  return new Map(rows.map((row) => [row.table_name, row]));
}

function perTable<T>(value: (table: VerifiedTable) => T): Record<VerifiedTable, T> {
  return Object.fromEntries(VERIFIED_TABLES.map((table) => [table, value(table)])) as Record<VerifiedTable, T>;
}
