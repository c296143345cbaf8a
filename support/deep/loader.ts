import type { ClickHouseClient } from '@clickhouse/client';
import { loadRows, type LoaderTable } from '../loader/load.ts';
import { SALES_FACTS, recomputeSalesFact, touchedSaleDates } from '../loader/sales-facts.ts';
import { clientRows, discountRows, eventRows, orderRows, promoCodeRows, type LoadContext } from '../loader/transforms.ts';

/**
 * The loader for a deep walk: the same transforms as the page-1 loader (support/loader), but rows are
 * inserted in batches of about `batchRows` (a ClickHouse insert costs the same for 40 rows as for several
 * hundred), one batch may be in flight while the walk fetches the next pages, and the daily sales facts are
 * recomputed once at the end for every date the walk touched, not after every page. The end state is the
 * one `loadOrders` page by page would reach: facts are recomputed from all deduplicated staging rows.
 */

export type ListDataset = 'orders' | 'clients' | 'events' | 'discounts' | 'promoCodes';

const TRANSFORMS: Record<ListDataset, { table: LoaderTable; rows: (items: any[], ctx: LoadContext) => object[] }> = {
  orders: { table: 'stg_qtickets_api_orders_raw', rows: orderRows },
  clients: { table: 'stg_qtickets_api_clients_raw', rows: clientRows },
  events: { table: 'dim_events', rows: eventRows },
  discounts: { table: 'stg_qtickets_api_discounts_raw', rows: discountRows },
  promoCodes: { table: 'stg_qtickets_api_promo_codes_raw', rows: promoCodeRows },
};

export const DEFAULT_BATCH_ROWS = 1000;
const DATES_PER_RECOMPUTE = 200;

export class DeepLoader {
  private buffer: object[] = [];
  private inFlight: Promise<number> | undefined;
  private readonly transform: (typeof TRANSFORMS)[ListDataset];

  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
    private readonly dataset: ListDataset,
    private readonly ctx: LoadContext,
    private readonly batchRows = DEFAULT_BATCH_ROWS,
  ) {
    this.transform = TRANSFORMS[dataset];
  }

  /** Transforms one page's (validated) items; returns the rows of the batches that finished meanwhile. */
  async page(items: any[]): Promise<Record<string, number>> {
    for (const row of this.transform.rows(items, this.ctx)) this.buffer.push(row);
    return this.buffer.length >= this.batchRows ? this.startBatch() : {};
  }

  /** Inserts what is left, then (orders) recomputes both daily facts for every touched date. */
  async finish(): Promise<Record<string, number>> {
    const written = await this.startBatch();
    written[this.transform.table] = (written[this.transform.table] ?? 0) + (await this.settle());
    if (this.dataset === 'orders') {
      const dates = await touchedSaleDates(this.client, this.database, this.ctx.ver);
      // The dates travel in the URL (a query parameter): a whole tenant touches thousands of them, more
      // than an HTTP request line may hold, so they go in slices.
      for (let i = 0; i < dates.length; i += DATES_PER_RECOMPUTE) {
        const slice = dates.slice(i, i + DATES_PER_RECOMPUTE);
        for (const fact of SALES_FACTS) written[fact] = (written[fact] ?? 0) + (await recomputeSalesFact(this.client, this.database, fact, slice, this.ctx.ver));
      }
    }
    return written;
  }

  /** Waits for the batch in flight (at most one), then sends the buffer without waiting for it. */
  private async startBatch(): Promise<Record<string, number>> {
    const done = await this.settle();
    const rows = this.buffer;
    this.buffer = [];
    if (rows.length > 0) {
      const { table } = this.transform;
      const batch = loadRows(this.client, this.database, table, rows).catch((error: Error) => {
        throw new Error(`inserting a batch of ${rows.length} rows into ${table} failed: ${error.message}`, { cause: error });
      });
      // Awaited by the next batch or by finish(); until then a failure must not count as unhandled.
      batch.catch(() => undefined);
      this.inFlight = batch;
    }
    return done > 0 ? { [this.transform.table]: done } : {};
  }

  private async settle(): Promise<number> {
    const batch = this.inFlight;
    this.inFlight = undefined;
    return batch ? batch : 0;
  }
}
