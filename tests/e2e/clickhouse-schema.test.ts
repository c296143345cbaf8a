import type { ClickHouseClient } from '@clickhouse/client';
import { ClickHouseStartError, createClient, startClickHouse, type ClickHouseRuntime } from '../../support/clickhouse/connect.ts';
import { bootstrapSchema } from '../../support/clickhouse/schema.ts';

/** docs/clickhouse-model.md §2, typed in from the document: engine, PARTITION BY, ORDER BY per table. */
const MODEL: Record<string, [engine: string, partitionKey: string, orderBy: string]> = {
  stg_qtickets_api_orders_raw: ['ReplacingMergeTree', 'tuple()', '_dedup_key'],
  stg_qtickets_api_inventory_raw: ['ReplacingMergeTree', 'tuple()', 'event_id, city, snapshot_ts'],
  fact_qtickets_inventory_latest: ['ReplacingMergeTree', 'tuple()', 'event_id, city'],
  dim_events: ['ReplacingMergeTree', 'tuple()', 'event_id'],
  fact_qtickets_sales_daily: ['ReplacingMergeTree', 'toYYYYMM(sales_date)', 'event_id, sales_date, city'],
  fact_qtickets_sales_utm_daily: ['ReplacingMergeTree', 'toYYYYMM(sales_date)', 'sales_date, event_id, city, utm_source, utm_campaign, utm_medium, utm_content, utm_term'],
  stg_qtickets_api_clients_raw: ['ReplacingMergeTree', 'tuple()', 'client_id'],
  stg_qtickets_api_price_shades_raw: ['ReplacingMergeTree', 'tuple()', 'shade_id'],
  stg_qtickets_api_discounts_raw: ['ReplacingMergeTree', 'tuple()', 'discount_id'],
  stg_qtickets_api_promo_codes_raw: ['ReplacingMergeTree', 'tuple()', 'promo_code_id'],
  stg_qtickets_api_barcodes_raw: ['ReplacingMergeTree', 'tuple()', 'barcode'],
  stg_qtickets_api_partner_tickets_raw: ['ReplacingMergeTree', 'tuple()', 'ticket_id, external_order_id'],
  meta_job_runs: ['MergeTree', 'toYYYYMM(started_at)', 'job, started_at'],
  plan_sales: ['ReplacingMergeTree', 'toYYYYMM(sales_date)', 'sales_date, city, event_id'],
};
const VIEWS = ['v_qtickets_sales_dashboard', 'v_qtickets_sales_utm_daily'];

describe('bootstrapSchema', () => {
  let runtime: ClickHouseRuntime;
  let client: ClickHouseClient;
  const rows = async <T>(query: string, query_params: Record<string, unknown> = {}) => (await client.query({ query, query_params, format: 'JSONEachRow' })).json<T>();
  const columnsOf = (database: string) => rows<{ table: string; name: string; type: string; default_expression: string }>(
    'SELECT table, name, type, default_expression FROM system.columns WHERE database = {db:String} ORDER BY table, position',
    { db: database },
  );

  beforeAll(async () => {
    runtime = await startClickHouse({ mode: 'embedded', database: 'qtickets_audit' });
    client = createClient(runtime);
  });

  afterAll(async () => {
    await client?.close();
    await runtime?.stop();
  });

  it('creates every table of the model and the dashboard views, then finds them all on a second run', async () => {
    const first = await bootstrapSchema(client, 'qtickets_audit', { embedded: true });
    expect([...first.created].sort()).toEqual([...Object.keys(MODEL), ...VIEWS].sort());
    expect(first.existing).toEqual([]);
    const columnsBefore = await columnsOf('qtickets_audit');

    const second = await bootstrapSchema(client, 'qtickets_audit', { embedded: true });
    expect(second).toEqual({ created: [], existing: first.created, recreated: [], notes: [] });
    expect(await columnsOf('qtickets_audit')).toEqual(columnsBefore);
  });

  it('builds each table with the documented engine, version column, PARTITION BY and ORDER BY', async () => {
    const tables = await rows<{ name: string; engine: string; engine_full: string; partition_key: string; sorting_key: string }>(
      "SELECT name, engine, engine_full, partition_key, sorting_key FROM system.tables WHERE database = 'qtickets_audit' AND engine LIKE '%MergeTree'",
    );
    const found = Object.fromEntries(tables.map((t) => [t.name, [t.engine, t.partition_key, t.sorting_key.replace(/^\((.*)\)$/, '$1')]]));
    expect(found).toEqual(MODEL);
    for (const table of tables.filter((t) => t.engine === 'ReplacingMergeTree')) expect(table.engine_full, table.name).toMatch(/^ReplacingMergeTree\(_ver\)/);
  });

  it('gives the orders and job-run tables the documented columns, in order', async () => {
    const columns = await columnsOf('qtickets_audit');
    const of = (table: string) => columns.filter((c) => c.table === table).map((c) => `${c.name} ${c.type}${c.default_expression ? ` DEFAULT ${c.default_expression}` : ''}`);
    expect(of('stg_qtickets_api_orders_raw')).toEqual([
      'order_id String', 'event_id String', 'city LowCardinality(String)', 'utm_source LowCardinality(String)', 'utm_medium LowCardinality(String)',
      'utm_campaign String', 'utm_content String', 'utm_term String', 'sale_ts DateTime', 'tickets_sold UInt32', 'revenue Float64',
      'currency LowCardinality(String)', 'payload_json String', '_ver UInt64', '_dedup_key FixedString(32)',
    ]);
    expect(of('meta_job_runs')).toEqual([
      'job LowCardinality(String)', 'run_id UUID DEFAULT generateUUIDv4()', 'started_at DateTime', 'finished_at DateTime', 'status LowCardinality(String)',
      'rows_processed UInt64 DEFAULT 0', "message String DEFAULT ''", "metrics String DEFAULT ''",
    ]);
    expect(of('fact_qtickets_inventory_latest')).toEqual(of('stg_qtickets_api_inventory_raw').filter((c) => !c.startsWith('_dedup_key')));
  });

  it('stops on a drifted schema it does not own, listing every difference and altering nothing', async () => {
    // The local zakaz_test variant: no order_id, city as plain String, sales_daily ordered by (event_id, sales_date).
    await client.command({ query: 'CREATE DATABASE drifted' });
    await client.command({ query: "CREATE TABLE drifted.stg_qtickets_api_orders_raw (event_id String, city String, sale_ts DateTime, tickets_sold UInt32, revenue Float64, _ver UInt64, _dedup_key FixedString(32)) ENGINE = ReplacingMergeTree(_ver) ORDER BY _dedup_key" });
    await client.command({ query: 'CREATE TABLE drifted.fact_qtickets_sales_daily (sales_date Date, event_id String, city LowCardinality(String), tickets_sold UInt32, revenue Float64, _ver UInt64) ENGINE = ReplacingMergeTree(_ver) PARTITION BY toYYYYMM(sales_date) ORDER BY (event_id, sales_date)' });
    const before = await columnsOf('drifted');

    const attempt = bootstrapSchema(client, 'drifted', { embedded: false });
    await expect(attempt).rejects.toBeInstanceOf(ClickHouseStartError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain('stg_qtickets_api_orders_raw: column order_id is missing');
    expect(message).toContain('stg_qtickets_api_orders_raw: column city is String, expected LowCardinality(String)');
    expect(message).toContain('fact_qtickets_sales_daily: ORDER BY (event_id, sales_date), expected (event_id, sales_date, city)');
    expect(message).toContain('never alters tables on a server it does not own');
    expect(await columnsOf('drifted')).toEqual(before);
  });

  it('recreates drifted tables on the embedded engine, after which the schema is stable', async () => {
    const repaired = await bootstrapSchema(client, 'drifted', { embedded: true });
    expect(repaired.recreated.sort()).toEqual(['fact_qtickets_sales_daily', 'stg_qtickets_api_orders_raw']);
    const again = await bootstrapSchema(client, 'drifted', { embedded: false });
    expect(again.created).toEqual([]);
    expect(again.recreated).toEqual([]);
  });

  it('accepts extra columns of an existing table and notes them', async () => {
    await client.command({ query: 'CREATE DATABASE extended' });
    await client.command({ query: "CREATE TABLE extended.meta_job_runs (job LowCardinality(String), run_id UUID DEFAULT generateUUIDv4(), started_at DateTime, finished_at DateTime, status LowCardinality(String), rows_processed UInt64 DEFAULT 0, message String DEFAULT '', metrics String DEFAULT '', host String DEFAULT '') ENGINE = MergeTree PARTITION BY toYYYYMM(started_at) ORDER BY (job, started_at)" });
    const result = await bootstrapSchema(client, 'extended', { embedded: false });
    expect(result.existing).toContain('meta_job_runs');
    expect(result.notes).toEqual(['meta_job_runs has columns beyond the model: host']);
  });

  it('serves the dashboard and UTM views from deduplicated rows, with Moscow dates', async () => {
    const [{ today }] = await rows<{ today: string }>("SELECT toString(toDate(now('Europe/Moscow'))) AS today");
    await client.insert({ table: 'dim_events', format: 'JSONEachRow', values: [
      { event_id: '7', event_name: 'Old name', city: 'томск', _ver: 1 },
      { event_id: '7', event_name: 'Concert', city: 'томск', _ver: 2 },
    ] });
    await client.insert({ table: 'fact_qtickets_sales_daily', format: 'JSONEachRow', values: [
      { sales_date: today, event_id: '7', city: 'томск', tickets_sold: 2, revenue: 1000, _ver: 1 },
      { sales_date: today, event_id: '7', city: 'томск', tickets_sold: 3, revenue: 1500, _ver: 2 },
    ] });
    await client.insert({ table: 'fact_qtickets_inventory_latest', format: 'JSONEachRow', values: [
      { snapshot_ts: `${today} 10:00:00`, event_id: '7', event_name: 'Concert', city: 'томск', tickets_total: 100, tickets_left: 0, _ver: 2 },
    ] });
    await client.insert({ table: 'fact_qtickets_sales_utm_daily', format: 'JSONEachRow', values: [
      { sales_date: today, event_id: '7', city: 'томск', utm_source: '', utm_medium: '', utm_campaign: '', utm_content: '', utm_term: '', tickets_sold: 1, revenue: 500, _ver: 2 },
      { sales_date: today, event_id: '7', city: 'томск', utm_source: 'vk', utm_medium: 'cpc', utm_campaign: 'c', utm_content: '', utm_term: '', tickets_sold: 2, revenue: 1000, _ver: 2 },
    ] });

    const dashboard = await rows<Record<string, unknown>>('SELECT event_id, event_name, city, tickets_sold_today, revenue_today, tickets_sold_14d, tickets_total, tickets_left FROM v_qtickets_sales_dashboard');
    expect(dashboard.map((row) => ({ ...row, tickets_sold_today: Number(row.tickets_sold_today), tickets_sold_14d: Number(row.tickets_sold_14d) }))).toEqual([
      { event_id: '7', event_name: 'Concert', city: 'томск', tickets_sold_today: 3, revenue_today: 1500, tickets_sold_14d: 3, tickets_total: 100, tickets_left: 0 },
    ]);
    const utm = await rows<{ utm_group: string; tickets_sold: number }>('SELECT utm_group, tickets_sold FROM v_qtickets_sales_utm_daily ORDER BY utm_group');
    expect(utm).toEqual([{ utm_group: 'unknown', tickets_sold: 1 }, { utm_group: 'vk', tickets_sold: 2 }]);
  });
});
