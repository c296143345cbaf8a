import { countAfterVersion, countTables, countTotals, serverVersion, tableStats } from '../../support/clickhouse/counts.ts';
import { countRowsAtVersion } from '../helpers/clickhouse-counts.ts';
import { VERIFIED_TABLES, type TableCounts } from '../../support/clickhouse/tables.ts';
import { useEmbeddedClickHouse } from '../helpers/embedded-clickhouse.ts';

const DB = 'qtickets_audit';
const zero = () => Object.fromEntries(VERIFIED_TABLES.map((t) => [t, 0])) as TableCounts;
const key = (n: number) => String(n).padStart(32, '0');
// Beyond 2^53: a version that survives only if every step keeps it as an exact integer.
const BIG_VER = 18446744073709551000n;

describe('table counts', () => {
  const clickhouse = useEmbeddedClickHouse(DB);

  it('are all zero on an empty schema, with empty stats', async () => {
    expect(await countTables(clickhouse.client, DB)).toEqual({ total: zero(), unique: zero() });
    const stats = await tableStats(clickhouse.client, DB);
    expect(Object.values(stats).every((s) => s.maxVer === '' && s.maxSnapshotTs === '')).toBe(true);
  });

  it('count duplicates in total, once with FINAL, and per surviving version', async () => {
    const order = (n: number, ver: bigint | number, revenue: number) => ({
      order_id: String(n), event_id: '7', city: 'томск', sale_ts: '2024-05-01 10:00:00', tickets_sold: 1, revenue, currency: 'RUB', _ver: String(ver), _dedup_key: key(n),
    });
    // One insert per row: ClickHouse already collapses duplicate keys inside one insert (optimize_on_insert).
    const insert = async (table: string, ...values: Record<string, unknown>[]) => {
      for (const row of values) await clickhouse.client.insert({ table, format: 'JSONEachRow', values: [row] });
    };
    // Key 1 three times (versions 1, 2, 3), key 2 once at version 2, key 3 once at BIG_VER: 5 rows, 3 keys.
    await insert('stg_qtickets_api_orders_raw', order(1, 1, 100), order(1, 2, 100), order(2, 2, 50), order(1, 3, 100), order(3, BIG_VER, 10));
    const inventory = (ver: number, left: number | null) => ({ snapshot_ts: '2024-05-01 12:00:00', event_id: '7', event_name: 'Concert', city: 'томск', tickets_total: 100, tickets_left: left, _ver: ver });
    await insert('stg_qtickets_api_inventory_raw', { ...inventory(2, 10), _dedup_key: key(9) }, { ...inventory(4, null), _dedup_key: key(9) });
    await insert('fact_qtickets_inventory_latest', inventory(2, 10), { ...inventory(4, 0), snapshot_ts: '2024-05-01 13:00:00' });
    const run = { job: 'qtickets_api', started_at: '2024-05-01 10:00:00', finished_at: '2024-05-01 10:01:00', status: 'ok' };
    await clickhouse.client.insert({ table: 'meta_job_runs', format: 'JSONEachRow', values: [run, run] });

    const counts = await countTables(clickhouse.client, DB);
    expect(counts.total).toEqual({ ...zero(), stg_qtickets_api_orders_raw: 5, stg_qtickets_api_inventory_raw: 2, fact_qtickets_inventory_latest: 2, meta_job_runs: 2 });
    expect(counts.unique).toEqual({ ...zero(), stg_qtickets_api_orders_raw: 3, stg_qtickets_api_inventory_raw: 1, fact_qtickets_inventory_latest: 1, meta_job_runs: 2 });

    // Version 2 wrote key 1 and key 2, but key 1 was replaced by version 3: one row survives at version 2.
    expect(await countRowsAtVersion(clickhouse.client, DB, 2n)).toEqual({ ...zero(), stg_qtickets_api_orders_raw: 1 });
    expect(await countRowsAtVersion(clickhouse.client, DB, '3')).toEqual({ ...zero(), stg_qtickets_api_orders_raw: 1 });
    expect(await countRowsAtVersion(clickhouse.client, DB, 1n)).toEqual(zero());
    expect(await countRowsAtVersion(clickhouse.client, DB, 4n)).toEqual({ ...zero(), stg_qtickets_api_inventory_raw: 1, fact_qtickets_inventory_latest: 1 });
    expect(await countRowsAtVersion(clickhouse.client, DB, BIG_VER)).toEqual({ ...zero(), stg_qtickets_api_orders_raw: 1 });
    expect(await countRowsAtVersion(clickhouse.client, DB, BIG_VER - 1n)).toEqual(zero());
  });

  it('see duplicates inside one insert collapsed already (so count() is not the number of rows sent)', async () => {
    const barcode = (ver: number) => ({ barcode: 'B1', event_id: '7', show_id: '70', status: 'ok', payload_json: '{}', _ver: ver, _ingest_ts: '2024-05-01 10:00:00' });
    await clickhouse.client.insert({ table: 'stg_qtickets_api_barcodes_raw', format: 'JSONEachRow', values: [barcode(5), barcode(6)] });
    const counts = await countTables(clickhouse.client, DB);
    expect([counts.total.stg_qtickets_api_barcodes_raw, counts.unique.stg_qtickets_api_barcodes_raw]).toEqual([1, 1]);
    expect((await countRowsAtVersion(clickhouse.client, DB, 6n)).stg_qtickets_api_barcodes_raw).toBe(1);
  });

  it('report the highest version and the latest snapshot per table', async () => {
    const stats = await tableStats(clickhouse.client, DB);
    expect(stats.stg_qtickets_api_orders_raw).toEqual({ maxVer: BIG_VER.toString(), maxSnapshotTs: '' });
    expect(stats.stg_qtickets_api_inventory_raw).toEqual({ maxVer: '4', maxSnapshotTs: '2024-05-01 12:00:00' });
    expect(stats.fact_qtickets_inventory_latest).toEqual({ maxVer: '4', maxSnapshotTs: '2024-05-01 13:00:00' });
    expect(stats.meta_job_runs).toEqual({ maxVer: '', maxSnapshotTs: '' });
    expect(stats.stg_qtickets_api_clients_raw).toEqual({ maxVer: '', maxSnapshotTs: '' });
  });

  it('after a test: plain totals, and rows at its version with FINAL only where asked', async () => {
    const counts = await countTables(clickhouse.client, DB);
    expect(await countTotals(clickhouse.client, DB)).toEqual(counts.total);
    // Version 2 wrote two orders and two inventory rows; the order of key 1 and both inventory rows were
    // replaced later. FINAL keeps one order; the tables counted plainly still show what version 2 wrote.
    const some = await countAfterVersion(clickhouse.client, DB, 2n, ['stg_qtickets_api_orders_raw']);
    expect(some).toEqual({ total: counts.total, atVersion: { ...zero(), stg_qtickets_api_orders_raw: 1, stg_qtickets_api_inventory_raw: 1, fact_qtickets_inventory_latest: 1 } });
    const none = await countAfterVersion(clickhouse.client, DB, 2n, []);
    expect(none.atVersion).toEqual({ ...zero(), stg_qtickets_api_orders_raw: 2, stg_qtickets_api_inventory_raw: 1, fact_qtickets_inventory_latest: 1 });
  });

  it('read the server version', async () => {
    expect(await serverVersion(clickhouse.client)).toBe(clickhouse.runtime.version);
  });
});
