import { resolve } from 'node:path';
import { repoRoot } from '../paths.ts';

/**
 * The ClickHouse `npm run ch` opens, from the process environment alone (it reads no .env file): the server of
 * CLICKHOUSE_URL with its user and password, else the embedded engine's data in CLICKHOUSE_DATA_DIR.
 */
export function queryClickHouseSettings(env: NodeJS.ProcessEnv = process.env) {
  const database = env.CLICKHOUSE_DATABASE || 'qtickets_audit';
  return env.CLICKHOUSE_URL
    ? { mode: 'url' as const, url: env.CLICKHOUSE_URL, user: env.CLICKHOUSE_USER, password: env.CLICKHOUSE_PASSWORD, database }
    : { mode: 'embedded' as const, dataDir: resolve(repoRoot, env.CLICKHOUSE_DATA_DIR || '.data/clickhouse'), database };
}
