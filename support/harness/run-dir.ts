import { accessSync, constants, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../config/load.ts';
import { repoRoot } from '../paths.ts';

/** The audit reporter, also added when a user replaces the configured reporters with --reporter. */
export const AUDIT_REPORTER = join(repoRoot, 'reporters', 'audit-reporter.ts');

/** The folder a run's report goes into must be writable before the run starts, not found unwritable at its end. */
export function requireWritableReports(runDir: string): void {
  const folder = dirname(runDir);
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw new ConfigError(`The reports folder ${folder} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): set AUDIT_REPORTS_DIR to a folder you can write.`);
  }
}
