import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { specById } from '../../support/catalogue/index.ts';
import { createClient, type ClickHouseRuntime } from '../../support/clickhouse/connect.ts';
import { bootstrapSchema, createDatabaseIfMissing } from '../../support/clickhouse/schema.ts';
import type { VerifiedTable } from '../../support/clickhouse/tables.ts';
import { loadConfig, type CliOverrides } from '../../support/config/load.ts';
import { settleRun } from '../../support/config/run.ts';
import type { SpecOutcome } from '../../support/core/outcome.ts';
import { runRuntime } from '../../support/harness/global-setup.ts';
import { runSpec, startOutcome, type SpecContext } from '../../support/runner/run-spec.ts';

/**
 * Specs run in this process, through the same stages a spec test runs (support/runner/run-spec.ts), with the
 * configuration read by the same loader: for self-tests that judge what the runner decides for many
 * settings, where a whole `npm test` per setting would only repeat the start-up. What only a whole run shows
 * (the wrapper, the reporter, signals, the processes left) stays with tests/helpers/suite-run.ts.
 */

export interface InProcessOptions {
  /** `--env`: the configuration is read from these variables alone (not this process's environment). */
  envName: string;
  env: Record<string, string>;
  cli?: CliOverrides;
  /** A running ClickHouse, shared by the caller's runs. */
  clickhouse: ClickHouseRuntime;
  /** The database the run writes to, created with the suite's schema when missing (runs may share it: each spec's rows carry its own `_ver`). */
  database: string;
  specIds: readonly string[];
}

/** One spec's outcome, as the reporter would get it, and what vitest would have been told. */
export interface InProcessResult {
  outcome: SpecOutcome<VerifiedTable>;
  /** The error the spec test would have failed with, if any (a skip is not one). */
  error?: Error;
}

class Skipped extends Error {}

/** Runs the specs one after another, in the order given, like the spec project does; every outcome is returned. */
export async function runSpecsInProcess(options: InProcessOptions): Promise<Map<string, InProcessResult>> {
  const config = loadConfig(options.envName, options.cli, options.env);
  if (config.mode !== 'live') throw new Error('runSpecsInProcess runs against a mock of the caller\'s, as a live API (give it QTICKETS_BASE_URL)');
  const scratchDir = mkdtempSync(join(tmpdir(), 'qta-in-process-'));
  const clickhouse = { ...options.clickhouse, database: options.database };
  try {
    const settings = settleRun(config, false, { AUDIT_RUN_ID: 'in-process', AUDIT_RUN_DIR: join(scratchDir, 'report') });
    mkdirSync(settings.runDir, { recursive: true });
    const client = createClient({ ...clickhouse, database: 'default' });
    try {
      await createDatabaseIfMissing(client, clickhouse.database);
      await bootstrapSchema(client, clickhouse.database, { embedded: clickhouse.mode === 'embedded' });
    } finally {
      await client.close();
    }
    const rt = runRuntime(settings, { scratchDir, rest: config.rest, partners: config.partners, clickhouse, startedAt: new Date() });
    const context: SpecContext = {
      signal: new AbortController().signal,
      skip: (note) => {
        throw new Skipped(note);
      },
      assertNoDeltaProblems: (problems, label) => {
        if (problems.length > 0) throw new Error(`${label}: ${problems.join('; ')}`);
      },
    };
    const results = new Map<string, InProcessResult>();
    for (const id of options.specIds) {
      const spec = specById(id);
      const outcome = startOutcome(spec, rt);
      try {
        await runSpec(spec, rt, context, outcome);
        results.set(id, { outcome });
      } catch (error) {
        results.set(id, error instanceof Skipped ? { outcome } : { outcome, error: error as Error });
      }
    }
    return results;
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
}
