/**
 * `npm test` — the wrapper around vitest (started by entry.mjs). vitest rejects unknown flags, so our own
 * flags are taken out here and everything else goes to vitest unchanged:
 *
 *   --env <name>          mock (default: local mock API), prod, or any name with a .env.<name> file
 *   --allow-writes        let write specs reach a live tenant (also needs SANDBOX_* settings)
 *   --clickhouse docker   a ClickHouse container (testcontainers) instead of the embedded engine
 *   --all-pages           deep mode: list specs follow paging to the last page
 *   --baseline <file>     known findings (npm run baseline): the report separates them from new ones
 *   --fail-on new|any     with --baseline: the exit code comes from the report's gate (summary.json)
 *
 * A flag neither the wrapper nor vitest knows is refused, and the configuration is validated, before
 * vitest starts: a typo, a missing token or a bad ClickHouse URL is one readable message, not a run of
 * something else. Against a live API only the spec project runs unless --project is given.
 */
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { Vitest } from 'vitest/node';
import type { Gate } from '../config/baseline.ts';
import { ConfigError, loadConfig } from '../config/load.ts';
import { handOn } from '../config/hand-on.ts';
import { settleRun, type RunSettings } from '../config/run.ts';
import { ClickHouseStartError, preflightClickHouse } from '../clickhouse/connect.ts';
import { releaseEarlyClickHouse, startClickHouseEarly } from '../harness/early-clickhouse.ts';
import { requireWritableReports } from '../harness/run-dir.ts';
import { verifyRunDir } from '../../reporters/audit/verify.ts';
import { secretsOf } from '../secrets.ts';
import { refuseUnknownFlags, runsSpecProject, splitArgs, vitestRunOptions, withDefaultProject, type OwnFlags } from './args.ts';
import { vitestCli } from './vitest-cli.ts';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * 1 unless the run's summary.json holds a gate that passes and the written report verifies: a report that was
 * not written, or that its own check found broken, fails the run whatever the baseline holds.
 */
function gateExitCode(runDir: string, secrets: string[]): number {
  try {
    const { gate } = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as { gate?: Gate | null };
    if (gate) console.log(`--fail-on ${gate.failOn}: ${gate.fail ? `fail (${gate.reasons.join('; ')})` : 'pass'}`);
    const problems = verifyRunDir(runDir, secrets).problems;
    if (problems.length > 0) console.error(`--fail-on: the written report does not verify, so the run fails (${problems.length} problem(s), first: ${problems[0]})`);
    return gate?.fail === false && problems.length === 0 ? 0 : 1;
  } catch {
    console.error('--fail-on: the run wrote no readable summary.json, so it fails.');
    return 1;
  }
}

const USAGE = `npm test -- [options] [vitest options] [file filters]

  --env <name>          mock (default: a local mock API), prod, or any name with a .env.<name> file;
                        with any name but mock only the spec project runs unless --project is given
  --allow-writes        let write specs reach a live tenant (also needs SANDBOX_* settings)
  --clickhouse docker   a ClickHouse container instead of the embedded engine
  --all-pages           deep mode: list specs follow paging to the last page
  --baseline <file>     an audit-baseline.json (npm run baseline) of the same env: the report
                        separates known drift, deviations and failures from new ones
  --fail-on new|any     with --baseline: exit 1 only for new findings (new), or for any finding
                        (any), besides a run that is not sound (run errors, leaks, violations)

vitest's options follow.`;

async function main(): Promise<void> {
  let flags: OwnFlags;
  let settings: RunSettings;
  try {
    flags = splitArgs(process.argv.slice(2));
    if (flags.help) {
      console.log(USAGE);
      (await vitestCli()).outputHelp();
      process.exit(0);
    }
    await refuseUnknownFlags(flags.rest);
    const args = withDefaultProject(flags.env, flags.rest);
    if (args !== flags.rest) console.log(`--env ${flags.env}: the audit alone (the spec project); add --project spec --project unit --project e2e for the self-tests too.`);
    flags.rest = args;
    settings = settleRun(loadConfig(flags.env, flags), process.stderr.isTTY === true);
    await preflightClickHouse(settings.config.clickhouse);
    if (runsSpecProject(flags.rest)) {
      requireWritableReports(settings.runDir);
      // The engine starts in its own process while vitest loads here.
      startClickHouseEarly(settings.config.clickhouse);
    }
  } catch (error) {
    // Known start-up problems carry their own advice; anything else is still one message, not a stack trace.
    const known = error instanceof ConfigError || error instanceof ClickHouseStartError;
    console.error(`\n${known ? '' : 'The run could not start: '}${(error as Error).message}\n\nNothing was run. See README.md ("Configuration").`);
    process.exit(2);
  }

  // vitest.config.ts takes them over when vitest loads it, in this process.
  handOn(settings);

  const { createVitest } = await import('vitest/node');
  const { filter, options } = vitestRunOptions(flags.rest);
  let vitest: Vitest | undefined;
  let stoppedBy: NodeJS.Signals | null = null;
  // The shell's convention: 128 + the signal's number (130 for Ctrl-C, 143 for SIGTERM).
  const signalExitCode = (signal: NodeJS.Signals) => 128 + constants.signals[signal];
  const interrupt = (signal: NodeJS.Signals) => {
    if (stoppedBy || !vitest) process.exit(signalExitCode(signal));
    stoppedBy = signal;
    console.error(`\n${signal}: stopping after the current test; the report is written and marked INCOMPLETE. A second signal stops at once.`);
    void vitest.cancelCurrentRun('keyboard-input');
  };
  for (const signal of SIGNALS) process.on(signal, interrupt);

  const ownListeners = new Set(SIGNALS.flatMap((signal) => process.listeners(signal)));
  vitest = await createVitest('test', { ...options, run: true, watch: false });
  // vitest's logger exits the process 1 ms after a signal: the test in flight keeps running in its orphaned
  // worker, and the global teardown (mock, ClickHouse, the private scratch folder) never runs. The wrapper
  // stops the run itself instead; only the listeners vitest just added are removed.
  for (const signal of SIGNALS) for (const listener of process.listeners(signal)) if (!ownListeners.has(listener)) process.off(signal, listener as () => void);
  try {
    await vitest.start(filter);
  } catch (error) {
    // Start-up failures (global setup: mock, ClickHouse) are one message, not a stack trace per test.
    console.error(`\n${(error as Error).message}\n\nNo spec test ran.`);
    process.exitCode = 2;
  } finally {
    await vitest.close();
    await releaseEarlyClickHouse();
  }
  // With --fail-on the report's gate decides instead of vitest's count of failed tests (a known failure
  // passes); a run that could not start keeps its 2.
  if (settings.config.baseline?.failOn && !stoppedBy && process.exitCode !== 2) process.exitCode = gateExitCode(settings.runDir, secretsOf(settings.config));
  if (stoppedBy) process.exitCode = signalExitCode(stoppedBy);
  process.exit(process.exitCode ?? 0);
}

await main();
