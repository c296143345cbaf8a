import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { version as vitestVersion } from 'vitest/node';
import { NOT_HANDED_ON } from '../config/hand-on.ts';
import { createClient, type ClickHouseRuntime } from '../clickhouse/connect.ts';
import { takeOverClickHouse } from './early-clickhouse.ts';
import { endOfRun } from './end-of-run.ts';
import { bootstrapSchema } from '../clickhouse/schema.ts';
import { countTables } from '../clickhouse/counts.ts';
import { startMock, type MockServer } from '../mock/server.ts';
import { fingerprint } from '../masking.ts';
import { repoRoot } from '../paths.ts';
import { distinctSecrets, publishRunSecrets, secretsOf, withoutCredentials } from '../secrets.ts';
import type { RunSettings } from '../config/run.ts';
import type { RunRuntime } from './runtime.ts';

/**
 * Starts what the spec tests need, once per run: the mock (for --env mock), ClickHouse (embedded by
 * default) with its schema, and the run folder with the facts the reporter needs. Stops them at the end,
 * whatever the tests did.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const settings = project.getProvidedContext().settings;
  // Only the message: no stack frame would help whoever started vitest directly.
  if (!settings) throw Object.assign(new Error(NOT_HANDED_ON), { stack: NOT_HANDED_ON });
  const { config, runId, runDir } = settings;
  // Published before anything runs, so the reporter's redaction and leak scan know them whatever fails later.
  publishRunSecrets(secretsOf(config));
  mkdirSync(runDir, { recursive: true });
  const scratchDir = mkdtempSync(join(tmpdir(), `qtickets-audit-${runId}-`));

  let mock: MockServer | undefined;
  let clickhouse: ClickHouseRuntime | undefined;
  const stop = async () => {
    // The run's meta_job_runs row and the after-counts, while ClickHouse still runs (the reporter reads them).
    if (clickhouse) await endOfRun(runDir, clickhouse).catch((error: Error) => console.error(`The end of the run could not be measured: ${error.message}`));
    await mock?.close();
    await clickhouse?.stop();
    rmSync(scratchDir, { recursive: true, force: true });
  };
  try {
    let rest = config.rest;
    let partners = config.partners;
    if (config.mode === 'mock') {
      // Fresh credentials per run: nothing secret is configured for the mock, and nothing can leak.
      const restToken = `mock-${randomBytes(12).toString('hex')}`;
      const partnersToken = `mock-partners-${randomBytes(12).toString('hex')}`;
      mock = await startMock({ restToken, partnersToken, ...config.mock });
      rest = { baseUrl: mock.restBaseUrl, token: restToken };
      partners = { baseUrl: mock.partnersBaseUrl, token: partnersToken };
      publishRunSecrets([restToken, partnersToken]);
    }

    clickhouse = await takeOverClickHouse(config.clickhouse);
    publishRunSecrets(secretsOf({ rest, partners, clickhouse }));
    const client = createClient(clickhouse);
    let schema: Awaited<ReturnType<typeof bootstrapSchema>>;
    try {
      schema = await bootstrapSchema(client, clickhouse.database, { embedded: clickhouse.mode === 'embedded' });
      for (const note of [...schema.notes, ...schema.recreated.map((t) => `recreated ${t} (its schema had drifted)`)]) console.log(`ClickHouse schema: ${note}`);
      writeJson(join(runDir, 'clickhouse-before.json'), await countTables(client, clickhouse.database));
    } finally {
      await client.close();
    }

    const startedAt = new Date();
    const runtime = runRuntime(settings, { scratchDir, rest, partners, clickhouse, startedAt });
    project.provide('runtime', runtime);
    writeJson(join(runDir, 'runtime.json'), {
      runId,
      startedAt: startedAt.toISOString(),
      env: config.envName,
      mode: config.mode,
      tenant: config.mode === 'mock' ? config.mock.tenant : undefined,
      restBaseUrl: withoutCredentials(rest.baseUrl),
      partnersBaseUrl: withoutCredentials(partners.baseUrl),
      tokenFingerprints: { rest: rest.token ? fingerprint(rest.token) : null, partners: partners.token ? fingerprint(partners.token) : null },
      allowWrites: config.allowWrites,
      allPages: config.allPages,
      clickhouse: { mode: clickhouse.mode, url: withoutCredentials(clickhouse.url), user: clickhouse.user, database: clickhouse.database, version: clickhouse.version, countingMethod: 'FINAL', tablesCreated: schema.created, tablesExisting: schema.existing },
      verBase: runtime.verBase,
      scratchDir,
      gitCommit: gitCommit(),
      node: process.version,
      vitest: vitestVersion,
      os: { platform: process.platform, release: release(), cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, ramGb: Math.round(totalmem() / 2 ** 30) },
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}

/** What every spec test of the run gets: the settings with the APIs and the ClickHouse actually in use. */
export function runRuntime(
  settings: RunSettings,
  started: { scratchDir: string; rest: RunRuntime['rest']; partners: RunRuntime['partners']; clickhouse: ClickHouseRuntime; startedAt: Date },
): RunRuntime {
  const { config, runId, runDir, progressTty } = settings;
  const { scratchDir, rest, partners, clickhouse, startedAt } = started;
  return {
    runId,
    runDir,
    scratchDir,
    envName: config.envName,
    mode: config.mode,
    rest,
    partners,
    http: config.http,
    maxArtifactBytes: config.maxArtifactBytes,
    secrets: distinctSecrets([...secretsOf(config), ...secretsOf({ rest, partners, clickhouse })]),
    clickhouse: { mode: clickhouse.mode, url: clickhouse.url, user: clickhouse.user, password: clickhouse.password, database: clickhouse.database },
    allowWrites: config.allowWrites,
    allPages: config.allPages,
    progressTty,
    idOverrides: config.idOverrides,
    sandbox: config.sandbox,
    verBase: String(BigInt(startedAt.getTime()) * 1000n),
  };
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n');
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown (not a git checkout)';
  }
}
