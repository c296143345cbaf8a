import type { MockServer } from '../../support/mock/server.ts';
import { allPages, rest, startTestMock } from '../helpers/mock-helpers.ts';

/** GET /shows/{id}/seats (§7.7: zone form, flat form with select/where/context) and the bare barcode answers. */

const FLAT_TYPES: Record<string, string> = {
  id: 'string', root_id: 'string', name: 'string', zone_id: 'string', zone_root_id: 'string', short_seat_id: 'string', row: 'string', place: 'string',
  admission: 'boolean', available: 'boolean', disabled: 'boolean', ordered: 'boolean', max_quantity: 'number', free_quantity: 'number',
  ordered_quantity: 'number', payed_quantity: 'number', in_basket_quantity: 'number', price: 'number', currency_id: 'string',
};

describe('mock seats and barcodes', () => {
  let mock: MockServer;
  let orders: any[];
  let events: any[];
  /** A multi-show hall show that sold tickets, and per seat id its paid baskets. */
  let hallShow: number;
  let soldInHall: Map<string, number>;

  beforeAll(async () => {
    mock = await startTestMock();
    orders = await allPages(mock, '/orders');
    events = await allPages(mock, '/events');
    const liveBaskets = (showId: number) => orders.filter((o) => o.payed).flatMap((o) => o.baskets.filter((b: any) => b.show_id === showId && !b.deleted_at));
    const halls = events.filter((e) => e.shows.some((s: any) => Object.keys(s.scheme_properties.zones).includes('CENTER_PARTERRE')));
    hallShow = halls.flatMap((e) => e.shows).find((s: any) => liveBaskets(s.id).length > 2).id;
    soldInHall = new Map();
    for (const b of liveBaskets(hallShow)) soldInHall.set(b.seat_id, (soldInHall.get(b.seat_id) ?? 0) + 1);
  });
  afterAll(() => mock.close());

  test('zone form (no body, or flat:false): zones keyed by id with their seats, and no availability', async () => {
    const plain = await rest(mock, 'GET', `/shows/${hallShow}/seats`);
    expect((await rest(mock, 'GET', `/shows/${hallShow}/seats`, { body: { flat: false } })).text).toBe(plain.text);
    expect(Object.keys(plain.json)).toEqual(['data']);
    const zones = plain.json.data;
    expect(Object.keys(zones)).toEqual(['CENTER_PARTERRE', 'CENTER_BALCONY', 'FAN_ZONE']);
    const parterre = zones.CENTER_PARTERRE;
    expect(Object.keys(parterre)).toEqual(['zone_id', 'name', 'description', 'seats']);
    expect(parterre.seats['21;12']).toEqual({ seat_id: 'CENTER_PARTERRE-21;12', admission: false });
    expect(zones.FAN_ZONE.seats['1;1']).toEqual({ seat_id: 'FAN_ZONE-1;1', admission: true });
    expect(plain.text).not.toMatch(/available|free_quantity|price/);
  });

  test('flat form: one entry per tariff and seat, keyed by id with the tariff prefix, typed as documented', async () => {
    const answer = await rest(mock, 'GET', `/shows/${hallShow}/seats`, { body: { flat: true } });
    const entries = Object.entries<any>(answer.json.data);
    expect(entries.length).toBe(2 * (22 * 16 + 4 * 16 + 1)); // full and preferential tariffs
    for (const [key, seat] of entries) {
      expect(seat.id).toBe(key);
      expect(key).toBe(`${seat.multiprice_code}_${seat.root_id}`);
      expect(seat.short_seat_id).toBe(`${seat.row};${seat.place}`);
      for (const [field, type] of Object.entries(FLAT_TYPES)) expect(typeof seat[field], `${key}.${field}`).toBe(type);
      expect(seat.free_quantity).toBe(Math.max(0, seat.max_quantity - seat.payed_quantity - seat.ordered_quantity));
      expect(seat.free_quantity).toBeLessThanOrEqual(seat.max_quantity);
      expect(seat.coords).toHaveLength(2);
      expect(Object.keys(seat.spread)).toEqual(['agents', 'partner_id', 'users', 'client_groups', 'client_emails']);
    }
    const full = answer.json.data['full_CENTER_PARTERRE-3;3'];
    const preferential = answer.json.data['preferential_CENTER_PARTERRE-3;3'];
    expect(preferential.price).toBe(Math.round((full.price * 0.7) / 10) * 10);
  });

  test('flat stock matches the paid baskets of the orders (sold seats are not available)', async () => {
    const data = (await rest(mock, 'GET', `/shows/${hallShow}/seats`, { body: { flat: true } })).json.data;
    const full = Object.values<any>(data).filter((s) => s.id.startsWith('full_'));
    for (const seat of full) expect(seat.payed_quantity, seat.root_id).toBe(soldInHall.get(seat.root_id) ?? 0);
    const soldSeated = full.filter((s) => !s.admission && s.payed_quantity > 0);
    expect(soldSeated.length).toBeGreaterThan(0);
    for (const seat of soldSeated) expect([seat.available, seat.free_quantity, seat.ordered]).toEqual([false, 0, true]);
    expect(full.some((s) => s.disabled && !s.available)).toBe(true);
  });

  test('select picks fields, dotted paths nested again; unknown fields are left out', async () => {
    const select = ['id', 'zone_id', 'available', 'max_quantity', 'free_quantity', 'price', 'spread.users', 'no_such_field'];
    const data = (await rest(mock, 'GET', `/shows/${hallShow}/seats`, { body: { flat: true, select } })).json.data;
    for (const seat of Object.values<any>(data)) {
      expect(Object.keys(seat)).toEqual(['id', 'zone_id', 'available', 'max_quantity', 'free_quantity', 'price', 'spread']);
      expect(Object.keys(seat.spread)).toEqual(['users']);
    }
  });

  test('where filters on any field, on dotted paths and on root_zone_id; the query string form works too', async () => {
    const all = Object.values<any>((await rest(mock, 'GET', `/shows/${hallShow}/seats`, { body: { flat: true } })).json.data);
    const where = [{ column: 'root_zone_id', value: 'CENTER_BALCONY' }, { column: 'available', value: true }];
    const balcony = (await rest(mock, 'GET', `/shows/${hallShow}/seats`, { body: { flat: true, where } })).json.data;
    expect(Object.keys(balcony)).toEqual(all.filter((s) => s.zone_root_id === 'CENTER_BALCONY' && s.available).map((s) => s.id));
    const quota = (await rest(mock, 'GET', `/shows/${hallShow}/seats`, { body: { flat: true, where: [{ column: 'spread.users', operator: '!=', value: null }] } })).json.data;
    expect(Object.keys(quota)).toEqual(all.filter((s) => s.spread.users !== null).map((s) => s.id));
    expect(Object.keys(quota).length).toBeGreaterThan(0);
    const viaQuery = await rest(mock, 'GET', `/shows/${hallShow}/seats`, { query: { flat: '1', where: JSON.stringify(where) } });
    expect(Object.keys(viaQuery.json.data)).toEqual(Object.keys(balcony));
    const none = await rest(mock, 'GET', `/shows/${hallShow}/seats`, { body: { flat: true, where: [{ column: 'no_such_field', value: 1 }] } });
    expect(none.json).toEqual({ data: [] });
  });

  test('context: quota seats (spread.users) are available only to their holder', async () => {
    const body = { flat: true, where: [{ column: 'spread.users', operator: '!=', value: null }, { column: 'free_quantity', operator: '>', value: 0 }] };
    const anonymous = Object.values<any>((await rest(mock, 'GET', `/shows/${hallShow}/seats`, { body })).json.data);
    expect(anonymous.length).toBeGreaterThan(0);
    expect(anonymous.every((s) => !s.available)).toBe(true);
    const holder = anonymous[0].spread.users[0];
    const withContext = Object.values<any>((await rest(mock, 'GET', `/shows/${hallShow}/seats`, { body: { ...body, context: { user_id: holder } } })).json.data);
    expect(withContext.every((s) => s.available)).toBe(true);
  });

  test('barcodes: a bare array of {barcode, price, seat_name}, one per paid live basket of the show', async () => {
    const answer = await rest(mock, 'GET', `/shows/${hallShow}/barcodes`);
    expect(Array.isArray(answer.json)).toBe(true);
    const baskets = orders.filter((o) => o.payed).flatMap((o) => o.baskets.filter((b: any) => b.show_id === hallShow && !b.deleted_at));
    expect(answer.json.map((b: any) => b.barcode).sort()).toEqual(baskets.map((b) => b.barcode).sort());
    for (const item of answer.json) {
      expect(Object.keys(item)).toEqual(['barcode', 'price', 'seat_name']);
      expect(item.barcode).toMatch(/^\d{12}$/);
      const basket = baskets.find((b) => b.barcode === item.barcode);
      expect([item.price, item.seat_name]).toEqual([basket.price, basket.seat_name]);
    }
  });

  test('barcodes with select (the documented fields, in the order asked); a show without sales gives []', async () => {
    const select = ['barcode', 'admission', 'price', 'seat_name', 'zone_name', 'row', 'place', 'client_name', 'client_surname', 'client_middlename'];
    const answer = await rest(mock, 'GET', `/shows/${hallShow}/barcodes`, { body: { select } });
    for (const item of answer.json) expect(Object.keys(item)).toEqual(select);
    const soldShows = new Set(orders.filter((o) => o.payed).flatMap((o) => o.baskets.map((b: any) => b.show_id)));
    const unsold = events.flatMap((e) => e.shows).find((s: any) => !soldShows.has(s.id));
    const empty = await rest(mock, 'GET', `/shows/${unsold.id}/barcodes`);
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual([]);
  });

  test('one barcode: GET {barcode, checked_at}; POST {checked_at} → {success, barcode, checked_at}, seen by later reads', async () => {
    const order = orders.find((o) => o.payed && o.baskets.some((b: any) => b.show_id === hallShow && b.checked_at === null));
    const basket = order.baskets.find((b: any) => b.checked_at === null);
    const path = `/shows/${hallShow}/barcode/${basket.barcode}`;
    expect((await rest(mock, 'GET', path)).json).toEqual({ barcode: basket.barcode, checked_at: null });
    const checked = await rest(mock, 'POST', path, { body: { checked_at: '2025-11-07T16:30:00Z' } });
    expect(checked.json).toEqual({ success: true, barcode: basket.barcode, checked_at: '2025-11-07T19:30:00+03:00' });
    expect((await rest(mock, 'GET', path)).json.checked_at).toBe('2025-11-07T19:30:00+03:00');
    const reread = (await rest(mock, 'GET', `/orders/${order.id}`)).json.data;
    expect(reread.baskets.find((b: any) => b.id === basket.id).checked_at).toBe('2025-11-07T19:30:00+03:00');
  });

  test('batch POST with a bare [{barcode, checked_at}] answers a bare array; unknown barcodes come back unchecked', async () => {
    const [first] = (await rest(mock, 'GET', `/shows/${hallShow}/barcodes`)).json;
    const answer = await rest(mock, 'POST', `/shows/${hallShow}/barcodes`, { body: [{ barcode: first.barcode, checked_at: '2025-11-07T19:31:00+03:00' }, { barcode: '100000000000', checked_at: '2025-11-07T19:31:00+03:00' }] });
    expect(answer.json).toEqual([{ barcode: first.barcode, checked_at: '2025-11-07T19:31:00+03:00' }, { barcode: '100000000000', checked_at: null }]);
    expect((await rest(mock, 'GET', `/shows/${hallShow}/barcode/${first.barcode}`)).json.checked_at).toBe('2025-11-07T19:31:00+03:00');
    expect((await rest(mock, 'POST', `/shows/${hallShow}/barcodes`, { body: { scans: [] } })).json.code).toBe('VALIDATION_ERROR');
  });

  test('a barcode of another show or an unknown one is 404', async () => {
    const [first] = (await rest(mock, 'GET', `/shows/${hallShow}/barcodes`)).json;
    const otherShow = events.flatMap((e) => e.shows).find((s: any) => s.id !== hallShow).id;
    for (const path of [`/shows/${otherShow}/barcode/${first.barcode}`, `/shows/${hallShow}/barcode/123456789012`, `/shows/${hallShow}/barcode/abc`]) {
      const answer = await rest(mock, 'GET', path);
      expect(answer.status, path).toBe(404);
      expect(answer.json.code).toBe('RESOURCE_NOT_FOUND');
    }
  });
});
