import { hash } from 'node:crypto';
import { moscowDate, moscowDateTime, optionalMoscowDateTime } from './moscow.ts';
import { maskedSortedJson } from '../masking.ts';

/**
 * Pure transforms from QTickets API items to ClickHouse rows, one per table (docs/clickhouse-model.md §2, §5),
 * with the defects of §6 fixed. Input types are loose on purpose: the zod contracts validate answers
 * before anything is loaded. Every row carries `_ver` as a decimal string (UInt64 exceeds JS numbers).
 */

export interface LoadContext {
  /** `_ver` of every row this load writes: unique per test, increasing. */
  ver: bigint;
  /** End of the load window: `_ingest_ts`, `snapshot_ts`, `_loaded_at`. */
  ingestTs: Date;
  /** The city name of an event, from the events answer or a lookup (normalised here again). */
  eventCity(eventId: string): string | undefined;
  /** The `type` of a discount, when known: promo codes carry only `discount_id`. */
  discountType?(discountId: string): string | undefined;
}

type Id = string | number;
type Loose = { [key: string]: unknown };

export interface ApiBasket extends Loose {
  price?: number | string | null;
  quantity?: number | string | null;
  deleted_at?: string | null;
  refunded_at?: string | null;
}

export type Utm = Partial<Record<keyof UtmColumns, string | null>>;

export interface ApiOrder extends Loose {
  id: Id;
  payed?: unknown;
  paid?: unknown;
  payed_at?: string | null;
  paid_at?: string | null;
  created_at?: string | null;
  event_id?: Id | null;
  currency_id?: string | null;
  /** `[]` when empty (PHP). */
  utm?: Utm | unknown[] | null;
  baskets?: ApiBasket[] | null;
}

export interface ApiShow extends Loose {
  start_date?: string | null;
  finish_date?: string | null;
  deleted_at?: string | null;
}

export interface ApiEvent extends Loose {
  id: Id;
  name?: string | null;
  city?: { name?: string | null } | unknown[] | null;
  shows?: ApiShow[] | null;
}

/** One seat of the flat seats form (`flat:true`). */
export interface FlatSeat extends Loose {
  max_quantity?: number | null;
  free_quantity?: number | null;
}

/** The `data` of one show's seats answer, keyed by seat key (`[]` when empty). */
export type FlatSeats = Record<string, FlatSeat> | FlatSeat[];

export interface ApiClient extends Loose {
  id: Id;
  email?: string | null;
  details?: { name?: string | null; surname?: string | null; middlename?: string | null; phone?: string | null } | unknown[] | null;
}

export interface ApiColorTheme extends Loose {
  id: Id;
  color?: string | null;
}

export interface ApiDiscount extends Loose {
  id: Id;
  name?: string | null;
  type?: string | null;
}

export interface ApiPromoCode extends Loose {
  id: Id;
  code?: string | null;
  discount_id?: Id | null;
  active_from?: string | null;
  active_to?: string | null;
}

export interface ApiBarcode extends Loose {
  barcode?: string | null;
  checked_at?: string | null;
}

export interface ApiPartnerTicket extends Loose {
  id: Id;
  paid?: unknown;
  price?: number | string | null;
  barcode?: string | null;
  external_id?: string | null;
  external_order_id?: string | null;
}

/** Where a barcode or partner ticket belongs: from the request path or the show's event (defect 14). */
export interface ShowScope {
  eventId: string;
  showId: string;
}

// ---- Row types: exactly the columns of docs/clickhouse-model.md §2 that the loader writes. ----

interface Versioned {
  /** UInt64 as a decimal string. */
  _ver: string;
}

interface Catalogue extends Versioned {
  payload_json: string;
  /** DateTime, naive Moscow time. */
  _ingest_ts: string;
}

export interface UtmColumns {
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_content: string;
  utm_term: string;
}

export interface OrdersRawRow extends UtmColumns, Versioned {
  order_id: string;
  event_id: string;
  city: string;
  sale_ts: string;
  tickets_sold: number;
  revenue: number;
  currency: string;
  payload_json: string;
  /** FixedString(32): md5 hex. */
  _dedup_key: string;
}

export interface DimEventsRow extends Versioned {
  event_id: string;
  event_name: string;
  city: string;
  /** Date `YYYY-MM-DD`, null when the event has no live show. */
  start_date: string | null;
  end_date: string | null;
  _loaded_at: string;
}

export interface InventoryLatestRow extends Versioned {
  snapshot_ts: string;
  event_id: string;
  event_name: string;
  city: string;
  /** Null only when the answer did not say (zone form, no seats); 0 is a real 0. */
  tickets_total: number | null;
  tickets_left: number | null;
}

export interface InventoryRow extends InventoryLatestRow {
  _dedup_key: string;
}

export interface ClientsRow extends Catalogue {
  client_id: string;
  email: string;
  phone: string;
  first_name: string;
  last_name: string;
  middle_name: string;
}

export interface PriceShadesRow extends Catalogue {
  shade_id: string;
  name: string;
  color: string;
}

export interface DiscountsRow extends Catalogue {
  discount_id: string;
  name: string;
  discount_type: string;
  discount_value: null;
}

export interface PromoCodesRow extends Catalogue {
  promo_code_id: string;
  code: string;
  discount_type: string;
  discount_value: null;
  valid_from: string | null;
  valid_to: string | null;
}

export type BarcodeStatus = 'checked' | 'not_checked' | 'unknown';

export interface BarcodesRow extends Catalogue {
  barcode: string;
  event_id: string;
  show_id: string;
  status: BarcodeStatus;
  checked_at: string | null;
}

export interface PartnerTicketsRow extends Catalogue {
  ticket_id: string;
  event_id: string;
  show_id: string;
  external_order_id: string;
  external_id: string;
  barcode: string;
  paid: 0 | 1;
  price: number | null;
}

// ---- Shared rules ----

const TRUE_VALUES: unknown[] = [1, true, '1', 'true'];

/** City names are trimmed and lowercased in every table, so (event_id, city) joins match (defect 3). */
export function normaliseCity(name: unknown): string {
  return typeof name === 'string' ? name.trim().toLowerCase() : '';
}

/** A flag the API may send as 1, true, "1" or "true". */
export function isTrue(value: unknown): boolean {
  return TRUE_VALUES.includes(value);
}

const text = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
/** A map-typed field, which PHP sends as `[]` (or `""`) when empty. */
const fields = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const md5 = (value: string): string => hash('md5', value, 'hex');

/**
 * `payload_json`: the item with every personal value masked by the suite's one masking rule (masking.ts,
 * docs/report-format.md §4; defect 17), as compact JSON with sorted keys like the production payloads.
 */
export function payloadJson(item: unknown): string {
  return maskedSortedJson(item);
}

/** The last item per key: one row per key and load, as FINAL would keep. */
function lastByKey<T>(rows: T[], key: (row: T) => string): T[] {
  return [...new Map(rows.map((row) => [key(row), row])).values()];
}

function catalogue(item: unknown, ctx: LoadContext): Catalogue {
  return { payload_json: payloadJson(item), _ver: ctx.ver.toString(), _ingest_ts: moscowDateTime(ctx.ingestTs) };
}

/** Python's float repr, as the production `_dedup_key` embeds it: `800.0`, `1222.03`, `1e+16`. */
export function pythonFloatRepr(x: number): string {
  const magnitude = Math.abs(x);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e16)) return x.toExponential().replace(/e([+-])(\d)$/, (_, sign: string, digit: string) => `e${sign}0${digit}`); // e-5 → e-05
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/** The production dedup key: md5 of `{order_id}::{event_id}::{sale_ts}::{revenue}`, a falsy part (revenue 0) as ''. */
export function orderDedupKey(orderId: string, eventId: string, saleTs: string, revenue: number): string {
  return md5([orderId, eventId, saleTs, revenue ? pythonFloatRepr(revenue) : ''].join('::'));
}

// ---- Transforms ----

/** Baskets that still count: not deleted and not refunded (defect 5). */
export function liveBaskets(order: ApiOrder): ApiBasket[] {
  return (Array.isArray(order.baskets) ? order.baskets : []).filter((b) => !b.deleted_at && !b.refunded_at);
}

/** One row per paid order (the last one, should an order appear twice). */
export function orderRows(orders: ApiOrder[], ctx: LoadContext): OrdersRawRow[] {
  const rows = orders
    .filter((order) => isTrue(order.payed ?? order.paid))
    .map((order): OrdersRawRow => {
      const orderId = text(order.id);
      const eventId = text(order.event_id); // never the show id (defect 8)
      const paidAt = order.payed_at ?? order.paid_at ?? order.created_at;
      if (!paidAt) throw new Error(`Paid order ${orderId} has no payed_at, paid_at or created_at`);
      const saleTs = moscowDateTime(paidAt);
      let ticketsSold = 0;
      let revenue = 0;
      for (const basket of liveBaskets(order)) {
        const quantity = Number(basket.quantity ?? 1);
        ticketsSold += quantity;
        revenue += Number(basket.price ?? 0) * quantity;
      }
      const utm = fields(order.utm);
      return {
        order_id: orderId,
        event_id: eventId,
        city: normaliseCity(eventId ? ctx.eventCity(eventId) : ''),
        utm_source: text(utm.utm_source),
        utm_medium: text(utm.utm_medium),
        utm_campaign: text(utm.utm_campaign),
        utm_content: text(utm.utm_content),
        utm_term: text(utm.utm_term),
        sale_ts: saleTs,
        tickets_sold: ticketsSold,
        revenue,
        currency: text(order.currency_id).trim().toUpperCase(), // defect 4
        payload_json: payloadJson(order),
        _ver: ctx.ver.toString(),
        _dedup_key: orderDedupKey(orderId, eventId, saleTs, revenue),
      };
    });
  return lastByKey(rows, (row) => row.order_id);
}

/** One row per event; dates from its live shows (defect 9), city from `city.name` (defect 3). */
export function eventRows(events: ApiEvent[], ctx: LoadContext): DimEventsRow[] {
  const rows = events.map((event): DimEventsRow => {
    const shows = (Array.isArray(event.shows) ? event.shows : []).filter((show) => !show.deleted_at);
    const starts = shows.flatMap((show) => (show.start_date ? [moscowDate(show.start_date)] : [])).sort();
    const finishes = shows.flatMap((show) => (show.finish_date ? [moscowDate(show.finish_date)] : [])).sort();
    return {
      event_id: text(event.id),
      event_name: text(event.name).trim(),
      city: normaliseCity(fields(event.city).name),
      start_date: starts[0] ?? null,
      end_date: finishes.at(-1) ?? null,
      _ver: ctx.ver.toString(),
      _loaded_at: moscowDateTime(ctx.ingestTs),
    };
  });
  return lastByKey(rows, (row) => row.event_id);
}

/**
 * Sum of one quantity over every seat of every show (defect 11): null when unknown, that is when no show
 * listed a seat or some seat lacks the number (the zone form carries none); 0 stays 0 (defect 12).
 */
function seatSum(seatsByShow: FlatSeats[], field: 'max_quantity' | 'free_quantity'): number | null {
  const seats = seatsByShow.flatMap((show) => Object.values(show ?? {}));
  if (seats.length === 0) return null;
  let sum = 0;
  for (const seat of seats) {
    const value = seat?.[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) return null;
    sum += value;
  }
  return sum;
}

/** One row per event per snapshot, from the flat seats answers of all its shows. */
export function inventoryRows(input: { eventId: string; eventName: string; city: string; seatsByShow: FlatSeats[] }, ctx: LoadContext): InventoryRow[] {
  const snapshotTs = moscowDateTime(ctx.ingestTs);
  return [
    {
      snapshot_ts: snapshotTs,
      event_id: input.eventId,
      event_name: input.eventName.trim(),
      city: normaliseCity(input.city),
      tickets_total: seatSum(input.seatsByShow, 'max_quantity'),
      tickets_left: seatSum(input.seatsByShow, 'free_quantity'),
      _ver: ctx.ver.toString(),
      _dedup_key: md5(`${input.eventId}::${snapshotTs}`),
    },
  ];
}

/** Clients keep their personal columns by production design; their payload is stripped all the same. */
export function clientRows(clients: ApiClient[], ctx: LoadContext): ClientsRow[] {
  const rows = clients.map((client): ClientsRow => {
    const details = fields(client.details);
    return {
      client_id: text(client.id),
      email: text(client.email).toLowerCase(),
      phone: text(details.phone),
      first_name: text(details.name),
      last_name: text(details.surname),
      middle_name: text(details.middlename),
      ...catalogue(client, ctx),
    };
  });
  return lastByKey(rows, (row) => row.client_id);
}

/** Color themes (`GET /color-themes`, defect 16) into the price shades table; there is no name field. */
export function colorThemeRows(themes: ApiColorTheme[], ctx: LoadContext): PriceShadesRow[] {
  const rows = themes.map((theme): PriceShadesRow => ({ shade_id: text(theme.id), name: '', color: text(theme.color), ...catalogue(theme, ctx) }));
  return lastByKey(rows, (row) => row.shade_id);
}

/** No source field holds a discount's value: it stays NULL and is never parsed from the name (defect 15). */
export function discountRows(discounts: ApiDiscount[], ctx: LoadContext): DiscountsRow[] {
  const rows = discounts.map(
    (discount): DiscountsRow => ({ discount_id: text(discount.id), name: text(discount.name), discount_type: text(discount.type), discount_value: null, ...catalogue(discount, ctx) }),
  );
  return lastByKey(rows, (row) => row.discount_id);
}

/** Validity from `active_from`/`active_to`; the type is that of the promo code's discount, when known (defect 15). */
export function promoCodeRows(promoCodes: ApiPromoCode[], ctx: LoadContext): PromoCodesRow[] {
  const rows = promoCodes.map((promo): PromoCodesRow => {
    const discountId = text(promo.discount_id);
    return {
      promo_code_id: text(promo.id),
      code: text(promo.code),
      discount_type: (discountId && ctx.discountType?.(discountId)) || '',
      discount_value: null,
      valid_from: optionalMoscowDateTime(promo.active_from),
      valid_to: optionalMoscowDateTime(promo.active_to),
      ...catalogue(promo, ctx),
    };
  });
  return lastByKey(rows, (row) => row.promo_code_id);
}

/**
 * Barcode status, the one documented rule: `checked_at` set → 'checked', present but null → 'not_checked',
 * absent (list items do not carry it) → 'unknown'.
 */
export function barcodeStatus(item: ApiBarcode): BarcodeStatus {
  if (!('checked_at' in item) || item.checked_at === undefined) return 'unknown';
  return item.checked_at ? 'checked' : 'not_checked';
}

/** Barcodes of one show (`GET /shows/{show_id}/barcodes`): event and show from the request (defect 14). */
export function barcodeRows(items: ApiBarcode[], scope: ShowScope, ctx: LoadContext): BarcodesRow[] {
  const rows = items.map(
    (item): BarcodesRow => ({
      barcode: text(item.barcode),
      event_id: scope.eventId,
      show_id: scope.showId,
      status: barcodeStatus(item),
      checked_at: optionalMoscowDateTime(item.checked_at),
      ...catalogue(item, ctx),
    }),
  );
  return lastByKey(rows, (row) => row.barcode);
}

/** Partners `tickets/find` `result` items: event and show from the request path or context block (defect 14). */
export function partnerTicketRows(tickets: ApiPartnerTicket[], scope: ShowScope, ctx: LoadContext): PartnerTicketsRow[] {
  const rows = tickets.map((ticket): PartnerTicketsRow => {
    const price = ticket.price === null || ticket.price === undefined ? null : Number(ticket.price);
    return {
      ticket_id: text(ticket.id),
      event_id: scope.eventId,
      show_id: scope.showId,
      external_order_id: text(ticket.external_order_id),
      external_id: text(ticket.external_id),
      barcode: text(ticket.barcode),
      paid: isTrue(ticket.paid) ? 1 : 0,
      price: price !== null && Number.isFinite(price) ? price : null,
      ...catalogue(ticket, ctx),
    };
  });
  return lastByKey(rows, (row) => `${row.ticket_id}::${row.external_order_id}`);
}
