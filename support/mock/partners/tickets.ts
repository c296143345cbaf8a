import { asRecord, type RequestContext } from '../context.ts';
import type { EventRecord, ShowRecord } from '../data/catalog.ts';
import type { PartnerTicket, StoredPartnerTicket } from '../data/types.ts';
import { jsonOk, type MockResponse } from '../http.ts';
import type { Tenant } from '../store.ts';
import { toMskIso } from '../time.ts';
import { seatAvailable } from '../rest/seats.ts';
import { fail, intOf, offerPrice, paramsOf, requireShowOf, seatOf, success, tariffOf, target } from './common.ts';

/** The Partners ticket methods: check, add, update, remove and find, with the seat stock they move. */

function checkItem(tenant: Tenant, show: ShowRecord, raw: unknown) {
  const item = asRecord(raw);
  const seat = seatOf(tenant, show, item.seat_id);
  const tariff = tariffOf(show, item.offer_id);
  return {
    seat_id: seat.seatId,
    offer_id: tariff.id,
    available: seatAvailable(tenant, show, seat),
    coords: [...seat.coords],
    row: intOf(seat.row),
    place: intOf(seat.place),
    price: offerPrice(show, seat, tariff),
    currency_id: 'RUB',
  };
}

export const check = (ctx: RequestContext): MockResponse => {
  const { event, show } = requireShowOf(ctx);
  const params = paramsOf(ctx);
  const result = Array.isArray(params.batch) ? params.batch.map((item) => checkItem(ctx.tenant, show, item)) : checkItem(ctx.tenant, show, params);
  return success(ctx.tenant, event, show, { result });
};

const str = (value: unknown): string | null => (value === undefined || value === null ? null : String(value));

function clientFields(item: Record<string, unknown>) {
  const out: Record<string, string | null> = {};
  for (const key of ['client_email', 'client_phone', 'client_name', 'client_surname', 'client_middlename']) {
    const value = item[key];
    if (value !== undefined && value !== null && typeof value !== 'string') throw fail('VALIDATION_ERROR', `${key} must be a string`);
    out[key] = (value as string | undefined) ?? null;
  }
  return out as Pick<PartnerTicket, 'client_email' | 'client_phone' | 'client_name' | 'client_surname' | 'client_middlename'>;
}

/** The `paid` parameter as the server reads it (0|1, true); undefined when absent. */
const paidParam = (value: unknown): boolean | undefined => (value === undefined || value === null ? undefined : value === true || Number(value) === 1);

/** Payment state of an add or update: paid (0|1) or paid_at; an unpaid ticket needs reserved_to (returned in +03:00). */
function payment(item: Record<string, unknown>, now: string, current?: PartnerTicket): Pick<PartnerTicket, 'paid' | 'paid_at' | 'reserved_to'> {
  const paidFlag = paidParam(item.paid);
  const paidAt = item.paid_at === undefined || item.paid_at === null ? null : toMskIso(item.paid_at);
  if (item.paid_at !== undefined && item.paid_at !== null && paidAt === null) throw fail('VALIDATION_ERROR', 'paid_at is not a valid date');
  const paid = paidFlag ?? (paidAt !== null ? true : current ? current.paid === 1 : false);
  const reservedTo = item.reserved_to === undefined || item.reserved_to === null ? (current?.reserved_to ?? null) : toMskIso(item.reserved_to);
  if (item.reserved_to !== undefined && item.reserved_to !== null && reservedTo === null) throw fail('VALIDATION_ERROR', 'reserved_to is not a valid date');
  if (!paid && reservedTo === null) throw fail('VALIDATION_ERROR', 'reserved_to is required for an unpaid ticket');
  return { paid: paid ? 1 : 0, paid_at: paid ? (paidAt ?? current?.paid_at ?? now) : null, reserved_to: paid ? (reservedTo ?? null) : reservedTo };
}

function priceOf(item: Record<string, unknown>, fallback: number): number {
  if (item.price === undefined || item.price === null) return fallback;
  const price = Number(item.price);
  if (!Number.isFinite(price) || price < 0) throw fail('VALIDATION_ERROR', 'price must be a non-negative number');
  return price;
}

/** Validates one tickets/add item against the stock left after the items before it in the batch. */
function plannedTicket(tenant: Tenant, show: ShowRecord, raw: unknown, claimed: Map<number, number>) {
  const item = asRecord(raw);
  const seat = seatOf(tenant, show, item.seat_id);
  const tariff = tariffOf(show, item.offer_id);
  if (item.user_session !== undefined && String(item.user_session).length > 40) throw fail('VALIDATION_ERROR', 'user_session must be at most 40 characters');
  if (item.payment_type_id !== undefined && item.payment_type_id !== null && item.payment_type_id !== 'pushka_card') throw fail('VALIDATION_ERROR', 'payment_type_id must be null or "pushka_card"');
  const taken = claimed.get(seat.ref) ?? 0;
  if (!seatAvailable(tenant, show, seat) || tenant.freeQuantity(show, seat.ref) - taken < 1) throw fail('SEAT_NOT_AVAILABLE', `Seat "${seat.seatId}" is not available`);
  claimed.set(seat.ref, taken + 1);
  return { item, seat, tariff, pay: payment(item, tenant.clock.nowMsk()), client: clientFields(item), price: priceOf(item, offerPrice(show, seat, tariff)) };
}

function stock(tenant: Tenant, stored: StoredPartnerTicket, delta: number): void {
  const show = tenant.catalog.shows[stored.showIndex];
  tenant.changeStock(show, stored.seatRef, stored.ticket.paid === 1 ? 'paid' : 'ordered', delta);
}

/** tickets/add: single → the ticket with a string id; batch → tickets with int ids (as documented). All or nothing. */
export const add = (ctx: RequestContext): MockResponse => {
  const { event, show } = requireShowOf(ctx);
  const tenant = ctx.tenant;
  const params = paramsOf(ctx);
  const batch = Array.isArray(params.batch);
  const claimed = new Map<number, number>();
  const planned = (batch ? (params.batch as unknown[]) : [params]).map((item) => plannedTicket(tenant, show, item, claimed));
  if (planned.length === 0) throw fail('VALIDATION_ERROR', 'batch is empty');
  const tickets = planned.map(({ item, seat, tariff, pay, client, price }) => {
    const number = tenant.takeTicketNumber();
    const ticket: PartnerTicket = {
      id: tenant.takeBasketId(),
      ...pay,
      seat_id: seat.seatId,
      offer_id: tariff.id,
      admission: seat.admission,
      payment_type_id: str(item.payment_type_id),
      external_id: str(item.external_id),
      external_order_id: str(item.external_order_id),
      barcode: pay.paid === 1 ? tenant.codec.encode(number) : null,
      price,
      ...client,
      fanid_card: null,
      visitor_user_id: item.visitor_user_id === undefined || item.visitor_user_id === null ? null : Number(item.visitor_user_id),
    };
    const stored: StoredPartnerTicket = { ticket: orderTicketKeys(ticket), eventId: event.id, showIndex: show.index, seatRef: seat.ref, number, deleted: false, checkedAt: null };
    tenant.tickets.set(ticket.id, stored);
    stock(tenant, stored, +1);
    return stored.ticket;
  });
  return success(tenant, event, show, { result: batch ? tickets : { ...tickets[0], id: String(tickets[0].id) } });
};

/** The ticket fields in the documented order. */
function orderTicketKeys(t: PartnerTicket): PartnerTicket {
  return {
    id: t.id,
    paid: t.paid,
    paid_at: t.paid_at,
    seat_id: t.seat_id,
    offer_id: t.offer_id,
    admission: t.admission,
    payment_type_id: t.payment_type_id,
    reserved_to: t.reserved_to,
    external_id: t.external_id,
    external_order_id: t.external_order_id,
    barcode: t.barcode,
    price: t.price,
    client_email: t.client_email,
    client_phone: t.client_phone,
    client_name: t.client_name,
    client_surname: t.client_surname,
    client_middlename: t.client_middlename,
    fanid_card: t.fanid_card,
    visitor_user_id: t.visitor_user_id,
  };
}

/** A live ticket of the event (and show) by `id` or `external_id`. */
function ticketOf(tenant: Tenant, event: EventRecord, show: ShowRecord, raw: unknown): StoredPartnerTicket {
  const item = asRecord(raw);
  const byId = item.id !== undefined && item.id !== null;
  if (!byId && (item.external_id === undefined || item.external_id === null)) throw fail('VALIDATION_ERROR', 'id or external_id is required');
  const wanted = String(byId ? item.id : item.external_id);
  const found = [...tenant.tickets.values()].find(
    (t) => !t.deleted && t.eventId === event.id && t.showIndex === show.index && String(byId ? t.ticket.id : t.ticket.external_id) === wanted,
  );
  if (!found) throw fail('TICKET_NOT_FOUND', `Ticket ${wanted} not found`);
  return found;
}

export const update = (ctx: RequestContext): MockResponse => {
  const { event, show } = requireShowOf(ctx);
  const tenant = ctx.tenant;
  const params = paramsOf(ctx);
  const batch = Array.isArray(params.batch);
  const items = (batch ? (params.batch as unknown[]) : [params]).map((raw) => {
    const stored = ticketOf(tenant, event, show, raw);
    const item = asRecord(raw);
    const pay = payment(item, tenant.clock.nowMsk(), stored.ticket);
    const client = clientFields({ ...stored.ticket, ...item });
    return { stored, item, pay, client, price: priceOf(item, stored.ticket.price) };
  });
  const tickets = items.map(({ stored, item, pay, client, price }) => {
    stock(tenant, stored, -1);
    const becomesPaid = pay.paid === 1 && stored.ticket.barcode === null;
    Object.assign(stored.ticket, pay, client, {
      price,
      external_order_id: item.external_order_id === undefined ? stored.ticket.external_order_id : str(item.external_order_id),
      barcode: pay.paid === 1 ? (becomesPaid ? tenant.codec.encode(stored.number) : stored.ticket.barcode) : null,
    });
    stock(tenant, stored, +1);
    return stored.ticket;
  });
  return success(tenant, event, show, { result: batch ? tickets : { ...tickets[0], id: String(tickets[0].id) } });
};

export const remove = (ctx: RequestContext): MockResponse => {
  const { event, show } = requireShowOf(ctx);
  const params = paramsOf(ctx);
  const found = (Array.isArray(params.batch) ? params.batch : [params]).map((raw) => ticketOf(ctx.tenant, event, show, raw));
  for (const stored of new Set(found)) {
    stock(ctx.tenant, stored, -1);
    stored.deleted = true;
  }
  return success(ctx.tenant, event, show, { result: true });
};

const FIND_FILTERS = ['external_order_id', 'external_id', 'barcode', 'id'] as const;

/** tickets/find: filters ANDed, each a string or a list (any of); the path's event and show narrow the search. */
export const find = (ctx: RequestContext): MockResponse => {
  const scope = ctx.params.event === undefined ? undefined : target(ctx, false);
  const params = paramsOf(ctx);
  const filter = params.filter === undefined ? {} : params.filter;
  if (!filter || typeof filter !== 'object' || Array.isArray(filter)) throw fail('VALIDATION_ERROR', 'filter must be an object');
  const wanted = FIND_FILTERS.filter((key) => (filter as Record<string, unknown>)[key] !== undefined).map((key) => {
    const value = (filter as Record<string, unknown>)[key];
    return { key, values: (Array.isArray(value) ? value : [value]).map(String) };
  });
  const result = [...ctx.tenant.tickets.values()]
    .filter((t) => !scope || (t.eventId === scope.event.id && (!scope.show || t.showIndex === scope.show.index)))
    .filter((t) => wanted.every(({ key, values }) => values.includes(String(t.ticket[key]))))
    .map((t) => ({ ...t.ticket, deleted: t.deleted ? 1 : 0 }));
  if (scope?.show) return success(ctx.tenant, scope.event, scope.show, { result });
  return jsonOk({ status: 'success', result });
};
