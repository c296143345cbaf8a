import { join } from 'node:path';
import { repoRoot } from '../paths.ts';
import type { RunConfig } from './load.ts';

/**
 * One run's settings: its validated configuration and where its report goes. Settled once by `npm test`
 * (support/cli/run.ts) and handed on in memory (./hand-on.ts): global setup, the workers and the reporters
 * read them, never the environment.
 */
export interface RunSettings {
  config: RunConfig;
  runId: string;
  /** The run's report folder. */
  runDir: string;
  /** Deep-walk progress rewrites one line in place: the wrapper's stderr is a terminal (a worker's own is a pipe). */
  progressTty: boolean;
}

/** Run ids are the UTC start time, `YYYYmmdd_HHMMSS`. */
export function newRunId(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
}

/** Where report folders go: AUDIT_REPORTS_DIR, else reports/ in the repository. */
export const reportsRoot = (env: NodeJS.ProcessEnv = process.env): string => env.AUDIT_REPORTS_DIR || join(repoRoot, 'reports');

/** The run's identity and folder: AUDIT_RUN_ID and AUDIT_RUN_DIR when the environment names them, else a new id under the reports folder. */
export function settleRun(config: RunConfig, progressTty: boolean, env: NodeJS.ProcessEnv = process.env): RunSettings {
  const runId = env.AUDIT_RUN_ID || newRunId();
  return { config, runId, runDir: env.AUDIT_RUN_DIR || join(reportsRoot(env), runId), progressTty };
}
