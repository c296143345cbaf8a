import { createHash } from 'node:crypto';
import { asRecord, type RequestContext, type Route } from '../context.ts';
import { EVENT_TYPES, type EventRecord, type ShowRecord, type Tariff } from '../data/catalog.ts';
import { seatPrice } from '../data/render.ts';
import type { SeatDef } from '../data/schemes.ts';
import type { PartnerTicket, StoredPartnerTicket } from '../data/types.ts';
import { jsonOk, PartnersError, type MockResponse } from '../http.ts';
import { phpInt } from '../ids.ts';
import type { Tenant } from '../store.ts';
import { mskIso } from '../../core/moscow.ts';
import { toMskIso } from '../time.ts';
import { seatAvailable } from '../rest/seats.ts';

/**
 * Partners API v1 (§9; only its auth errors were observed live). GET and POST are the same; parameters
 * come from the query string or a JSON body; errors are HTTP 200 `{status:"error", code, message}`.
 * Per-event answers start with a context block, then `status:"success"`, then the payload.
 */

const fail = (code: PartnersError['code'], message: string) => new PartnersError(code, message);

/** Query and body parameters merged (the body wins); JSON objects and lists in the query are decoded. */
function paramsOf(ctx: RequestContext): Record<string, unknown> {
  const fromQuery: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(ctx.query)) {
    if (/^[[{]/.test(value)) {
      try {
        fromQuery[key] = JSON.parse(value);
        continue;
      } catch {
        // not JSON: kept as the string it is
      }
    }
    fromQuery[key] = value;
  }
  return { ...fromQuery, ...asRecord(ctx.body) };
}

interface Target {
  event: EventRecord;
  show: ShowRecord | undefined;
}

const liveShows = (event: EventRecord) => event.shows.filter((s) => s.deletedMs === null && s.isActive === 1);

/**
 * The event and show of a path `/{event_id}/{show_id?}`. Only events with Partners sales exist for a
 * partner (assumed). The show id is required when the event has several shows.
 */
function target(ctx: RequestContext, requireShow: boolean): Target {
  if (ctx.params.event === undefined) throw fail('VALIDATION_ERROR', 'The event_id is required.');
  const eventId = phpInt(ctx.params.event);
  const event = ctx.tenant.eventById(eventId);
  if (!event || !event.partnerSales) throw fail('EVENT_NOT_FOUND', `Event ${eventId} not found`);
  const shows = liveShows(event);
  if (ctx.params.show !== undefined) {
    const showId = phpInt(ctx.params.show);
    const show = shows.find((s) => s.id === showId);
    if (!show) throw fail('EVENT_NOT_FOUND', `Show ${showId} of event ${eventId} not found`);
    return { event, show };
  }
  if (shows.length === 1) return { event, show: shows[0] };
  if (requireShow) throw fail('VALIDATION_ERROR', `The show_id is required: event ${eventId} has ${shows.length} shows.`);
  return { event, show: undefined };
}

function requireShowOf(ctx: RequestContext): { event: EventRecord; show: ShowRecord } {
  const { event, show } = target(ctx, true);
  return { event, show: show! };
}

const lastUpdateHash = (tenant: Tenant, show: ShowRecord): string => createHash('sha1').update(`${tenant.seed}:${show.id}:${show.stock.version}`).digest('hex');

function schemeBlock(event: EventRecord) {
  return {
    id: event.schemeId,
    venue_id: event.venueId,
    place_name: event.placeName,
    place_address: event.placeAddress,
    place_description: event.placeDescription,
    width: event.scheme.width,
    height: event.scheme.height,
  };
}

const cityBlock = (event: EventRecord) => ({ id: event.city.id, name: event.city.name, timezone: event.city.timezone, coords: [...event.city.coords] });

function contextBlock(tenant: Tenant, event: EventRecord, show: ShowRecord) {
  return {
    event_id: event.id,
    show_id: show.id,
    event_name: event.name,
    start_date: mskIso(show.startMs),
    finish_date: mskIso(show.finishMs),
    scheme: schemeBlock(event),
    city: cityBlock(event),
    last_update_hash: lastUpdateHash(tenant, show),
  };
}

const success = (tenant: Tenant, event: EventRecord, show: ShowRecord, payload: Record<string, unknown>): MockResponse =>
  jsonOk({ ...contextBlock(tenant, event, show), status: 'success', ...payload });

const intOf = (text: string): number => Number.parseInt(text, 10) || 0;

function tariffOf(show: ShowRecord, offerId: unknown): Tariff {
  if (offerId === undefined || offerId === null || offerId === '') return show.tariffs[0];
  const tariff = show.tariffs.find((t) => t.id === String(offerId));
  if (!tariff) throw fail('VALIDATION_ERROR', `Offer "${offerId}" not found`);
  return tariff;
}

function seatOf(tenant: Tenant, show: ShowRecord, seatId: unknown): SeatDef {
  const seat = typeof seatId === 'string' || typeof seatId === 'number' ? tenant.seat(show, String(seatId)) : undefined;
  if (!seat) throw fail('SEAT_NOT_FOUND', `Seat "${seatId ?? ''}" not found`);
  return seat;
}

const offerPrice = (show: ShowRecord, seat: SeatDef, tariff: Tariff) => seatPrice(show, seat, show.tariffs.indexOf(tariff), show.prices.map((p) => p.default_price));

/** events/lists: one item per upcoming show of the events with Partners sales. */
const eventsList = (ctx: RequestContext): MockResponse => {
  const tenant = ctx.tenant;
  const now = tenant.clock.now();
  const result = tenant.catalog.events
    .filter((e) => e.partnerSales)
    .flatMap((event) =>
      liveShows(event)
        .filter((s) => s.startMs > now)
        .map((show) => {
          // The documented item is the context block with the event's details before its hash.
          const { last_update_hash, ...context } = contextBlock(tenant, event, show);
          return {
            ...context,
            event_type: { id: event.eventTypeId, name: EVENT_TYPES[event.eventTypeId] ?? 'Мероприятия' },
            age: event.age,
            fanid_required: false,
            has_document_verification: false,
            integrations: event.proCultureId === null ? [] : [{ source_name: 'pro-culture', source_id: event.proCultureId }],
            last_update_hash,
          };
        }),
    );
  return jsonOk({ status: 'success', result });
};

const seatmap = (ctx: RequestContext): MockResponse => {
  const { event, show } = requireShowOf(ctx);
  const scheme = event.scheme;
  const zones = Object.fromEntries(
    scheme.zones.map((zone, z) => [
      zone.id,
      {
        name: zone.name,
        description: null,
        width: zone.width,
        height: zone.height,
        offset: [...zone.offset],
        seats: Object.fromEntries(scheme.seats.filter((s) => s.zone === z).map((s) => [s.seatId, { coords: [...s.coords], row: intOf(s.row), place: intOf(s.place) }])),
      },
    ]),
  );
  return success(ctx.tenant, event, show, { seatmap: { width: scheme.width, height: scheme.height, zones } });
};

const offers = (ctx: RequestContext): MockResponse => {
  const { event, show } = requireShowOf(ctx);
  const result = Object.fromEntries(
    show.tariffs.map((tariff) => [
      tariff.id,
      {
        name: tariff.name,
        seats: Object.fromEntries(event.scheme.seats.map((seat) => [seat.seatId, { available: seatAvailable(ctx.tenant, show, seat), price: offerPrice(show, seat, tariff) }])),
      },
    ]),
  );
  return success(ctx.tenant, event, show, { offers: result });
};

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

const check = (ctx: RequestContext): MockResponse => {
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

const isPaid = (value: unknown): boolean | undefined => (value === undefined || value === null ? undefined : value === true || Number(value) === 1);

/** Payment state of an add or update: paid (0|1) or paid_at; an unpaid ticket needs reserved_to (returned in +03:00). */
function payment(item: Record<string, unknown>, now: string, current?: PartnerTicket): Pick<PartnerTicket, 'paid' | 'paid_at' | 'reserved_to'> {
  const paidFlag = isPaid(item.paid);
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
const add = (ctx: RequestContext): MockResponse => {
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

const update = (ctx: RequestContext): MockResponse => {
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

const remove = (ctx: RequestContext): MockResponse => {
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
const find = (ctx: RequestContext): MockResponse => {
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

/** events/seats (deprecated): legacy zone numbers and seat ids `<zoneNum>-<row>;<place>`. */
const legacySeats = (ctx: RequestContext): MockResponse => {
  const { event, show } = requireShowOf(ctx);
  const tenant = ctx.tenant;
  const scheme = event.scheme;
  const legacyId = (seat: SeatDef) => `${scheme.zones[seat.zone].legacyNumber}-${seat.row};${seat.place}`;
  const full = show.tariffs[0];
  const zoneSeats = (z: number) => scheme.seats.filter((s) => s.zone === z);
  const block = contextBlock(tenant, event, show);
  return jsonOk({
    ...block,
    scheme: { ...block.scheme, zones: scheme.zones.map((zone, z) => ({ zone_id: zone.legacyNumber, name: zone.name, description: null, seats: zoneSeats(z).map((s) => ({ seat_id: legacyId(s) })) })) },
    status: 'success',
    zones: scheme.zones.map((zone, z) => ({
      zone_id: zone.legacyNumber,
      name: zone.name,
      seats: zoneSeats(z).map((seat) => {
        const common = { seat_id: legacyId(seat), available: seatAvailable(tenant, show, seat), coords: [...seat.coords] };
        const money = { price: offerPrice(show, seat, full), currency_id: 'RUB' };
        return seat.admission
          ? { ...common, free_quantity: tenant.freeQuantity(show, seat.ref), admission: true, ...money }
          : { ...common, row: intOf(seat.row), place: intOf(seat.place), ...money };
      }),
    })),
  });
};

/** Paths take `/{event_id}/{show_id?}`; a missing event id is answered by the method (after auth, as live). */
function withIds(path: string, handle: (ctx: RequestContext) => MockResponse): Route[] {
  const methods = ['GET', 'POST'];
  return [
    { methods, path, handle },
    { methods, path: `${path}/:event`, handle },
    { methods, path: `${path}/:event/:show`, handle },
  ];
}

export const partnerRoutes: Route[] = [
  { methods: ['GET', 'POST'], path: '/events/lists', handle: eventsList },
  ...withIds('/events/seatmap', seatmap),
  ...withIds('/events/offers', offers),
  ...withIds('/events/seats', legacySeats),
  ...withIds('/tickets/add', add),
  ...withIds('/tickets/update', update),
  ...withIds('/tickets/remove', remove),
  ...withIds('/tickets/check', check),
  ...withIds('/tickets/find', find),
];
