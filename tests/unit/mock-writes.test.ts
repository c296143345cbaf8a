import type { MockServer } from '../../support/mock/server.ts';
import { allPages, rest, startTestMock } from '../helpers/mock-helpers.ts';

/** Writes change the tenant, and later reads (single items, lists, seats, barcodes) see the change. */

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/;

async function flatSeat(mock: MockServer, showId: number, seatId: string): Promise<any> {
  const answer = await rest(mock, 'GET', `/shows/${showId}/seats`, { body: { flat: true, where: [{ column: 'root_id', value: seatId }] } });
  return Object.values<any>(answer.json.data)[0];
}

describe('mock writes: orders and baskets', () => {
  let mock: MockServer;
  let orders: any[];
  beforeAll(async () => {
    mock = await startTestMock();
    orders = await allPages(mock, '/orders');
  });
  afterAll(() => mock.close());

  const paidWithBaskets = (n: number, skip = 0) => orders.filter((o) => o.payed && o.baskets.length >= n)[skip];

  test('DELETE /orders/{id}/baskets {delete}: the basket is deleted, its seat freed, its barcode gone; later reads agree', async () => {
    const order = paidWithBaskets(2);
    const [basket, other] = order.baskets;
    const seatBefore = await flatSeat(mock, basket.show_id, basket.seat_id);
    const answer = await rest(mock, 'DELETE', `/orders/${order.id}/baskets`, { body: { delete: { baskets: { [basket.id]: [] } } } });
    expect(answer.status).toBe(200);
    const deleted = answer.json.data.baskets.find((b: any) => b.id === basket.id);
    expect(deleted).toMatchObject({ barcode: null, pdf_url: null, passbook_url: null, ticket_amount: 0, refunded_amount: 0, refunded_deduction_amount: 0 });
    expect(deleted.deleted_at).toMatch(ISO);
    expect(answer.json.data.baskets.find((b: any) => b.id === other.id)).toEqual(other);
    expect(answer.json.data.deleted_at).toBeNull();
    expect((await rest(mock, 'GET', `/orders/${order.id}`)).json).toEqual(answer.json);
    const page = (await rest(mock, 'GET', '/orders', { body: { page: Math.floor(orders.indexOf(order) / 50) + 1 } })).json.data;
    expect(page.find((o: any) => o.id === order.id)).toEqual(answer.json.data);
    const seatAfter = await flatSeat(mock, basket.show_id, basket.seat_id);
    expect(seatAfter.payed_quantity).toBe(seatBefore.payed_quantity - 1);
    expect(seatAfter.free_quantity).toBe(seatBefore.free_quantity + 1);
    expect((await rest(mock, 'GET', `/shows/${basket.show_id}/barcodes`)).json.map((b: any) => b.barcode)).not.toContain(basket.barcode);
    expect((await rest(mock, 'GET', `/shows/${basket.show_id}/barcode/${basket.barcode}`)).status).toBe(404);
    expect((await rest(mock, 'DELETE', `/orders/${order.id}/baskets`, { body: { delete: { baskets: { [basket.id]: [] } } } })).json.code).toBe('VALIDATION_ERROR');
  });

  test('deleting every basket cancels the order; unknown orders and baskets are 404', async () => {
    const order = paidWithBaskets(1, 3);
    const baskets = Object.fromEntries(order.baskets.map((b: any) => [b.id, []]));
    const answer = await rest(mock, 'DELETE', `/orders/${order.id}/baskets`, { body: { delete: { baskets } } });
    expect(answer.json.data.deleted_at).toMatch(ISO);
    expect((await rest(mock, 'DELETE', `/orders/999999999/baskets`, { body: { delete: { baskets: { 1: [] } } } })).json.info).toEqual({ id: 999999999, resource: 'Order' });
    expect((await rest(mock, 'DELETE', `/orders/${order.id}/baskets`, { body: { delete: { baskets: { 5: [] } } } })).json.info).toEqual({ id: 5, resource: 'Basket' });
    expect((await rest(mock, 'DELETE', `/orders/${order.id}/baskets`, { body: {} })).json.code).toBe('VALIDATION_ERROR');
  });

  test('refund by amount fills refunded_at, refunded_amount, refunded_deduction_amount and refunds[]', async () => {
    const order = paidWithBaskets(2, 1);
    const basket = order.baskets[1];
    const amount = Math.min(150, basket.price);
    const answer = await rest(mock, 'DELETE', `/orders/${order.id}/baskets`, { body: { refund: { amount, baskets: { [basket.id]: [] } } } });
    expect(answer.status).toBe(200);
    const refunded = answer.json.data.baskets.find((b: any) => b.id === basket.id);
    expect(refunded.refunded_at).toMatch(ISO);
    expect([refunded.refunded_amount, refunded.refunded_deduction_amount]).toEqual([amount, basket.price - amount]);
    expect(refunded.refunds).toHaveLength(1);
    expect(answer.json.data.refunds).toEqual([expect.objectContaining({ amount, deduction_amount: basket.price - amount, baskets: [basket.id] })]);
    expect((await rest(mock, 'GET', `/orders/${order.id}`)).json).toEqual(answer.json);
    // The refunded ticket is no longer valid.
    expect((await rest(mock, 'GET', `/shows/${basket.show_id}/barcode/${basket.barcode}`)).status).toBe(404);
  });

  test('refund by deduction_amount; both, neither, too much, or an unpaid basket are refused', async () => {
    const order = paidWithBaskets(3, 2);
    const basket = order.baskets[2];
    const path = `/orders/${order.id}/baskets`;
    const deduction = Math.floor(basket.price / 10);
    const answer = await rest(mock, 'DELETE', path, { body: { refund: { deduction_amount: deduction, baskets: { [basket.id]: [] } } } });
    const refunded = answer.json.data.baskets.find((b: any) => b.id === basket.id);
    expect([refunded.refunded_amount, refunded.refunded_deduction_amount]).toEqual([basket.price - deduction, deduction]);
    const other = order.baskets[0];
    const cancelled = orders.find((o) => !o.payed);
    for (const body of [
      { refund: { amount: 1, deduction_amount: 1, baskets: { [other.id]: [] } } },
      { refund: { baskets: { [other.id]: [] } } },
      { refund: { amount: other.price + 1, baskets: { [other.id]: [] } } },
    ]) {
      expect((await rest(mock, 'DELETE', path, { body })).json.code, JSON.stringify(body)).toBe('VALIDATION_ERROR');
    }
    expect((await rest(mock, 'DELETE', `/orders/${cancelled.id}/baskets`, { body: { refund: { amount: 1, baskets: { [cancelled.baskets[0].id]: [] } } } })).status).toBe(400);
    expect((await rest(mock, 'GET', `/orders/${order.id}`)).json.data.baskets.find((b: any) => b.id === other.id)).toEqual(other);
  });

  test('POST /orders/{id}/restore undeletes a cancelled order and re-reserves its seats; an order with refunds is refused', async () => {
    const cancelled = orders.find((o) => !o.payed && o.refunds.length === 0);
    const basket = cancelled.baskets[0];
    const before = await flatSeat(mock, basket.show_id, basket.seat_id);
    const answer = await rest(mock, 'POST', `/orders/${cancelled.id}/restore`, { body: {} });
    expect(answer.status).toBe(200);
    expect(answer.json.data.deleted_at).toBeNull();
    expect(answer.json.data.baskets.every((b: any) => b.deleted_at === null)).toBe(true);
    expect((await rest(mock, 'GET', `/orders/${cancelled.id}`)).json.data.deleted_at).toBeNull();
    const sameSeat = cancelled.baskets.filter((b: any) => b.show_id === basket.show_id && b.seat_id === basket.seat_id).length;
    expect((await flatSeat(mock, basket.show_id, basket.seat_id)).ordered_quantity).toBe(before.ordered_quantity + sameSeat);
    expect((await rest(mock, 'POST', `/orders/${cancelled.id}/restore`, { body: {} })).json).toEqual(answer.json);

    const withRefund = paidWithBaskets(2, 1); // refunded in an earlier test
    const refused = await rest(mock, 'POST', `/orders/${withRefund.id}/restore`, { body: {} });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ code: 'VALIDATION_ERROR', error: 'An order with refunds cannot be restored.' });
  });

  test('PUT /baskets/{id} {data}: client fields change; price fields only while the order is unpaid', async () => {
    const order = paidWithBaskets(2, 4);
    const basket = order.baskets[1];
    const answer = await rest(mock, 'PUT', `/baskets/${basket.id}`, { body: { data: { client_name: 'Новое Имя', client_surname: 'Новая Фамилия', client_phone: '+79991234567' } } });
    expect(answer.status).toBe(200);
    expect(answer.json.data).toEqual({ ...basket, client_name: 'Новое Имя', client_surname: 'Новая Фамилия', updated_at: answer.json.data.updated_at });
    expect((await rest(mock, 'GET', `/orders/${order.id}`)).json.data.baskets[1].client_name).toBe('Новое Имя');

    const paidPrice = await rest(mock, 'PUT', `/baskets/${basket.id}`, { body: { data: { ticket_original_price: 1, discount_value: 0 } } });
    expect(paidPrice.status).toBe(400);
    expect(paidPrice.json.code).toBe('VALIDATION_ERROR');

    const restored = orders.filter((o) => !o.payed && o.refunds.length === 0)[1];
    await rest(mock, 'POST', `/orders/${restored.id}/restore`, { body: {} });
    const unpaid = restored.baskets[0];
    const priced = await rest(mock, 'PUT', `/baskets/${unpaid.id}`, { body: { data: { ticket_original_price: 1000, discount_value: 100, multiprice_code: 'preferential' } } });
    expect(priced.json.data).toMatchObject({ ticket_original_price: 1000, original_price: 1000, discount_value: 100, price: 900, multiprice_code: 'preferential' });
    const reread = (await rest(mock, 'GET', `/orders/${restored.id}`)).json.data;
    expect(reread.price).toBe(reread.baskets.reduce((s: number, b: any) => s + b.price, 0));

    expect((await rest(mock, 'PUT', '/baskets/1', { body: { data: { client_name: 'x' } } })).json.info).toEqual({ id: 1, resource: 'Basket' });
    expect((await rest(mock, 'PUT', `/baskets/${basket.id}`, { body: { client_name: 'x' } })).json.code).toBe('VALIDATION_ERROR');
  });
});

describe('mock writes: clients, events, promo codes', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startTestMock();
  });
  afterAll(() => mock.close());

  test('POST /clients creates a client, then updates it by email (any case); reads see both', async () => {
    const total = (await rest(mock, 'GET', '/clients')).json.paging.total;
    const created = await rest(mock, 'POST', '/clients', { body: { data: { email: 'test@example.com', details: { name: 'Тестовый', surname: 'Покупатель', middlename: 'Тестович', phone: '+79001234567' } } } });
    expect(created.status).toBe(200);
    expect(created.json.data).toMatchObject({ email: 'test@example.com', details: { name: 'Тестовый', surname: 'Покупатель', middlename: 'Тестович', phone: '+79001234567', vk_id: '', facebook_id: '' } });
    expect(Object.keys(created.json.data.details)).toEqual(['id', 'name', 'middlename', 'surname', 'phone', 'vk_id', 'facebook_id']);
    const id = created.json.data.id;
    expect((await rest(mock, 'GET', `/clients/${id}`)).json).toEqual(created.json);
    expect((await rest(mock, 'GET', '/clients')).json.paging.total).toBe(total + 1);

    const updated = await rest(mock, 'POST', '/clients', { body: { data: { email: 'TEST@example.com', details: { name: 'Обновлённое Имя' } } } });
    expect(updated.json.data).toMatchObject({ id, email: 'test@example.com', details: { name: 'Обновлённое Имя', surname: 'Покупатель' } });
    expect((await rest(mock, 'GET', '/clients')).json.paging.total).toBe(total + 1);
    const last = (await rest(mock, 'GET', '/clients', { body: { page: Math.ceil((total + 1) / 100) } })).json.data.at(-1);
    expect(last).toEqual(updated.json.data);
  });

  test('POST /clients with a generated client\'s email updates that client, and its orders show the change (2.4)', async () => {
    const order = (await rest(mock, 'GET', '/orders')).json.data[0];
    const answer = await rest(mock, 'POST', '/clients', { body: { data: { email: order.client.email, details: { name: 'Обновлённое Имя', phone: '+79009876543' } } } });
    expect(answer.json.data).toEqual({ ...order.client, details: { ...order.client.details, name: 'Обновлённое Имя', phone: '+79009876543' } });
    expect((await rest(mock, 'GET', `/orders/${order.id}`)).json.data.client).toEqual(answer.json.data);
    expect((await rest(mock, 'POST', '/clients', { body: { data: { email: 'not-an-email' } } })).json.code).toBe('VALIDATION_ERROR');
  });

  test('POST /events creates an event with its shows (dates on shows, +03:00); PUT /events/{id} edits it', async () => {
    const list = (await rest(mock, 'GET', '/events')).json;
    const created = await rest(mock, 'POST', '/events', {
      body: { data: { name: 'Тестовое мероприятие', description: 'Описание мероприятия', shows: [{ start_date: '2025-12-01T19:00:00+03:00', finish_date: '2025-12-01T22:00:00+03:00' }] } },
    });
    expect(created.status).toBe(200);
    const event = created.json.data;
    expect(Object.keys(event)).toEqual(Object.keys(list.data[0]));
    expect(Object.keys(event.shows[0])).toEqual(Object.keys(list.data[0].shows[0]));
    expect(event).toMatchObject({ name: 'Тестовое мероприятие', description: 'Описание мероприятия', is_active: 1, deleted_at: null });
    expect(event.shows).toHaveLength(1);
    expect([event.shows[0].start_date, event.shows[0].finish_date]).toEqual(['2025-12-01T19:00:00+03:00', '2025-12-01T22:00:00+03:00']);
    expect(event.id).toBeGreaterThan(Math.max(...list.data.map((e: any) => e.id)));
    expect((await rest(mock, 'GET', `/events/${event.id}`)).json).toEqual(created.json);
    expect((await rest(mock, 'GET', '/events')).json.paging.total).toBe(list.paging.total + 1);
    const where = [{ column: 'available', value: false }, { column: 'disabled', value: false }, { column: 'spread.users', operator: 'null' }];
    const seats = await rest(mock, 'GET', `/shows/${event.shows[0].id}/seats`, { body: { flat: true, where } });
    expect(seats.json).toEqual({ data: [] }); // a new show has sold nothing: only disabled and quota seats are unavailable

    const edited = await rest(mock, 'PUT', `/events/${event.id}`, { body: { data: { name: 'Обновлённое название', description: 'Новое описание' } } });
    expect(edited.json.data).toMatchObject({ id: event.id, name: 'Обновлённое название', description: 'Новое описание' });
    expect((await rest(mock, 'GET', `/events/${event.id}`)).json.data.name).toBe('Обновлённое название');
    const withShow = await rest(mock, 'PUT', `/events/${event.id}`, { body: { data: { shows: [{ id: event.shows[0].id, finish_date: '2025-12-01T23:00:00+03:00' }, { start_date: '2025-12-02T19:00:00+03:00' }] } } });
    expect(withShow.json.data.shows.map((s: any) => s.finish_date)).toEqual(['2025-12-01T23:00:00+03:00', '2025-12-02T21:00:00+03:00']);

    expect((await rest(mock, 'PUT', '/events/999999999', { body: { data: { name: 'x' } } })).status).toBe(404);
    expect((await rest(mock, 'POST', '/events', { body: { data: { name: 'x', shows: [{ finish_date: '2025-12-01T22:00:00+03:00' }] } } })).json.code).toBe('VALIDATION_ERROR');
    expect((await rest(mock, 'GET', '/events')).json.paging.total).toBe(list.paging.total + 1);
  });

  test('POST /promo-codes with the documented body; PUT /promo-codes/{id} edits it (discount_id ignored)', async () => {
    const total = (await rest(mock, 'GET', '/promo-codes')).json.paging.total;
    const discount = (await rest(mock, 'GET', '/discounts')).json.data.find((d: any) => !d.deleted_at);
    const created = await rest(mock, 'POST', '/promo-codes', {
      body: { data: { is_active: 1, discount_id: discount.id, code: 'TESTPROMO2025', max_uses_count: 1, active_from: '2025-01-01T00:00:00+03:00', active_to: '2025-12-31' } },
    });
    expect(created.status).toBe(200);
    expect(created.json.data).toMatchObject({ is_active: 1, type: 0, discount_id: discount.id, code: 'TESTPROMO2025', max_uses_count: 1, active_from: '2025-01-01T00:00:00+03:00', active_to: '2025-12-31T00:00:00+03:00', deleted_at: null });
    const id = created.json.data.id;
    expect((await rest(mock, 'GET', `/promo-codes/${id}`)).json).toEqual(created.json);
    expect((await rest(mock, 'GET', '/promo-codes')).json.paging.total).toBe(total + 1);

    const edited = await rest(mock, 'PUT', `/promo-codes/${id}`, { body: { data: { max_uses_count: 2, active_to: '2026-01-31T23:59:59+03:00', discount_id: 1 } } });
    expect(edited.json.data).toMatchObject({ id, max_uses_count: 2, active_to: '2026-01-31T23:59:59+03:00', discount_id: discount.id });
    expect((await rest(mock, 'GET', '/promo-codes', { body: { where: [{ column: 'code', value: 'TESTPROMO2025' }] } })).json.data).toEqual([edited.json.data]);

    expect((await rest(mock, 'POST', '/promo-codes', { body: { data: { code: 'X', discount_id: 1 } } })).json.code).toBe('VALIDATION_ERROR');
    expect((await rest(mock, 'POST', '/promo-codes', { body: { data: { code: 'X', discount_id: discount.id, active_to: 'soon' } } })).json.code).toBe('VALIDATION_ERROR');
    expect((await rest(mock, 'PUT', '/promo-codes/1', { body: { data: { max_uses_count: 2 } } })).json.info).toEqual({ id: 1, resource: 'PromoCode' });
  });
});
