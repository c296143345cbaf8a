/**
 * `npm test` — the suite's entry point. vitest rejects unknown flags, so our own flags are taken out here
 * and everything else goes to vitest unchanged:
 *
 *   --env <name>          mock (default: local mock API), prod, or any name with a .env.<name> file
 *   --allow-writes        let write specs reach a live tenant (also needs SANDBOX_* settings)
 *   --clickhouse docker   a ClickHouse container (testcontainers) instead of the embedded engine
 *   --all-pages           deep mode: list specs follow paging to the last page
 *
 * The configuration is validated before vitest starts, so a missing token or a bad ClickHouse URL is one
 * readable message, not 51 failing tests.
 */
import { createVitest, parseCLI, type Vitest } from 'vitest/node';
import { ConfigError, loadConfig } from '../config.ts';
import { ClickHouseStartError, preflightClickHouse } from '../clickhouse/connect.ts';
import { newRunId, runDirFor } from '../harness/run-dir.ts';

interface OwnFlags {
  env: string;
  allowWrites?: boolean;
  clickhouseMode?: 'embedded' | 'docker';
  allPages?: boolean;
  rest: string[];
}

export function splitArgs(argv: string[]): OwnFlags {
  const flags: OwnFlags = { env: 'mock', rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ConfigError(`${name} needs a value`);
      return v;
    };
    if (name === '--env') flags.env = value();
    else if (name === '--allow-writes') flags.allowWrites = true;
    else if (name === '--all-pages') flags.allPages = true;
    else if (name === '--clickhouse') {
      const mode = value();
      if (mode !== 'docker' && mode !== 'embedded') throw new ConfigError(`--clickhouse takes "embedded" or "docker", not "${mode}" (for a server of your own set CLICKHOUSE_URL)`);
      flags.clickhouseMode = mode;
    } else flags.rest.push(arg);
  }
  return flags;
}

async function main(): Promise<void> {
  let flags: OwnFlags;
  try {
    flags = splitArgs(process.argv.slice(2));
    const config = loadConfig(flags.env, flags);
    await preflightClickHouse(config.clickhouse);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ClickHouseStartError) {
      console.error(`\n${(error as Error).message}\n\nNothing was run. See README.md ("Configuration").`);
      process.exit(2);
    }
    throw error;
  }

  const runId = newRunId();
  Object.assign(process.env, {
    AUDIT_ENV: flags.env,
    AUDIT_RUN_ID: runId,
    AUDIT_RUN_DIR: process.env.AUDIT_RUN_DIR ?? runDirFor(runId),
    ...(flags.allowWrites ? { AUDIT_ALLOW_WRITES: 'true' } : {}),
    ...(flags.allPages ? { AUDIT_ALL_PAGES: 'true' } : {}),
    ...(flags.clickhouseMode ? { CLICKHOUSE_MODE: flags.clickhouseMode } : {}),
  });

  const { filter, options } = parseCLI(['vitest', 'run', ...flags.rest]);
  let vitest: Vitest | undefined;
  let interrupts = 0;
  const interrupt = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1 || !vitest) process.exit(130);
    console.error(`\n${signal}: stopping after the current test; the report is written and marked INCOMPLETE.`);
    void vitest.cancelCurrentRun('keyboard-input');
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);

  vitest = await createVitest('test', { ...options, run: true, watch: false });
  try {
    await vitest.start(filter);
  } catch (error) {
    // Start-up failures (global setup: mock, ClickHouse) are one message, not a stack trace per test.
    console.error(`\n${(error as Error).message}\n\nNo spec test ran.`);
    process.exitCode = 2;
  } finally {
    await vitest.close();
  }
  if (interrupts > 0) process.exitCode = 130;
  process.exit(process.exitCode ?? 0);
}

await main();
