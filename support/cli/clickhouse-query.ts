/**
 * `npm run ch` — query the suite's ClickHouse by hand.
 *
 *   npm run ch -- "SELECT count() FROM stg_qtickets_api_orders_raw FINAL"   one statement, result printed
 *   npm run ch                                                            a prompt: one statement per line,
 *                                                                         `exit` or Ctrl-D to leave
 *
 * Results print as PrettyCompact unless the statement names its own FORMAT. Unqualified table names resolve
 * in CLICKHOUSE_DATABASE.
 *
 * Environment:
 *   CLICKHOUSE_URL        a ClickHouse server (with CLICKHOUSE_USER, CLICKHOUSE_PASSWORD); when empty, the
 *                         embedded engine opens CLICKHOUSE_DATA_DIR
 *   CLICKHOUSE_DATA_DIR   the embedded engine's data folder (default .data/clickhouse). The suite keeps its
 *                         data there only when run with the same CLICKHOUSE_DATA_DIR; the folder cannot be
 *                         opened while a run is using it.
 *   CLICKHOUSE_DATABASE   default qtickets_audit (created when missing)
 */
import { createInterface } from 'node:readline/promises';
import type { ClickHouseClient, DataFormat } from '@clickhouse/client';
import { queryClickHouseSettings } from '../config/query-clickhouse.ts';
import { ClickHouseStartError, createClient, startClickHouse } from '../clickhouse/connect.ts';

async function run(client: ClickHouseClient, sql: string): Promise<string> {
  const statement = sql.trim().replace(/;+$/, '');
  // default_format applies only when the statement names no FORMAT, and DDL prints nothing. (The client's
  // type lists the formats it can parse; the server accepts any output format here.)
  const result = await client.exec({ query: statement, clickhouse_settings: { default_format: 'PrettyCompact' as DataFormat } });
  let text = '';
  for await (const chunk of result.stream) text += chunk.toString();
  return text;
}

async function main(): Promise<void> {
  const runtime = await startClickHouse(queryClickHouseSettings());
  const client = createClient(runtime);
  try {
    const sql = process.argv.slice(2).join(' ');
    if (sql.trim() !== '') {
      process.stdout.write(await run(client, sql));
      return;
    }
    console.error(`ClickHouse ${runtime.version} (${runtime.mode}), database ${runtime.database}. One statement per line; exit or Ctrl-D to leave.`);
    const prompt = createInterface({ input: process.stdin, output: process.stdout, prompt: `${runtime.database}> ` });
    prompt.prompt();
    for await (const line of prompt) {
      if (/^\s*(exit|quit)\s*;?\s*$/i.test(line)) break;
      if (line.trim() !== '') {
        try {
          process.stdout.write(await run(client, line));
        } catch (error) {
          console.error((error as Error).message);
        }
      }
      prompt.prompt();
    }
    prompt.close();
  } finally {
    await client.close();
    await runtime.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof ClickHouseStartError ? error.message : error);
  process.exitCode = 1;
});
