import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import type { MockServer } from '../../support/mock/server.ts';
import { compareShapes, shapeOf } from '../helpers/json-shape.ts';
import { discountCount, promoCodeCount } from '../../support/mock/tenant.ts';
import { allPages, fixture, REST_TOKEN, rest, startTestMock } from '../helpers/mock-helpers.ts';

/** Lists (§4): envelopes, page sizes, per_page ignored, id order, deleted/unpaid rows, live shapes, headers. */

const LISTS = [
  { path: '/orders', perPage: 50, size: 180, fixture: 'orders-page-1.json' },
  { path: '/clients', perPage: 100, size: 250, fixture: 'clients-page-1.json' },
  { path: '/events', perPage: 10, size: 23, fixture: 'events-page-1.json' },
  { path: '/discounts', perPage: 100, size: discountCount(23), fixture: 'discounts-page-1.json' },
  { path: '/promo-codes', perPage: 500, size: promoCodeCount(23), fixture: 'promo-codes-page-1.json' },
];

/**
 * Fields whose documented type the live page happens not to show (all documented as nullable or as
 * the string alternative): the generated data may use them without breaking the live shape.
 */
const DOCUMENTED_ALTERNATIVES = [
  '.client.details.middlename:string',
  '.baskets[].multiprice_code:string',
  '.baskets[].client_surname:null',
  '.shows[].deleted_at:string',
];
const OPAQUE = ['.shows[].scheme_properties'];

describe('mock lists', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startTestMock();
  });
  afterAll(() => mock.close());

  test.each(LISTS)('$path: envelope {data, paging{perPage,currentPage,total}}, page size $perPage, ids ascending', async ({ path, perPage, size }) => {
    const answer = await rest(mock, 'GET', path);
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json)).toEqual(['data', 'paging']);
    expect(answer.json.paging).toEqual({ perPage, currentPage: 1, total: size });
    expect(answer.json.data).toHaveLength(Math.min(perPage, size));
    const ids = answer.json.data.map((item: any) => item.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  test.each(LISTS)('$path: generated items have the live key order and value types of the fixture', async ({ path, fixture: file }) => {
    const answer = await rest(mock, 'GET', path);
    const live = fixture(file).data;
    const differences = compareShapes(shapeOf(answer.json.data, OPAQUE), shapeOf(live, OPAQUE), { allow: DOCUMENTED_ALTERNATIVES, subsetKeys: ['.utm'] });
    expect(differences).toEqual({ keyOrder: [], unexpectedTypes: [], missingTypes: [] });
    // The first item matches the fixture's first item key for key, in order.
    expect(Object.keys(answer.json.data[0])).toEqual(Object.keys(live[0]));
  });

  test('the shape comparison notices a changed key order, a wrong type and a missing variant', () => {
    const live = fixture('orders-page-1.json').data;
    const swapped = live.map(({ id, uniqid, ...rest }: any) => ({ uniqid, id, ...rest }));
    const retyped = live.map((o: any) => ({ ...o, reserved: o.reserved ? 1 : 0 }));
    const differences = (items: any[]) => compareShapes(shapeOf(items), shapeOf(live));
    expect(differences(swapped).keyOrder.length).toBeGreaterThan(0);
    expect(differences(retyped).unexpectedTypes).toContain('.reserved: int (fixture: bool)');
    expect(differences(live.filter((o: any) => o.payed)).missingTypes).toContain('.payed_at: null');
  });

  test('scheme_properties leaves are strings (or the null forms of spread/rows)', async () => {
    const events = (await rest(mock, 'GET', '/events')).json.data;
    const leaves: unknown[] = [];
    const walk = (value: unknown, key: string) => {
      if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
      else leaves.push(key === 'spread' || key === 'rows' ? (value ?? 'null-form') : value);
    };
    for (const show of events.flatMap((e: any) => e.shows)) walk(show.scheme_properties, '');
    expect(leaves.length).toBeGreaterThan(100);
    expect(leaves.filter((leaf) => typeof leaf !== 'string')).toEqual([]);
  });

  test('per_page is ignored in the query string and in the body', async () => {
    expect((await rest(mock, 'GET', '/orders', { query: { per_page: '200' } })).json.data).toHaveLength(50);
    expect((await rest(mock, 'GET', '/events', { query: { per_page: '5' } })).json.data).toHaveLength(10);
    const clients = await rest(mock, 'GET', '/clients', { body: { page: 1, per_page: 50 } });
    expect(clients.json.paging).toEqual({ perPage: 100, currentPage: 1, total: 250 });
  });

  test('page comes from the body (GET with a body) or the query string; pages do not overlap; past the end is empty', async () => {
    const page1 = (await rest(mock, 'GET', '/orders')).json.data.map((o: any) => o.id);
    const page2 = await rest(mock, 'GET', '/orders', { body: { page: 2 } });
    const page2q = await rest(mock, 'GET', '/orders', { query: { page: '2' } });
    expect(page2.json.paging.currentPage).toBe(2);
    expect(page2q.text).toBe(page2.text);
    const ids2 = page2.json.data.map((o: any) => o.id);
    expect(Math.min(...ids2)).toBeGreaterThan(Math.max(...page1));
    const page4 = await rest(mock, 'GET', '/orders', { body: { page: 4 } });
    expect(page4.json.data).toHaveLength(180 - 150);
    const page9 = await rest(mock, 'GET', '/orders', { body: { page: 9 } });
    expect(page9.json).toEqual({ data: [], paging: { perPage: 50, currentPage: 9, total: 180 } });
  });

  test('all pages together hold each order once, ascending', async () => {
    const ids = (await allPages(mock, '/orders')).map((o) => o.id);
    expect(ids).toHaveLength(180);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  test('every page of orders mixes paid and cancelled-unpaid orders (about 80% paid)', async () => {
    const orders = await allPages(mock, '/orders');
    for (let page = 0; page < 3; page++) {
      const slice = orders.slice(page * 50, page * 50 + 50);
      expect(slice.some((o) => o.payed && o.deleted_at === null && o.payed_at !== null)).toBe(true);
      expect(slice.some((o) => !o.payed && o.deleted_at !== null && o.payed_at === null)).toBe(true);
    }
    const paid = orders.filter((o) => o.payed).length / orders.length;
    expect(paid).toBeGreaterThan(0.75);
    expect(paid).toBeLessThan(0.85);
    // Page 1 has an order with two live baskets (the write specs need one) and a cancelled order without refunds.
    const first = orders.slice(0, 50);
    expect(first.some((o) => o.payed && o.baskets.filter((b: any) => !b.deleted_at).length >= 2)).toBe(true);
    expect(first.some((o) => o.deleted_at && o.refunds.length === 0)).toBe(true);
  });

  test('orders are internally consistent: price = Σ basket price, integer money, RUB, +03:00 timestamps', async () => {
    const orders = await allPages(mock, '/orders');
    const stamps: string[] = [];
    for (const o of orders) {
      expect(o.price).toBe(o.baskets.reduce((s: number, b: any) => s + b.price, 0));
      expect(o.original_price).toBe(o.baskets.reduce((s: number, b: any) => s + b.original_price, 0));
      expect(Number.isInteger(o.price)).toBe(true);
      expect(o.currency_id).toBe('RUB');
      expect(typeof o.reserved).toBe('boolean');
      expect(typeof o.payment_type_id).toBe('string');
      expect(o.custom).toBe('');
      expect(o.fields).toEqual([]);
      for (const b of o.baskets) {
        expect(b.price).toBe(b.original_price - b.discount_value);
        expect(b.barcode === null).toBe(!o.payed);
        if (!o.payed) expect([b.deleted_at, b.refunded_amount, b.pdf_url]).toEqual([o.deleted_at, 0, null]);
        stamps.push(b.created_at, b.updated_at);
      }
      stamps.push(o.created_at, o.updated_at, o.reserved_to);
    }
    expect(stamps.filter((s) => !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/.test(s))).toEqual([]);
  });

  test('orders reference real clients, events, shows and seats', async () => {
    const orders = await allPages(mock, '/orders');
    const events = await allPages(mock, '/events');
    const clientIds = new Set((await allPages(mock, '/clients')).map((c) => c.id));
    const showsByEvent = new Map(events.map((e) => [e.id, new Set(e.shows.map((s: any) => s.id))]));
    for (const o of orders) {
      expect(clientIds.has(o.client_id)).toBe(true);
      expect(o.client.id).toBe(o.client_id);
      for (const b of o.baskets) expect(showsByEvent.get(o.event_id)?.has(b.show_id)).toBe(true);
    }
    // A seated seat is sold at most once per show.
    const sold = orders.filter((o) => o.payed).flatMap((o) => o.baskets.filter((b: any) => !/-1;1$/.test(b.seat_id)).map((b: any) => `${b.show_id}|${b.seat_id}`));
    expect(new Set(sold).size).toBe(sold.length);
  });

  test('unfiltered lists include deleted events, discounts and promo codes next to live ones', async () => {
    for (const path of ['/events', '/discounts', '/promo-codes']) {
      const items = (await rest(mock, 'GET', path)).json.data;
      expect(items.some((i: any) => i.deleted_at !== null), path).toBe(true);
      expect(items.some((i: any) => i.deleted_at === null), path).toBe(true);
    }
  });

  test('events page 1 has single-show and multi-show live events, and inactive ones', async () => {
    const events = (await rest(mock, 'GET', '/events')).json.data;
    const live = events.filter((e: any) => !e.deleted_at);
    expect(live.some((e: any) => e.shows.length === 1)).toBe(true);
    expect(live.some((e: any) => e.shows.length > 1)).toBe(true);
    expect(events.some((e: any) => e.is_active === 0)).toBe(true);
    expect(events.map((e: any) => e.shows.length)).toEqual([1, 1, 1, 1, 13, 7, 5, 7, 1, 3]);
  });

  test('GET /{list}/{id} answers {data: item} equal to the list item', async () => {
    for (const path of ['/orders', '/clients', '/events', '/discounts', '/promo-codes']) {
      const first = (await rest(mock, 'GET', path)).json.data[1];
      const one = await rest(mock, 'GET', `${path}/${first.id}`);
      expect(one.status, path).toBe(200);
      expect(one.json).toEqual({ data: first });
    }
  });

  test('color themes: {data: [{id, color}]}, ids 1–15 in a non-monotonic order', async () => {
    const answer = await rest(mock, 'GET', '/color-themes');
    expect(answer.status).toBe(200);
    const ids = answer.json.data.map((t: any) => t.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(ids).not.toEqual([...ids].sort((a, b) => a - b));
    for (const theme of answer.json.data) expect(Object.keys(theme)).toEqual(['id', 'color']), expect(theme.color).toMatch(/^#[0-9a-f]{6}$/);
  });

  test('200 JSON answers carry the observed headers, chunked, and no rate-limit headers', async () => {
    const { headers } = await rest(mock, 'GET', '/events');
    expect(headers).toMatchObject({
      server: 'nginx/1.14.1',
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
      connection: 'keep-alive',
      vary: 'Accept-Encoding',
      'cache-control': 'no-cache, private',
      'x-cache-status': 'MISS',
      'strict-transport-security': 'max-age=31536000',
    });
    expect(Object.keys(headers).filter((h) => /ratelimit|retry-after|x-request-id/i.test(h))).toEqual([]);
  });

  test('gzip on request', async () => {
    const response = await request(`${mock.restBaseUrl}/clients`, { headers: { authorization: `Bearer ${REST_TOKEN}`, 'accept-encoding': 'gzip' } });
    expect(response.headers['content-encoding']).toBe('gzip');
    const body = JSON.parse(gunzipSync(Buffer.from(await response.body.arrayBuffer())).toString('utf8'));
    expect(body.paging.total).toBe(250);
  });
});
