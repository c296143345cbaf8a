import type { ClickHouseClient } from '@clickhouse/client';
import { createClient, type ClickHouseRuntime } from '../clickhouse/connect.ts';
import { countTables, tableStats } from '../clickhouse/counts.ts';
import { recordJobRun, type JobRun } from '../loader/load.ts';
import { readJobRun, writeEndMeasurement, type EndMeasurement, type FactsCheck } from './end-measurement.ts';

/**
 * The end of a run, in its own teardown (after the reporter has seen every test): the run's meta_job_runs row,
 * then the after-snapshot of every table, handed to the reporter through the run folder (end-measurement.ts).
 */

const MEASURE_TIMEOUT_MS = 120_000;

/** Teardown: when the reporter asked for it, records the job run and writes the measurement into the run folder. */
export async function endOfRun(runDir: string, clickhouse: Pick<ClickHouseRuntime, 'url' | 'user' | 'password' | 'database'>): Promise<void> {
  const job = readJobRun(runDir);
  if (job) writeEndMeasurement(runDir, await measureEndOfRun(clickhouse, job));
}

/** Record the job run, then count every table (total and FINAL), max(_ver), and check the facts. */
export async function measureEndOfRun(connection: Pick<ClickHouseRuntime, 'url' | 'user' | 'password' | 'database'>, job: JobRun): Promise<EndMeasurement> {
  const { database } = connection;
  const client = createClient(connection);
  let jobRun: { recorded: boolean; error?: string } = { recorded: false };
  try {
    return await withTimeout(
      (async (): Promise<EndMeasurement> => {
        try {
          await recordJobRun(client, database, job);
          jobRun = { recorded: true };
        } catch (error) {
          jobRun = { recorded: false, error: (error as Error).message };
        }
        const after = await countTables(client, database);
        const stats = await tableStats(client, database);
        const facts = await checkFactsFollowStaging(client, database).catch((error: Error) => ({ error: error.message }));
        return { measured: true, after, stats, jobRun, facts };
      })(),
      MEASURE_TIMEOUT_MS,
    );
  } catch (error) {
    return { measured: false, reason: `ClickHouse could not be measured at the end of the run: ${(error as Error).message}`, jobRun };
  } finally {
    await client.close().catch(() => undefined);
  }
}

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
