import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countRowsAtVersion } from '../helpers/clickhouse-counts.ts';
import * as loader from '../../support/loader/load.ts';
import type { ApiEvent, ApiOrder } from '../../support/loader/api-items.ts';
import type { LoadContext } from '../../support/loader/transforms.ts';
import { fixturesDir } from '../../support/paths.ts';
import { useEmbeddedClickHouse } from '../helpers/embedded-clickhouse.ts';

/**
 * The loader against the embedded ClickHouse with the production schema: every table accepts its rows
 * (names and types), and the daily facts follow deduplicated staging across repeated and partial loads.
 */

const DATABASE = 'loader_selftest';
const fixture = (name: string): any => JSON.parse(readFileSync(join(fixturesDir(), name), 'utf8'));
const orders: ApiOrder[] = fixture('orders-page-1.json').data;
const events: ApiEvent[] = fixture('events-page-1.json').data;
const cities = new Map(events.map((e) => [String(e.id), (e.city as { name: string }).name]));
const ctxAt = (ver: bigint): LoadContext => ({ ver, ingestTs: new Date('2026-01-15T10:00:00Z'), eventCity: (id) => cities.get(id) });
const order = (id: number): ApiOrder => structuredClone(orders.find((o) => o.id === id)!);

/** Tickets of the 40 paid orders of page 1 per Moscow date, read off the fixture. */
const PAGE_TICKETS_PER_DATE: Record<string, number> = {
  '2021-05-18': 1, '2021-05-25': 1, '2021-05-26': 1, '2021-05-27': 5, '2021-05-29': 5, '2021-05-31': 18,
  '2021-06-02': 11, '2021-06-03': 2, '2021-06-04': 6, '2021-06-05': 14, '2021-06-06': 5, '2021-06-07': 7,
  '2021-06-08': 2, '2021-06-09': 2, '2021-06-10': 11, '2021-06-11': 26, '2021-06-13': 1,
};

const clickhouse = useEmbeddedClickHouse(DATABASE);

async function select<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await clickhouse.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

const count = async (query: string, params: Record<string, unknown> = {}) => Number((await select<{ n: string }>(query, params))[0].n);

/** Tickets per date in the fact (FINAL), and in staging counted independently: FINAL, then the latest _ver per order. */
async function ticketsPerDate(): Promise<{ fact: Record<string, number>; staging: Record<string, number> }> {
  const fact = await select<{ d: string; n: string }>(
    `SELECT toString(sales_date) AS d, toString(sum(tickets_sold)) AS n FROM ${DATABASE}.fact_qtickets_sales_daily FINAL GROUP BY d HAVING sum(tickets_sold) > 0 ORDER BY d`,
  );
  const staging = await select<{ d: string; n: string }>(
    `SELECT toString(toDate(ts)) AS d, toString(sum(t)) AS n FROM (
       SELECT order_id, argMax(tickets_sold, _ver) AS t, argMax(sale_ts, _ver) AS ts FROM ${DATABASE}.stg_qtickets_api_orders_raw FINAL GROUP BY order_id
     ) GROUP BY d HAVING sum(t) > 0 ORDER BY d`,
  );
  const asMap = (rows: { d: string; n: string }[]) => Object.fromEntries(rows.map((r) => [r.d, Number(r.n)]));
  return { fact: asMap(fact), staging: asMap(staging) };
}


describe('orders and the daily facts', () => {
  test('first load: 40 staging rows, one fact row per date, per-date tickets equal staging', async () => {
    const written = await loader.loadOrders(clickhouse.client, DATABASE, orders, ctxAt(1001n));
    expect(written).toEqual({ stg_qtickets_api_orders_raw: 40, fact_qtickets_sales_daily: 17, fact_qtickets_sales_utm_daily: expect.any(Number) });
    expect(await count(`SELECT count() AS n FROM ${DATABASE}.stg_qtickets_api_orders_raw FINAL`)).toBe(40);
    const atVersion = await countRowsAtVersion(clickhouse.client, DATABASE, 1001n);
    expect(atVersion.stg_qtickets_api_orders_raw).toBe(40);
    expect(atVersion.fact_qtickets_sales_daily).toBe(17);

    const { fact, staging } = await ticketsPerDate();
    expect(fact).toEqual(PAGE_TICKETS_PER_DATE);
    expect(staging).toEqual(PAGE_TICKETS_PER_DATE);
    expect(await select(`SELECT DISTINCT event_id, city FROM ${DATABASE}.fact_qtickets_sales_daily FINAL`)).toEqual([{ event_id: '24089', city: 'томск' }]);
    expect(await count(`SELECT toUInt64(sum(revenue)) AS n FROM ${DATABASE}.fact_qtickets_sales_daily FINAL`)).toBe(11397);

    // The UTM fact splits the same totals by UTM: per date it adds up to the daily fact.
    const utmGroups = new Set(orders.filter((o) => o.payed).map((o) => JSON.stringify([o.payed_at!.slice(0, 10), Array.isArray(o.utm) ? {} : o.utm])));
    expect(written.fact_qtickets_sales_utm_daily).toBe(utmGroups.size);
    const utmPerDate = await select<{ d: string; n: string }>(`SELECT toString(sales_date) AS d, toString(sum(tickets_sold)) AS n FROM ${DATABASE}.fact_qtickets_sales_utm_daily FINAL GROUP BY d ORDER BY d`);
    expect(Object.fromEntries(utmPerDate.map((r) => [r.d, Number(r.n)]))).toEqual(PAGE_TICKETS_PER_DATE);
  });

  test('defects 6, 7: a partial load of one changed order recomputes its whole day from all staging, latest version only', async () => {
    const changed = order(1647743); // 2021-05-27, 4 of the day's 5 tickets (294, 294, 234, 234)
    changed.baskets![3].refunded_at = '2021-05-28T10:00:00+03:00';
    const dayRevenueBefore = await count(`SELECT toUInt64(sum(revenue)) AS n FROM ${DATABASE}.fact_qtickets_sales_daily FINAL WHERE sales_date = '2021-05-27'`);

    const written = await loader.loadOrders(clickhouse.client, DATABASE, [changed], ctxAt(1002n));
    expect(written).toMatchObject({ stg_qtickets_api_orders_raw: 1, fact_qtickets_sales_daily: 1 });
    // Its amounts changed, so its _dedup_key did: the old row survives FINAL (41 rows) but no longer counts.
    expect(await count(`SELECT count() AS n FROM ${DATABASE}.stg_qtickets_api_orders_raw FINAL`)).toBe(41);
    const day = await select<{ tickets_sold: number; revenue: number; _ver: string }>(
      `SELECT tickets_sold, revenue, toString(_ver) AS _ver FROM ${DATABASE}.fact_qtickets_sales_daily FINAL WHERE sales_date = '2021-05-27'`,
    );
    // The window alone would say 3 tickets; the day, recomputed from staging, has 5 - 1 = 4.
    expect(day).toEqual([{ tickets_sold: 4, revenue: dayRevenueBefore - 234, _ver: '1002' }]);
    const { fact, staging } = await ticketsPerDate();
    expect(fact).toEqual({ ...PAGE_TICKETS_PER_DATE, '2021-05-27': 4 });
    expect(staging).toEqual(fact);
    // Other days keep the first load's rows.
    expect(await count(`SELECT count() AS n FROM ${DATABASE}.fact_qtickets_sales_daily FINAL WHERE _ver = 1001`)).toBe(16);
  });

  test('a second full load at a new version replaces every row; the totals stay those of staging', async () => {
    const page = orders.map((o) => (o.id === 1647743 ? { ...order(1647743), baskets: order(1647743).baskets!.map((b, i) => (i === 3 ? { ...b, refunded_at: '2021-05-28T10:00:00+03:00' } : b)) } : o));
    const written = await loader.loadOrders(clickhouse.client, DATABASE, page, ctxAt(1003n));
    expect(written).toMatchObject({ stg_qtickets_api_orders_raw: 40, fact_qtickets_sales_daily: 17 });
    const atVersion = await countRowsAtVersion(clickhouse.client, DATABASE, 1003n);
    expect(atVersion.stg_qtickets_api_orders_raw).toBe(40);
    expect(atVersion.fact_qtickets_sales_daily).toBe(17);
    expect(await count(`SELECT count() AS n FROM ${DATABASE}.stg_qtickets_api_orders_raw FINAL WHERE _ver = 1001`)).toBe(1); // the stale version
    expect(await count(`SELECT count() AS n FROM ${DATABASE}.stg_qtickets_api_orders_raw`)).toBe(40 + 1 + 40); // before merges
    const { fact, staging } = await ticketsPerDate();
    expect(fact).toEqual({ ...PAGE_TICKETS_PER_DATE, '2021-05-27': 4 });
    expect(staging).toEqual(fact);
  });

  test('an order that moves to another date: both dates are recomputed, the emptied one to zero', async () => {
    const moved = { ...order(1614202), payed_at: '2021-05-25T09:00:00+03:00' }; // the only order of 2021-05-18
    const written = await loader.loadOrders(clickhouse.client, DATABASE, [moved], ctxAt(1004n));
    expect(written).toMatchObject({ stg_qtickets_api_orders_raw: 1, fact_qtickets_sales_daily: 2 });
    expect(await select(`SELECT toString(sales_date) AS d, tickets_sold, revenue FROM ${DATABASE}.fact_qtickets_sales_daily FINAL WHERE _ver = 1004 ORDER BY d`)).toEqual([
      { d: '2021-05-18', tickets_sold: 0, revenue: 0 },
      // 1642022's free ticket (0) and the moved order's (4).
      { d: '2021-05-25', tickets_sold: 2, revenue: 4 },
    ]);
    const { fact, staging } = await ticketsPerDate();
    const { '2021-05-18': _gone, ...rest } = PAGE_TICKETS_PER_DATE;
    expect(fact).toEqual({ ...rest, '2021-05-25': 2, '2021-05-27': 4 });
    expect(staging).toEqual(fact);
  });

  test('unpaid orders only: nothing written', async () => {
    expect(await loader.loadOrders(clickhouse.client, DATABASE, orders.filter((o) => !o.payed), ctxAt(1005n))).toEqual({
      stg_qtickets_api_orders_raw: 0,
      fact_qtickets_sales_daily: 0,
      fact_qtickets_sales_utm_daily: 0,
    });
  });
});

describe('every other table accepts the loader rows', () => {
  test('dim_events, inventory (0 stays 0, unknown is NULL), catalogues, barcodes, partner tickets', async () => {
    const ctx = ctxAt(2001n);
    expect(await loader.loadEvents(clickhouse.client, DATABASE, events, ctx)).toEqual({ dim_events: 10 });
    expect(await select(`SELECT city, toString(start_date) AS s, toString(end_date) AS e FROM ${DATABASE}.dim_events FINAL WHERE event_id = '24089'`)).toEqual([
      { city: 'томск', s: '2021-06-16', e: '2021-07-25' },
    ]);

    const soldOut = { eventId: '24089', eventName: 'Выставка', city: 'Томск', seatsByShow: [{ 'full_A-1;1': { max_quantity: 1, free_quantity: 0 } }] };
    expect(await loader.loadInventory(clickhouse.client, DATABASE, soldOut, ctx)).toEqual({ stg_qtickets_api_inventory_raw: 1, fact_qtickets_inventory_latest: 1 });
    await loader.loadInventory(clickhouse.client, DATABASE, { ...soldOut, eventId: '25709', seatsByShow: [] }, ctx);
    expect(await select(`SELECT event_id, city, tickets_total, tickets_left, toString(snapshot_ts) AS ts FROM ${DATABASE}.fact_qtickets_inventory_latest FINAL ORDER BY event_id`)).toEqual([
      { event_id: '24089', city: 'томск', tickets_total: 1, tickets_left: 0, ts: '2026-01-15 13:00:00' },
      { event_id: '25709', city: 'томск', tickets_total: null, tickets_left: null, ts: '2026-01-15 13:00:00' },
    ]);

    const discounts = fixture('discounts-page-1.json').data;
    expect(await loader.loadClients(clickhouse.client, DATABASE, fixture('clients-page-1.json').data, ctx)).toEqual({ stg_qtickets_api_clients_raw: 100 });
    expect(await loader.loadDiscounts(clickhouse.client, DATABASE, discounts, ctx)).toEqual({ stg_qtickets_api_discounts_raw: 65 });
    const types = new Map<string, string>(discounts.map((d: any) => [String(d.id), d.type]));
    expect(await loader.loadPromoCodes(clickhouse.client, DATABASE, fixture('promo-codes-page-1.json').data, { ...ctx, discountType: (id) => types.get(id) })).toEqual({
      stg_qtickets_api_promo_codes_raw: 490,
    });
    expect(await loader.loadColorThemes(clickhouse.client, DATABASE, [{ id: 1, color: '#ffffff' }], ctx)).toEqual({ stg_qtickets_api_price_shades_raw: 1 });
    expect(await loader.loadBarcodes(clickhouse.client, DATABASE, [{ barcode: '729975754905', checked_at: '2021-06-16T19:55:00+03:00' }], { eventId: '24089', showId: '152887' }, ctx)).toEqual({
      stg_qtickets_api_barcodes_raw: 1,
    });
    expect(await loader.loadPartnerTickets(clickhouse.client, DATABASE, [{ id: 120299, paid: 1, price: 1222.03, external_order_id: 'o-1' }], { eventId: '33', showId: '44' }, ctx)).toEqual({
      stg_qtickets_api_partner_tickets_raw: 1,
    });

    const atVersion = await countRowsAtVersion(clickhouse.client, DATABASE, 2001n);
    expect(atVersion).toMatchObject({
      stg_qtickets_api_inventory_raw: 2,
      fact_qtickets_inventory_latest: 2,
      stg_qtickets_api_clients_raw: 100,
      stg_qtickets_api_discounts_raw: 65,
      stg_qtickets_api_promo_codes_raw: 490,
      stg_qtickets_api_price_shades_raw: 1,
      stg_qtickets_api_barcodes_raw: 1,
      stg_qtickets_api_partner_tickets_raw: 1,
    });
    expect(await select(`SELECT toString(count()) AS n, toString(countIf(discount_type = 'P')) AS p, toString(countIf(isNull(discount_value))) AS v FROM ${DATABASE}.stg_qtickets_api_promo_codes_raw FINAL`)).toEqual([
      { n: '490', p: '490', v: '490' },
    ]);
    expect(await select(`SELECT status, toString(checked_at) AS at, event_id, show_id FROM ${DATABASE}.stg_qtickets_api_barcodes_raw FINAL`)).toEqual([
      { status: 'checked', at: '2021-06-16 19:55:00', event_id: '24089', show_id: '152887' },
    ]);
    expect(await select(`SELECT paid, price FROM ${DATABASE}.stg_qtickets_api_partner_tickets_raw FINAL`)).toEqual([{ paid: 1, price: 1222.03 }]);
    // UInt64 versions beyond 2^53 arrive intact.
    await loader.loadColorThemes(clickhouse.client, DATABASE, [{ id: 2, color: '#000000' }], ctxAt(2n ** 63n + 1n));
    expect(await select(`SELECT toString(_ver) AS v FROM ${DATABASE}.stg_qtickets_api_price_shades_raw WHERE shade_id = '2'`)).toEqual([{ v: '9223372036854775809' }]);
  });

  test('meta_job_runs: one row per recordJobRun', async () => {
    await loader.recordJobRun(clickhouse.client, DATABASE, {
      startedAt: new Date('2026-01-15T09:00:00Z'),
      finishedAt: new Date('2026-01-15T09:05:00Z'),
      status: 'ok',
      rowsPerTable: { stg_qtickets_api_orders_raw: 40, fact_qtickets_sales_daily: 17 },
    });
    const rows = await select<{ job: string; status: string; started_at: string; rows_processed: string; message: string }>(
      `SELECT job, status, toString(started_at) AS started_at, toString(rows_processed) AS rows_processed, message FROM ${DATABASE}.meta_job_runs`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ job: 'qtickets_api', status: 'ok', started_at: '2026-01-15 12:00:00', rows_processed: '40' });
    expect(JSON.parse(rows[0].message)).toMatchObject({ status: 'ok', sales_rows: 40, sales_daily_rows: 17 });
  });
});

describe('insert bodies', () => {
  test('TabSeparated rows are stored exactly as the same rows sent as JSONEachRow', async () => {
    const texts = ['plain', '', 'tab\there', 'line\nbreak\r\n', 'nul\u0000end', 'backslash \\ and \\N and \\t', '\\N', 'кириллица «ёлка» 😀', '{"a":"b\\"c"}', "quote ' and \" both"];
    const rows = (prefix: string) =>
      texts.map((text, i) => ({
        promo_code_id: `${prefix}-${i}`,
        code: text,
        discount_type: text,
        discount_value: i % 2 ? null : i + 0.1,
        valid_from: i % 3 ? null : '2026-01-15 13:00:00',
        valid_to: '2026-02-01 00:00:00',
        payload_json: text,
        _ver: (2n ** 60n + BigInt(i)).toString(),
        _ingest_ts: '2026-01-15 13:00:00',
      }));
    const table = `${DATABASE}.stg_qtickets_api_promo_codes_raw`;
    expect(loader.encodeRows(rows('tsv'))?.format).toBe('TabSeparated');
    expect(await loader.loadRows(clickhouse.client, DATABASE, 'stg_qtickets_api_promo_codes_raw', rows('tsv'))).toBe(texts.length);
    await clickhouse.client.insert({ table, values: rows('json'), format: 'JSONEachRow' });
    const stored = async (prefix: string) =>
      (await select<Record<string, unknown>>(`SELECT * EXCEPT promo_code_id, hex(code) AS code_hex FROM ${table} WHERE startsWith(promo_code_id, {p:String}) ORDER BY toUInt32(splitByChar('-', promo_code_id)[2])`, { p: `${prefix}-` }));
    const tsv = await stored('tsv');
    expect(tsv).toHaveLength(texts.length);
    expect(tsv).toEqual(await stored('json'));
    expect(tsv.map((row) => row.code)).toEqual(texts);
  });
});
