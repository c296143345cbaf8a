/**
 * `npm run verify-report [dir]` — recomputes a finished audit run from its own files and checks its archive;
 * exits 1 with the list of mismatches. Default: the newest run under reports/.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../support/config/load.ts';
import { reportsRoot } from '../support/config/run.ts';
import { secretsOf } from '../support/secrets.ts';
import { runFolders, verifyRunDir } from '../reporters/audit/verify.ts';

const dir = process.argv[2] ? resolve(process.argv[2]) : runFolders(reportsRoot()).at(-1);
if (!dir) {
  console.error(`No run folder (YYYYmmdd_HHMMSS) under ${reportsRoot()}. Run the suite first, or name a folder.`);
  process.exit(2);
}

/** The secrets of the run's environment as configured here (.env.<name> and the environment); none when it does not load. */
function configuredSecrets(runDir: string): string[] {
  try {
    const env = (JSON.parse(readFileSync(join(runDir, 'runtime.json'), 'utf8')) as { env?: string }).env ?? 'mock';
    return secretsOf(loadConfig(env));
  } catch (error) {
    console.log(`note: the leak scan knows no configured secret (${(error as Error).message.split('\n')[0]})`);
    return [];
  }
}

const result = verifyRunDir(dir, configuredSecrets(dir));
for (const note of result.notes) console.log(`note: ${note}`);
if (result.problems.length === 0) {
  console.log(`${dir}: verified (totals, matrix, metrics, CSV, log, artifacts, archive, receipts).`);
} else {
  console.error(`${dir}: ${result.problems.length} mismatch(es):`);
  for (const problem of result.problems) console.error(`  - ${problem}`);
  process.exitCode = 1;
}
