import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import type { VerifiedTable } from '../clickhouse/tables.ts';
import { qualified } from './identifiers.ts';
import { moscowDateTime } from '../core/moscow.ts';
import { SALES_FACTS, recomputeSalesFact } from './sales-facts.ts';
import type { ApiBarcode, ApiClient, ApiColorTheme, ApiDiscount, ApiEvent, ApiOrder, ApiPartnerTicket, ApiPromoCode, FlatSeats, ShowScope } from './api-items.ts';
import {
  barcodeRows,
  clientRows,
  colorThemeRows,
  discountRows,
  eventRows,
  inventoryRows,
  orderRows,
  partnerTicketRows,
  promoCodeRows,
  type LoadContext,
} from './transforms.ts';

/** What the loader can load: one dataset per kind of API answer. */
export type Dataset = 'orders' | 'events' | 'inventory' | 'clients' | 'colorThemes' | 'discounts' | 'promoCodes' | 'barcodes' | 'partnerTickets';

/** Every table the loader writes: the verified ones, plus dim_events and the UTM fact. */
export type LoaderTable = VerifiedTable | 'dim_events' | 'fact_qtickets_sales_utm_daily';

/** Rows written by one load, per table. */
export type WrittenRows = Partial<Record<LoaderTable, number>>;

/**
 * Rows ready to send, with the columns they fill (those of the first row; all rows of a transform share
 * them). TabSeparated text when every value has an exact TSV form: cheaper to write, and for the server to
 * parse, than JSON (a `payload_json` holds kilobytes of quotes that JSON would escape again). The rows
 * themselves otherwise, sent as JSONEachRow. Both store the same values: strings byte for byte, numbers
 * from the same decimal text, null as NULL (or the column default), as JSON null would.
 */
export type EncodedRows =
  | { format: 'TabSeparated'; columns: string[]; count: number; /** UTF-8 text, one line per row, each ending in `\n`. */ data: Buffer[] }
  | { format: 'JSONEachRow'; columns: string[]; count: number; rows: object[] };

/** Anything a TabSeparated field cannot hold as is: backslash, tab, line breaks, NUL, and (to check) surrogates. */
const TSV_CHECK = /[\\\t\n\r\0\ud800-\udfff]/;
const SURROGATE = /[\ud800-\udfff]/;
const TSV_CONTROL = /[\t\n\r\0]/;
const TSV_CONTROLS = /[\t\n\r\0]/g;
const TSV_ESCAPES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };
const tsvEscape = (char: string) => TSV_ESCAPES[char];
/** String.prototype.isWellFormed (Node 20; not in the ES2022 typings): no unpaired surrogate. */
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** A string as a TabSeparated field; undefined when it holds an unpaired surrogate (no UTF-8 form: JSON escapes it and the server decides, as before). */
function tsvString(value: string): string | undefined {
  if (!TSV_CHECK.test(value)) return value;
  if (SURROGATE.test(value) && !isWellFormed(value)) return undefined;
  let field = value.includes('\\') ? value.replace(/\\/g, '\\\\') : value;
  if (TSV_CONTROL.test(field)) field = field.replace(TSV_CONTROLS, tsvEscape);
  return field;
}

/** Scratch space the rows of one page are written into, then copied out at their exact size. */
let scratch = Buffer.allocUnsafe(1 << 20);

/** The rows as TabSeparated UTF-8; undefined when a value has no exact TSV form here (booleans, objects, NaN, a missing or extra column). */
function tabSeparated(rows: object[], columns: string[]): Buffer | undefined {
  // Upper bound: 3 bytes per UTF-16 unit (an escaped character takes 2), 25 for a number, plus separators.
  let size = 0;
  for (const row of rows) {
    for (const column of columns) {
      const value = (row as Record<string, unknown>)[column];
      size += typeof value === 'string' ? value.length * 3 + 1 : 26;
    }
  }
  if (scratch.length < size) scratch = Buffer.allocUnsafe(size);
  let at = 0;
  for (const row of rows) {
    let keys = 0;
    for (const key in row) if (Object.hasOwn(row, key)) keys++;
    if (keys !== columns.length) return undefined;
    for (let i = 0; i < columns.length; i++) {
      const value = (row as Record<string, unknown>)[columns[i]];
      let field: string | undefined;
      if (typeof value === 'string') field = tsvString(value);
      else if (typeof value === 'number' && Number.isFinite(value)) field = String(value);
      else if (value === null) field = '\\N';
      if (field === undefined) return undefined;
      if (i > 0) scratch[at++] = 0x09;
      at += scratch.write(field, at);
    }
    scratch[at++] = 0x0a;
  }
  return Buffer.from(scratch.subarray(0, at));
}

/** The insert body for rows; undefined for no rows. */
export function encodeRows(rows: object[]): EncodedRows | undefined {
  if (rows.length === 0) return undefined;
  const columns = Object.keys(rows[0]);
  const data = tabSeparated(rows, columns);
  return data ? { format: 'TabSeparated', columns, count: rows.length, data: [data] } : { format: 'JSONEachRow', columns, count: rows.length, rows };
}

/** Sends encoded rows as one insert; returns the number of rows sent. */
export async function insertEncoded(client: ClickHouseClient, database: string, table: string, encoded: EncodedRows): Promise<number> {
  const columns = encoded.columns as [string, ...string[]];
  const values = encoded.format === 'TabSeparated' ? Readable.from(encoded.data, { objectMode: false }) : encoded.rows;
  await client.insert({ table: qualified(database, table), values, format: encoded.format, columns });
  return encoded.count;
}

/** Inserts rows, all with the columns of the first row. */
export async function loadRows(client: ClickHouseClient, database: string, table: string, rows: object[]): Promise<number> {
  const encoded = encodeRows(rows);
  return encoded ? insertEncoded(client, database, table, encoded) : 0;
}

/** Paid orders into staging, then both daily facts recomputed for every date they touch. */
export async function loadOrders(client: ClickHouseClient, database: string, orders: ApiOrder[], ctx: LoadContext): Promise<WrittenRows> {
  const written: WrittenRows = { stg_qtickets_api_orders_raw: await loadRows(client, database, 'stg_qtickets_api_orders_raw', orderRows(orders, ctx)) };
  for (const fact of SALES_FACTS) written[fact] = written.stg_qtickets_api_orders_raw ? await recomputeSalesFact(client, database, fact, ctx.ver) : 0;
  return written;
}

export async function loadEvents(client: ClickHouseClient, database: string, events: ApiEvent[], ctx: LoadContext): Promise<WrittenRows> {
  return { dim_events: await loadRows(client, database, 'dim_events', eventRows(events, ctx)) };
}

/** One snapshot row per event, into the raw table and the latest table (which has no `_dedup_key`). */
export async function loadInventory(
  client: ClickHouseClient,
  database: string,
  input: { eventId: string; eventName: string; city: string; seatsByShow: FlatSeats[] },
  ctx: LoadContext,
): Promise<WrittenRows> {
  const rows = inventoryRows(input, ctx);
  return {
    stg_qtickets_api_inventory_raw: await loadRows(client, database, 'stg_qtickets_api_inventory_raw', rows),
    fact_qtickets_inventory_latest: await loadRows(client, database, 'fact_qtickets_inventory_latest', rows.map(({ _dedup_key, ...latest }) => latest)),
  };
}

export async function loadClients(client: ClickHouseClient, database: string, clients: ApiClient[], ctx: LoadContext): Promise<WrittenRows> {
  return { stg_qtickets_api_clients_raw: await loadRows(client, database, 'stg_qtickets_api_clients_raw', clientRows(clients, ctx)) };
}

export async function loadColorThemes(client: ClickHouseClient, database: string, themes: ApiColorTheme[], ctx: LoadContext): Promise<WrittenRows> {
  return { stg_qtickets_api_price_shades_raw: await loadRows(client, database, 'stg_qtickets_api_price_shades_raw', colorThemeRows(themes, ctx)) };
}

export async function loadDiscounts(client: ClickHouseClient, database: string, discounts: ApiDiscount[], ctx: LoadContext): Promise<WrittenRows> {
  return { stg_qtickets_api_discounts_raw: await loadRows(client, database, 'stg_qtickets_api_discounts_raw', discountRows(discounts, ctx)) };
}

export async function loadPromoCodes(client: ClickHouseClient, database: string, promoCodes: ApiPromoCode[], ctx: LoadContext): Promise<WrittenRows> {
  return { stg_qtickets_api_promo_codes_raw: await loadRows(client, database, 'stg_qtickets_api_promo_codes_raw', promoCodeRows(promoCodes, ctx)) };
}

export async function loadBarcodes(client: ClickHouseClient, database: string, items: ApiBarcode[], scope: ShowScope, ctx: LoadContext): Promise<WrittenRows> {
  return { stg_qtickets_api_barcodes_raw: await loadRows(client, database, 'stg_qtickets_api_barcodes_raw', barcodeRows(items, scope, ctx)) };
}

export async function loadPartnerTickets(client: ClickHouseClient, database: string, tickets: ApiPartnerTicket[], scope: ShowScope, ctx: LoadContext): Promise<WrittenRows> {
  return { stg_qtickets_api_partner_tickets_raw: await loadRows(client, database, 'stg_qtickets_api_partner_tickets_raw', partnerTicketRows(tickets, scope, ctx)) };
}

export interface JobRunError {
  message: string;
  status?: number;
  code?: string;
}

export interface JobRun {
  startedAt: Date;
  finishedAt: Date;
  status: 'ok' | 'error';
  /** Rows written per table during the run. */
  rowsPerTable: { [table: string]: number | undefined };
  /** A bare message, or the details of a failed API call. */
  error?: string | JobRunError;
  skipped?: { resource: string; reason: string }[];
}

export interface JobRunsRow {
  job: 'qtickets_api';
  started_at: string;
  finished_at: string;
  status: 'ok' | 'error';
  /** UInt64 as a decimal string. */
  rows_processed: string;
  message: string;
  metrics: string;
}

/** `rows_processed` counts staging rows only (stg_*): aggregates are reported per table, not mixed in (defect 18). */
export function jobRunRow(run: JobRun): JobRunsRow {
  const rows = (table: string) => run.rowsPerTable[table] ?? 0;
  const rowsProcessed = Object.entries(run.rowsPerTable)
    .filter(([table]) => table.startsWith('stg_'))
    .reduce((sum, [, n]) => sum + (n ?? 0), 0);
  const perTable = { rows_per_table: run.rowsPerTable, rows_processed: rowsProcessed, rows_processed_counts: 'stg_* tables only' };
  const skipped = run.skipped?.length ? { skipped_resources: run.skipped } : {};
  let message: object;
  let metrics: object;
  if (run.status === 'error') {
    const error: JobRunError = typeof run.error === 'string' ? { message: run.error } : (run.error ?? { message: 'unknown error' });
    message = { status: 'error', error, ...skipped, rows_per_table: run.rowsPerTable };
    metrics = { error: error.message, error_details: error, ...perTable };
  } else {
    message = {
      status: 'ok',
      orders: rows('stg_qtickets_api_orders_raw'),
      events: rows('dim_events'),
      sales_rows: rows('stg_qtickets_api_orders_raw'),
      inventory_rows: rows('stg_qtickets_api_inventory_raw'),
      sales_daily_rows: rows('fact_qtickets_sales_daily'),
      sales_utm_daily_rows: rows('fact_qtickets_sales_utm_daily'),
      clients_rows: rows('stg_qtickets_api_clients_raw'),
      price_shades_rows: rows('stg_qtickets_api_price_shades_raw'),
      discounts_rows: rows('stg_qtickets_api_discounts_raw'),
      promo_code_rows: rows('stg_qtickets_api_promo_codes_raw'),
      barcode_rows: rows('stg_qtickets_api_barcodes_raw'),
      partner_ticket_rows: rows('stg_qtickets_api_partner_tickets_raw'),
      ...skipped,
      rows_per_table: run.rowsPerTable,
    };
    metrics = { ...message, ...perTable };
  }
  return {
    job: 'qtickets_api',
    started_at: moscowDateTime(run.startedAt),
    finished_at: moscowDateTime(run.finishedAt),
    status: run.status,
    rows_processed: String(rowsProcessed),
    message: JSON.stringify(message),
    metrics: JSON.stringify(metrics),
  };
}

/** One meta_job_runs row per audit run (`run_id` is left to its DEFAULT). */
export async function recordJobRun(client: ClickHouseClient, database: string, run: JobRun): Promise<void> {
  await loadRows(client, database, 'meta_job_runs', [jobRunRow(run)]);
}
