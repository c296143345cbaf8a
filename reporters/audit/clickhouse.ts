import type { ClickHouseClient } from '@clickhouse/client';
import { INVENTORY_TABLES, VERIFIED_TABLES, type TableCounts, type VerifiedTable } from '../../support/clickhouse/tables.ts';
import type { JobRun } from '../../support/loader/load.ts';
import type { CountSnapshot, EndMeasurement, FactsCheck, RuntimeInfo, TableFigures } from './types.ts';

/**
 * All ClickHouse access of the reporter goes through this one function, so tests can replace it. `job` is the
 * run's loader record, written to meta_job_runs before the after-snapshot (one row per run: invariant 10).
 */
export type MeasureClickHouse = (runtime: RuntimeInfo, job: JobRun) => Promise<EndMeasurement>;

const MEASURE_TIMEOUT_MS = 120_000;

/** The real measurement: record the job run, then count every table (total and FINAL), max(_ver), and check the facts. */
export const measureClickHouse: MeasureClickHouse = async (runtime, job) => {
  const settings = runtime.clickhouse;
  if (!settings) return { measured: false, reason: 'runtime.json has no ClickHouse settings (the global setup did not complete)', jobRun: { recorded: false } };
  // Imported here so that a run without ClickHouse (and the reporter's unit tests) never loads the client.
  const { createClient } = await import('../../support/clickhouse/connect.ts');
  const { countTables, tableStats } = await import('../../support/clickhouse/counts.ts');
  const { recordJobRun } = await import('../../support/loader/load.ts');
  const { runClickHousePassword } = await import('../../support/harness/early-clickhouse.ts');
  const client = createClient({ url: settings.url, user: settings.user, password: runClickHousePassword() ?? '', database: settings.database });
  let jobRun: { recorded: boolean; error?: string } = { recorded: false };
  try {
    return await withTimeout(
      (async (): Promise<EndMeasurement> => {
        try {
          await recordJobRun(client, settings.database, job);
          jobRun = { recorded: true };
        } catch (error) {
          jobRun = { recorded: false, error: (error as Error).message };
        }
        const after = await countTables(client, settings.database);
        const stats = await tableStats(client, settings.database);
        const facts = await checkFactsFollowStaging(client, settings.database).catch((error: Error) => ({ error: error.message }));
        return { measured: true, after, stats, jobRun, facts };
      })(),
      MEASURE_TIMEOUT_MS,
    );
  } catch (error) {
    return { measured: false, reason: `ClickHouse could not be measured at the end of the run: ${(error as Error).message}`, jobRun };
  } finally {
    await client.close().catch(() => undefined);
  }
};

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Invariant 5: per date, the daily fact's tickets equal the sum over deduplicated staging orders (FINAL,
 * then the latest `_ver` per order_id), computed independently of the loader.
 */
export async function checkFactsFollowStaging(client: ClickHouseClient, database: string): Promise<FactsCheck> {
  const query = `
    SELECT toString(d) AS date, toUInt64(sum(s)) AS staging, toUInt64(sum(f)) AS fact FROM (
      SELECT toDate(sale_ts) AS d, toUInt64(sum(tickets)) AS s, toUInt64(0) AS f FROM (
        SELECT order_id, argMax(tickets_sold, _ver) AS tickets, argMax(sale_ts, _ver) AS sale_ts
        FROM ${database}.stg_qtickets_api_orders_raw FINAL GROUP BY order_id
      ) GROUP BY d
      UNION ALL
      SELECT sales_date AS d, toUInt64(0) AS s, toUInt64(sum(tickets_sold)) AS f FROM ${database}.fact_qtickets_sales_daily FINAL GROUP BY d
    ) GROUP BY d ORDER BY d`;
  const result = await client.query({ query, format: 'JSONEachRow' });
  const perDate = (await result.json()) as { date: string; staging: string | number; fact: string | number }[];
  const mismatches = perDate.map((r) => ({ date: r.date, staging: Number(r.staging), fact: Number(r.fact) })).filter((r) => r.staging !== r.fact);
  return { datesCompared: perDate.length, mismatches };
}

/** One row per verified table: before from the pre-run snapshot, after measured now, never estimated. */
export function tableFigures(before: CountSnapshot | null, measurement: EndMeasurement, runRows: TableCounts): TableFigures[] {
  return VERIFIED_TABLES.map((table) => {
    const b = before ? before.total[table] : null;
    const a = measurement.measured ? measurement.after.total[table] : null;
    const stat = measurement.measured ? measurement.stats[table] : undefined;
    return {
      table,
      before: b,
      after: a,
      delta: a !== null && b !== null ? a - b : null,
      runRows: runRows[table],
      uniqueAfter: measurement.measured ? measurement.after.unique[table] : null,
      maxVer: table === 'meta_job_runs' ? '' : (stat?.maxVer ?? ''),
      maxSnapshotTs: INVENTORY_TABLES.includes(table) ? (stat?.maxSnapshotTs ?? '') : '',
    };
  });
}

export const CSV_HEADER = 'table_name,count_before,count_after,delta,run_rows,unique_after,max_ver,max_snapshot_ts';

export function renderCsv(figures: readonly TableFigures[]): string {
  const cell = (v: number | string | null) => (v === null ? '' : String(v));
  const lines = figures.map((f) => [f.table, f.before, f.after, f.delta, f.runRows, f.uniqueAfter, f.maxVer, f.maxSnapshotTs].map(cell).join(','));
  return [CSV_HEADER, ...lines].join('\n') + '\n';
}

export function parseCsv(text: string): TableFigures[] {
  const [header, ...lines] = text.split('\n').filter((line) => line !== '');
  if (header !== CSV_HEADER) throw new Error(`clickhouse_counts.csv: the header is "${header}", expected "${CSV_HEADER}"`);
  const num = (v: string) => (v === '' ? null : Number(v));
  return lines.map((line) => {
    const [table, before, after, delta, runRows, uniqueAfter, maxVer, maxSnapshotTs] = line.split(',');
    return { table: table as VerifiedTable, before: num(before), after: num(after), delta: num(delta), runRows: Number(runRows), uniqueAfter: num(uniqueAfter), maxVer: maxVer ?? '', maxSnapshotTs: maxSnapshotTs ?? '' };
  });
}
