import type { ClickHouseClient } from '@clickhouse/client';
import type { TableCounts } from '../clickhouse/tables.ts';
import { dataItems, resultItems } from '../core/answers.ts';
import { moscowDate } from '../core/moscow.ts';
import { isPaid } from '../core/orders.ts';
import type { Dataset } from '../core/types.ts';

// Shared with the loader, and only this: what the API's values mean (which forms of `payed` mean paid,
// core/orders.ts; the Moscow date of an instant, core/moscow.ts), facts of the API's encoding with tests of
// their own; and which items an answer holds (itemsOf below, which harness/load.ts hands to the loader), so
// both count the same items. Which orders count, their keys and the rows they imply are worked out here
// apart from the transforms, so a transform that drops its paid filter or merges keys still disagrees.

/**
 * How many rows each table must gain from an answer, computed from the answer itself and not by the
 * loader: if a transform goes wrong (say, it loads unpaid orders), the two disagree and the test fails.
 */

const distinct = (values: unknown[]): number => new Set(values.map(String)).size;

/** The items of one answer, whatever its envelope. */
export function itemsOf(dataset: Dataset, body: any): any[] {
  if (dataset === 'barcodes') return Array.isArray(body) ? body : body && typeof body === 'object' ? [body] : [];
  if (dataset === 'partnerTickets') return resultItems(body);
  if (dataset === 'inventory') return [];
  return body?.data && !Array.isArray(body.data) ? [body.data] : dataItems(body);
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
  const implied = new ImpliedRows(dataset);
  for (const body of bodies) implied.add(body);
  return implied.rows(facts);
}

/**
 * The same, fed one answer (or one deep-mode page) at a time: only the distinct keys and the sale dates
 * are kept, never the items.
 */
export class ImpliedRows {
  private readonly keys = new Set<string>();
  private readonly saleDates = new Set<string>();

  constructor(private readonly dataset: Dataset) {}

  add(body: any): void {
    const items = itemsOf(this.dataset, body);
    switch (this.dataset) {
      case 'orders':
        for (const order of items.filter(isPaid)) {
          this.keys.add(String(order.id));
          if (order.payed_at) this.saleDates.add(moscowDate(order.payed_at));
        }
        return;
      case 'barcodes':
        for (const item of items) this.keys.add(String(item.barcode));
        return;
      case 'partnerTickets':
        for (const ticket of items) this.keys.add(`${ticket.id}::${ticket.external_order_id ?? ''}`);
        return;
      default:
        for (const item of items) this.keys.add(String(item.id));
    }
  }

  async rows(facts: { inventoryEvents: number; client: ClickHouseClient; database: string }): Promise<Partial<TableCounts>> {
    const n = this.keys.size;
    switch (this.dataset) {
      case 'orders':
        return {
          stg_qtickets_api_orders_raw: n,
          fact_qtickets_sales_daily: this.saleDates.size === 0 ? 0 : await stagingGroups(facts.client, facts.database, [...this.saleDates]),
        };
      case 'events':
        return {};
      case 'inventory':
        return { stg_qtickets_api_inventory_raw: facts.inventoryEvents, fact_qtickets_inventory_latest: facts.inventoryEvents };
      case 'clients':
        return { stg_qtickets_api_clients_raw: n };
      case 'colorThemes':
        return { stg_qtickets_api_price_shades_raw: n };
      case 'discounts':
        return { stg_qtickets_api_discounts_raw: n };
      case 'promoCodes':
        return { stg_qtickets_api_promo_codes_raw: n };
      case 'barcodes':
        return { stg_qtickets_api_barcodes_raw: n };
      case 'partnerTickets':
        return { stg_qtickets_api_partner_tickets_raw: n };
    }
  }

  /** dim_events rows of an events answer: one per distinct event. */
  dimEvents(): number {
    return this.dataset === 'events' ? this.keys.size : 0;
  }
}

/** dim_events is not one of the 11 verified tables, but 3.x must still feed it: events per answer. */
export function impliedDimEvents(bodies: any[]): number {
  return distinct(bodies.flatMap((body) => itemsOf('events', body)).map((e) => e.id));
}

/** Dates travel in the URL as a query parameter: a whole tenant touches thousands, so they are counted in slices. */
const DATES_PER_QUERY = 200;

async function stagingGroups(client: ClickHouseClient, database: string, dates: string[]): Promise<number> {
  let groups = 0;
  for (let i = 0; i < dates.length; i += DATES_PER_QUERY) {
    const result = await client.query({
      query: `SELECT count() AS groups FROM (
                SELECT DISTINCT event_id, city, toDate(sale_ts) AS day
                FROM ${database}.stg_qtickets_api_orders_raw FINAL
                WHERE toDate(sale_ts) IN {dates:Array(Date)})`,
      query_params: { dates: dates.slice(i, i + DATES_PER_QUERY) },
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ groups: string | number }>();
    groups += Number(row?.groups ?? 0);
  }
  return groups;
}
