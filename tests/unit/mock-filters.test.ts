import type { MockServer } from '../../support/mock/server.ts';
import { allPages, rest, startTestMock } from '../helpers/mock-helpers.ts';

/** The filter language (§5) from a body and from query parameters, under the three filter modes (§6). */

const ms = (iso: string) => Date.parse(iso);
const ids = (items: any[]) => items.map((i) => i.id);

describe('mock filters, mode honour', () => {
  let mock: MockServer;
  let orders: any[];
  beforeAll(async () => {
    mock = await startTestMock();
    orders = await allPages(mock, '/orders');
  });
  afterAll(() => mock.close());

  /** Every page of a filtered list, from the body form. */
  const filtered = (path: string, body: Record<string, unknown>) => allPages(mock, path, body);

  test('where payed=1, orderBy id asc (1.2): exactly the paid orders', async () => {
    const got = await filtered('/orders', { where: [{ column: 'payed', value: 1 }], orderBy: { id: 'asc' } });
    expect(ids(got)).toEqual(ids(orders.filter((o) => o.payed)));
  });

  test('where payed=0, orderBy id desc (1.3): the unpaid orders, newest first; total counts them', async () => {
    const first = await rest(mock, 'GET', '/orders', { body: { where: [{ column: 'payed', value: 0 }], orderBy: { id: 'desc' }, page: 1 } });
    const unpaid = orders.filter((o) => !o.payed);
    expect(first.json.paging).toEqual({ perPage: 50, currentPage: 1, total: unpaid.length });
    expect(ids(first.json.data)).toEqual(ids(unpaid).reverse().slice(0, 50));
  });

  test('datetimes compare as instants, whatever the offset; a bare date is Moscow midnight (1.4)', async () => {
    const since = ms('2024-01-01T00:00:00+03:00');
    const expected = ids(orders.filter((o) => ms(o.created_at) >= since));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(orders.length);
    for (const value of ['2024-01-01T00:00:00+03:00', '2023-12-31T21:00:00Z', '2023-12-31T22:00:00+01:00', '2024-01-01']) {
      expect(ids(await filtered('/orders', { where: [{ column: 'created_at', operator: '>=', value }] })), value).toEqual(expected);
    }
  });

  test('a datetime with a compact +0300 offset is ignored, as reported live', async () => {
    const answer = await rest(mock, 'GET', '/orders', { body: { where: [{ column: 'created_at', operator: '>=', value: '2024-01-01T00:00:00+0300' }] } });
    expect(answer.json.paging.total).toBe(orders.length);
  });

  test('several conditions are ANDed (1.5)', async () => {
    const eventId = orders.find((o) => o.payed).event_id;
    const got = await filtered('/orders', { where: [{ column: 'payed', value: 1 }, { column: 'event_id', value: eventId }], orderBy: { id: 'desc' } });
    expect(got.length).toBeGreaterThan(0);
    expect(ids(got)).toEqual(ids(orders.filter((o) => o.payed && o.event_id === eventId)).reverse());
  });

  test('operators null, != null, in, not in, <, >=, !=', async () => {
    const eventIds = [...new Set(orders.map((o) => o.event_id))].slice(0, 2);
    const cases: [Record<string, unknown>, (o: any) => boolean][] = [
      [{ column: 'deleted_at', operator: 'null' }, (o) => o.deleted_at === null],
      [{ column: 'deleted_at', operator: '!=', value: null }, (o) => o.deleted_at !== null],
      [{ column: 'deleted_at', value: null }, (o) => o.deleted_at === null],
      [{ column: 'event_id', operator: 'in', value: eventIds }, (o) => eventIds.includes(o.event_id)],
      [{ column: 'event_id', operator: 'not in', value: eventIds }, (o) => !eventIds.includes(o.event_id)],
      [{ column: 'price', operator: '<', value: 1000 }, (o) => o.price < 1000],
      [{ column: 'price', operator: '>=', value: 1000 }, (o) => o.price >= 1000],
      [{ column: 'payment_type_id', operator: '!=', value: 'card' }, (o) => o.payment_type_id !== 'card'],
      [{ column: 'promo_code_id', operator: 'null' }, (o) => o.promo_code_id === null],
    ];
    for (const [condition, holds] of cases) {
      const expected = ids(orders.filter(holds));
      expect(expected.length, JSON.stringify(condition)).toBeGreaterThan(0);
      expect(ids(await filtered('/orders', { where: [condition] })), JSON.stringify(condition)).toEqual(expected);
    }
  });

  test('in array / not in array test membership of list columns', async () => {
    const events = await allPages(mock, '/events');
    const lat = events[0].place_coordinates[0];
    const having = ids(events.filter((e) => e.place_coordinates.includes(lat)));
    expect(ids(await filtered('/events', { where: [{ column: 'place_coordinates', operator: 'in array', value: lat }] }))).toEqual(having);
    expect(ids(await filtered('/events', { where: [{ column: 'place_coordinates', operator: 'not in array', value: [lat] }] }))).toEqual(ids(events.filter((e) => !e.place_coordinates.includes(lat))));
  });

  test('orderBy on other columns, several keys, ties by id', async () => {
    const got = await filtered('/orders', { orderBy: { price: 'desc', id: 'asc' } });
    const expected = [...orders].sort((a, b) => b.price - a.price || a.id - b.id);
    expect(ids(got)).toEqual(ids(expected));
  });

  test('where and orderBy as JSON query parameters give the same answer as the body', async () => {
    const where = [{ column: 'payed', value: 0 }];
    const orderBy = { id: 'desc' };
    const fromBody = await rest(mock, 'GET', '/orders', { body: { where, orderBy, page: 1 } });
    const fromQuery = await rest(mock, 'GET', '/orders', { query: { where: JSON.stringify(where), orderBy: JSON.stringify(orderBy), page: '1' } });
    expect(fromQuery.status).toBe(200);
    expect(fromQuery.text).toBe(fromBody.text);
  });

  test('events where is_active=1 (3.2 as documented); the spec column "active" does not exist and gives an empty list', async () => {
    const events = await allPages(mock, '/events');
    expect(ids(await filtered('/events', { where: [{ column: 'is_active', value: 1 }] }))).toEqual(ids(events.filter((e) => e.is_active === 1)));
    const spec = await rest(mock, 'GET', '/events', { body: { where: [{ column: 'active', value: 1 }], page: 1 } });
    expect(spec.json).toEqual({ data: [], paging: { perPage: 10, currentPage: 1, total: 0 } });
  });

  test('an unknown where column (7.5) answers 200 with an empty list (assumed behaviour)', async () => {
    const answer = await rest(mock, 'GET', '/orders', { body: { where: [{ column: 'invalid_column', value: 1 }] } });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ data: [], paging: { perPage: 50, currentPage: 1, total: 0 } });
  });

  test('a malformed filter is refused with 400 VALIDATION_ERROR', async () => {
    for (const body of [{ where: { column: 'payed' } }, { where: [{ value: 1 }] }, { where: [{ column: 'payed', operator: 'like', value: 1 }] }, { orderBy: ['id'] }]) {
      const answer = await rest(mock, 'GET', '/orders', { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.code).toBe('VALIDATION_ERROR');
    }
  });

  test('filters work on clients, discounts and promo codes too', async () => {
    const promos = await allPages(mock, '/promo-codes');
    const discountId = promos[0].discount_id;
    const got = await filtered('/promo-codes', { where: [{ column: 'discount_id', value: discountId }, { column: 'deleted_at', operator: 'null' }] });
    expect(ids(got)).toEqual(ids(promos.filter((p) => p.discount_id === discountId && p.deleted_at === null)));
    const clients = await allPages(mock, '/clients');
    const email = clients[7].email;
    expect(ids(await filtered('/clients', { where: [{ column: 'email', value: email.toUpperCase() }] }))).toEqual([clients[7].id]);
  });
});

describe('mock filters, mode ignore', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startTestMock({ filterMode: 'ignore' });
  });
  afterAll(() => mock.close());

  test('where and orderBy are accepted and ignored, in the body and in the query; page still applies', async () => {
    const plain = await rest(mock, 'GET', '/orders', { body: { page: 2 } });
    const withBody = await rest(mock, 'GET', '/orders', { body: { where: [{ column: 'payed', value: 0 }], orderBy: { id: 'desc' }, page: 2 } });
    const withQuery = await rest(mock, 'GET', '/orders', { query: { where: JSON.stringify([{ column: 'payed', value: 0 }]), page: '2' } });
    expect(withBody.status).toBe(200);
    expect(withBody.text).toBe(plain.text);
    expect(withQuery.text).toBe(plain.text);
    expect(withBody.json.data.some((o: any) => o.payed)).toBe(true);
  });
});

describe('mock filters, mode 503', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startTestMock({ filterMode: '503' });
  });
  afterAll(() => mock.close());

  test('a where in the query string of /orders answers the observed 503, as live (with or without orderBy)', async () => {
    const observed = { error: 'unknown error', status: 503, code: 'UNKNOWN_ERROR' };
    const where = JSON.stringify([{ column: 'payed_at', operator: '>=', value: '2025-01-01T00:00:00+03:00' }]);
    const queries: Record<string, string>[] = [{ where, orderBy: JSON.stringify({ id: 'asc' }) }, { where }, { where: 'not json' }];
    for (const query of queries) {
      const answer = await rest(mock, 'GET', '/orders', { query });
      expect(answer.status).toBe(503);
      expect(answer.json).toEqual(observed);
      expect(answer.headers['x-cache-status']).toBeUndefined();
      expect(answer.headers.vary).toBeUndefined();
    }
  });

  test('everything live answered 200 keeps answering 200: GET /events?where=…, plain order lists, simple parameters', async () => {
    const events = await rest(mock, 'GET', '/events', { query: { where: JSON.stringify([{ column: 'deleted_at', operator: 'null' }]), per_page: '5' } });
    expect(events.status).toBe(200);
    expect(events.json.data.length).toBeGreaterThan(0);
    expect(events.json.data.every((e: any) => e.deleted_at === null)).toBe(true);
    expect((await rest(mock, 'GET', '/orders', { body: { page: 2 } })).json.paging.currentPage).toBe(2);
    expect((await rest(mock, 'GET', '/orders', { query: { payed: '1', per_page: '200' } })).json.data).toHaveLength(50);
    expect((await rest(mock, 'GET', '/orders/' + (await rest(mock, 'GET', '/orders')).json.data[0].id)).status).toBe(200);
  });

  test('filters never observed live (a body where, orderBy alone, other lists) are honoured, not refused', async () => {
    const unpaid = await rest(mock, 'GET', '/orders', { body: { where: [{ column: 'payed', value: 0 }] } });
    expect(unpaid.status).toBe(200);
    expect(unpaid.json.data.length).toBeGreaterThan(0);
    expect(unpaid.json.data.every((o: any) => o.payed === false)).toBe(true);
    const newestFirst = await rest(mock, 'GET', '/orders', { query: { orderBy: JSON.stringify({ id: 'desc' }) } });
    expect(newestFirst.status).toBe(200);
    const ids = newestFirst.json.data.map((o: any) => o.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect((await rest(mock, 'GET', '/clients', { query: { where: JSON.stringify([{ column: 'id', operator: '>', value: 0 }]) } })).status).toBe(200);
  });
});
