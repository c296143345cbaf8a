import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { repoRoot } from './paths.ts';
import type { SandboxKey } from './catalogue.ts';
import type { IdKey } from './harness/types.ts';
import { mockOptions, mockSettingsShape } from './mock/settings.ts';
import { ANSWER_LIMITS } from './client.ts';

/**
 * Configuration of one run: `--env <name>` reads `.env.<name>` beneath the process environment (a
 * variable already set in the shell or CI wins), and one zod schema validates the result, so every
 * problem is reported together before any test starts.
 */

export class ConfigError extends Error {}

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const url = (what: string) => z.string().url(`${what} must be an http(s) URL`).refine((u) => /^https?:/.test(u), `${what} must be an http(s) URL`);
const positiveInt = (fallback: number) => z.preprocess(emptyToUndefined, z.coerce.number().int().nonnegative().default(fallback));
/** A bound: a whole number ≥ 1 written as plain digits (no "20MB", no "1e6"). */
const bound = (name: string, fallback: number) =>
  z.preprocess(emptyToUndefined, z.string().regex(/^[1-9][0-9]*$/, `${name} must be a whole number ≥ 1`).transform(Number).default(fallback));
const flag = z.preprocess((v) => (v === undefined || v === '' ? 'false' : String(v).toLowerCase()), z.enum(['true', 'false', '1', '0', 'yes', 'no'])).transform((v) => ['true', '1', 'yes'].includes(v));

/** Ids a user may pin instead of discovering them (documented in .env.example). */
export const ID_OVERRIDES: Record<string, IdKey> = {
  AUDIT_ORDER_ID: 'orderId',
  AUDIT_EVENT_ID: 'eventId',
  AUDIT_SHOW_ID: 'showId',
  AUDIT_BARCODE: 'barcode',
  AUDIT_CLIENT_EMAIL: 'clientEmail',
  AUDIT_DISCOUNT_ID: 'discountId',
  AUDIT_PROMO_CODE_ID: 'promoCodeId',
  AUDIT_PARTNER_EVENT_ID: 'partnerEventId',
  AUDIT_PARTNER_SHOW_ID: 'partnerShowId',
};

/** Where sandbox settings send a write instead of discovered ids. */
export const SANDBOX_IDS: Partial<Record<SandboxKey, IdKey[]>> = {
  SANDBOX_ORDER_ID: ['writeOrderId', 'cancelledOrderId'],
  SANDBOX_BASKET_ID: ['basketId', 'basketId2'],
  SANDBOX_CLIENT_EMAIL: ['clientEmail'],
  SANDBOX_EVENT_ID: ['createdEventId'],
  SANDBOX_DISCOUNT_ID: ['discountId'],
  SANDBOX_PROMO_CODE_ID: ['promoCodeId'],
  SANDBOX_SHOW_ID: ['showId'],
  SANDBOX_BARCODE: ['barcode'],
  SANDBOX_PARTNER_EVENT_ID: ['partnerEventId'],
  SANDBOX_PARTNER_SHOW_ID: ['partnerShowId'],
  SANDBOX_SEAT_ID: ['freeSeatIds'],
};

const schema = z
  .object({
    QTICKETS_BASE_URL: z.preprocess(emptyToUndefined, url('QTICKETS_BASE_URL').default('https://qtickets.ru/api/rest/v1')),
    QTICKETS_TOKEN: optionalString,
    QTICKETS_PARTNERS_BASE_URL: z.preprocess(emptyToUndefined, url('QTICKETS_PARTNERS_BASE_URL').default('https://qtickets.ru/api/partners/v1')),
    QTICKETS_PARTNERS_TOKEN: optionalString,
    QTICKETS_TIMEOUT_MS: positiveInt(30_000),
    QTICKETS_MAX_RETRIES: positiveInt(2),
    QTICKETS_RETRY_BASE_MS: positiveInt(1000),
    QTICKETS_MAX_RETRY_AFTER_MS: positiveInt(60_000),
    QTICKETS_MAX_ANSWER_BYTES: bound('QTICKETS_MAX_ANSWER_BYTES', ANSWER_LIMITS.maxAnswerBytes),
    QTICKETS_MAX_JSON_DEPTH: bound('QTICKETS_MAX_JSON_DEPTH', ANSWER_LIMITS.maxJsonDepth),
    AUDIT_MAX_ARTIFACT_BYTES: bound('AUDIT_MAX_ARTIFACT_BYTES', 200 * 2 ** 20),
    QTICKETS_RATE_LIMIT: z.preprocess(emptyToUndefined, z.coerce.number().nonnegative().optional()),
    CLICKHOUSE_URL: z.preprocess(emptyToUndefined, url('CLICKHOUSE_URL').optional()),
    CLICKHOUSE_USER: z.preprocess(emptyToUndefined, z.string().default('default')),
    CLICKHOUSE_PASSWORD: z.preprocess((v) => v ?? '', z.string()),
    CLICKHOUSE_DATABASE: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'CLICKHOUSE_DATABASE must be a plain identifier').default('qtickets_audit')),
    CLICKHOUSE_MODE: z.preprocess(emptyToUndefined, z.enum(['embedded', 'docker', 'url']).optional()),
    CLICKHOUSE_DATA_DIR: optionalString,
    AUDIT_ALLOW_WRITES: flag,
    ...mockSettingsShape,
  })
  .passthrough();

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
}

export interface CliOverrides {
  allowWrites?: boolean;
  clickhouseMode?: 'embedded' | 'docker';
  allPages?: boolean;
}

/** Reads and validates the configuration of `envName`; throws one ConfigError listing every problem. */
export function loadConfig(envName: string, cli: CliOverrides = {}, env: NodeJS.ProcessEnv = process.env): RunConfig {
  if (!/^[a-z0-9_-]+$/i.test(envName)) throw new ConfigError(`--env "${envName}" is not a valid environment name (letters, digits, - and _).`);
  const envFile = resolve(repoRoot, `.env.${envName}`);
  const fromFile = existsSync(envFile) ? parseDotenv(readFileSync(envFile)) : {};
  const merged: Record<string, string | undefined> = { ...fromFile, ...env };
  const source = existsSync(envFile) ? `.env.${envName} and the process environment` : `the process environment (no .env.${envName} file)`;

  const parsed = schema.safeParse(merged);
  const problems: string[] = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`);
  const mode = envName === 'mock' ? 'mock' : 'live';
  // Cross-field checks read the raw values, so they are reported together with the schema's problems.
  const restToken = merged.QTICKETS_TOKEN || undefined;
  if (mode === 'live' && !restToken) {
    problems.push('QTICKETS_TOKEN is missing: the REST token from the QTickets cabinet («Настройки – Основное») is required outside --env mock.');
  }
  if (mode === 'live' && restToken && merged.QTICKETS_PARTNERS_TOKEN === restToken) {
    problems.push('QTICKETS_PARTNERS_TOKEN equals QTICKETS_TOKEN: the Partners API needs its own key issued by QTickets support (the REST token is refused there).');
  }
  if (cli.clickhouseMode === 'docker' && merged.CLICKHOUSE_URL) {
    problems.push('--clickhouse docker and CLICKHOUSE_URL are both set: choose one ClickHouse.');
  }
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
    sandbox: pick(Object.fromEntries(Object.keys(SANDBOX_IDS).concat('SANDBOX_CREATE').map((k) => [k, k]))) as RunConfig['sandbox'],
    mock: mockOptions(data),
  };
}
