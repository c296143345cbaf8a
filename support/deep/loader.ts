import type { ClickHouseClient } from '@clickhouse/client';
import { encodeRows, insertEncoded, type EncodedRows, type LoaderTable } from '../loader/load.ts';
import { SALES_FACTS, recomputeSalesFact } from '../loader/sales-facts.ts';
import { clientRows, discountRows, eventRows, orderRows, promoCodeRows, type LoadContext } from '../loader/transforms.ts';

/**
 * The loader for a deep walk: the same transforms as the page-1 loader (support/loader), but rows are
 * inserted in batches of about `batchRows` (each insert writes a new part: a fixed cost of several
 * milliseconds, and more parts to merge later), one batch may be in flight while the walk fetches the next
 * pages, and the daily sales facts are recomputed once at the end for every date the walk touched, not
 * after every page. The end state is the one `loadOrders` page by page would reach: facts are recomputed
 * from all deduplicated staging rows. Each page is encoded as an insert body at once (encodeRows), so a
 * batch waits as bytes, not as row objects.
 */

export type ListDataset = 'orders' | 'clients' | 'events' | 'discounts' | 'promoCodes';

const TRANSFORMS: Record<ListDataset, { table: LoaderTable; rows: (items: any[], ctx: LoadContext) => object[] }> = {
  orders: { table: 'stg_qtickets_api_orders_raw', rows: orderRows },
  clients: { table: 'stg_qtickets_api_clients_raw', rows: clientRows },
  events: { table: 'dim_events', rows: eventRows },
  discounts: { table: 'stg_qtickets_api_discounts_raw', rows: discountRows },
  promoCodes: { table: 'stg_qtickets_api_promo_codes_raw', rows: promoCodeRows },
};

/** About 20 MB of orders (payload_json is some 4 KB a row): 5× fewer parts than 1000, for a few MB more memory. */
export const DEFAULT_BATCH_ROWS = 5000;

export class DeepLoader {
  /** Pages encoded as insert bodies at once (the row objects are not kept), waiting for their batch. */
  private buffer: EncodedRows[] = [];
  private buffered = 0;
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
    const encoded = encodeRows(this.transform.rows(items, this.ctx));
    if (encoded) {
      this.buffer.push(encoded);
      this.buffered += encoded.count;
    }
    return this.buffered >= this.batchRows ? this.startBatch() : {};
  }

  /** Inserts what is left, then (orders) recomputes both daily facts for every touched date. */
  async finish(): Promise<Record<string, number>> {
    const written = await this.startBatch();
    written[this.transform.table] = (written[this.transform.table] ?? 0) + (await this.settle());
    if (this.dataset === 'orders') {
      for (const fact of SALES_FACTS) written[fact] = (written[fact] ?? 0) + (await recomputeSalesFact(this.client, this.database, fact, this.ctx.ver));
    }
    return written;
  }

  /** Waits for the batch in flight (at most one), then sends the buffer without waiting for it. */
  private async startBatch(): Promise<Record<string, number>> {
    const done = await this.settle();
    const pages = this.buffer;
    this.buffer = [];
    this.buffered = 0;
    if (pages.length > 0) {
      const { table } = this.transform;
      const inserts = joinPages(pages);
      const rows = inserts.reduce((sum, insert) => sum + insert.count, 0);
      const batch = (async () => {
        let sent = 0;
        for (const insert of inserts) sent += await insertEncoded(this.client, this.database, table, insert);
        return sent;
      })().catch((error: Error) => {
        throw new Error(`inserting a batch of ${rows} rows into ${table} failed: ${error.message}`, { cause: error });
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

/** Consecutive pages of the same format and columns as one insert (normally the whole batch is one). */
function joinPages(pages: EncodedRows[]): EncodedRows[] {
  const inserts: EncodedRows[] = [];
  let run: EncodedRows[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const [first] = run;
    const count = run.reduce((sum, page) => sum + page.count, 0);
    inserts.push(
      first.format === 'TabSeparated'
        ? { format: first.format, columns: first.columns, count, data: run.flatMap((page) => (page as { data: Buffer[] }).data) }
        : { format: first.format, columns: first.columns, count, rows: run.flatMap((page) => (page as { rows: object[] }).rows) },
    );
    run = [];
  };
  for (const page of pages) {
    const last = run[run.length - 1];
    if (last && (last.format !== page.format || last.columns.join() !== page.columns.join())) flush();
    run.push(page);
  }
  flush();
  return inserts;
}
