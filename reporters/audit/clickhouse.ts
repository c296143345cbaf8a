import { INVENTORY_TABLES, VERIFIED_TABLES, type TableCounts, type VerifiedTable } from '../../support/clickhouse/tables.ts';
import type { JobRun } from '../../support/loader/load.ts';
import type { CountSnapshot, EndMeasurement, RuntimeInfo, TableFigures } from './types.ts';

/**
 * Where the end-of-run measurement comes from (the run's teardown, or a test's stand-in). `job` is the run's
 * loader record, written to meta_job_runs before the after-snapshot (one row per run: invariant 10).
 */
export type MeasureClickHouse = (runtime: RuntimeInfo, job: JobRun) => Promise<EndMeasurement>;

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
