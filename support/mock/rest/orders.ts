import { asRecord, type RequestContext, type Route } from '../context.ts';
import type { Basket, Order, Refund } from '../data/types.ts';
import { jsonOk, notFound, unknownError, validationError, type MockResponse } from '../http.ts';
import { phpInt } from '../ids.ts';
import type { Tenant } from '../store.ts';

/**
 * Order and basket writes (§3). None was observed live: shapes follow the documentation, and the
 * error answers (400 VALIDATION_ERROR in the REST envelope) are assumed.
 */

type Occupancy = 'paid' | 'ordered' | null;

/** What a basket holds of its seat: a sold ticket, a reservation, or nothing. */
function occupancy(order: Order, basket: Basket): Occupancy {
  if (order.deleted_at || basket.deleted_at || basket.refunded_at) return null;
  return order.payed ? 'paid' : 'ordered';
}

/** Runs a change on an order and moves the seat stock of every basket whose occupancy changed. */
function changeOrder(tenant: Tenant, orderIndex: number, change: (order: Order) => void): Order {
  const order = tenant.mutableOrder(orderIndex);
  const before = new Map(order.baskets.map((b) => [b.id, occupancy(order, b)]));
  change(order);
  for (const basket of order.baskets) {
    const was = before.get(basket.id) ?? null;
    const now = occupancy(order, basket);
    if (was === now) continue;
    const show = tenant.showById(basket.show_id)!;
    const ref = show.event.scheme.bySeatId.get(basket.seat_id)!;
    if (was) tenant.changeStock(show, ref, was, -1);
    if (now) tenant.changeStock(show, ref, now, +1);
  }
  return tenant.order(orderIndex);
}

function orderIndexOf(ctx: RequestContext): number {
  const id = phpInt(ctx.params.id);
  const index = ctx.tenant.orderIndex(id);
  if (index < 0) throw notFound('Order', id);
  return index;
}

/** Basket ids of `{"<basketId>": [<relatedIds>]}` (documented), or of a plain list. */
function basketIds(raw: unknown): number[] {
  const ids = Array.isArray(raw) ? raw.map(Number) : Object.entries(asRecord(raw)).flatMap(([id, related]) => [Number(id), ...(Array.isArray(related) ? related.map(Number) : [])]);
  if (ids.length === 0 || ids.some((id) => !Number.isInteger(id))) throw validationError('baskets must map basket ids to lists of related basket ids.');
  return [...new Set(ids)];
}

function basketsOf(order: Order, ids: number[]): Basket[] {
  return ids.map((id) => {
    const basket = order.baskets.find((b) => b.id === id);
    if (!basket) throw notFound('Basket', id);
    return basket;
  });
}

function deleteBaskets(tenant: Tenant, orderIndex: number, raw: unknown): Order {
  return changeOrder(tenant, orderIndex, (order) => {
    const baskets = basketsOf(order, basketIds(asRecord(raw).baskets));
    const gone = baskets.find((b) => b.deleted_at);
    if (gone) throw validationError(`Basket ${gone.id} is already deleted.`);
    const now = tenant.clock.nowMsk();
    for (const basket of baskets) {
      // As live deleted baskets look: no ticket links, no barcode, zero amounts.
      Object.assign(basket, { barcode: null, pdf_url: null, passbook_url: null, ticket_amount: 0, updated_at: now, deleted_at: now, refunded_amount: 0, refunded_deduction_amount: 0 });
    }
    order.updated_at = now;
    if (order.baskets.every((b) => b.deleted_at)) order.deleted_at = now;
  });
}

/** `amount` (refunded) and `deduction_amount` (withheld) are alternatives; each is a total for the listed baskets. */
function refundBaskets(tenant: Tenant, orderIndex: number, raw: unknown): Order {
  const refund = asRecord(raw);
  const hasAmount = refund.amount !== undefined;
  const hasDeduction = refund.deduction_amount !== undefined;
  if (hasAmount === hasDeduction) throw validationError('A refund takes either amount or deduction_amount.');
  const total = Number(hasAmount ? refund.amount : refund.deduction_amount);
  if (!Number.isFinite(total) || total < 0) throw validationError('The refund amount must be a non-negative number.');
  return changeOrder(tenant, orderIndex, (order) => {
    const baskets = basketsOf(order, basketIds(refund.baskets));
    const invalid = baskets.find((b) => !order.payed || b.deleted_at || b.refunded_at);
    if (invalid) throw validationError(`Basket ${invalid.id} is not a paid ticket that can be refunded.`);
    const sum = baskets.reduce((s, b) => s + b.price, 0);
    if (total > sum) throw validationError(`The refund (${total}) exceeds the tickets' price (${sum}).`);
    const now = tenant.clock.nowMsk();
    let left = total;
    const parts = baskets.map((basket) => {
      const share = Math.min(left, basket.price);
      left -= share;
      const refunded = hasAmount ? share : basket.price - share;
      return { basket, refunded, deduction: basket.price - refunded };
    });
    const orderRefund: Refund = { id: tenant.takeRefundId(), amount: parts.reduce((s, p) => s + p.refunded, 0), deduction_amount: parts.reduce((s, p) => s + p.deduction, 0), baskets: baskets.map((b) => b.id), created_at: now };
    for (const { basket, refunded, deduction } of parts) {
      Object.assign(basket, { updated_at: now, refunded_at: now, refunded_amount: refunded, refunded_deduction_amount: deduction });
      basket.refunds.push({ ...orderRefund, amount: refunded, deduction_amount: deduction, baskets: [basket.id] });
    }
    order.refunds.push(orderRefund);
    order.updated_at = now;
  });
}

const deleteOrRefund = (ctx: RequestContext): MockResponse => {
  const index = orderIndexOf(ctx);
  const body = asRecord(ctx.body);
  if ((body.delete === undefined) === (body.refund === undefined)) throw validationError('The body needs either "delete" or "refund".');
  const order = body.delete !== undefined ? deleteBaskets(ctx.tenant, index, body.delete) : refundBaskets(ctx.tenant, index, body.refund);
  return jsonOk({ data: order });
};

/** Undeletes a cancelled order and the baskets cancelled with it; refused when the order has refunds or a seat was resold. */
const restore = (ctx: RequestContext): MockResponse => {
  const index = orderIndexOf(ctx);
  const current = ctx.tenant.order(index);
  if (current.refunds.length > 0 || current.baskets.some((b) => b.refunded_at)) throw validationError('An order with refunds cannot be restored.');
  if (!current.deleted_at) return jsonOk({ data: current });
  const revived = current.baskets.filter((b) => b.deleted_at === current.deleted_at);
  for (const basket of revived) {
    const show = ctx.tenant.showById(basket.show_id)!;
    if (ctx.tenant.freeQuantity(show, show.event.scheme.bySeatId.get(basket.seat_id)!) < 1) throw validationError(`Seat "${basket.seat_id}" is not available.`);
  }
  const order = changeOrder(ctx.tenant, index, (o) => {
    const now = ctx.tenant.clock.nowMsk();
    for (const basket of o.baskets.filter((b) => b.deleted_at === o.deleted_at)) {
      Object.assign(basket, { updated_at: now, deleted_at: null, refunded_amount: null, refunded_deduction_amount: null });
    }
    o.deleted_at = null;
    o.updated_at = now;
  });
  return jsonOk({ data: order });
};

const CLIENT_FIELDS = ['client_email', 'client_name', 'client_surname', 'client_middlename'] as const;
const PRICE_FIELDS = ['multiprice_code', 'ticket_original_price', 'discount_value'] as const;

/** PUT /baskets/{id}: client fields always; price fields only while the order is unpaid. Other fields are ignored. */
const updateBasket = (ctx: RequestContext): MockResponse => {
  const id = phpInt(ctx.params.id);
  const found = ctx.tenant.locateBasket(id);
  if (!found) throw notFound('Basket', id);
  const data = ctx.body && typeof ctx.body === 'object' && !Array.isArray(ctx.body) ? (ctx.body as Record<string, unknown>).data : undefined;
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw validationError('The data field is required.', { data: ['The data field is required.'] });
  const fields = data as Record<string, unknown>;
  for (const field of CLIENT_FIELDS) {
    if (field in fields && fields[field] !== null && typeof fields[field] !== 'string') throw validationError(`${field} must be a string.`);
  }
  const priceChange = PRICE_FIELDS.filter((f) => f in fields);
  for (const field of ['ticket_original_price', 'discount_value'] as const) {
    if (field in fields && !(typeof fields[field] === 'number' && (fields[field] as number) >= 0)) throw validationError(`${field} must be a non-negative number.`);
  }
  if (priceChange.length > 0 && ctx.tenant.order(found.orderIndex).payed) {
    throw validationError('Price fields can be changed only while the order is unpaid.', Object.fromEntries(priceChange.map((f) => [f, ['The order is paid.']])));
  }
  const order = changeOrder(ctx.tenant, found.orderIndex, (o) => {
    const basket = o.baskets.find((b) => b.id === id)!;
    for (const field of CLIENT_FIELDS) if (field in fields) basket[field] = fields[field] as string | null;
    if ('multiprice_code' in fields) basket.multiprice_code = fields.multiprice_code === null ? null : String(fields.multiprice_code);
    if ('ticket_original_price' in fields) basket.ticket_original_price = basket.original_price = fields.ticket_original_price as number;
    if ('discount_value' in fields) basket.discount_value = fields.discount_value as number;
    if (priceChange.length > 0) {
      basket.price = Math.max(0, basket.ticket_original_price - (basket.discount_value ?? 0));
      o.price = o.baskets.reduce((s, b) => s + b.price, 0);
      o.original_price = o.baskets.reduce((s, b) => s + b.original_price, 0);
    }
    basket.updated_at = o.updated_at = ctx.tenant.clock.nowMsk();
  });
  return jsonOk({ data: order.baskets.find((b) => b.id === id) });
};

export const orderRoutes: Route[] = [
  // Live: POST /orders always answers 503.
  { methods: ['POST'], path: '/orders', handle: () => unknownError() },
  { methods: ['DELETE'], path: '/orders/:id/baskets', handle: deleteOrRefund },
  { methods: ['POST'], path: '/orders/:id/restore', handle: restore },
  { methods: ['PUT'], path: '/baskets/:id', handle: updateBasket },
];
