import type { ClickHouseClient } from '@clickhouse/client';
import { countAfterVersion } from '../../support/clickhouse/counts.ts';
import { VERIFIED_TABLES, type TableCounts } from '../../support/clickhouse/tables.ts';

/** Rows whose surviving (FINAL) version is `ver`, per table: what one test wrote. meta_job_runs has no `_ver`: 0. */
export async function countRowsAtVersion(client: ClickHouseClient, database: string, ver: bigint | string): Promise<TableCounts> {
  return (await countAfterVersion(client, database, ver, VERIFIED_TABLES)).atVersion;
}
