/**
 * The run's secrets (tokens, passwords, URL credentials) taken from the resolved configuration, whatever its
 * source, and the redaction every output goes through before it is written: a secret is replaced, never
 * stored, so no file, archive entry or Allure attachment can hold one.
 */

export const REDACTED = '<redacted>';

/** Headers that carry credentials whatever their value. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'x-auth-token']);

interface SecretSources {
  rest: { baseUrl: string; token: string | null };
  partners: { baseUrl: string; token: string | null };
  clickhouse: { url?: string; password: string };
}

/** Every secret of a resolved configuration: tokens, the ClickHouse password and user:password of any URL. */
export function secretsOf(config: SecretSources): string[] {
  const found = [config.rest.token, config.partners.token, config.clickhouse.password];
  for (const url of [config.rest.baseUrl, config.partners.baseUrl, config.clickhouse.url]) found.push(...urlCredentials(url));
  return distinctSecrets(found);
}

/** Non-empty, distinct, longest first (a secret that contains another is replaced whole). */
export function distinctSecrets(values: readonly (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v !== ''))].sort((a, b) => b.length - a.length);
}

/** The user and password of a URL, as written (percent-encoded) and decoded. */
function urlCredentials(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const { username, password } = new URL(url);
    // The password is the secret; a user name alone is an identifier (URLs are written without both).
    if (!password) return [];
    return [password, safeDecode(password), `${username}:${password}`, `${safeDecode(username)}:${safeDecode(password)}`];
  } catch {
    return [];
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A URL without user and password; text that is no URL is returned as it is. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Replaces every secret (raw and as it looks inside a JSON string) in a text. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) if (out.includes(form)) out = out.split(form).join(REDACTED);
  }
  return out;
}

/** Headers as they may be stored: credential headers and any value echoing a secret are redacted. */
export function redactHeaders(headers: Record<string, string>, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = CREDENTIAL_HEADERS.has(name.toLowerCase()) ? REDACTED : redactText(value, secrets);
  return out;
}

/** A copy of a JSON-like value with every secret redacted from its strings and keys (values are depth-bounded answers). */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([key, child]) => [redactText(key, secrets), walk(child)]));
    return v;
  };
  return walk(value) as T;
}

const RUN_SECRETS = Symbol.for('qtickets-contract-suite.run-secrets');
type WithSecrets = typeof globalThis & { [RUN_SECRETS]?: string[] };

/**
 * Global setup and the audit reporter share the main vitest process, not their module instances: the run's
 * secrets (configuration and the mock's per-run tokens) are handed over here, in memory only.
 */
export function publishRunSecrets(secrets: readonly string[]): void {
  const holder = globalThis as WithSecrets;
  holder[RUN_SECRETS] = distinctSecrets([...(holder[RUN_SECRETS] ?? []), ...secrets]);
}

export function runSecrets(): string[] {
  return [...((globalThis as WithSecrets)[RUN_SECRETS] ?? [])];
}
