import type { RequestContext, Route } from '../context.ts';
import { orderMoney, orderScalars, orderTimes, renderDiscount, renderEvent, renderPromoCode, type OrderTimeColumn } from '../data/render.ts';
import type { Order } from '../data/types.ts';
import { COLOR_THEMES } from '../data/marketing.ts';
import { listPage, readListQuery, readPage, type ListQuery, type ListSource } from '../filters.ts';
import { filterUnknownError, jsonOk, notFound, RestError, type MockResponse } from '../http.ts';
import { phpInt } from '../ids.ts';
import type { Tenant } from '../store.ts';

/** The five paged lists (§4) and their single-item reads. */

const ORDER_COLUMNS = [
  'id', 'uniqid', 'payed', 'payed_at', 'client_id', 'client', 'site_id', 'site', 'payment_id', 'payment_type_id', 'payment_card_number',
  'payment_url', 'cancel_url', 'basket_user_id', 'backend_user_id', 'access_code_id', 'discount_id', 'promo_code_id', 'reserved',
  'reserved_to', 'reserve_extended', 'event_id', 'price', 'original_price', 'currency_id', 'utm', 'custom', 'fields', 'baskets',
  'refunds', 'integrations', 'created_at', 'updated_at', 'deleted_at',
];
const EVENT_COLUMNS = [
  'id', 'is_active', 'name', 'scheme_id', 'currency_id', 'place_name', 'place_address', 'place_description', 'city_id', 'description',
  'site_url', 'external_id', 'ticket_id', 'mail_template_id', 'age', 'shows', 'payments', 'poster', 'event_type_id', 'city', 'ticket',
  'mail_template', 'slug', 'place_coordinates', 'url', 'created_at', 'updated_at', 'deleted_at',
];
const DISCOUNT_COLUMNS = ['id', 'is_active', 'name', 'active_from', 'active_to', 'type', 'events', 'shows', 'created_at', 'updated_at', 'deleted_at'];
const PROMO_CODE_COLUMNS = ['id', 'is_active', 'type', 'discount_id', 'code', 'max_uses_count', 'active_from', 'active_to', 'created_at', 'updated_at', 'deleted_at'];
const NONE = new Set<string>();

type Collection = 'orders' | 'clients' | 'events' | 'discounts' | 'promo-codes';

export function listSource(tenant: Tenant, collection: Collection): ListSource {
  switch (collection) {
    case 'orders':
      return {
        perPage: 50,
        size: () => tenant.orderCount(),
        columns: new Set(ORDER_COLUMNS),
        heavy: new Set(['client', 'baskets']),
        row: (i) => (tenant.writtenOrder(i) ?? orderScalars(tenant, i)) as unknown as Record<string, unknown>,
        item: (i) => tenant.order(i),
        fast: orderColumns(tenant),
      };
    case 'clients':
      return {
        perPage: 100,
        size: () => tenant.clients.size(),
        columns: new Set(['id', 'email', 'details']),
        heavy: NONE,
        row: (i) => tenant.clients.get(i) as unknown as Record<string, unknown>,
        item: (i) => tenant.clients.get(i),
      };
    case 'events':
      return {
        perPage: 10,
        size: () => tenant.catalog.events.length,
        columns: new Set(EVENT_COLUMNS),
        heavy: new Set(['shows']),
        row: (i) => renderEvent(tenant.catalog.events[i], false),
        item: (i) => renderEvent(tenant.catalog.events[i]),
      };
    case 'discounts':
      return {
        perPage: 100,
        size: () => tenant.discounts.length,
        columns: new Set(DISCOUNT_COLUMNS),
        heavy: NONE,
        row: (i) => renderDiscount(tenant, tenant.discounts[i]),
        item: (i) => renderDiscount(tenant, tenant.discounts[i]),
      };
    case 'promo-codes':
      return {
        perPage: 500,
        size: () => tenant.promoCodes.length,
        columns: new Set(PROMO_CODE_COLUMNS),
        heavy: NONE,
        row: (i) => renderPromoCode(tenant, tenant.promoCodes[i]),
        item: (i) => renderPromoCode(tenant, tenant.promoCodes[i]),
      };
  }
}

/** Order columns read straight from the plan (written orders first): filters on them scan 126k orders quickly. */
function orderColumns(tenant: Tenant): Record<string, (i: number) => unknown> {
  const { plan } = tenant;
  const written = (i: number, column: keyof Order) => tenant.writtenOrder(i)?.[column];
  // Timestamps as instants (ms): filters compare datetimes as instants anyway.
  const time = (column: OrderTimeColumn) => (i: number) => {
    const order = tenant.writtenOrder(i);
    if (order) return order[column];
    return column === 'created_at' ? plan.createdMs[i] : orderTimes(tenant, i)[column];
  };
  return {
    id: (i) => plan.orderIds[i],
    payed: (i) => written(i, 'payed') ?? plan.paid[i] === 1,
    client_id: (i) => tenant.clients.idAt(plan.client[i]),
    event_id: (i) => tenant.catalog.shows[plan.show[i]].event.id,
    price: (i) => written(i, 'price') ?? orderMoney(tenant, i).price,
    original_price: (i) => written(i, 'original_price') ?? orderMoney(tenant, i).original,
    currency_id: () => 'RUB',
    created_at: time('created_at'),
    payed_at: time('payed_at'),
    reserved_to: time('reserved_to'),
    updated_at: time('updated_at'),
    deleted_at: time('deleted_at'),
  };
}

/**
 * Applies the filter mode (§6): honour; ignore (as simple query parameters are live); or 503 where live
 * answered 503 (a `where` in the query string of /orders), everything else honoured as `GET /events?where=…`
 * answered 200.
 */
function listQuery(ctx: RequestContext, collection: Collection): ListQuery | MockResponse {
  if (ctx.filterMode === '503' && collection === 'orders' && ctx.query.where !== undefined) return filterUnknownError();
  const parsed = readListQuery(ctx.body, ctx.query);
  if (ctx.filterMode !== 'ignore') return parsed instanceof RestError ? parsed.toResponse() : parsed;
  return { where: [], orderBy: [], page: readPage(ctx.body, ctx.query) };
}

const list = (collection: Collection) => (ctx: RequestContext): MockResponse => {
  const query = listQuery(ctx, collection);
  if ('status' in query) return query;
  return jsonOk(listPage(listSource(ctx.tenant, collection), query));
};

const RESOURCES: Record<Collection, string> = { orders: 'Order', clients: 'Client', events: 'Event', discounts: 'Discount', 'promo-codes': 'PromoCode' };

/** Position of an item by id, or -1. */
function findIndex(tenant: Tenant, collection: Collection, id: number): number {
  switch (collection) {
    case 'orders':
      return tenant.orderIndex(id);
    case 'clients':
      return tenant.clients.indexOf(id);
    case 'events':
      return tenant.catalog.events.findIndex((e) => e.id === id);
    case 'discounts':
      return tenant.discounts.findIndex((d) => d.id === id);
    case 'promo-codes':
      return tenant.promoCodes.findIndex((p) => p.id === id);
  }
}

/** `{data: item}`, or the JSON 404 with info; a non-numeric id is looked up as 0 (PHP cast), as live. */
const one = (collection: Collection) => (ctx: RequestContext): MockResponse => {
  const id = phpInt(ctx.params.id);
  const index = findIndex(ctx.tenant, collection, id);
  if (index < 0) return notFound(RESOURCES[collection], id).toResponse();
  return jsonOk({ data: listSource(ctx.tenant, collection).item(index) });
};

export const listRoutes: Route[] = [
  ...(['orders', 'clients', 'events', 'discounts', 'promo-codes'] as const).flatMap((c): Route[] => [
    { methods: ['GET'], path: `/${c}`, handle: list(c) },
    { methods: ['GET'], path: `/${c}/:id`, handle: one(c) },
  ]),
  { methods: ['GET'], path: '/color-themes', handle: () => jsonOk({ data: COLOR_THEMES }) },
];
