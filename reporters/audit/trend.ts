import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { compareRuns, driftLedger, EMPTY_CHANGES, type DriftSeen } from './changelog.ts';
import type { SpecSummary, Summary, Trend } from './model.ts';
import type { EndpointLatency } from '../../support/latency.ts';
import type { TableFigures } from './types.ts';
import { runFolders, verifyRunDir } from './verify.ts';

/** This run as the change log sees it. */
export interface ThisRun {
  runDir: string;
  /** runtime.json's env; undefined when the global setup did not record it. */
  env: string | undefined;
  specs: readonly SpecSummary[];
  tables: readonly TableFigures[];
  latency: readonly EndpointLatency[];
}

/** summary.json of a run folder, or null when it cannot be read. */
export function readSummary(dir: string): Summary | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
  } catch {
    return null;
  }
}

/**
 * The change log against the previous run of the same env in the same reports folder, and this run's drift
 * ledger. Only a previous run that passes verify-report is compared (format §7.19: no comparison against an
 * unverified report); a folder whose summary.json names another env is passed over.
 */
export function compareWithPrevious(run: ThisRun, secrets: readonly string[]): { trend: Trend | null; driftSeen: DriftSeen[] } {
  const runId = basename(run.runDir);
  const sameEnv = (dir: string) => {
    const env = readSummary(dir)?.runtime?.env;
    return env === undefined || env === run.env;
  };
  const previous = runFolders(dirname(run.runDir)).filter((dir) => basename(dir) < runId && sameEnv(dir)).at(-1);
  const fresh = driftLedger(runId, run.specs);
  if (!previous) return { trend: null, driftSeen: fresh };
  const base = { previousRunId: basename(previous), previousVerified: false, previousProblems: [] as string[], ...EMPTY_CHANGES };
  const verification = verifyRunDir(previous, secrets);
  if (verification.problems.length > 0) return { trend: { ...base, previousProblems: verification.problems }, driftSeen: fresh };

  const summary = readSummary(previous)!;
  const driftSeen = driftLedger(runId, run.specs, summary.driftSeen ?? []);
  const changes = compareRuns({ runId: summary.runId, specs: summary.specs, tables: summary.tables, driftSeen: summary.driftSeen ?? [], latency: summary.latency ?? [] }, { runId, specs: run.specs, tables: run.tables, driftSeen, latency: run.latency });
  return { trend: { ...base, previousVerified: true, ...changes }, driftSeen };
}
