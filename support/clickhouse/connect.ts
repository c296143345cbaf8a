import { resolve } from 'node:path';
import { createClient as createClickHouseClient, ClickHouseLogLevel, type ClickHouseClient } from '@clickhouse/client';
import { CLICKHOUSE_LTS, embeddedEngineMissing, lockHolder, startEmbeddedClickHouse } from './embedded.ts';
import { checkDatabaseName, ClickHouseStartError } from './errors.ts';
import { createDatabaseIfMissing } from './schema.ts';

/**
 * One factory for every ClickHouse the suite can use: the embedded engine (default), a container
 * (`--clickhouse docker`), or a server of the user's own (`CLICKHOUSE_URL`). Each is checked the same way
 * (ping, then `SELECT version()` with the credentials) and fails with one readable message.
 */

export { ClickHouseStartError };

export type ClickHouseMode = 'embedded' | 'docker' | 'url';

export interface ClickHouseSettings {
  mode: ClickHouseMode;
  url?: string;
  user?: string;
  password?: string;
  /** The suite's own database (default `qtickets_audit`). */
  database: string;
  /** embedded: a persistent data directory (default: a temporary one, removed on stop). */
  dataDir?: string;
}

export interface ClickHouseRuntime {
  mode: ClickHouseMode;
  /** Without credentials. */
  url: string;
  user: string;
  password: string;
  database: string;
  version: string;
  stop(): Promise<void>;
}

/** The official image `--clickhouse docker` runs (docker/compose.yml pins the same one). */
export const CLICKHOUSE_IMAGE = `clickhouse/clickhouse-server:${CLICKHOUSE_LTS}`;

/** The only place that builds @clickhouse/client clients. */
export function createClient(rt: Pick<ClickHouseRuntime, 'url' | 'user' | 'password' | 'database'>, opts: { requestTimeoutMs?: number } = {}): ClickHouseClient {
  return createClickHouseClient({
    url: rt.url,
    username: rt.user,
    password: rt.password,
    database: rt.database,
    request_timeout: opts.requestTimeoutMs ?? 120_000,
    // Failures reach the caller as exceptions; the client's own console logging would only repeat them.
    log: { level: ClickHouseLogLevel.OFF },
  });
}

/**
 * Starts (embedded, docker) or checks (url) a ClickHouse, verifies that it answers, and makes sure the
 * suite's database exists: a client bound to a missing database cannot run any statement, not even
 * `CREATE DATABASE`.
 */
export async function startClickHouse(settings: ClickHouseSettings): Promise<ClickHouseRuntime> {
  checkDatabaseName(settings.database);
  const server = await launch(settings);
  try {
    const version = await verify(server);
    await ensureDatabase(server, settings.database);
    return { mode: settings.mode, ...server, database: settings.database, version };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * The cheap checks `npm test` runs before vitest starts, so a wrong setting is one message instead of a
 * failed global setup: a URL must answer with valid credentials, docker mode needs a Docker engine, the
 * embedded engine must exist for this platform and a persistent data directory must not be held by another
 * process. Changes nothing.
 */
export async function preflightClickHouse(settings: ClickHouseSettings): Promise<void> {
  if (settings.mode === 'url') await verify(remote(settings));
  else if (settings.mode === 'docker') await requireDocker();
  else {
    const missing = embeddedEngineMissing();
    if (missing) throw new ClickHouseStartError(missing);
    const holder = settings.dataDir ? lockHolder(resolve(settings.dataDir)) : null;
    if (holder) throw new ClickHouseStartError(`The embedded ClickHouse data directory ${resolve(settings.dataDir!)} is in use by another process (pid ${holder}). Stop it, or set CLICKHOUSE_DATA_DIR to another directory.`);
  }
}

type Server = Pick<ClickHouseRuntime, 'url' | 'user' | 'password' | 'stop'>;

async function launch(settings: ClickHouseSettings): Promise<Server> {
  switch (settings.mode) {
    case 'embedded': {
      const embedded = await startEmbeddedClickHouse({ dataDir: settings.dataDir });
      return { url: embedded.url, user: 'default', password: '', stop: embedded.stop };
    }
    case 'docker':
      return startContainer();
    case 'url':
      return remote(settings);
  }
}

/** A server of the user's: credentials written into the URL win over CLICKHOUSE_USER/PASSWORD. */
function remote(settings: ClickHouseSettings): Server {
  if (!settings.url) throw new ClickHouseStartError('CLICKHOUSE_URL is empty: set it to the HTTP address of your ClickHouse, e.g. http://localhost:8123.');
  let url: URL;
  try {
    url = new URL(settings.url);
  } catch {
    throw new ClickHouseStartError('CLICKHOUSE_URL is not a valid URL: use the HTTP address of your ClickHouse, e.g. http://localhost:8123.');
  }
  const user = url.username ? decodeURIComponent(url.username) : (settings.user ?? 'default');
  const password = url.password ? decodeURIComponent(url.password) : (settings.password ?? '');
  url.username = '';
  url.password = '';
  return { url: url.href.replace(/\/$/, ''), user, password, stop: async () => undefined };
}

async function startContainer(): Promise<Server> {
  await requireDocker();
  const { ClickHouseContainer } = await import('@testcontainers/clickhouse');
  try {
    const container = await new ClickHouseContainer(CLICKHOUSE_IMAGE).start();
    return {
      url: container.getHttpUrl(),
      user: container.getUsername(),
      password: container.getPassword(),
      stop: async () => void (await container.stop()),
    };
  } catch (error) {
    throw new ClickHouseStartError(`The ClickHouse container (${CLICKHOUSE_IMAGE}) did not start: ${firstLine(error)}`);
  }
}

/** testcontainers answers at once when no container runtime exists; its message alone would not say what to do. */
async function requireDocker(): Promise<void> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch (error) {
    throw new ClickHouseStartError(
      `--clickhouse docker needs a running Docker engine, and none was found (${firstLine(error)}). ` +
        'Start Docker, or leave out --clickhouse docker to use the embedded ClickHouse (the default), or set CLICKHOUSE_URL to a ClickHouse server of your own.',
    );
  }
}

/** Ping (is anything there?), then `SELECT version()` with the credentials (may we in?). Returns the version. */
async function verify(server: Pick<Server, 'url' | 'user' | 'password'>): Promise<string> {
  // A quick answer or a clear failure: a black-holed address must not hang the start for minutes.
  const client = createClient({ ...server, database: 'default' }, { requestTimeoutMs: 15_000 });
  const hide = (text: string) => (server.password ? text.split(server.password).join('***') : text);
  try {
    const ping = await client.ping();
    if (!ping.success) {
      const code = (ping.error as NodeJS.ErrnoException).code;
      const reason = code && /^E[A-Z]+$/.test(code) ? code : hide(firstLine(ping.error));
      throw new ClickHouseStartError(`ClickHouse at ${server.url} is not reachable (${reason}). Check CLICKHOUSE_URL.`);
    }
    try {
      const result = await client.query({ query: 'SELECT version() AS version', format: 'JSONEachRow' });
      const [row] = await result.json<{ version: string }>();
      return row.version;
    } catch (error) {
      const type = (error as { type?: string }).type;
      if (type === 'AUTHENTICATION_FAILED' || type === 'REQUIRED_PASSWORD') {
        throw new ClickHouseStartError(`ClickHouse at ${server.url} refused the credentials of user "${server.user}" (${type}). Check CLICKHOUSE_USER and CLICKHOUSE_PASSWORD.`);
      }
      throw new ClickHouseStartError(`ClickHouse at ${server.url} answered the ping but not SELECT version(): ${hide(firstLine(error))}`);
    }
  } finally {
    await client.close();
  }
}

async function ensureDatabase(server: Server, database: string): Promise<void> {
  const client = createClient({ ...server, database: 'default' });
  try {
    await createDatabaseIfMissing(client, database);
  } catch (error) {
    throw new ClickHouseStartError(`Cannot create database ${database} on ClickHouse at ${server.url} as user "${server.user}": ${firstLine(error)}. Create it, or set CLICKHOUSE_DATABASE to one that exists.`);
  } finally {
    await client.close();
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].trim();
}
