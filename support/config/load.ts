import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { closest, distance } from 'fastest-levenshtein';
import { repoRoot } from '../paths.ts';
import type { SandboxKey } from '../catalogue/index.ts';
import type { IdKey } from '../core/types.ts';
import { mockOptions } from '../mock/settings.ts';
import { readBaseline, type FailOn, type RunBaseline } from './baseline.ts';
import { FILE_KEYS, ID_OVERRIDES, OWN_PREFIXES, PROCESS_ONLY, SANDBOX_IDS, schema } from './schema.ts';
import { invocationDir } from './tools.ts';

/**
 * Configuration of one run: `--env <name>` reads `.env.<name>` beneath the process environment (a
 * variable already set in the shell or CI wins), and one zod schema validates the result, so every
 * problem is reported together before any test starts.
 */

export class ConfigError extends Error {}

export interface RunConfig {
  envName: string;
  /** `mock` runs against our mock, started for the run; anything else is a live API. */
  mode: 'mock' | 'live';
  envFile: string | null;
  rest: { baseUrl: string; token: string | null };
  partners: { baseUrl: string; token: string | null };
  http: { timeoutMs: number; maxRetries: number; retryBaseMs: number; maxRetryAfterMs: number; ratePerSecond: number | null; maxAnswerBytes: number; maxJsonDepth: number };
  /** Bytes of artifacts one run may write; beyond it an exchange is stored without its answer body, marked. */
  maxArtifactBytes: number;
  clickhouse: { mode: 'embedded' | 'docker' | 'url'; url?: string; user: string; password: string; database: string; dataDir?: string };
  allowWrites: boolean;
  allPages: boolean;
  idOverrides: Partial<Record<IdKey, string>>;
  sandbox: Partial<Record<SandboxKey, string>>;
  mock: ReturnType<typeof mockOptions>;
  /** `--baseline`: the known findings the report separates from new ones; null without one. */
  baseline: RunBaseline | null;
}

export interface CliOverrides {
  allowWrites?: boolean;
  clickhouseMode?: 'embedded' | 'docker';
  allPages?: boolean;
  /** `--baseline <file>`, relative to the folder npm was run in. */
  baseline?: string;
  failOn?: FailOn;
}

/**
 * A .env file line by line: every line must be `NAME=value`, a comment or blank, and every NAME a setting of
 * the suite. dotenv alone drops a line it cannot read and keeps any name, so a typo would pass silently.
 */
function readEnvFile(file: string, name: string, problems: string[]): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(`${name} cannot be read: ${(error as Error).message}`);
    return {};
  }
  const values: Record<string, string> = {};
  const lineOf = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, index) => {
    const at = `${name} line ${index + 1}`;
    if (/^\s*(#.*)?$/.test(line)) return;
    const entries = Object.entries(parseDotenv(line));
    if (entries.length !== 1) return void problems.push(`${at} does not parse (expected NAME=value): ${JSON.stringify(line.slice(0, 60))}`);
    const [key, value] = entries[0];
    if (PROCESS_ONLY.includes(key)) return void problems.push(`${at}: ${key} is read from the process environment only, not from a .env file`);
    if (!FILE_KEYS.includes(key)) return void problems.push(`${at}: ${key} is not a setting of the suite (did you mean ${closest(key, FILE_KEYS)}?)`);
    if (lineOf.has(key)) problems.push(`${at}: ${key} is set again (first on line ${lineOf.get(key)})`);
    lineOf.set(key, index + 1);
    values[key] = value;
  });
  return values;
}

/** `--env prdo` without a file: the .env file of the nearest name, when there is one. */
function nearestEnvFile(envName: string): string | undefined {
  const names = readdirSync(repoRoot).filter((file) => /^\.env\.[\w-]+$/.test(file) && file !== '.env.example').map((file) => file.slice(5));
  const near = names.length > 0 ? closest(envName, names) : undefined;
  return near !== undefined && distance(envName, near) <= 2 ? near : undefined;
}

/** Reads and validates the configuration of `envName`; throws one ConfigError listing every problem. */
export function loadConfig(envName: string, cli: CliOverrides = {}, env: NodeJS.ProcessEnv = process.env): RunConfig {
  if (!/^[a-z0-9_-]+$/i.test(envName)) throw new ConfigError(`--env "${envName}" is not a valid environment name (letters, digits, - and _).`);
  const envFile = resolve(repoRoot, `.env.${envName}`);
  const hasFile = existsSync(envFile);
  const problems: string[] = [];
  const fromFile = hasFile ? readEnvFile(envFile, `.env.${envName}`, problems) : {};
  const processKnown = [...FILE_KEYS, ...PROCESS_ONLY];
  for (const key of Object.keys(env).filter((k) => OWN_PREFIXES.test(k) && !processKnown.includes(k)).sort()) {
    problems.push(`${key} (process environment) is not a setting of the suite (did you mean ${closest(key, processKnown)}?)`);
  }
  const merged: Record<string, string | undefined> = { ...fromFile, ...env };
  const source = hasFile ? `.env.${envName} and the process environment` : `the process environment (no .env.${envName} file)`;

  const parsed = schema.safeParse(merged);
  if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`));
  const mode = envName === 'mock' ? 'mock' : 'live';
  // Cross-field checks read the raw values, so they are reported together with the schema's problems.
  const restToken = merged.QTICKETS_TOKEN || undefined;
  if (mode === 'live' && !restToken) {
    problems.push('QTICKETS_TOKEN is missing: the REST token from the QTickets cabinet («Настройки – Основное») is required outside --env mock.');
    const near = hasFile ? undefined : nearestEnvFile(envName);
    if (!hasFile) problems.push(`there is no .env.${envName} file${near ? ` (did you mean --env ${near}? .env.${near} exists)` : ''}: copy .env.example to .env.${envName}, or set the variables in the environment`);
  }
  if (mode === 'live' && restToken && merged.QTICKETS_PARTNERS_TOKEN === restToken) {
    problems.push('QTICKETS_PARTNERS_TOKEN equals QTICKETS_TOKEN: the Partners API needs its own key issued by QTickets support (the REST token is refused there).');
  }
  if (cli.clickhouseMode === 'docker' && merged.CLICKHOUSE_URL) {
    problems.push('--clickhouse docker and CLICKHOUSE_URL are both set: choose one ClickHouse.');
  }
  const baseline = cli.baseline === undefined ? null : readBaseline(resolve(invocationDir(env), cli.baseline), cli.baseline, envName, problems);
  if (problems.length > 0 || !parsed.success) {
    throw new ConfigError(`Configuration for --env ${envName} is invalid (read from ${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const data = parsed.data;
  const clickhouseMode = data.CLICKHOUSE_URL ? 'url' : (cli.clickhouseMode ?? (data.CLICKHOUSE_MODE === 'docker' ? 'docker' : 'embedded'));
  const pick = (names: Record<string, string>) => {
    const out: Record<string, string> = {};
    for (const [name, key] of Object.entries(names)) if (merged[name]) out[key] = String(merged[name]);
    return out;
  };
  return {
    envName,
    mode,
    envFile: existsSync(envFile) ? envFile : null,
    rest: { baseUrl: data.QTICKETS_BASE_URL, token: data.QTICKETS_TOKEN ?? null },
    partners: { baseUrl: data.QTICKETS_PARTNERS_BASE_URL, token: data.QTICKETS_PARTNERS_TOKEN ?? null },
    http: {
      timeoutMs: data.QTICKETS_TIMEOUT_MS,
      maxRetries: data.QTICKETS_MAX_RETRIES,
      retryBaseMs: data.QTICKETS_RETRY_BASE_MS,
      maxRetryAfterMs: data.QTICKETS_MAX_RETRY_AFTER_MS,
      // Gentle by default against a live API; the local mock needs no limit.
      ratePerSecond: data.QTICKETS_RATE_LIMIT ?? (mode === 'live' ? 2 : null),
      maxAnswerBytes: data.QTICKETS_MAX_ANSWER_BYTES,
      maxJsonDepth: data.QTICKETS_MAX_JSON_DEPTH,
    },
    maxArtifactBytes: data.AUDIT_MAX_ARTIFACT_BYTES,
    clickhouse: {
      mode: clickhouseMode,
      url: data.CLICKHOUSE_URL,
      user: data.CLICKHOUSE_USER,
      password: data.CLICKHOUSE_PASSWORD,
      database: data.CLICKHOUSE_DATABASE,
      dataDir: data.CLICKHOUSE_DATA_DIR,
    },
    allowWrites: cli.allowWrites ?? data.AUDIT_ALLOW_WRITES,
    allPages: cli.allPages ?? false,
    idOverrides: pick(ID_OVERRIDES) as RunConfig['idOverrides'],
    // SANDBOX_CREATE is there only when it parsed to true: "no" must not allow a write.
    sandbox: { ...pick(Object.fromEntries(Object.keys(SANDBOX_IDS).map((k) => [k, k]))), ...(data.SANDBOX_CREATE ? { SANDBOX_CREATE: 'true' } : {}) } as RunConfig['sandbox'],
    mock: mockOptions(data),
    baseline: baseline && { file: cli.baseline!, failOn: cli.failOn ?? null, baseline },
  };
}
