import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TableCounts, VerifiedTable } from '../clickhouse/tables.ts';
import type { JobRun } from '../loader/load.ts';

/**
 * The reporter and the run's teardown talk through two files of the run folder: the reporter writes the job
 * run (it knows the results), the teardown records it and measures every table (it owns ClickHouse), and the
 * reporter reads what was measured. No ClickHouse client is loaded here.
 */

/** The run's loader record, written by the reporter once the tests have run. */
export const JOB_RUN_FILE = 'job-run.json';
/** What the teardown measured, read by the reporter. */
export const END_MEASUREMENT_FILE = 'clickhouse-after.json';

export interface CountSnapshot {
  total: TableCounts;
  unique: TableCounts;
}

export interface TableStat {
  maxVer: string;
  maxSnapshotTs: string;
}

/** Per date: Σ tickets of deduplicated staging orders vs the daily fact (invariant 5). */
export interface FactsCheck {
  datesCompared: number;
  mismatches: { date: string; staging: number; fact: number }[];
}

/** What the end-of-run ClickHouse measurement produced; never invented when it failed. */
export type EndMeasurement =
  | {
      measured: true;
      after: CountSnapshot;
      stats: Record<VerifiedTable, TableStat>;
      jobRun: { recorded: boolean; error?: string };
      facts: FactsCheck | { error: string };
    }
  | { measured: false; reason: string; jobRun: { recorded: boolean; error?: string } };

export function writeJobRun(runDir: string, job: JobRun): void {
  writeFileSync(join(runDir, JOB_RUN_FILE), JSON.stringify(job, null, 2) + '\n');
}

/** The job run the reporter wrote, if it did (its times as dates again). */
export function readJobRun(runDir: string): JobRun | null {
  const file = join(runDir, JOB_RUN_FILE);
  if (!existsSync(file)) return null;
  const job = JSON.parse(readFileSync(file, 'utf8')) as JobRun;
  return { ...job, startedAt: new Date(job.startedAt), finishedAt: new Date(job.finishedAt) };
}

export function writeEndMeasurement(runDir: string, measurement: EndMeasurement): void {
  writeFileSync(join(runDir, END_MEASUREMENT_FILE), JSON.stringify(measurement, null, 2) + '\n');
}

/** What the teardown measured; not measured, with the reason, when it wrote nothing. */
export function readEndMeasurement(runDir: string): EndMeasurement {
  const file = join(runDir, END_MEASUREMENT_FILE);
  if (!existsSync(file)) return { measured: false, reason: `the run's teardown measured nothing (${END_MEASUREMENT_FILE} is missing)`, jobRun: { recorded: false } };
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as EndMeasurement;
  } catch (error) {
    return { measured: false, reason: `${END_MEASUREMENT_FILE} is unreadable: ${(error as Error).message}`, jobRun: { recorded: false } };
  }
}
