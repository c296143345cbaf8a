import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { dataPath } from './paths.ts';
import { VERIFIED_TABLES, type VerifiedTable } from './clickhouse/tables.ts';
import type { ContractName } from './contracts/index.ts';
import { segment } from './core/id-forms.ts';
import type { ApiRequest, Dataset, Expectation, IdKey, Ids, Predicate } from './core/types.ts';

/**
 * The one description of the 51 specs. The spec text comes from data/spec-requests.json; what the suite
 * sends, expects and loads for each ID is added here. Tests, the reporter and the Allure labels read this.
 */

const specFile = dataPath('spec-requests.json');
const specBytes = readFileSync(specFile);

/** Tables a spec may feed: the 11 verified ones and dim_events (fed by 3.x, not in the verified list). */
export type FedTable = VerifiedTable | 'dim_events';
const tableName = z.enum([...VERIFIED_TABLES, 'dim_events']);
const requestShape = z.object({ method: z.string(), path: z.string(), body: z.unknown().optional(), per: z.string().optional() });
const specRecord = z.object({
  id: z.string().regex(/^[1-7]\.\d{1,2}$/),
  title: z.string(),
  title_ru: z.string(),
  spec_ref: z.string(),
  api: z.enum(['rest', 'partners']),
  method: z.string(),
  path: z.string(),
  examples: z.array(z.string()),
  body: z.unknown(),
  headers: z.record(z.string(), z.string()).nullable(),
  expected_ru: z.string().nullable(),
  kind: z.enum(['read', 'write', 'negative']),
  documented_request: requestShape.nullable(),
  feeds_tables: z.array(tableName),
  live_observation: z.string(),
});
const specRecords = z.object({ specs: z.array(specRecord).length(51) }).parse(JSON.parse(specBytes.toString('utf8'))).specs;

export const specSource = { file: specFile, sha256: createHash('sha256').update(specBytes).digest('hex') };

const SECTIONS: Record<string, string> = {
  '1': 'Orders and baskets',
  '2': 'Clients',
  '3': 'Events, shows and seats',
  '4': 'Colour themes, discounts and promo codes',
  '5': 'Barcodes and scanning',
  '6': 'Partners API',
  '7': 'Negative cases',
};

/** Sandbox settings a write needs before it may be sent with real credentials (see support/config.ts). */
export type SandboxKey =
  | 'SANDBOX_ORDER_ID'
  | 'SANDBOX_BASKET_ID'
  | 'SANDBOX_CLIENT_EMAIL'
  | 'SANDBOX_EVENT_ID'
  | 'SANDBOX_DISCOUNT_ID'
  | 'SANDBOX_PROMO_CODE_ID'
  | 'SANDBOX_SHOW_ID'
  | 'SANDBOX_BARCODE'
  | 'SANDBOX_PARTNER_EVENT_ID'
  | 'SANDBOX_PARTNER_SHOW_ID'
  | 'SANDBOX_SEAT_ID'
  | 'SANDBOX_OFFER_ID'
  | 'SANDBOX_CREATE';

/** What the suite does for one spec, on top of the spec's own text. */
interface SpecPlan {
  /** The request(s) actually sent; several for per-show specs. */
  requests: (ids: Ids) => ApiRequest[];
  /** Ids that must be known before sending. */
  needs?: IdKey[];
  contract: ContractName | null;
  expect: Expectation;
  /** Other answers the spec accepts (e.g. "an error or an empty result"). */
  alsoAccept?: Expectation[];
  /** Shown in the matrix's Expected column: the observed reality, not the spec's wish. */
  expectedText: string;
  load?: Dataset;
  /** A paged list answer: deep mode (--all-pages) walks it to its last page (support/deep). */
  deep?: true;
  /** Sandbox settings a production write needs (besides --allow-writes). */
  sandbox?: SandboxKey[];
  /** Ids this answer contributes to later specs. */
  discovers?: (body: any, ids: Ids) => Ids;
  /** Known differences between the spec text and what is sent, beyond the path/body (shown as deviations). */
  deviationNotes?: string[];
}

export interface SpecEntry {
  id: string;
  title: string;
  titleRu: string;
  specRef: string;
  api: 'rest' | 'partners';
  kind: 'read' | 'write' | 'negative';
  section: { number: string; name: string };
  literal: { method: string; path: string; body: unknown; examples: string[]; headers: Record<string, string> | null };
  documented: { method: string; path: string; body?: unknown } | null;
  feedsTables: FedTable[];
  expected: { status: number | '4xx'; text: string };
  expectedRu: string | null;
  liveObservation: string;
  /** Sends something that changes the tenant (writes, and the negative POST 7.4). */
  writes: boolean;
  plan: SpecPlan;
}

// ---- reusable pieces -------------------------------------------------------------------------------

const rest = (method: string, path: string, body?: unknown): ApiRequest => ({
  api: 'rest',
  method,
  path,
  ...(body === undefined ? {} : { body }),
  idempotent: method === 'GET',
});
const partners = (method: string, path: string, body?: unknown, idempotent = false): ApiRequest => ({
  api: 'partners',
  method,
  path,
  ...(body === undefined ? {} : { body }),
  idempotent,
});
const okJson = (predicates: Predicate[] = []): Expectation => ({ status: 200, answer: 'ok', predicates });
const splitIds = (list: string | undefined): string[] => (list ? list.split(',') : []);
const asArray = (value: unknown): any[] => (Array.isArray(value) ? value : []);
/** A paid order, in every form the API has used for `payed`. */
export const isPaid = (order: any): boolean => order.payed === true || order.payed === 1 || order.payed === '1' || order.payed === 'true';
const liveBaskets = (order: any): any[] => asArray(order.baskets).filter((b) => !b.deleted_at && !b.refunded_at);

function everyItem(text: string, holds: (item: any, ids: Ids) => boolean): Predicate {
  return {
    text,
    check: (body, ids) => {
      const bad = asArray(body?.data).filter((item) => !holds(item, ids));
      return bad.length === 0 ? null : `${bad.length} item(s) break "${text}", e.g. id ${bad[0]?.id}`;
    },
  };
}

function sortedById(direction: 'asc' | 'desc'): Predicate {
  return {
    text: `ids ${direction}ending`,
    check: (body) => {
      const ids = asArray(body?.data).map((item) => Number(item.id));
      const sorted = [...ids].sort((a, b) => (direction === 'asc' ? a - b : b - a));
      return ids.every((id, i) => id === sorted[i]) ? null : `ids are not ${direction}ending: ${ids.slice(0, 5).join(', ')}…`;
    },
  };
}

const nonEmpty = (what: string): Predicate => ({
  text: `at least one ${what}`,
  check: (body) => (asArray(Array.isArray(body) ? body : body?.data).length > 0 ? null : `the answer has no ${what}`),
});

const dataIdIs = (key: IdKey): Predicate => ({
  text: `data.id equals the requested ${key}`,
  check: (body, ids) => (String(body?.data?.id) === ids[key] ? null : `data.id is ${body?.data?.id}, requested ${ids[key]}`),
});

const msk = (iso: string): number => Date.parse(iso);

/** Ids found on a page of orders: used by 1.1 and by lazy discovery. */
export function idsFromOrders(body: any): Ids {
  const orders = asArray(body?.data);
  const ids: Ids = {};
  if (orders[0]) ids.orderId = String(orders[0].id);
  const paid = orders.find(isPaid);
  if (paid) ids.paidEventId = String(paid.event_id);
  const writable = orders.find((o) => isPaid(o) && !o.deleted_at && liveBaskets(o).length >= 2);
  if (writable) {
    ids.writeOrderId = String(writable.id);
    ids.basketId = String(liveBaskets(writable)[0].id);
    ids.basketId2 = String(liveBaskets(writable)[1].id);
  }
  const cancelled = orders.find((o) => o.deleted_at && asArray(o.refunds).length === 0);
  if (cancelled) ids.cancelledOrderId = String(cancelled.id);
  return ids;
}

export function idsFromClients(body: any): Ids {
  const client = asArray(body?.data).find((c) => typeof c.email === 'string' && c.email.includes('@'));
  return client ? { clientEmail: client.email } : {};
}

const liveShows = (event: any): any[] => asArray(event.shows).filter((s) => !s.deleted_at);

export function idsFromEvents(body: any): Ids {
  const events = asArray(body?.data);
  const ids: Ids = {};
  const withShows = events.find((e) => !e.deleted_at && liveShows(e).length > 0);
  if (withShows) {
    ids.eventId = String(withShows.id);
    ids.eventShowIds = liveShows(withShows).map((s) => String(s.id)).join(',');
    ids.showId = String(liveShows(withShows)[0].id);
  }
  const single = events.find((e) => !e.deleted_at && liveShows(e).length === 1);
  if (single) {
    ids.singleShowEventId = String(single.id);
    ids.singleShowId = String(liveShows(single)[0].id);
  }
  return ids;
}

export function idsFromPartnerEvents(body: any): Ids {
  const items = asArray(body?.result);
  const showsPerEvent = new Map<string, number>();
  for (const item of items) showsPerEvent.set(String(item.event_id), (showsPerEvent.get(String(item.event_id)) ?? 0) + 1);
  // Prefer an event with one show: the deprecated events/seats (6.14) needs no show id for it.
  const chosen = items.find((item) => showsPerEvent.get(String(item.event_id)) === 1) ?? items[0];
  return chosen ? { partnerEventId: String(chosen.event_id), partnerShowId: String(chosen.show_id) } : {};
}

export function idsFromOffers(body: any): Ids {
  const offers = body?.offers && typeof body.offers === 'object' ? body.offers : {};
  for (const [offerId, offer] of Object.entries<any>(offers)) {
    const free = Object.entries<any>(offer?.seats ?? {}).filter(([, seat]) => seat?.available === true);
    // 6.1 books one seat, 6.2 two, 6.3 reserves a fourth.
    if (free.length >= 4) return { offerId, freeSeatIds: free.slice(0, 4).map(([seatId]) => seatId).join(',') };
  }
  return {};
}

const partnerTicketIds = (body: any): string[] => {
  const result = body?.result ?? body;
  return (Array.isArray(result) ? result : [result]).filter((t) => t && t.id !== undefined).map((t) => String(t.id));
};

const partnerPath = (method: string, ids: Ids): string => `/${method}/${segment('partnerEventId', ids.partnerEventId)}/${segment('partnerShowId', ids.partnerShowId)}`;

// Partner request bodies keep the spec's values, with the seat and offer of this tenant and the
// fields the documentation requires (paid or reserved_to).
const ticketClient = { client_email: 'test@example.com', client_phone: '+79001234567', client_name: 'Тест', client_surname: 'Тестов' };
const seat = (ids: Ids, index: number): string | undefined => splitIds(ids.freeSeatIds)[index];
const addTicketBody = (ids: Ids) => ({ seat_id: seat(ids, 0), offer_id: ids.offerId, external_id: 'ticket12345', external_order_id: 'order67890', price: 1500.5, paid: 1, ...ticketClient, client_middlename: 'Тестович' });

const mskIso = (ms: number): string => new Date(ms + 3 * 3600_000).toISOString().slice(0, 19) + '+03:00';
const nowMsk = (): string => mskIso(Date.now());
const inOneDayMsk = (): string => mskIso(Date.now() + 24 * 3600_000);

function reservationHolds(ticket: any): string | null {
  if (!ticket || ticket.id === undefined) return 'no ticket in the answer';
  if (Number(ticket.paid) !== 0) return `paid is ${ticket.paid}`;
  return ticket.barcode === null ? null : 'an unpaid ticket carries a barcode';
}

// ---- the plans, by spec ID ---------------------------------------------------------------------------

const newClientEmail = (ids: Ids): string => ids.clientEmail ?? 'test@example.com';

const ordersList = (body?: unknown): ((ids: Ids) => ApiRequest[]) => () => [rest('GET', '/orders', body)];

const PLANS: Record<string, SpecPlan> = {
  '1.1': {
    requests: ordersList(),
    contract: 'orders.list',
    deep: true,
    expect: okJson([nonEmpty('order'), sortedById('asc')]),
    expectedText: '200 list, perPage 50, ids ascending',
    load: 'orders',
    discovers: idsFromOrders,
  },
  '1.2': {
    requests: ordersList({ where: [{ column: 'payed', value: 1 }], orderBy: { id: 'asc' }, page: 1 }),
    contract: 'orders.list',
    expect: okJson([everyItem('every order has payed=true', isPaid), sortedById('asc')]),
    expectedText: '200 list, only paid orders',
    load: 'orders',
  },
  '1.3': {
    requests: ordersList({ where: [{ column: 'payed', value: 0 }], orderBy: { id: 'desc' }, page: 1 }),
    contract: 'orders.list',
    expect: okJson([everyItem('every order has payed=false', (o) => !isPaid(o)), sortedById('desc')]),
    expectedText: '200 list, only unpaid orders, loads nothing',
    load: 'orders',
  },
  '1.4': {
    requests: ordersList({ where: [{ column: 'created_at', operator: '>=', value: '2025-01-01T00:00:00+03:00' }], page: 1 }),
    contract: 'orders.list',
    expect: okJson([everyItem('every order created on or after 2025-01-01 MSK', (o) => msk(o.created_at) >= msk('2025-01-01T00:00:00+03:00'))]),
    expectedText: '200 list, created_at >= 2025-01-01',
    load: 'orders',
    deviationNotes: ['the spec sends the date as "2025-01-01"; the documentation asks for YYYY-MM-DDTHH:MM:SS+03:00, which is sent'],
  },
  '1.5': {
    needs: ['paidEventId'],
    requests: (ids) => [rest('GET', '/orders', { where: [{ column: 'payed', value: 1 }, { column: 'event_id', value: Number(ids.paidEventId) }], orderBy: { id: 'desc' }, page: 1 })],
    contract: 'orders.list',
    expect: okJson([
      everyItem('every order has payed=true', isPaid),
      everyItem('every order belongs to the requested event', (o, ids) => String(o.event_id) === ids.paidEventId),
      sortedById('desc'),
    ]),
    expectedText: '200 list, paid orders of one event',
    load: 'orders',
  },
  '1.6': {
    needs: ['orderId'],
    requests: (ids) => [rest('GET', `/orders/${segment('orderId', ids.orderId)}`)],
    contract: 'orders.one',
    expect: okJson([dataIdIs('orderId')]),
    expectedText: '200 {data: Order} for a real id (the example ids answer 404)',
    load: 'orders',
  },
  '1.7': {
    needs: ['writeOrderId', 'basketId'],
    requests: (ids) => [rest('DELETE', `/orders/${segment('writeOrderId', ids.writeOrderId)}/baskets`, { delete: { baskets: { [ids.basketId!]: [] } } })],
    contract: 'orders.one',
    expect: okJson([{
      text: 'the basket has deleted_at set',
      check: (body, ids) => (asArray(body?.data?.baskets).find((b) => String(b.id) === ids.basketId)?.deleted_at ? null : `basket ${ids.basketId} has no deleted_at`),
    }]),
    expectedText: '200 Order with the basket deleted (never observed live)',
    sandbox: ['SANDBOX_ORDER_ID', 'SANDBOX_BASKET_ID'],
  },
  '1.8': {
    needs: ['basketId2'],
    requests: (ids) => [rest('PUT', `/baskets/${segment('basketId2', ids.basketId2)}`, { data: { client_name: 'Новое Имя', client_surname: 'Новая Фамилия' } })],
    contract: 'baskets.one',
    expect: okJson([{
      text: 'client_name and client_surname are updated',
      check: (body) => (body?.data?.client_name === 'Новое Имя' && body?.data?.client_surname === 'Новая Фамилия' ? null : 'the basket does not carry the new name'),
    }]),
    expectedText: '200 Basket with the new client name (never observed live)',
    sandbox: ['SANDBOX_BASKET_ID'],
    deviationNotes: ['client_phone is not an editable basket field in the documentation; it is not sent'],
  },
  '1.9': {
    needs: ['writeOrderId', 'basketId2'],
    requests: (ids) => [rest('DELETE', `/orders/${segment('writeOrderId', ids.writeOrderId)}/baskets`, { refund: { amount: 150, baskets: { [ids.basketId2!]: [] } } })],
    contract: 'orders.one',
    expect: okJson([{
      text: 'the basket has refunded_at set',
      check: (body, ids) => (asArray(body?.data?.baskets).find((b) => String(b.id) === ids.basketId2)?.refunded_at ? null : `basket ${ids.basketId2} has no refunded_at`),
    }]),
    expectedText: '200 Order with refunded_* filled (never observed live)',
    sandbox: ['SANDBOX_ORDER_ID', 'SANDBOX_BASKET_ID'],
    deviationNotes: ['amount and deduction_amount are alternatives in the documentation; only amount is sent'],
  },
  '1.10': {
    needs: ['cancelledOrderId'],
    requests: (ids) => [rest('POST', `/orders/${segment('cancelledOrderId', ids.cancelledOrderId)}/restore`, {})],
    contract: 'orders.one',
    expect: okJson([{ text: 'deleted_at is null', check: (body) => (body?.data?.deleted_at === null ? null : `deleted_at is ${body?.data?.deleted_at}`) }]),
    expectedText: '200 Order with deleted_at null (never observed live)',
    sandbox: ['SANDBOX_ORDER_ID'],
  },
  '2.1': {
    requests: () => [rest('GET', '/clients')],
    contract: 'clients.list',
    deep: true,
    expect: okJson([nonEmpty('client'), sortedById('asc')]),
    expectedText: '200 list, perPage 100',
    load: 'clients',
    discovers: idsFromClients,
  },
  '2.2': {
    requests: () => [rest('GET', '/clients', { page: 1, per_page: 50 })],
    contract: 'clients.list',
    expect: okJson([{ text: 'paging.currentPage is 1', check: (body) => (body?.paging?.currentPage === 1 ? null : `currentPage is ${body?.paging?.currentPage}`) }]),
    expectedText: '200 list (per_page is ignored live; the size is not asserted)',
    load: 'clients',
  },
  '2.3': {
    // Against a live tenant the sandbox client's email replaces the spec's test@example.com.
    requests: (ids) => [rest('POST', '/clients', { data: { email: newClientEmail(ids), details: { name: 'Тестовый', surname: 'Покупатель', middlename: 'Тестович', phone: '+79001234567' } } })],
    contract: 'clients.one',
    expect: okJson([{ text: 'the client carries the email sent', check: (body, ids) => (body?.data?.email === newClientEmail(ids) ? null : 'the answer has another email') }]),
    expectedText: '200 Client (create or update by email; never observed live)',
    sandbox: ['SANDBOX_CLIENT_EMAIL'],
  },
  '2.4': {
    needs: ['clientEmail'],
    requests: (ids) => [rest('POST', '/clients', { data: { email: ids.clientEmail, details: { name: 'Обновлённое Имя', phone: '+79009876543' } } })],
    contract: 'clients.one',
    expect: okJson([{ text: 'details.name is updated', check: (body) => (body?.data?.details?.name === 'Обновлённое Имя' ? null : 'the name was not updated') }]),
    expectedText: '200 Client updated by email (never observed live)',
    sandbox: ['SANDBOX_CLIENT_EMAIL'],
  },
  '3.1': {
    requests: () => [rest('GET', '/events')],
    contract: 'events.list',
    deep: true,
    expect: okJson([nonEmpty('event'), sortedById('asc')]),
    expectedText: '200 list, perPage 10, deleted events included',
    load: 'events',
    discovers: idsFromEvents,
  },
  '3.2': {
    requests: () => [rest('GET', '/events', { where: [{ column: 'is_active', value: 1 }], page: 1 })],
    contract: 'events.list',
    expect: okJson([everyItem('every event has is_active=1', (e) => e.is_active === 1)]),
    expectedText: '200 list, only is_active=1',
    load: 'events',
  },
  '3.3': {
    needs: ['eventId'],
    requests: (ids) => [rest('GET', `/events/${segment('eventId', ids.eventId)}`)],
    contract: 'events.one',
    expect: okJson([dataIdIs('eventId')]),
    expectedText: '200 {data: Event} for a real id (the example ids answer 404)',
    load: 'events',
  },
  '3.4': {
    requests: () => [rest('POST', '/events', { data: { name: 'Тестовое мероприятие', description: 'Описание мероприятия', shows: [{ start_date: '2025-12-01T19:00:00+03:00', finish_date: '2025-12-01T22:00:00+03:00' }] } })],
    contract: 'events.one',
    expect: okJson([{ text: 'the event has one show', check: (body) => (asArray(body?.data?.shows).length === 1 ? null : 'the created event has no show') }]),
    expectedText: '200 Event with its show (never observed live)',
    sandbox: ['SANDBOX_CREATE'],
    discovers: (body) => (body?.data?.id ? { createdEventId: String(body.data.id) } : {}),
  },
  '3.5': {
    needs: ['createdEventId'],
    requests: (ids) => [rest('PUT', `/events/${segment('createdEventId', ids.createdEventId)}`, { data: { name: 'Обновлённое название', description: 'Новое описание' } })],
    contract: 'events.one',
    expect: okJson([{ text: 'the name is updated', check: (body) => (body?.data?.name === 'Обновлённое название' ? null : 'the name was not updated') }]),
    expectedText: '200 Event updated (never observed live)',
    sandbox: ['SANDBOX_EVENT_ID'],
  },
  '3.6': {
    needs: ['eventId', 'eventShowIds'],
    requests: (ids) => splitIds(ids.eventShowIds).map((show) => rest('GET', `/shows/${segment('showId', show)}/seats`, { select: ['id', 'zone_id', 'available', 'max_quantity', 'free_quantity', 'price'], flat: true })),
    contract: 'seats.flat',
    expect: okJson([{ text: 'free_quantity ≤ max_quantity for every seat', check: (body) => seatQuantitiesHold(body) }]),
    expectedText: '200 flat seats per show of the event (the spec path answers 404 HTML)',
    load: 'inventory',
  },
  '3.7': {
    needs: ['singleShowEventId', 'singleShowId'],
    requests: (ids) => [rest('GET', `/shows/${segment('singleShowId', ids.singleShowId)}/seats`, { select: ['id', 'zone_id', 'available', 'max_quantity', 'free_quantity', 'price'], flat: true })],
    contract: 'seats.flat',
    expect: okJson([{ text: 'free_quantity ≤ max_quantity for every seat', check: (body) => seatQuantitiesHold(body) }]),
    expectedText: '200 flat seats of one show (the spec path answers 404 HTML)',
    load: 'inventory',
  },
  '4.1': {
    requests: () => [rest('GET', '/color-themes')],
    contract: 'colorThemes.list',
    expect: okJson([nonEmpty('colour theme')]),
    expectedText: '200 {data: [{id, color}]} on /color-themes (the spec path is undocumented)',
    load: 'colorThemes',
  },
  '4.2': {
    requests: () => [rest('GET', '/discounts')],
    contract: 'discounts.list',
    deep: true,
    expect: okJson([nonEmpty('discount')]),
    expectedText: '200 list, perPage 100',
    load: 'discounts',
    discovers: (body) => {
      const first = asArray(body?.data).find((d) => !d.deleted_at) ?? asArray(body?.data)[0];
      return first ? { discountId: String(first.id) } : {};
    },
  },
  '4.3': {
    requests: () => [rest('GET', '/promo-codes')],
    contract: 'promoCodes.list',
    deep: true,
    expect: okJson([nonEmpty('promo code')]),
    expectedText: '200 list, perPage 500',
    load: 'promoCodes',
  },
  '4.4': {
    needs: ['discountId'],
    requests: (ids) => [rest('POST', '/promo-codes', { data: { is_active: 1, discount_id: Number(ids.discountId), code: 'TESTPROMO2025', max_uses_count: 1, active_from: '2025-01-01T00:00:00+03:00', active_to: '2025-12-31T23:59:59+03:00' } })],
    contract: 'promoCodes.one',
    expect: okJson([{ text: 'the promo code carries the code sent', check: (body) => (body?.data?.code === 'TESTPROMO2025' ? null : `code is ${body?.data?.code}`) }]),
    expectedText: '200 PromoCode (never observed live)',
    sandbox: ['SANDBOX_CREATE', 'SANDBOX_DISCOUNT_ID'],
    discovers: (body) => (body?.data?.id ? { promoCodeId: String(body.data.id) } : {}),
  },
  '4.5': {
    needs: ['promoCodeId'],
    requests: (ids) => [rest('PUT', `/promo-codes/${segment('promoCodeId', ids.promoCodeId)}`, { data: { max_uses_count: 2, active_to: '2026-01-31T23:59:59+03:00' } })],
    contract: 'promoCodes.one',
    expect: okJson([{ text: 'max_uses_count is 2', check: (body) => (body?.data?.max_uses_count === 2 ? null : `max_uses_count is ${body?.data?.max_uses_count}`) }]),
    expectedText: '200 PromoCode updated (never observed live)',
    sandbox: ['SANDBOX_PROMO_CODE_ID'],
  },
  '5.1': {
    needs: ['showId'],
    requests: (ids) => [rest('GET', `/shows/${segment('showId', ids.showId)}/barcodes`, { select: ['barcode', 'price', 'seat_name'] })],
    contract: 'barcodes.list',
    expect: okJson([{ text: 'the answer is a bare array', check: (body) => (Array.isArray(body) ? null : 'the answer is not a bare array') }]),
    expectedText: '200 bare array on /shows/{id}/barcodes (the spec path answers 404 HTML)',
    load: 'barcodes',
    discovers: (body) => {
      const first = asArray(body).find((b) => typeof b.barcode === 'string');
      return first ? { barcode: first.barcode } : {};
    },
  },
  '5.2': {
    needs: ['eventId', 'eventShowIds'],
    requests: (ids) => splitIds(ids.eventShowIds).map((show) => rest('GET', `/shows/${segment('showId', show)}/barcodes`, { select: ['barcode', 'price', 'seat_name', 'zone_name', 'row', 'place'] })),
    contract: 'barcodes.list',
    expect: okJson([{ text: 'each answer is a bare array', check: (body) => (Array.isArray(body) ? null : 'the answer is not a bare array') }]),
    expectedText: '200 bare array per show of the event (the spec path answers 404 HTML)',
    load: 'barcodes',
  },
  '5.3': {
    needs: ['showId', 'barcode'],
    requests: (ids) => [rest('GET', `/shows/${segment('showId', ids.showId)}/barcode/${segment('barcode', ids.barcode)}`)],
    contract: 'barcode.one',
    expect: okJson([{ text: 'the answer is the requested barcode', check: (body, ids) => (body?.barcode === ids.barcode ? null : `barcode is ${body?.barcode}`) }]),
    expectedText: '200 {barcode, checked_at} (the spec path is undocumented)',
    load: 'barcodes',
  },
  '5.4': {
    needs: ['showId', 'barcode'],
    requests: (ids) => [rest('POST', `/shows/${segment('showId', ids.showId)}/barcode/${segment('barcode', ids.barcode)}`, { checked_at: nowMsk() })],
    contract: 'barcode.checked',
    expect: okJson([{ text: 'success is true', check: (body) => (body?.success === true ? null : 'success is not true') }]),
    expectedText: '200 {success:true, barcode, checked_at} (never observed live)',
    sandbox: ['SANDBOX_SHOW_ID', 'SANDBOX_BARCODE'],
  },
  '5.5': {
    needs: ['showId', 'barcode'],
    requests: (ids) => [rest('POST', `/shows/${segment('showId', ids.showId)}/barcodes`, [{ barcode: ids.barcode, checked_at: nowMsk() }])],
    contract: null,
    expect: okJson(),
    expectedText: '200 (never observed live)',
    sandbox: ['SANDBOX_SHOW_ID', 'SANDBOX_BARCODE'],
  },
  '6.1': {
    needs: ['partnerEventId', 'partnerShowId', 'freeSeatIds', 'offerId'],
    requests: (ids) => [partners('POST', partnerPath('tickets/add', ids), addTicketBody(ids))],
    contract: 'partners.tickets',
    expect: okJson([{ text: 'one ticket with an id', check: (body) => (partnerTicketIds(body).length === 1 ? null : 'no ticket id in the answer') }]),
    expectedText: '200 status:success, one ticket (never observed live)',
    sandbox: ['SANDBOX_PARTNER_EVENT_ID', 'SANDBOX_PARTNER_SHOW_ID', 'SANDBOX_SEAT_ID', 'SANDBOX_OFFER_ID'],
    discovers: (body) => {
      const ticket = body?.result ?? body;
      const out: Ids = {};
      if (ticket?.id !== undefined) out.partnerTicketId = String(ticket.id);
      if (typeof ticket?.barcode === 'string') out.partnerBarcode = ticket.barcode;
      return out;
    },
    deviationNotes: ['the spec body has neither paid nor reserved_to, one of which the documentation requires; paid:1 is sent'],
  },
  '6.2': {
    needs: ['partnerEventId', 'partnerShowId', 'freeSeatIds', 'offerId'],
    requests: (ids) => [partners('POST', partnerPath('tickets/add', ids), {
      batch: ['ticket001', 'ticket002'].map((externalId, i) => ({ seat_id: seat(ids, 1 + i), offer_id: ids.offerId, external_id: externalId, external_order_id: 'order123', price: 1500.5, paid: 1, ...ticketClient, client_email: 'user1@example.com', client_name: 'Иван', client_surname: 'Иванов' })),
    })],
    contract: 'partners.tickets',
    expect: okJson([{ text: 'an array of tickets', check: (body) => (partnerTicketIds(body).length >= 1 ? null : 'no tickets in the answer') }]),
    expectedText: '200 status:success, an array of tickets (never observed live)',
    sandbox: ['SANDBOX_PARTNER_EVENT_ID', 'SANDBOX_PARTNER_SHOW_ID', 'SANDBOX_SEAT_ID', 'SANDBOX_OFFER_ID'],
    discovers: (body) => ({ partnerBatchTicketIds: partnerTicketIds(body).join(',') }),
    deviationNotes: ['the spec seats CENTER_PARTERRE-20;5/6 belong to another tenant; two free seats of this run are booked'],
  },
  '6.3': {
    needs: ['partnerEventId', 'partnerShowId', 'freeSeatIds', 'offerId'],
    requests: (ids) => [partners('POST', partnerPath('tickets/add', ids), { ...addTicketBody(ids), seat_id: seat(ids, 3), paid: 0, external_id: 'ticket12346', reserved_to: inOneDayMsk() })],
    contract: 'partners.tickets',
    expect: okJson([{ text: 'an unpaid ticket without a barcode', check: (body) => reservationHolds(body?.result ?? body) }]),
    expectedText: '200 status:success, an unpaid reserved ticket (never observed live)',
    sandbox: ['SANDBOX_PARTNER_EVENT_ID', 'SANDBOX_PARTNER_SHOW_ID', 'SANDBOX_SEAT_ID', 'SANDBOX_OFFER_ID'],
    deviationNotes: ['the spec reserves the seat of 6.1; another free seat is reserved so both can succeed'],
  },
  '6.4': {
    needs: ['partnerEventId', 'partnerShowId', 'partnerTicketId'],
    requests: (ids) => [partners('POST', partnerPath('tickets/update', ids), { id: ids.partnerTicketId, paid: 1, paid_at: nowMsk(), client_email: 'updated@example.com', client_phone: '+79009999999' })],
    contract: 'partners.tickets',
    expect: okJson(),
    expectedText: '200 status:success, the ticket (never observed live)',
    sandbox: ['SANDBOX_PARTNER_EVENT_ID', 'SANDBOX_PARTNER_SHOW_ID'],
  },
  '6.5': {
    needs: ['partnerEventId', 'partnerShowId', 'partnerBatchTicketIds'],
    requests: (ids) => [partners('POST', partnerPath('tickets/update', ids), { batch: splitIds(ids.partnerBatchTicketIds).map((id) => ({ id, paid: 1, paid_at: nowMsk() })) })],
    contract: 'partners.tickets',
    expect: okJson(),
    expectedText: '200 status:success, the tickets (never observed live)',
    sandbox: ['SANDBOX_PARTNER_EVENT_ID', 'SANDBOX_PARTNER_SHOW_ID'],
  },
  '6.6': {
    needs: ['partnerEventId', 'partnerShowId', 'partnerTicketId'],
    requests: (ids) => [partners('POST', partnerPath('tickets/remove', ids), { id: ids.partnerTicketId })],
    contract: 'partners.remove',
    expect: okJson([{ text: 'result is true', check: (body) => (body?.result === true ? null : 'result is not true') }]),
    expectedText: '200 status:success, result:true (never observed live)',
    sandbox: ['SANDBOX_PARTNER_EVENT_ID', 'SANDBOX_PARTNER_SHOW_ID'],
  },
  '6.7': {
    needs: ['partnerEventId', 'partnerShowId', 'partnerBatchTicketIds'],
    requests: (ids) => [partners('POST', partnerPath('tickets/remove', ids), { batch: splitIds(ids.partnerBatchTicketIds).map((id) => ({ id })) })],
    contract: 'partners.remove',
    expect: okJson([{ text: 'result is true', check: (body) => (body?.result === true ? null : 'result is not true') }]),
    expectedText: '200 status:success, result:true (never observed live)',
    sandbox: ['SANDBOX_PARTNER_EVENT_ID', 'SANDBOX_PARTNER_SHOW_ID'],
  },
  '6.8': {
    needs: ['partnerEventId', 'partnerShowId', 'freeSeatIds', 'offerId'],
    requests: (ids) => [partners('POST', partnerPath('tickets/check', ids), { batch: [{ seat_id: seat(ids, 0), offer_id: ids.offerId }, { seat_id: seat(ids, 1), offer_id: ids.offerId }] }, true)],
    contract: 'partners.check',
    expect: okJson([{ text: 'one answer per checked seat', check: (body) => (asArray(body?.result ?? body).length === 2 ? null : 'not one answer per seat') }]),
    expectedText: '200 status:success, availability per seat (live with a wrong key: WRONG_AUTHORIZATION)',
  },
  '6.9': {
    requests: () => [partners('POST', '/tickets/find', { filter: { external_order_id: 'order67890' } }, true)],
    contract: 'partners.find',
    expect: okJson([{ text: 'every ticket has external_order_id order67890', check: (body) => findFilterHolds(body, (t) => t.external_order_id === 'order67890') }]),
    expectedText: '200 status:success, result[] (live with a wrong key: WRONG_AUTHORIZATION)',
    load: 'partnerTickets',
  },
  '6.10': {
    needs: ['partnerEventId'],
    requests: (ids) => [partners('POST', `/tickets/find/${segment('partnerEventId', ids.partnerEventId)}`, { filter: { external_order_id: 'order67890' } }, true)],
    contract: 'partners.find',
    expect: okJson([{ text: 'every ticket has external_order_id order67890', check: (body) => findFilterHolds(body, (t) => t.external_order_id === 'order67890') }]),
    expectedText: '200 status:success, result[] of one event',
    load: 'partnerTickets',
  },
  '6.11': {
    needs: ['partnerEventId', 'partnerShowId'],
    requests: (ids) => [partners('POST', `/tickets/find/${segment('partnerEventId', ids.partnerEventId)}/${segment('partnerShowId', ids.partnerShowId)}`, { filter: { external_order_id: 'order67890' } }, true)],
    contract: 'partners.find',
    expect: okJson([{ text: 'every ticket has external_order_id order67890', check: (body) => findFilterHolds(body, (t) => t.external_order_id === 'order67890') }]),
    expectedText: '200 status:success, result[] of one show',
    load: 'partnerTickets',
  },
  '6.12': {
    needs: ['partnerBarcode'],
    requests: (ids) => [partners('POST', '/tickets/find', { filter: { barcode: ids.partnerBarcode } }, true)],
    contract: 'partners.find',
    expect: okJson([{ text: 'the ticket with that barcode is found', check: (body, ids) => findFilterHolds(body, (t) => t.barcode === ids.partnerBarcode, true) }]),
    expectedText: '200 status:success, the ticket with that barcode',
    load: 'partnerTickets',
  },
  '6.13': {
    requests: () => [partners('POST', '/tickets/find', { filter: { external_order_id: 'order67890', external_id: ['ticket12345'] } }, true)],
    contract: 'partners.find',
    expect: okJson([{ text: 'every ticket matches both filters', check: (body) => findFilterHolds(body, (t) => t.external_order_id === 'order67890' && t.external_id === 'ticket12345') }]),
    expectedText: '200 status:success, result[] matching every filter (live with a wrong key: WRONG_AUTHORIZATION)',
    load: 'partnerTickets',
    deviationNotes: ['the spec combines literal barcodes and ticket ids of another tenant; the filters that this run can satisfy are sent'],
  },
  '6.14': {
    needs: ['partnerEventId'],
    requests: (ids) => [partners('GET', `/events/seats/${segment('partnerEventId', ids.partnerEventId)}`, undefined, true)],
    contract: 'partners.legacySeats',
    expect: okJson(),
    expectedText: '200 status:success, legacy zones (deprecated method; event with one show)',
  },
  '6.15': {
    needs: ['partnerEventId', 'partnerShowId'],
    requests: (ids) => [partners('GET', `/events/seats/${segment('partnerEventId', ids.partnerEventId)}/${segment('partnerShowId', ids.partnerShowId)}`, undefined, true)],
    contract: 'partners.legacySeats',
    expect: okJson(),
    expectedText: '200 status:success, legacy zones of one show (deprecated method)',
  },
  '7.1': {
    requests: () => [rest('GET', '/events')],
    contract: null,
    expect: { status: 403, answer: 'rest-error' },
    expectedText: '403 (live: not 401, not WRONG_AUTHORIZATION)',
    deviationNotes: ['the spec expects WRONG_AUTHORIZATION (a Partners code); REST answers HTTP 403'],
  },
  '7.2': {
    requests: () => [rest('GET', '/orders/999999999')],
    contract: 'rest.error',
    expect: { status: 404, answer: 'rest-error', code: 'RESOURCE_NOT_FOUND', predicates: [notFoundInfo('Order', 999999999)] },
    expectedText: '404 RESOURCE_NOT_FOUND {id: 999999999, resource: Order}',
    deviationNotes: ['the spec accepts ORDER_NOT_FOUND, which REST never answers; it answers RESOURCE_NOT_FOUND'],
  },
  '7.3': {
    requests: () => [rest('GET', '/events/999999999')],
    contract: 'rest.error',
    expect: { status: 404, answer: 'rest-error', code: 'RESOURCE_NOT_FOUND', predicates: [notFoundInfo('Event', 999999999)] },
    expectedText: '404 RESOURCE_NOT_FOUND Event (not EVENT_NOT_FOUND)',
    deviationNotes: ['the spec expects EVENT_NOT_FOUND (a Partners code); REST answers RESOURCE_NOT_FOUND'],
  },
  '7.4': {
    requests: () => [rest('POST', '/clients', {})],
    contract: 'rest.error',
    expect: { status: '4xx', answer: 'rest-error' },
    expectedText: 'a 4xx refusal, nothing created (never observed live; the mock answers 400 VALIDATION_ERROR)',
    sandbox: ['SANDBOX_CREATE'],
  },
  '7.5': {
    requests: () => [rest('GET', '/orders', { where: [{ column: 'invalid_column', value: 1 }] })],
    contract: 'orders.list',
    expect: okJson([{ text: 'an empty result', check: (body) => (asArray(body?.data).length === 0 ? null : `${asArray(body?.data).length} orders came back`) }]),
    alsoAccept: [{ status: '4xx', answer: 'rest-error', contract: 'rest.error' }],
    expectedText: 'an empty result or a 4xx error (never observed live)',
  },
};

function seatQuantitiesHold(body: any): string | null {
  const seats = Object.values<any>(body?.data ?? {});
  const bad = seats.filter((s) => typeof s?.free_quantity === 'number' && typeof s.max_quantity === 'number' && s.free_quantity > s.max_quantity);
  return bad.length === 0 ? null : `${bad.length} seat(s) have free_quantity > max_quantity, e.g. ${bad[0].id}`;
}

function findFilterHolds(body: any, holds: (ticket: any) => boolean, mustFind = false): string | null {
  const tickets = asArray(body?.result);
  if (mustFind && tickets.length === 0) return 'no ticket was found';
  const bad = tickets.filter((t) => !holds(t));
  return bad.length === 0 ? null : `${bad.length} ticket(s) do not match the filter, e.g. id ${bad[0].id}`;
}

function notFoundInfo(resource: string, id: number): Predicate {
  return {
    text: `info is {id: ${id}, resource: ${resource}}`,
    check: (body) => (body?.info?.id === id && body?.info?.resource === resource ? null : `info is ${JSON.stringify(body?.info)}`),
  };
}

export const catalogue: readonly SpecEntry[] = specRecords.map((record) => {
  const plan = PLANS[record.id];
  if (!plan) throw new Error(`catalogue: spec ${record.id} has no plan`);
  const section = record.id.split('.')[0];
  return {
    id: record.id,
    title: record.title,
    titleRu: record.title_ru,
    specRef: record.spec_ref,
    api: record.api,
    kind: record.kind,
    section: { number: section, name: SECTIONS[section] },
    literal: { method: record.method, path: record.path, body: record.body, examples: record.examples, headers: record.headers },
    documented: record.documented_request,
    feedsTables: record.feeds_tables,
    expected: { status: plan.expect.status, text: plan.expectedText },
    expectedRu: record.expected_ru,
    liveObservation: record.live_observation,
    writes: record.kind === 'write' || (record.method !== 'GET' && record.kind === 'negative'),
    plan,
  };
});

const byId = new Map(catalogue.map((spec) => [spec.id, spec]));
for (const id of Object.keys(PLANS)) if (!byId.has(id)) throw new Error(`catalogue: plan for unknown spec ${id}`);

export const SPEC_IDS: readonly string[] = catalogue.map((spec) => spec.id);

export function specById(id: string): SpecEntry {
  const spec = byId.get(id);
  if (!spec) throw new Error(`Unknown spec id ${id}; the specification has ${SPEC_IDS.join(', ')}`);
  return spec;
}

export function specsOfSection(section: string): SpecEntry[] {
  return catalogue.filter((spec) => spec.section.number === section);
}
