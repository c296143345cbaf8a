import { join } from 'node:path';
import { repoRoot } from '../paths.ts';

/** Run ids are the UTC start time, `YYYYmmdd_HHMMSS`. */
export function newRunId(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
}

export const reportsRoot = (): string => process.env.AUDIT_REPORTS_DIR ?? join(repoRoot, 'reports');

export function runDirFor(runId: string): string {
  return join(reportsRoot(), runId);
}

/** The audit reporter, also added when a user replaces the configured reporters with --reporter. */
export const AUDIT_REPORTER = join(repoRoot, 'reporters', 'audit-reporter.ts');
