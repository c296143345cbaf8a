import type { ClickHouseClient } from '@clickhouse/client';
import { ImpliedRows, impliedDimEvents, impliedRows, itemsOf } from '../../support/harness/implied.ts';

/**
 * The delta oracle: how many rows each table must gain, from the answers alone. Its ClickHouse question
 * (how many daily groups the sale dates touch) goes to a recording stand-in, so what it asks is checked too.
 */

interface Asked {
  query: string;
  dates: string[];
}

/** A stand-in client that answers each count query with the next of `answers` and records what was asked. */
function recordingClient(answers: unknown[][]): { client: ClickHouseClient; asked: Asked[] } {
  const asked: Asked[] = [];
  const client = {
    query: async ({ query, query_params, format }: { query: string; query_params: { dates: string[] }; format: string }) => {
      expect(format).toBe('JSONEachRow');
      asked.push({ query, dates: query_params.dates });
      const rows = answers[asked.length - 1] ?? [];
      return { json: async () => rows };
    },
  };
  return { client: client as unknown as ClickHouseClient, asked };
}

/** A client that must not be asked anything. */
const silentClient = { query: () => Promise.reject(new Error('no ClickHouse question expected')) } as unknown as ClickHouseClient;
const facts = (client: ClickHouseClient = silentClient, inventoryEvents = 1) => ({ inventoryEvents, client, database: 'audit_db' });

describe('itemsOf: the items of each envelope', () => {
  test('barcodes come bare: an array, a single object, or nothing', () => {
    expect(itemsOf('barcodes', [{ barcode: 'a' }, { barcode: 'b' }])).toEqual([{ barcode: 'a' }, { barcode: 'b' }]);
    expect(itemsOf('barcodes', { barcode: 'a' })).toEqual([{ barcode: 'a' }]);
    expect(itemsOf('barcodes', null)).toEqual([]);
    expect(itemsOf('barcodes', 'a')).toEqual([]);
  });

  test('partner tickets are the result array only', () => {
    expect(itemsOf('partnerTickets', { result: [{ id: 1 }] })).toEqual([{ id: 1 }]);
    expect(itemsOf('partnerTickets', { result: { id: 1 } })).toEqual([]);
    expect(itemsOf('partnerTickets', null)).toEqual([]);
  });

  test('inventory has no items of its own', () => {
    expect(itemsOf('inventory', { data: [{ id: 1 }] })).toEqual([]);
  });

  test('REST answers: data as a list or a single record', () => {
    expect(itemsOf('orders', { data: [{ id: 1 }, { id: 2 }] })).toEqual([{ id: 1 }, { id: 2 }]);
    expect(itemsOf('orders', { data: { id: 1 } })).toEqual([{ id: 1 }]);
    expect(itemsOf('orders', { data: null })).toEqual([]);
    expect(itemsOf('clients', undefined)).toEqual([]);
  });
});

describe('rows each table must gain', () => {
  test('orders: only paid ones, counted once, and the daily facts of the dates they were paid on', async () => {
    const { client, asked } = recordingClient([[{ groups: '3' }]]);
    const rows = await impliedRows(
      'orders',
      [
        { data: [{ id: 1, payed: 1, payed_at: '2025-03-01T23:30:00+00:00' }, { id: 2, payed: 0, payed_at: '2025-03-01T10:00:00+03:00' }] },
        { data: [{ id: 1, payed: 1, payed_at: '2025-03-01T23:30:00+00:00' }, { id: 3, payed: '1', payed_at: '2025-02-28T12:00:00+03:00' }, { id: 4, payed: true }] },
      ],
      facts(client),
    );
    expect(rows).toEqual({ stg_qtickets_api_orders_raw: 3, fact_qtickets_sales_daily: 3 });
    expect(asked).toHaveLength(1);
    // 23:30 UTC is already the next day in Moscow; the unpaid order's date is not asked about.
    expect(asked[0].dates.sort()).toEqual(['2025-02-28', '2025-03-02']);
    expect(asked[0].query).toContain('FROM audit_db.stg_qtickets_api_orders_raw FINAL');
    expect(asked[0].query).toContain('SELECT DISTINCT event_id, city, toDate(sale_ts) AS day');
    expect(asked[0].query).toContain('WHERE toDate(sale_ts) IN {dates:Array(Date)}');
  });

  test('orders without a payment date imply no daily facts, and ClickHouse is not asked', async () => {
    expect(await impliedRows('orders', [{ data: [{ id: 1, payed: 1 }, { id: 2, payed: 0 }] }], facts())).toEqual({ stg_qtickets_api_orders_raw: 1, fact_qtickets_sales_daily: 0 });
    expect(await impliedRows('orders', [], facts())).toEqual({ stg_qtickets_api_orders_raw: 0, fact_qtickets_sales_daily: 0 });
  });

  test('a whole tenant of sale dates is asked about in slices of 200, and the groups are added up', async () => {
    const day = (i: number) => new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    const orders = Array.from({ length: 401 }, (_, i) => ({ id: i + 1, payed: 1, payed_at: `${day(i)}T12:00:00+03:00` }));
    const { client, asked } = recordingClient([[{ groups: 150 }], [{ groups: '7' }], []]);
    const rows = await impliedRows('orders', [{ data: orders }], facts(client));
    expect(asked.map((a) => a.dates.length)).toEqual([200, 200, 1]);
    expect(new Set(asked.flatMap((a) => a.dates)).size).toBe(401);
    // An empty answer counts as no groups.
    expect(rows.fact_qtickets_sales_daily).toBe(157);
    expect(rows.stg_qtickets_api_orders_raw).toBe(401);
  });

  test('barcodes are counted by barcode, partner tickets by id and external order together', async () => {
    expect(await impliedRows('barcodes', [[{ barcode: 'a' }, { barcode: 'b' }], { barcode: 'a' }], facts())).toEqual({ stg_qtickets_api_barcodes_raw: 2 });
    const tickets = { result: [{ id: 1, external_order_id: 'x' }, { id: 1, external_order_id: 'y' }, { id: 2 }, { id: 2, external_order_id: null }, { id: 3, external_order_id: '' }] };
    expect(await impliedRows('partnerTickets', [tickets], facts())).toEqual({ stg_qtickets_api_partner_tickets_raw: 4 });
  });

  test('each list dataset feeds its own staging table, by distinct id', async () => {
    const body = { data: [{ id: 1 }, { id: 2 }, { id: '2' }] };
    expect(await impliedRows('clients', [body], facts())).toEqual({ stg_qtickets_api_clients_raw: 2 });
    expect(await impliedRows('colorThemes', [body], facts())).toEqual({ stg_qtickets_api_price_shades_raw: 2 });
    expect(await impliedRows('discounts', [body], facts())).toEqual({ stg_qtickets_api_discounts_raw: 2 });
    expect(await impliedRows('promoCodes', [body], facts())).toEqual({ stg_qtickets_api_promo_codes_raw: 2 });
  });

  test('events imply no verified rows; inventory one snapshot per event, whatever the answer', async () => {
    expect(await impliedRows('events', [{ data: [{ id: 1 }] }], facts())).toEqual({});
    expect(await impliedRows('inventory', [{ data: { a: {} } }], facts(silentClient, 2))).toEqual({ stg_qtickets_api_inventory_raw: 2, fact_qtickets_inventory_latest: 2 });
  });
});

describe('dim_events', () => {
  test('distinct events over every answer', () => {
    expect(impliedDimEvents([{ data: [{ id: 1 }, { id: 2 }] }, { data: { id: 2 } }, { data: [{ id: '3' }] }])).toBe(3);
    expect(impliedDimEvents([])).toBe(0);
  });

  test('page by page, only an events walk feeds dim_events', () => {
    const events = new ImpliedRows('events');
    events.add({ data: [{ id: 1 }, { id: 2 }] });
    events.add({ data: [{ id: 2 }, { id: 3 }] });
    expect(events.dimEvents()).toBe(3);
    const clients = new ImpliedRows('clients');
    clients.add({ data: [{ id: 1 }] });
    expect(clients.dimEvents()).toBe(0);
  });
});
