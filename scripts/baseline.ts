/**
 * `npm run baseline [file]` — writes audit-baseline.json (default: in the folder npm was run from) from the
 * newest report under reports/ that passes verify-report: its drift paths (each with the run it was first
 * seen in), deviations, failed specs and skips, and its env. `npm test -- --baseline <file> --fail-on new`
 * then fails only for what the baseline does not hold.
 */
import { basename } from 'node:path';
import { reportsRoot } from '../support/config/run.ts';
import { baselineFrom } from '../reporters/audit/baseline.ts';
import { readSummary } from '../reporters/audit/trend.ts';
import { runFolders, verifyRunDir } from '../reporters/audit/verify.ts';
import { configuredSecrets } from './configured-secrets.ts';
import { fileCommand, type FileCommand } from './file-command.ts';

const command: FileCommand = fileCommand('baseline', 'Usage: npm run baseline [file]', 'audit-baseline.json');
const [file, ...extra] = process.argv.slice(2);
const target = command.target(file, extra);

const newestVerified = runFolders(reportsRoot()).reverse().find((dir) => {
  const problems = verifyRunDir(dir, configuredSecrets(dir)).problems;
  if (problems.length > 0) console.log(`${basename(dir)}: does not verify (${problems[0]}${problems.length > 1 ? ` and ${problems.length - 1} more` : ''}); passed over`);
  return problems.length === 0;
});
if (!newestVerified) command.fail(`baseline: no verified run folder under ${reportsRoot()}. Run the audit first (npm test -- --env <name>).`);
const summary = readSummary(newestVerified);
if (!summary?.runtime?.env) command.fail(`baseline: ${newestVerified} does not name its env (runtime.json was missing).`);

const baseline = baselineFrom(summary, new Date().toISOString());
command.write(target, `${JSON.stringify(baseline, null, 2)}\n`);
console.log(
  `Wrote ${target} from run ${baseline.runId} (env ${baseline.env}): ${baseline.drift.length} drift path(s), ${baseline.deviations.length} deviation(s), ${baseline.failures.length} failure(s), ${baseline.skips.length} skip(s).`,
);
