import { hash } from 'node:crypto';
import { moscowDate, moscowDateTime, optionalMoscowDateTime } from '../core/moscow.ts';
import { isPaid, isTrue, liveBaskets } from '../core/orders.ts';
import { maskedSortedJson } from '../masking.ts';
import type {
  ApiBarcode,
  ApiClient,
  ApiColorTheme,
  ApiDiscount,
  ApiEvent,
  ApiOrder,
  ApiPartnerTicket,
  ApiPromoCode,
  FlatSeats,
  ShowScope,
} from './api-items.ts';
import type {
  BarcodeStatus,
  BarcodesRow,
  CatalogueColumns,
  ClientsRow,
  DimEventsRow,
  DiscountsRow,
  InventoryRow,
  OrdersRawRow,
  PartnerTicketsRow,
  PriceShadesRow,
  PromoCodesRow,
} from './rows.ts';

/**
 * Pure transforms from QTickets API items (api-items.ts) to ClickHouse rows (rows.ts), one per table
 * (docs/clickhouse-model.md §2, §5), with the defects of §6 fixed.
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

// ---- Shared rules ----

/** City names are trimmed and lowercased in every table, so (event_id, city) joins match (defect 3). */
export function normaliseCity(name: unknown): string {
  return typeof name === 'string' ? name.trim().toLowerCase() : '';
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

function catalogueColumns(item: unknown, ctx: LoadContext): CatalogueColumns {
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

/** One row per paid order (the last one, should an order appear twice). */
export function orderRows(orders: ApiOrder[], ctx: LoadContext): OrdersRawRow[] {
  const rows = orders
    .filter(isPaid)
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
      ...catalogueColumns(client, ctx),
    };
  });
  return lastByKey(rows, (row) => row.client_id);
}

/** Color themes (`GET /color-themes`, defect 16) into the price shades table; there is no name field. */
export function colorThemeRows(themes: ApiColorTheme[], ctx: LoadContext): PriceShadesRow[] {
  const rows = themes.map((theme): PriceShadesRow => ({ shade_id: text(theme.id), name: '', color: text(theme.color), ...catalogueColumns(theme, ctx) }));
  return lastByKey(rows, (row) => row.shade_id);
}

/** No source field holds a discount's value: it stays NULL and is never parsed from the name (defect 15). */
export function discountRows(discounts: ApiDiscount[], ctx: LoadContext): DiscountsRow[] {
  const rows = discounts.map(
    (discount): DiscountsRow => ({ discount_id: text(discount.id), name: text(discount.name), discount_type: text(discount.type), discount_value: null, ...catalogueColumns(discount, ctx) }),
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
      ...catalogueColumns(promo, ctx),
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
      ...catalogueColumns(item, ctx),
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
      ...catalogueColumns(ticket, ctx),
    };
  });
  return lastByKey(rows, (row) => `${row.ticket_id}::${row.external_order_id}`);
}
