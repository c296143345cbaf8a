import type { MockServer } from '../../support/mock/server.ts';
import { partners, REST_TOKEN, rest, startTestMock } from '../helpers/mock-helpers.ts';

/** Partners API v1 (§9): its own key, HTTP 200 errors, context blocks, show_id rules, the ticket round trip. */

const WRONG_AUTHORIZATION = { status: 'error', code: 'WRONG_AUTHORIZATION', message: 'Wrong authorization' };
const CONTEXT_KEYS = ['event_id', 'show_id', 'event_name', 'start_date', 'finish_date', 'scheme', 'city', 'last_update_hash', 'status'];
const TICKET_KEYS = [
  'id', 'paid', 'paid_at', 'seat_id', 'offer_id', 'admission', 'payment_type_id', 'reserved_to', 'external_id', 'external_order_id', 'barcode', 'price',
  'client_email', 'client_phone', 'client_name', 'client_surname', 'client_middlename', 'fanid_card', 'visitor_user_id',
];

describe('mock Partners API', () => {
  let mock: MockServer;
  let listed: any[];
  /** An event with one upcoming show, and an event with several. */
  let single: { event: number; show: number };
  let multi: { event: number; shows: number[] };
  let freeSeats: string[];

  const post = (path: string, body?: unknown) => partners(mock, 'POST', path, { body });
  const showPath = (method: string) => `/${method}/${single.event}/${single.show}`;
  const offersNow = async () => (await partners(mock, 'GET', showPath('events/offers'))).json.offers;

  beforeAll(async () => {
    mock = await startTestMock();
    listed = (await partners(mock, 'GET', '/events/lists')).json.result;
    const byEvent = new Map<number, number[]>();
    for (const item of listed) byEvent.set(item.event_id, [...(byEvent.get(item.event_id) ?? []), item.show_id]);
    const [singleEvent, [singleShow]] = [...byEvent].find(([, shows]) => shows.length === 1)!;
    const [multiEvent, multiShows] = [...byEvent].find(([, shows]) => shows.length > 1)!;
    single = { event: singleEvent, show: singleShow };
    multi = { event: multiEvent, shows: multiShows };
    freeSeats = Object.entries<any>((await offersNow()).full.seats).filter(([, s]) => s.available).map(([id]) => id);
  });
  afterAll(() => mock.close());

  test('a missing or wrong key, or the REST token, gets HTTP 200 WRONG_AUTHORIZATION before any parameter is checked', async () => {
    for (const token of [null, 'wrong-key', REST_TOKEN]) {
      for (const [method, path] of [['GET', '/events/lists'], ['POST', '/tickets/check'], ['POST', '/tickets/find'], ['POST', '/tickets/add/abc/def'], ['GET', '/events/seats/999999']]) {
        const answer = await partners(mock, method, path, { token, body: method === 'POST' ? { batch: 'nonsense' } : undefined });
        expect(answer.status, `${token} ${path}`).toBe(200);
        expect(answer.json, `${token} ${path}`).toEqual(WRONG_AUTHORIZATION);
      }
    }
    // With the key, the same parameterless call reaches the method.
    expect((await post('/tickets/check')).json).toMatchObject({ status: 'error', code: 'VALIDATION_ERROR' });
  });

  test('paths that are no Partners method (events/{id}/seats in the wrong order) answer the HTML 404 page', async () => {
    for (const token of [undefined, 'wrong-key']) {
      for (const path of ['/events/33/seats', '/events/33/seats/41', '/tickets']) {
        const answer = await partners(mock, 'GET', path, { token });
        expect(answer.status, path).toBe(404);
        expect(answer.headers['content-type']).toBe('text/html; charset=UTF-8');
      }
    }
  });

  test('events/lists: status success, result[] of one item per upcoming show of the events with partner sales', async () => {
    const answer = await partners(mock, 'POST', '/events/lists');
    expect(Object.keys(answer.json)).toEqual(['status', 'result']);
    expect(answer.json.status).toBe('success');
    expect(listed.length).toBeGreaterThan(2);
    for (const item of listed) {
      expect(Object.keys(item)).toEqual(['event_id', 'show_id', 'event_name', 'start_date', 'finish_date', 'scheme', 'city', 'event_type', 'age', 'fanid_required', 'has_document_verification', 'integrations', 'last_update_hash']);
      expect(Object.keys(item.scheme)).toEqual(['id', 'venue_id', 'place_name', 'place_address', 'place_description', 'width', 'height']);
      expect(Object.keys(item.city)).toEqual(['id', 'name', 'timezone', 'coords']);
      expect(item.last_update_hash).toMatch(/^[0-9a-f]{40}$/);
      expect(Date.parse(item.start_date)).toBeGreaterThan(Date.parse('2025-11-26T12:00:00+03:00'));
      for (const integration of item.integrations) expect(integration).toEqual({ source_name: 'pro-culture', source_id: expect.any(Number) });
    }
    const events = (await rest(mock, 'GET', '/events', { body: { where: [{ column: 'id', operator: 'in', value: listed.map((i) => i.event_id) }] } })).json.data;
    for (const e of events) expect([e.deleted_at, e.is_active]).toEqual([null, 1]);
  });

  test('GET and POST are the same; parameters work from the query string or the body', async () => {
    const viaGet = await partners(mock, 'GET', showPath('events/offers'));
    const viaPost = await post(showPath('events/offers'));
    expect(viaPost.text).toBe(viaGet.text);
    const seat = freeSeats[0];
    const fromBody = await post(showPath('tickets/check'), { seat_id: seat, offer_id: 'full' });
    const fromQuery = await partners(mock, 'GET', showPath('tickets/check'), { query: { seat_id: seat, offer_id: 'full' } });
    expect(fromQuery.text).toBe(fromBody.text);
    const batch = [{ seat_id: seat, offer_id: 'full' }];
    expect((await partners(mock, 'GET', showPath('tickets/check'), { query: { batch: JSON.stringify(batch) } })).json.result).toEqual((await post(showPath('tickets/check'), { batch })).json.result);
  });

  test('per-event answers: the context block, then status success, then the payload', async () => {
    const seatmap = (await partners(mock, 'GET', showPath('events/seatmap'))).json;
    expect(Object.keys(seatmap)).toEqual([...CONTEXT_KEYS, 'seatmap']);
    expect([seatmap.event_id, seatmap.show_id, seatmap.status]).toEqual([single.event, single.show, 'success']);
    for (const zone of Object.values<any>(seatmap.seatmap.zones)) {
      expect(Object.keys(zone)).toEqual(['name', 'description', 'width', 'height', 'offset', 'seats']);
      for (const seat of Object.values<any>(zone.seats)) expect([Number.isInteger(seat.row), Number.isInteger(seat.place), seat.coords.length]).toEqual([true, true, 2]);
    }
    const offers = (await partners(mock, 'GET', showPath('events/offers'))).json;
    expect(Object.keys(offers)).toEqual([...CONTEXT_KEYS, 'offers']);
    for (const offer of Object.values<any>(offers.offers)) {
      expect(Object.keys(offer)).toEqual(['name', 'seats']);
      for (const seat of Object.values<any>(offer.seats)) expect(Object.keys(seat)).toEqual(['available', 'price']);
    }
  });

  test('show_id is required when the event has several shows; unknown events and shows are EVENT_NOT_FOUND', async () => {
    expect((await partners(mock, 'GET', `/events/offers/${multi.event}`)).json).toMatchObject({ status: 'error', code: 'VALIDATION_ERROR' });
    expect((await partners(mock, 'GET', `/events/offers/${multi.event}/${multi.shows[1]}`)).json).toMatchObject({ status: 'success', show_id: multi.shows[1] });
    expect((await partners(mock, 'GET', `/events/offers/${single.event}`)).json).toMatchObject({ status: 'success', show_id: single.show });
    expect((await partners(mock, 'GET', `/events/offers/999999999`)).json).toMatchObject({ status: 'error', code: 'EVENT_NOT_FOUND' });
    expect((await partners(mock, 'GET', `/events/offers/${single.event}/${multi.shows[0]}`)).json).toMatchObject({ status: 'error', code: 'EVENT_NOT_FOUND' });
    const past = (await rest(mock, 'GET', '/events')).json.data[2].id; // an event of 2021: no Partners sales
    expect((await partners(mock, 'GET', `/events/offers/${past}`)).json).toMatchObject({ status: 'error', code: 'EVENT_NOT_FOUND' });
    expect((await post(`/tickets/add/${multi.event}`, { seat_id: 'x', paid: 1 })).json.code).toBe('VALIDATION_ERROR');
  });

  test('add → check → find → remove: the seat is taken and freed; ids are strings for a single add, ints elsewhere', async () => {
    const seat = freeSeats[0];
    const added = await post(showPath('tickets/add'), { seat_id: seat, offer_id: 'full', external_id: 'ticket12345', external_order_id: 'order67890', price: 1500.5, paid: 1, client_email: 'test@example.com', client_name: 'Тест' });
    expect(Object.keys(added.json)).toEqual([...CONTEXT_KEYS, 'result']);
    const ticket = added.json.result;
    expect(Object.keys(ticket)).toEqual(TICKET_KEYS);
    expect(typeof ticket.id).toBe('string');
    expect(ticket).toMatchObject({ paid: 1, seat_id: seat, offer_id: 'full', price: 1500.5, external_id: 'ticket12345', external_order_id: 'order67890', fanid_card: null });
    expect(ticket.barcode).toMatch(/^\d{12}$/);
    expect(ticket.paid_at).toMatch(/\+03:00$/);

    expect((await offersNow()).full.seats[seat].available).toBe(false);
    expect((await post(showPath('tickets/check'), { seat_id: seat, offer_id: 'full' })).json.result).toMatchObject({ seat_id: seat, available: false, currency_id: 'RUB' });
    const again = await post(showPath('tickets/add'), { seat_id: seat, offer_id: 'full', paid: 1 });
    expect(again.json).toEqual({ status: 'error', code: 'SEAT_NOT_AVAILABLE', message: `Seat "${seat}" is not available` });

    const expected = [{ ...ticket, id: Number(ticket.id), deleted: 0 }];
    for (const filter of [{ external_order_id: 'order67890' }, { external_id: ['ticket12345'] }, { barcode: ticket.barcode }, { id: [Number(ticket.id)] }, { id: ticket.id, external_order_id: 'order67890' }]) {
      expect((await post('/tickets/find', { filter })).json, JSON.stringify(filter)).toEqual({ status: 'success', result: expected });
    }
    expect((await post(`/tickets/find/${single.event}`, { filter: { external_order_id: 'order67890' } })).json.result).toEqual(expected);
    expect((await post(showPath('tickets/find'), { filter: { external_order_id: 'order67890' } })).json.result).toEqual(expected);
    expect((await post(`/tickets/find/${multi.event}/${multi.shows[0]}`, { filter: { external_order_id: 'order67890' } })).json.result).toEqual([]);
    expect((await post('/tickets/find', { filter: { external_order_id: 'order67890', external_id: 'other' } })).json.result).toEqual([]);

    // REST sees the Partners sale as well: stock and barcodes.
    const flat = (await rest(mock, 'GET', `/shows/${single.show}/seats`, { body: { flat: true, where: [{ column: 'root_id', value: seat }] } })).json.data;
    expect(Object.values<any>(flat)[0].payed_quantity).toBeGreaterThan(0);
    expect((await rest(mock, 'GET', `/shows/${single.show}/barcode/${ticket.barcode}`)).json).toEqual({ barcode: ticket.barcode, checked_at: null });

    const hashBefore = (await partners(mock, 'GET', showPath('events/offers'))).json.last_update_hash;
    expect((await post(showPath('tickets/remove'), { id: ticket.id })).json).toMatchObject({ status: 'success', result: true });
    expect((await partners(mock, 'GET', showPath('events/offers'))).json.last_update_hash).not.toBe(hashBefore);
    expect((await post('/tickets/find', { filter: { external_order_id: 'order67890' } })).json.result).toEqual([{ ...expected[0], deleted: 1 }]);
    expect((await offersNow()).full.seats[seat].available).toBe(true);
    expect((await post(showPath('tickets/remove'), { id: ticket.id })).json).toMatchObject({ status: 'error', code: 'TICKET_NOT_FOUND' });
  });

  test('batch add answers an array with int ids; a batch is all or nothing; batch update and remove', async () => {
    const [a, b, c] = freeSeats.slice(1, 4);
    const refused = await post(showPath('tickets/add'), { batch: [{ seat_id: a, offer_id: 'full', paid: 1 }, { seat_id: 'NO_SUCH-1;1', offer_id: 'full', paid: 1 }] });
    expect(refused.json).toMatchObject({ status: 'error', code: 'SEAT_NOT_FOUND' });
    expect((await offersNow()).full.seats[a].available).toBe(true);

    const added = await post(showPath('tickets/add'), {
      batch: [
        { seat_id: a, offer_id: 'full', external_id: 'ticket001', external_order_id: 'order123', price: 1500.5, paid: 1 },
        { seat_id: b, offer_id: 'full', external_id: 'ticket002', external_order_id: 'order123', reserved_to: '2025-12-01T07:00:00Z' },
      ],
    });
    const tickets = added.json.result;
    expect(Array.isArray(tickets)).toBe(true);
    expect(tickets.map((t: any) => typeof t.id)).toEqual(['number', 'number']);
    expect(tickets[1]).toMatchObject({ paid: 0, paid_at: null, barcode: null, reserved_to: '2025-12-01T10:00:00+03:00' });

    const updated = await post(showPath('tickets/update'), { batch: [{ id: tickets[1].id, paid: 1, paid_at: '2025-11-07T15:30:00+03:00' }, { external_id: 'ticket001', external_order_id: 'order124' }] });
    expect(updated.json.result.map((t: any) => [t.paid, t.paid_at, typeof t.barcode, t.external_order_id])).toEqual([
      [1, '2025-11-07T15:30:00+03:00', 'string', 'order123'],
      [1, tickets[0].paid_at, 'string', 'order124'],
    ]);
    const one = await post(showPath('tickets/update'), { id: String(tickets[0].id), client_email: 'updated@example.com' });
    expect(one.json.result).toMatchObject({ id: String(tickets[0].id), client_email: 'updated@example.com' });

    const duplicate = await post(showPath('tickets/add'), { batch: [{ seat_id: c, offer_id: 'full', paid: 1 }, { seat_id: c, offer_id: 'full', paid: 1 }] });
    expect(duplicate.json.code).toBe('SEAT_NOT_AVAILABLE');
    expect((await post(showPath('tickets/remove'), { batch: tickets.map((t: any) => ({ id: t.id })) })).json.result).toBe(true);
    expect((await offersNow()).full.seats[a].available).toBe(true);
  });

  test('a reservation needs reserved_to; its barcode stays null until paid', async () => {
    const seat = freeSeats[5];
    expect((await post(showPath('tickets/add'), { seat_id: seat, offer_id: 'full' })).json).toMatchObject({ status: 'error', code: 'VALIDATION_ERROR' });
    expect((await post(showPath('tickets/add'), { seat_id: seat, offer_id: 'full', paid: 0 })).json.code).toBe('VALIDATION_ERROR');
    const reserved = (await post(showPath('tickets/add'), { seat_id: seat, offer_id: 'full', paid: 0, external_id: 'ticket12346', reserved_to: '2025-12-24T12:00:00+03:00' })).json.result;
    expect(reserved).toMatchObject({ paid: 0, barcode: null, reserved_to: '2025-12-24T12:00:00+03:00' });
    expect((await offersNow()).full.seats[seat].available).toBe(false);
    const paid = (await post(showPath('tickets/update'), { id: reserved.id, paid: 1 })).json.result;
    expect(paid.barcode).toMatch(/^\d{12}$/);
  });

  test('invalid add parameters: unknown seat, unknown offer, long user_session, bad payment type', async () => {
    const seat = freeSeats[6];
    const cases: [Record<string, unknown>, string][] = [
      [{ seat_id: 'NOPE-1;1', paid: 1 }, 'SEAT_NOT_FOUND'],
      [{ seat_id: seat, offer_id: 'vip', paid: 1 }, 'VALIDATION_ERROR'],
      [{ seat_id: seat, paid: 1, user_session: 'x'.repeat(41) }, 'VALIDATION_ERROR'],
      [{ seat_id: seat, paid: 1, payment_type_id: 'cash' }, 'VALIDATION_ERROR'],
    ];
    for (const [body, code] of cases) expect((await post(showPath('tickets/add'), body)).json, JSON.stringify(body)).toMatchObject({ status: 'error', code });
    expect((await post(showPath('tickets/add'), { seat_id: seat, offer_id: null, paid: 1, payment_type_id: 'pushka_card' })).json.result).toMatchObject({ offer_id: 'full', payment_type_id: 'pushka_card' });
  });

  test('tickets/check batch answers one entry per seat with int row/place', async () => {
    const batch = freeSeats.slice(7, 9).map((seat_id) => ({ seat_id, offer_id: 'full' }));
    const result = (await post(showPath('tickets/check'), { batch })).json.result;
    expect(result.map((r: any) => Object.keys(r))).toEqual(batch.map(() => ['seat_id', 'offer_id', 'available', 'coords', 'row', 'place', 'price', 'currency_id']));
    expect(result.every((r: any) => r.available && Number.isInteger(r.row) && Number.isInteger(r.place))).toBe(true);
  });

  test('events/seats (deprecated): legacy zone numbers and seat ids; admission seats carry free_quantity instead of row/place', async () => {
    const answer = (await partners(mock, 'GET', `/events/seats/${multi.event}/${multi.shows[0]}`)).json;
    expect(Object.keys(answer)).toEqual([...CONTEXT_KEYS, 'zones']);
    expect(Object.keys(answer.scheme)).toEqual(['id', 'venue_id', 'place_name', 'place_address', 'place_description', 'width', 'height', 'zones']);
    for (const zone of answer.zones) {
      expect(Number.isInteger(zone.zone_id)).toBe(true);
      for (const seat of zone.seats) {
        expect(seat.seat_id).toMatch(new RegExp(`^${zone.zone_id}-[^;]+;.+$`));
        if (seat.admission) expect(Object.keys(seat)).toEqual(['seat_id', 'available', 'coords', 'free_quantity', 'admission', 'price', 'currency_id']);
        else expect(Object.keys(seat)).toEqual(['seat_id', 'available', 'coords', 'row', 'place', 'price', 'currency_id']);
      }
    }
    expect((await partners(mock, 'GET', `/events/seats/${multi.event}`)).json.code).toBe('VALIDATION_ERROR');
  });
});
