/**
 * `npm run verify-report [dir]` — recomputes a finished audit run from its own files and checks its archive;
 * exits 1 with the list of mismatches. Default: the newest run under reports/.
 */
import { resolve } from 'node:path';
import { reportsRoot } from '../support/config/run.ts';
import { configuredSecrets } from './configured-secrets.ts';
import { runFolders, verifyRunDir } from '../reporters/audit/verify.ts';

const dir = process.argv[2] ? resolve(process.argv[2]) : runFolders(reportsRoot()).at(-1);
if (!dir) {
  console.error(`No run folder (YYYYmmdd_HHMMSS) under ${reportsRoot()}. Run the suite first, or name a folder.`);
  process.exit(2);
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
