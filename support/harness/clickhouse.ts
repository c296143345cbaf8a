import type { ClickHouseClient } from '@clickhouse/client';
import { createClient } from '../clickhouse/connect.ts';
import type { RunRuntime } from './runtime.ts';

/** A ClickHouse failure inside a spec test; its message names the server (a bare "connect ECONNREFUSED" would not). */
class ClickHouseFailure extends Error {
  override name = 'ClickHouseError';
}

/** Node's codes for a server that went away or never answered. */
const CONNECTION_LOST = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND']);

function clickhouseFailure(error: unknown, url: string): ClickHouseFailure {
  const { code, message } = error as NodeJS.ErrnoException;
  const text = code && CONNECTION_LOST.has(code)
    ? `ClickHouse at ${url} is not reachable any more (${code}): it answered when the run started and was lost during the run`
    : `ClickHouse at ${url} failed: ${message ?? String(error)}`;
  return new ClickHouseFailure(text, { cause: error });
}

/** The client calls that reach the server and throw on failure (ping answers { success: false } instead). */
const SERVER_CALLS = new Set<PropertyKey>(['query', 'insert', 'command', 'exec']);

/** The spec tests' ClickHouse client: a statement that fails throws a ClickHouseFailure. */
export function specClickHouse(settings: RunRuntime['clickhouse']): ClickHouseClient {
  const client = createClient(settings);
  return new Proxy(client, {
    get(target, key) {
      const member = Reflect.get(target, key, target);
      if (!SERVER_CALLS.has(key) || typeof member !== 'function') return member;
      return async (...args: unknown[]) => {
        try {
          return await member.apply(target, args);
        } catch (error) {
          throw clickhouseFailure(error, settings.url);
        }
      };
    },
  });
}
