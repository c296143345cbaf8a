import type { RequestContext, Route } from '../context.ts';
import type { ShowRecord } from '../data/catalog.ts';
import { seatName } from '../data/render.ts';
import type { Basket, StoredPartnerTicket } from '../data/types.ts';
import { jsonOk, notFound, validationError, type MockResponse } from '../http.ts';
import type { Tenant } from '../store.ts';
import { toMskIso } from '../time.ts';
import { param, project, selectList, showOf } from './seats.ts';

/**
 * Barcodes of a show (§3, §7.8; never observed live): bare answers with no envelope. A show's valid
 * tickets are its paid baskets (not deleted, not refunded) and its paid Partners tickets.
 */

/** A valid ticket of a show, wherever it was sold. */
interface ShowTicket {
  barcode: string;
  view: Record<string, unknown>;
  checkedAt: string | null;
  check(at: string): void;
}

function basketTicket(tenant: Tenant, show: ShowRecord, orderIndex: number, basket: Basket): ShowTicket {
  const seat = tenant.seat(show, basket.seat_id)!;
  return {
    barcode: basket.barcode!,
    view: ticketView(show, seat.ref, basket.barcode!, basket.price, basket),
    checkedAt: basket.checked_at,
    check: (at) => {
      const written = tenant.mutableOrder(orderIndex).baskets.find((b) => b.id === basket.id)!;
      written.checked_at = at;
      written.updated_at = tenant.clock.nowMsk();
    },
  };
}

function partnerTicket(show: ShowRecord, stored: StoredPartnerTicket): ShowTicket {
  const { ticket } = stored;
  return {
    barcode: ticket.barcode!,
    view: ticketView(show, stored.seatRef, ticket.barcode!, ticket.price, ticket),
    checkedAt: stored.checkedAt,
    check: (at) => (stored.checkedAt = at),
  };
}

function ticketView(show: ShowRecord, ref: number, barcode: string, price: number, client: { client_name: string | null; client_surname: string | null; client_middlename: string | null }): Record<string, unknown> {
  const scheme = show.event.scheme;
  const seat = scheme.seats[ref];
  return {
    barcode,
    admission: seat.admission,
    price,
    seat_name: seatName(scheme, seat),
    zone_name: scheme.zones[seat.zone].name,
    row: seat.row,
    place: seat.place,
    client_name: client.client_name,
    client_surname: client.client_surname,
    client_middlename: client.client_middlename,
  };
}

const validBasket = (payed: boolean, b: Basket): boolean => payed && b.barcode !== null && !b.deleted_at && !b.refunded_at;

/** Every valid ticket of the show, in sale order. */
function showTickets(tenant: Tenant, show: ShowRecord): ShowTicket[] {
  const { plan } = tenant;
  const tickets: ShowTicket[] = [];
  if (show.index < plan.showBasketStart.length - 1) {
    let lastOrder = -1;
    for (let k = plan.showBasketStart[show.index]; k < plan.showBasketStart[show.index + 1]; k++) {
      const orderIndex = plan.basketOrder[plan.showBaskets[k]];
      if (orderIndex === lastOrder) continue; // the order's baskets were all taken at once
      lastOrder = orderIndex;
      const order = tenant.order(orderIndex);
      for (const basket of order.baskets) if (basket.show_id === show.id && validBasket(order.payed, basket)) tickets.push(basketTicket(tenant, show, orderIndex, basket));
    }
  }
  for (const stored of tenant.tickets.values()) {
    if (stored.showIndex === show.index && !stored.deleted && stored.ticket.paid === 1) tickets.push(partnerTicket(show, stored));
  }
  return tickets;
}

/** One valid ticket of the show by barcode; the barcode leads to its ticket (see BarcodeCodec). */
function findTicket(tenant: Tenant, show: ShowRecord, barcode: string): ShowTicket | undefined {
  const number = tenant.codec.decode(barcode);
  if (number < 0) return undefined;
  if (number < tenant.plan.basketIds.length) {
    const orderIndex = tenant.plan.basketOrder[number];
    const order = tenant.order(orderIndex);
    const basket = order.baskets.find((b) => b.id === tenant.plan.basketIds[number]);
    return basket && basket.show_id === show.id && basket.barcode === barcode && validBasket(order.payed, basket) ? basketTicket(tenant, show, orderIndex, basket) : undefined;
  }
  const stored = [...tenant.tickets.values()].find((t) => t.number === number);
  return stored && stored.showIndex === show.index && !stored.deleted && stored.ticket.barcode === barcode ? partnerTicket(show, stored) : undefined;
}

const DEFAULT_SELECT = ['barcode', 'price', 'seat_name'];

const list = (ctx: RequestContext): MockResponse => {
  const show = showOf(ctx);
  const select = selectList(param(ctx, 'select'));
  return jsonOk(showTickets(ctx.tenant, show).map((t) => project(t.view, select.length > 0 ? select : DEFAULT_SELECT)));
};

function checkedAt(tenant: Tenant, raw: unknown): string {
  if (raw === undefined || raw === null) return tenant.clock.nowMsk();
  const iso = toMskIso(raw);
  if (iso === null) throw validationError('The checked_at field is not a valid date.', { checked_at: ['The checked_at field is not a valid date.'] });
  return iso;
}

/** POST /shows/{id}/barcodes with a bare `[{barcode, checked_at}]`; an unknown barcode comes back with checked_at null. */
const checkMany = (ctx: RequestContext): MockResponse => {
  const show = showOf(ctx);
  if (!Array.isArray(ctx.body)) throw validationError('The body must be an array of {barcode, checked_at}.');
  const results = ctx.body.map((item) => {
    const entry = item && typeof item === 'object' ? (item as Record<string, unknown>) : {};
    const barcode = String(entry.barcode ?? '');
    const ticket = findTicket(ctx.tenant, show, barcode);
    if (!ticket) return { barcode, checked_at: null };
    const at = checkedAt(ctx.tenant, entry.checked_at);
    ticket.check(at);
    return { barcode, checked_at: at };
  });
  return jsonOk(results);
};

function ticketOf(ctx: RequestContext): ShowTicket {
  const show = showOf(ctx);
  const barcode = ctx.params.barcode ?? '';
  const ticket = findTicket(ctx.tenant, show, barcode);
  if (!ticket) throw notFound('Barcode', Number(/^\d+$/.test(barcode) ? barcode : 0));
  return ticket;
}

const getOne = (ctx: RequestContext): MockResponse => {
  const ticket = ticketOf(ctx);
  return jsonOk({ barcode: ticket.barcode, checked_at: ticket.checkedAt });
};

const checkOne = (ctx: RequestContext): MockResponse => {
  const ticket = ticketOf(ctx);
  const at = checkedAt(ctx.tenant, param(ctx, 'checked_at'));
  ticket.check(at);
  return jsonOk({ success: true, barcode: ticket.barcode, checked_at: at });
};

export const barcodeRoutes: Route[] = [
  { methods: ['GET'], path: '/shows/:id/barcodes', handle: list },
  { methods: ['POST'], path: '/shows/:id/barcodes', handle: checkMany },
  { methods: ['GET'], path: '/shows/:id/barcode/:barcode', handle: getOne },
  { methods: ['POST'], path: '/shows/:id/barcode/:barcode', handle: checkOne },
];
