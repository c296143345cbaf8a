import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countRowsAtVersion } from '../helpers/clickhouse-counts.ts';
import { VERIFIED_TABLES, type TableCounts } from '../../support/clickhouse/tables.ts';
import { deltaProblems, type DeltaInput } from '../../support/runner/deltas.ts';
import { impliedDimEvents, impliedRows } from '../../support/harness/implied.ts';
import * as loader from '../../support/loader/load.ts';
import type { ApiOrder } from '../../support/loader/api-items.ts';
import type { LoadContext } from '../../support/loader/transforms.ts';
import { fixturesDir } from '../../support/paths.ts';
import { useEmbeddedClickHouse } from '../helpers/embedded-clickhouse.ts';

/**
 * The expected-delta oracle (support/harness/implied.ts) against figures worked out by hand, and the
 * comparison (support/harness/deltas.ts) that turns oracle and measurement into a spec's verdict.
 */

const DATABASE = 'implied_selftest';
const clickhouse = useEmbeddedClickHouse(DATABASE);

const template: ApiOrder = JSON.parse(readFileSync(join(fixturesDir(), 'orders-page-1.json'), 'utf8')).data.find((o: ApiOrder) => o.id === 1614202);
const basket = (price: number, state: { refunded?: true; deleted?: true } = {}) => ({
  ...structuredClone(template.baskets![0]),
  price,
  quantity: 1,
  refunded_at: state.refunded ? '2024-03-13T10:00:00+03:00' : null,
  deleted_at: state.deleted ? '2024-03-13T10:00:00+03:00' : null,
});
function order(id: number, eventId: number, payedAt: string | null, baskets = [basket(100)], extra: Partial<ApiOrder> = {}): ApiOrder {
  return { ...structuredClone(template), id, event_id: eventId, payed: payedAt !== null, payed_at: payedAt, baskets, ...extra } as ApiOrder;
}

const TOMSK_EVENT = 24089;
const MOSCOW_EVENT = 50001;
const cities = new Map([[String(TOMSK_EVENT), 'Томск'], [String(MOSCOW_EVENT), 'Москва']]);
const ctxAt = (ver: bigint): LoadContext => ({ ver, ingestTs: new Date('2026-01-15T10:00:00Z'), eventCity: (id) => cities.get(id) });
const facts = () => ({ inventoryEvents: 1, client: clickhouse.client, database: DATABASE });

/**
 * Two events in two cities over four Moscow dates. By hand: 7 paid orders (o8, o9 are unpaid); their
 * (event, city, Moscow date) groups are Tomsk 03-09 (o1, o2), Moscow 03-09 (o3), Moscow 03-10 (o4 at
 * 01:30 and o7 at 02:59 MSK, both still 03-09 in UTC), Tomsk 03-11 (o5, 23:30 UTC the day before) and
 * Tomsk 03-12 (o6, every basket refunded: still a paid order, with no tickets): 5 fact rows.
 */
const ANSWER = {
  data: [
    order(1, TOMSK_EVENT, '2024-03-09T12:00:00+03:00'),
    order(2, TOMSK_EVENT, '2024-03-09T18:00:00+03:00', [basket(100), basket(50)]),
    order(3, MOSCOW_EVENT, '2024-03-09T12:00:00+03:00'),
    order(4, MOSCOW_EVENT, '2024-03-10T01:30:00+03:00'),
    order(5, TOMSK_EVENT, '2024-03-10T23:30:00Z'),
    order(6, TOMSK_EVENT, '2024-03-12T10:00:00+03:00', [basket(100, { refunded: true }), basket(70, { refunded: true })]),
    order(7, MOSCOW_EVENT, '2024-03-10T02:59:59+03:00', [basket(100, { deleted: true }), basket(30)]),
    order(8, TOMSK_EVENT, null),
    order(9, MOSCOW_EVENT, null, [basket(100)], { deleted_at: '2024-03-11T10:00:00+03:00' }),
  ],
};
const ANSWER_ROWS = { stg_qtickets_api_orders_raw: 7, fact_qtickets_sales_daily: 5 };

describe('the oracle: rows an orders answer implies', () => {
  test('multi-city, multi-date, refunded and deleted baskets, sales between 00:00 and 03:00 MSK: the figures by hand', async () => {
    const written = await loader.loadOrders(clickhouse.client, DATABASE, ANSWER.data, ctxAt(11n));
    expect(await impliedRows('orders', [ANSWER], facts())).toEqual(ANSWER_ROWS);
    // The loader agrees, and so does ClickHouse.
    expect(written).toMatchObject(ANSWER_ROWS);
    expect(await countRowsAtVersion(clickhouse.client, DATABASE, 11n)).toMatchObject(ANSWER_ROWS);
    const days = await clickhouse.client.query({
      query: `SELECT toString(sales_date) AS d, event_id, city, tickets_sold FROM ${DATABASE}.fact_qtickets_sales_daily FINAL WHERE _ver = 11 ORDER BY d, event_id`,
      format: 'JSONEachRow',
    });
    expect(await days.json()).toEqual([
      { d: '2024-03-09', event_id: '24089', city: 'томск', tickets_sold: 3 },
      { d: '2024-03-09', event_id: '50001', city: 'москва', tickets_sold: 1 },
      { d: '2024-03-10', event_id: '50001', city: 'москва', tickets_sold: 2 },
      { d: '2024-03-11', event_id: '24089', city: 'томск', tickets_sold: 1 },
      { d: '2024-03-12', event_id: '24089', city: 'томск', tickets_sold: 0 },
    ]);
  });

  test('the same orders over two answers (pages overlapping) count once', async () => {
    const [first, second] = [{ data: ANSWER.data.slice(0, 5) }, { data: ANSWER.data.slice(3) }];
    expect(await impliedRows('orders', [first, second], facts())).toEqual(ANSWER_ROWS);
  });

  test('an event that moved city: one date, one event, two cities in staging are two fact groups', async () => {
    // Tomsk's event is now in Seversk; a new order of it on 03-09 joins the orders loaded above.
    cities.set(String(TOMSK_EVENT), 'Северск');
    const moved = { data: [order(10, TOMSK_EVENT, '2024-03-09T20:00:00+03:00')] };
    const written = await loader.loadOrders(clickhouse.client, DATABASE, moved.data, ctxAt(12n));
    cities.set(String(TOMSK_EVENT), 'Томск');
    // 03-09 now holds (24089, томск), (24089, северск) and (50001, москва).
    expect(await impliedRows('orders', [moved], facts())).toEqual({ stg_qtickets_api_orders_raw: 1, fact_qtickets_sales_daily: 3 });
    expect(written).toMatchObject({ stg_qtickets_api_orders_raw: 1, fact_qtickets_sales_daily: 3 });
  });

  test('an answer of unpaid orders implies nothing, and asks ClickHouse nothing', async () => {
    const unpaid = { data: ANSWER.data.filter((o) => !o.payed) };
    const noServer = { inventoryEvents: 1, client: undefined as never, database: DATABASE };
    expect(await impliedRows('orders', [unpaid], noServer)).toEqual({ stg_qtickets_api_orders_raw: 0, fact_qtickets_sales_daily: 0 });
  });
});

describe('the oracle: other datasets, from the answer alone', () => {
  const noServer = { inventoryEvents: 1, client: undefined as never, database: DATABASE };
  test('distinct keys per answer envelope', async () => {
    expect(await impliedRows('clients', [{ data: [{ id: 1 }, { id: 2 }] }, { data: [{ id: 2 }, { id: 3 }] }], noServer)).toEqual({ stg_qtickets_api_clients_raw: 3 });
    expect(await impliedRows('clients', [{ data: { id: 7 } }], noServer)).toEqual({ stg_qtickets_api_clients_raw: 1 });
    expect(await impliedRows('barcodes', [[{ barcode: 'a' }, { barcode: 'b' }], { barcode: 'a', checked_at: null }], noServer)).toEqual({ stg_qtickets_api_barcodes_raw: 2 });
    // A partner ticket is one per (id, external order).
    const tickets = { status: 'success', result: [{ id: 1, external_order_id: 'x' }, { id: 1, external_order_id: 'y' }, { id: 1, external_order_id: 'x' }] };
    expect(await impliedRows('partnerTickets', [tickets], noServer)).toEqual({ stg_qtickets_api_partner_tickets_raw: 2 });
    expect(await impliedRows('discounts', [{ data: [{ id: 1 }, { id: 1 }] }], noServer)).toEqual({ stg_qtickets_api_discounts_raw: 1 });
    expect(await impliedRows('promoCodes', [{ data: [] }], noServer)).toEqual({ stg_qtickets_api_promo_codes_raw: 0 });
    expect(await impliedRows('colorThemes', [{ data: [{ id: 'a' }, { id: 'b' }] }], noServer)).toEqual({ stg_qtickets_api_price_shades_raw: 2 });
  });

  test('inventory: one snapshot row per event whatever the seats; events feed only dim_events', async () => {
    expect(await impliedRows('inventory', [{ data: { a: {}, b: {} } }, { data: { c: {} } }], noServer)).toEqual({ stg_qtickets_api_inventory_raw: 1, fact_qtickets_inventory_latest: 1 });
    expect(await impliedRows('events', [{ data: [{ id: 1 }, { id: 2 }] }], noServer)).toEqual({});
    expect(impliedDimEvents([{ data: [{ id: 1 }, { id: 2 }] }, { data: { id: 2 } }])).toBe(2);
  });
});

describe('the comparison: implied against measured rows', () => {
  const zero = Object.fromEntries(VERIFIED_TABLES.map((t) => [t, 0])) as TableCounts;
  const counts = (rows: Partial<TableCounts>): TableCounts => ({ ...zero, ...rows });
  const input = (overrides: Partial<DeltaInput>): DeltaInput => ({
    specId: '1.1',
    ver: 42n,
    feedsTables: ['stg_qtickets_api_orders_raw', 'fact_qtickets_sales_daily'],
    expected: ANSWER_ROWS,
    runRows: counts(ANSWER_ROWS),
    before: zero,
    after: counts(ANSWER_ROWS),
    ownServer: true,
    ...overrides,
  });

  test('exact agreement: no problem', () => {
    expect(deltaProblems(input({}))).toEqual([]);
  });

  test('one row too many or too few fails, naming the table, the expected and the measured figure', () => {
    expect(deltaProblems(input({ runRows: counts({ ...ANSWER_ROWS, stg_qtickets_api_orders_raw: 8 }) }))).toEqual(['stg_qtickets_api_orders_raw: expected +7 rows at _ver 42, found 8']);
    expect(deltaProblems(input({ runRows: counts({ ...ANSWER_ROWS, fact_qtickets_sales_daily: 4 }) }))).toEqual(['fact_qtickets_sales_daily: expected +5 rows at _ver 42, found 4']);
  });

  test('rows where the answer implies none fail; an implied table the spec must not feed fails', () => {
    expect(deltaProblems(input({ runRows: counts({ ...ANSWER_ROWS, stg_qtickets_api_clients_raw: 1 }) }))).toEqual(['stg_qtickets_api_clients_raw: expected +0 rows at _ver 42, found 1']);
    expect(deltaProblems(input({ feedsTables: ['stg_qtickets_api_orders_raw'] }))).toEqual([
      'fact_qtickets_sales_daily: the answer implies 5 rows, but 1.1 must not feed this table',
    ]);
  });

  test('an untouched table that changed: a problem on the run’s own server, not on a shared one', () => {
    const changed = input({ before: counts({ meta_job_runs: 3 }), after: counts({ ...ANSWER_ROWS, meta_job_runs: 4 }) });
    expect(deltaProblems(changed)).toEqual(['meta_job_runs: must not change, but its row count went from 3 to 4']);
    expect(deltaProblems({ ...changed, ownServer: false })).toEqual([]);
  });
});
