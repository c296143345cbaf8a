import { randomBytes } from 'node:crypto';
import { QTicketsClient } from '../../support/client.ts';
import { DeepLoader } from '../../support/deep/loader.ts';
import { deepList } from '../../support/deep/pages.ts';
import type { LoadContext } from '../../support/loader/transforms.ts';
import { startMock, type MockServer } from '../../support/mock/server.ts';
import { useEmbeddedClickHouse } from '../helpers/embedded-clickhouse.ts';

/**
 * deepList over the mock (230 orders: 5 pages of 50), loading into the embedded ClickHouse through the
 * batched deep loader: every page is asked for once, every record is counted, every paid order is loaded.
 */

const DATABASE = 'deep_selftest';
const restToken = `unit-${randomBytes(8).toString('hex')}`;
let mock: MockServer;
const clickhouse = useEmbeddedClickHouse(DATABASE);

beforeAll(async () => {
  mock = await startMock({ restToken, partnersToken: `${restToken}-partners`, size: { orders: 230, clients: 250, events: 23 } });
});
afterAll(async () => {
  await mock?.close();
});

const rest = (maxRetries = 0) =>
  new QTicketsClient({ api: 'rest', baseUrl: mock.restBaseUrl, token: restToken, timeoutMs: 10_000, maxRetries, retryBaseMs: 1, maxRetryAfterMs: 10 });
const pagesAsked = (path: string) => mock.requests.filter((r) => r.path.endsWith(path)).map((r) => (r.body as { page?: number } | undefined)?.page);

async function finalCount(table: string, ver: bigint): Promise<number> {
  const result = await clickhouse.client.query({ query: `SELECT count() AS n FROM ${DATABASE}.${table} FINAL WHERE _ver = {ver:UInt64}`, query_params: { ver: String(ver) }, format: 'JSONEachRow' });
  return Number((await result.json<{ n: string }>())[0].n);
}

test('orders: every page once, records = paging.total, rows loaded = paid orders', async () => {
  // Orders take their city from their event: the events walk comes first, as in the audit.
  const cities = new Map<string, string>();
  const events = await deepList({
    client: rest(),
    path: '/events',
    contract: 'events.list',
    onPage: async (items) => {
      for (const event of items) cities.set(String(event.id), event.city?.name ?? '');
      return {};
    },
  });
  expect(events).toMatchObject({ pages: 3, records: 23, complete: true, totalsAgree: true, failedRecords: 0 });

  mock.requests.length = 0;
  const ctx: LoadContext = { ver: 7n, ingestTs: new Date('2026-01-15T10:00:00Z'), eventCity: (id) => cities.get(id) };
  // A batch smaller than a page's paid orders, so batches straddle pages.
  const loader = new DeepLoader(clickhouse.client, DATABASE, 'orders', ctx, 30);
  let paid = 0;
  // The (event, city, Moscow date) groups of the paid orders, counted here: the fact must have one row each.
  const groups = new Set<string>();
  const moscowDay = (iso: string) => new Date(Date.parse(iso) + 3 * 3600_000).toISOString().slice(0, 10);
  const result = await deepList({
    client: rest(),
    path: '/orders',
    contract: 'orders.list',
    onPage: (items) => {
      paid += items.filter((order) => order.payed === true).length;
      for (const order of items.filter((o) => o.payed === true)) groups.add(`${order.event_id}|${cities.get(String(order.event_id))}|${moscowDay(order.payed_at)}`);
      return loader.page(items);
    },
    onEnd: () => loader.finish(),
  });

  expect(pagesAsked('/orders')).toEqual([1, 2, 3, 4, 5]);
  expect(result).toMatchObject({ pages: 5, records: 230, pagingTotal: 230, perPage: 50, complete: true, totalsAgree: true, failedRecords: 0, distinctIds: 230, duplicateIds: 0, findings: [] });
  expect(result.drift).toEqual([]);
  expect(paid).toBeGreaterThan(0);
  expect(paid).toBeLessThan(230); // unpaid orders are listed too, and not loaded
  expect(result.rowsLoaded.stg_qtickets_api_orders_raw).toBe(paid);
  expect(await finalCount('stg_qtickets_api_orders_raw', 7n)).toBe(paid);
  expect(groups.size).toBeGreaterThan(1);
  expect(result.rowsLoaded.fact_qtickets_sales_daily).toBe(groups.size);
  expect(await finalCount('fact_qtickets_sales_daily', 7n)).toBe(groups.size);
});

test('a page answered 503 once is retried by the client and the walk completes', async () => {
  mock.requests.length = 0;
  mock.setFaults([{ method: 'GET', path: '^/clients$', kind: 'status', status: 503, times: 1 }]);
  try {
    const loader = new DeepLoader(clickhouse.client, DATABASE, 'clients', { ver: 8n, ingestTs: new Date(), eventCity: () => undefined });
    const result = await deepList({ client: rest(1), path: '/clients', contract: 'clients.list', onPage: (items) => loader.page(items), onEnd: () => loader.finish() });
    expect(pagesAsked('/clients')).toEqual([1, 1, 2, 3]);
    expect(result).toMatchObject({ pages: 3, records: 250, complete: true, totalsAgree: true, http: { requests: 4, retries: 1 } });
    expect(result.rowsLoaded).toEqual({ stg_qtickets_api_clients_raw: 250 });
    expect(await finalCount('stg_qtickets_api_clients_raw', 8n)).toBe(250);
  } finally {
    mock.setFaults([]);
  }
});
