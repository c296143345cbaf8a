import type { ClickHouseClient } from '@clickhouse/client';
import { createClient, startClickHouse, type ClickHouseRuntime } from '../../support/clickhouse/connect.ts';
import { bootstrapSchema } from '../../support/clickhouse/schema.ts';

/**
 * One embedded ClickHouse with the production schema for a test file: started before its tests,
 * stopped after them. Read `client` and `runtime` inside hooks and tests (they exist from beforeAll on).
 */
export function useEmbeddedClickHouse(database: string): { readonly client: ClickHouseClient; readonly runtime: ClickHouseRuntime } {
  let runtime: ClickHouseRuntime | undefined;
  let client: ClickHouseClient | undefined;
  beforeAll(async () => {
    runtime = await startClickHouse({ mode: 'embedded', database });
    client = createClient(runtime);
    await bootstrapSchema(client, database, { embedded: true });
  });
  afterAll(async () => {
    await client?.close();
    await runtime?.stop();
  });
  return {
    get client() {
      if (!client) throw new Error('the embedded ClickHouse is not started yet (use it inside hooks and tests)');
      return client;
    },
    get runtime() {
      if (!runtime) throw new Error('the embedded ClickHouse is not started yet (use it inside hooks and tests)');
      return runtime;
    },
  };
}
