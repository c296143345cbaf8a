import type { MockServer } from '../../support/mock/server.ts';
import { LIVE_SIZE } from '../../support/mock/tenant.ts';
import { partners, rest, startTestMock } from '../helpers/mock-helpers.ts';

/** Tenant modes (§11), determinism, and the live scale. */

const DOCUMENTED = [
  ['/orders/4360', 'Order'], ['/orders/11538', 'Order'], ['/clients/235', 'Client'], ['/events/12', 'Event'], ['/events/33', 'Event'],
  ['/events/1240', 'Event'], ['/discounts/45', 'Discount'], ['/promo-codes/13513', 'PromoCode'],
] as const;

describe('doc tenant: the documented example ids exist', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startTestMock({ tenant: 'doc' });
  });
  afterAll(() => mock.close());

  test.each(DOCUMENTED)('GET %s answers 200', async (path) => {
    const answer = await rest(mock, 'GET', path);
    expect(answer.status).toBe(200);
    expect(answer.json.data.id).toBe(Number(path.split('/')[2]));
  });

  test('order 4360: client 235, event 33, the three documented baskets on show 41', async () => {
    const order = (await rest(mock, 'GET', '/orders/4360')).json.data;
    expect([order.client_id, order.client.id, order.event_id, order.payed]).toEqual([235, 235, 33, true]);
    expect(order.baskets.map((b: any) => [b.id, b.seat_id, b.price, b.show_id])).toEqual([
      [63993, 'CENTER_PARTERRE-21;12', 150, 41],
      [63994, 'CENTER_PARTERRE-21;11', 150, 41],
      [63995, 'CENTER_BALCONY-1;14', 500, 41],
    ]);
    expect(order.price).toBe(800);
  });

  test('the documented write examples work: basket 140844 (PUT) and order 11538 (restore)', async () => {
    const basket = await rest(mock, 'PUT', '/baskets/140844', { body: { data: { client_name: 'Иван', ticket_original_price: 100, discount_value: 0 } } });
    expect(basket.json.data).toMatchObject({ id: 140844, client_name: 'Иван', price: 100 });
    const restored = await rest(mock, 'POST', '/orders/11538/restore', { body: {} });
    expect(restored.json.data).toMatchObject({ id: 11538, deleted_at: null });
    expect((await rest(mock, 'DELETE', '/orders/4360/baskets', { body: { delete: { baskets: { 63993: [] } } } })).status).toBe(200);
  });

  test('the first show of the first event (12/20) has sold tickets, so barcode discovery finds one there', async () => {
    const [first] = (await rest(mock, 'GET', '/events')).json.data;
    expect([first.id, first.shows[0].id]).toEqual([12, 20]);
    expect((await rest(mock, 'GET', '/shows/20/barcodes')).json.length).toBeGreaterThan(0);
  });

  test('event 12 has shows 20, 21, 4076 and event 33 show 41, all on Partners sale', async () => {
    expect((await rest(mock, 'GET', '/events/12')).json.data.shows.map((s: any) => s.id)).toEqual([20, 21, 4076]);
    expect((await rest(mock, 'GET', '/events/33')).json.data.shows.map((s: any) => s.id)).toEqual([41]);
    const listed = (await partners(mock, 'GET', '/events/lists')).json.result.map((i: any) => `${i.event_id}/${i.show_id}`);
    expect(listed).toEqual(expect.arrayContaining(['12/20', '12/21', '12/4076', '33/41']));
  });

  test('the spec Partners requests run on the documented ids (6.1, 6.8); show 41 is not event 12\'s', async () => {
    const check = await partners(mock, 'POST', '/tickets/check/12/4076', { body: { batch: [{ seat_id: 'CENTER_PARTERRE-20;5', offer_id: 'preferential' }, { seat_id: 'CENTER_PARTERRE-20;6', offer_id: 'full' }] } });
    expect(check.json.result.map((r: any) => r.available)).toEqual([true, true]);
    const added = await partners(mock, 'POST', '/tickets/add/12/4076', { body: { seat_id: 'CENTER_PARTERRE-20;5', offer_id: 'full', external_id: 'ticket12345', external_order_id: 'order67890', price: 1500.5, paid: 1 } });
    expect(added.json).toMatchObject({ status: 'success', event_id: 12, show_id: 4076, result: { seat_id: 'CENTER_PARTERRE-20;5' } });
    expect((await partners(mock, 'POST', '/tickets/check/12/41', { body: {} })).json).toMatchObject({ status: 'error', code: 'EVENT_NOT_FOUND' });
    expect((await partners(mock, 'GET', '/events/seats/12')).json.code).toBe('VALIDATION_ERROR');
    expect((await partners(mock, 'GET', '/events/seats/12/21')).json.status).toBe('success');
  });
});

describe('live tenant: live-like ids, the documented ids answer 404', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startTestMock();
  });
  afterAll(() => mock.close());

  test.each(DOCUMENTED)('GET %s answers 404 %s', async (path, resource) => {
    const answer = await rest(mock, 'GET', path);
    expect(answer.status).toBe(404);
    expect(answer.json.info).toEqual({ id: Number(path.split('/')[2]), resource });
  });

  test('lists start at the live first ids', async () => {
    const first = async (path: string) => (await rest(mock, 'GET', path)).json.data[0];
    expect((await first('/orders')).id).toBe(1_614_202);
    expect((await first('/clients')).id).toBe(1_265);
    expect((await first('/events')).id).toBe(24_089);
    expect((await first('/events')).shows[0].id).toBe(152_887);
    expect((await first('/discounts')).id).toBe(6_840);
    expect((await first('/promo-codes')).id).toBe(187_162);
    expect((await first('/orders')).baskets[0].id).toBeGreaterThan(12_361_332);
  });

  test('the documented shows and Partners ids do not exist', async () => {
    expect((await rest(mock, 'GET', '/shows/41/seats')).status).toBe(404);
    expect((await partners(mock, 'POST', '/tickets/add/12/4076', { body: { seat_id: 'CENTER_PARTERRE-20;5', paid: 1 } })).json).toMatchObject({ status: 'error', code: 'EVENT_NOT_FOUND' });
  });
});

describe('determinism', () => {
  const PROBES: [string, 'rest' | 'partners', string, unknown?][] = [
    ['orders p1', 'rest', '/orders'],
    ['orders p3', 'rest', '/orders', { page: 3 }],
    ['clients p2', 'rest', '/clients', { page: 2 }],
    ['events p1', 'rest', '/events'],
    ['events p3', 'rest', '/events', { page: 3 }],
    ['discounts', 'rest', '/discounts'],
    ['promo codes', 'rest', '/promo-codes'],
    ['flat seats', 'rest', '/shows/152887/seats', { flat: true }],
    ['barcodes', 'rest', '/shows/152887/barcodes'],
    ['partner events', 'partners', '/events/lists'],
  ];
  const snapshot = async (mock: MockServer) => {
    const out: Record<string, string> = {};
    for (const [name, api, path, body] of PROBES) out[name] = (await (api === 'rest' ? rest : partners)(mock, 'GET', path, { body })).text;
    return out;
  };

  test('the same seed gives the same bytes; another seed gives other data of the same size', async () => {
    const [a, b, c] = await Promise.all([startTestMock({ seed: 7 }), startTestMock({ seed: 7 }), startTestMock({ seed: 8 })]);
    try {
      const [sa, sb, sc] = await Promise.all([snapshot(a), snapshot(b), snapshot(c)]);
      expect(sb).toEqual(sa);
      expect(JSON.parse(sa['orders p1']).data).toHaveLength(50);
      expect(sc['orders p1']).not.toBe(sa['orders p1']);
      expect(JSON.parse(sc['orders p1']).paging).toEqual(JSON.parse(sa['orders p1']).paging);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  test('an entity is the same whatever was rendered before it (persons come from a pool filled on demand)', async () => {
    const [a, b] = await Promise.all([startTestMock({ seed: 7 }), startTestMock({ seed: 7 })]);
    try {
      const clients = async (mock: MockServer) => (await rest(mock, 'GET', '/clients', { body: { page: 2 } })).text;
      const first = await clients(a);
      for (let page = 1; page <= 4; page++) await rest(b, 'GET', '/orders', { body: { page } });
      expect(await clients(b)).toBe(first);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('live scale', () => {
  test('126k orders, 93k clients, 223 events: starts with bounded memory, pages and filters answer correctly', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const mock = await startTestMock({ size: LIVE_SIZE });
    try {
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(250 * 2 ** 20);
      const totals = await Promise.all(['/orders', '/clients', '/events'].map(async (p) => (await rest(mock, 'GET', p)).json.paging.total));
      expect(totals).toEqual([LIVE_SIZE.orders, LIVE_SIZE.clients, LIVE_SIZE.events]);
      expect((await rest(mock, 'GET', '/events')).json.paging).toEqual({ perPage: 10, currentPage: 1, total: 223 });
      const last = await rest(mock, 'GET', '/orders', { body: { page: Math.ceil(LIVE_SIZE.orders / 50) } });
      expect(last.json.data).toHaveLength(LIVE_SIZE.orders % 50 || 50);
      const paid = (await rest(mock, 'GET', '/orders', { body: { where: [{ column: 'payed', value: 1 }] } })).json.paging.total;
      const unpaid = (await rest(mock, 'GET', '/orders', { body: { where: [{ column: 'payed', value: 0 }] } })).json.paging.total;
      expect(paid + unpaid).toBe(LIVE_SIZE.orders);
      expect(paid / LIVE_SIZE.orders).toBeCloseTo(0.8, 2);
      const recent = await rest(mock, 'GET', '/orders', { body: { where: [{ column: 'created_at', operator: '>=', value: '2025-01-01T00:00:00+03:00' }], orderBy: { id: 'desc' } } });
      expect(recent.json.data.every((o: any) => Date.parse(o.created_at) >= Date.parse('2025-01-01T00:00:00+03:00'))).toBe(true);
      expect(recent.json.paging.total).toBeGreaterThan(0);
    } finally {
      await mock.close();
    }
  });
});
