import type { ClickHouseClient } from '@clickhouse/client';
import { impliedRows } from '../../support/harness/implied.ts';

/** The delta oracle's keys for partner tickets, and the slicing of sale dates at an exact multiple of a slice. */

const noClickHouse = { inventoryEvents: 1, client: {} as ClickHouseClient, database: 'db' };

test('partner tickets: the same id with another external order is another row; a missing external order is the empty one', async () => {
  const rows = (result: unknown[]) => impliedRows('partnerTickets', [{ result }], noClickHouse);
  expect(await rows([{ id: 1, external_order_id: 'x' }, { id: 1, external_order_id: 'y' }])).toEqual({ stg_qtickets_api_partner_tickets_raw: 2 });
  expect(await rows([{ id: 2 }, { id: 2, external_order_id: null }, { id: 2, external_order_id: '' }])).toEqual({ stg_qtickets_api_partner_tickets_raw: 1 });
});

test('exactly 200 sale dates are one question', async () => {
  const asked: string[][] = [];
  const client = { query: async ({ query_params }: { query_params: { dates: string[] } }) => (asked.push(query_params.dates), { json: async () => [{ groups: 4 }] }) };
  const day = (i: number) => new Date(Date.UTC(2021, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
  const orders = Array.from({ length: 200 }, (_, i) => ({ id: i, payed: 1, payed_at: `${day(i)}T12:00:00+03:00` }));
  const rows = await impliedRows('orders', [{ data: orders }], { ...noClickHouse, client: client as unknown as ClickHouseClient });
  expect(asked.map((dates) => dates.length)).toEqual([200]);
  expect(rows.fact_qtickets_sales_daily).toBe(4);
});
