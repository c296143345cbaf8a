import type { ClickHouseClient } from '@clickhouse/client';
import type { TableCounts } from '../clickhouse/tables.ts';
import type { Dataset } from './types.ts';

/**
 * How many rows each table must gain from an answer, computed from the answer itself and not by the
 * loader: if a transform goes wrong (say, it loads unpaid orders), the two disagree and the test fails.
 */

const asArray = (value: unknown): any[] => (Array.isArray(value) ? value : []);
const isPaid = (order: any): boolean => order.payed === true || order.payed === 1 || order.payed === '1' || order.payed === 'true';
const distinct = (values: unknown[]): number => new Set(values.map(String)).size;

/** Moscow calendar date of an ISO timestamp (Moscow is UTC+3 all year). */
export function moscowDate(iso: string): string {
  return new Date(Date.parse(iso) + 3 * 3600_000).toISOString().slice(0, 10);
}

/** The items of one answer, whatever its envelope. */
export function itemsOf(dataset: Dataset, body: any): any[] {
  if (dataset === 'barcodes') return Array.isArray(body) ? body : body && typeof body === 'object' ? [body] : [];
  if (dataset === 'partnerTickets') return asArray(body?.result);
  if (dataset === 'inventory') return [];
  return Array.isArray(body?.data) ? body.data : body?.data ? [body.data] : [];
}

/**
 * Rows each table must gain. Daily facts are recomputed for every date the answer's paid orders touch,
 * so their count is the number of (event, city, date) groups in deduplicated staging on those dates.
 */
export async function impliedRows(
  dataset: Dataset,
  bodies: any[],
  facts: { inventoryEvents: number; client: ClickHouseClient; database: string },
): Promise<Partial<TableCounts>> {
  const items = bodies.flatMap((body) => itemsOf(dataset, body));
  switch (dataset) {
    case 'orders': {
      const paid = items.filter(isPaid);
      const dates = [...new Set(paid.filter((o) => o.payed_at).map((o) => moscowDate(o.payed_at)))];
      return {
        stg_qtickets_api_orders_raw: distinct(paid.map((o) => o.id)),
        fact_qtickets_sales_daily: dates.length === 0 ? 0 : await stagingGroups(facts.client, facts.database, dates),
      };
    }
    case 'events':
      return {};
    case 'inventory':
      return { stg_qtickets_api_inventory_raw: facts.inventoryEvents, fact_qtickets_inventory_latest: facts.inventoryEvents };
    case 'clients':
      return { stg_qtickets_api_clients_raw: distinct(items.map((c) => c.id)) };
    case 'colorThemes':
      return { stg_qtickets_api_price_shades_raw: distinct(items.map((t) => t.id)) };
    case 'discounts':
      return { stg_qtickets_api_discounts_raw: distinct(items.map((d) => d.id)) };
    case 'promoCodes':
      return { stg_qtickets_api_promo_codes_raw: distinct(items.map((p) => p.id)) };
    case 'barcodes':
      return { stg_qtickets_api_barcodes_raw: distinct(items.map((b) => b.barcode)) };
    case 'partnerTickets':
      return { stg_qtickets_api_partner_tickets_raw: distinct(items.map((t) => `${t.id}::${t.external_order_id ?? ''}`)) };
  }
}

/** dim_events is not one of the 11 verified tables, but 3.x must still feed it: events per answer. */
export function impliedDimEvents(bodies: any[]): number {
  return distinct(bodies.flatMap((body) => itemsOf('events', body)).map((e) => e.id));
}

async function stagingGroups(client: ClickHouseClient, database: string, dates: string[]): Promise<number> {
  const result = await client.query({
    query: `SELECT count() AS groups FROM (
              SELECT DISTINCT event_id, city, toDate(sale_ts) AS day
              FROM ${database}.stg_qtickets_api_orders_raw FINAL
              WHERE toDate(sale_ts) IN {dates:Array(Date)})`,
    query_params: { dates },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ groups: string | number }>();
  return Number(row?.groups ?? 0);
}
