import { checkContract, contractNames, type ContractName } from '../../support/contracts/index.ts';

/**
 * Answers that were never observed live, built from the documented shapes (docs/api.md §3, §7, §9),
 * so that each contract is shown to accept what the documentation describes.
 */

const hash = 'a'.repeat(40);
const context = {
  event_id: 12,
  show_id: 20,
  event_name: 'Концерт',
  start_date: '2025-12-01T19:00:00+03:00',
  finish_date: '2025-12-01T22:00:00+03:00',
  scheme: { id: 5, venue_id: 7, place_name: 'Зал', place_address: 'ул. Примерная, 1', place_description: null, width: 1000, height: 800 },
  city: { id: 1, name: 'Москва', timezone: 'Europe/Moscow', coords: [55.75, 37.61] },
  last_update_hash: hash,
};
const ticket = {
  id: '27061',
  paid: 1,
  paid_at: '2025-11-07T15:30:00+03:00',
  seat_id: 'CENTER_PARTERRE-20;5',
  offer_id: 'full',
  admission: false,
  payment_type_id: null,
  reserved_to: null,
  external_id: 'ticket12345',
  external_order_id: 'order67890',
  barcode: '872964136579',
  price: 1222.03,
  client_email: 'test@example.com',
  client_phone: '+79001234567',
  client_name: 'Тест',
  client_surname: 'Тестов',
  client_middlename: null,
  fanid_card: { id: 3, value: '1234567890' },
  visitor_user_id: null,
};
const checked = { seat_id: 'CENTER_PARTERRE-20;5', offer_id: 'full', available: true, coords: [10, 20], row: 20, place: 5, price: 1500, currency_id: 'RUB' };

const DOCUMENTED: Partial<Record<ContractName, unknown[]>> = {
  'seats.zone': [
    { data: { PARTERRE: { zone_id: 'PARTERRE', name: 'Партер', description: '', seats: { '1;1': { seat_id: 'PARTERRE-1;1', admission: false } } } } },
    { data: [] },
  ],
  'seats.flat': [
    {
      data: {
        'full_RIGHT_PARTERRE-1;6': {
          id: 'full_RIGHT_PARTERRE-1;6',
          root_id: 'RIGHT_PARTERRE-1;6',
          name: 'Ряд 1, место 6',
          zone_id: 'RIGHT_PARTERRE',
          zone_root_id: 'RIGHT_PARTERRE',
          short_seat_id: '1;6',
          row: '1',
          place: '6',
          currency_id: 'RUB',
          admission: false,
          available: true,
          disabled: false,
          ordered: false,
          max_quantity: 1,
          free_quantity: 1,
          ordered_quantity: 0,
          payed_quantity: 0,
          in_basket_quantity: 0,
          color_theme_id: 3,
          price: 1500,
          multiprice_name: null,
          multiprice_code: null,
          related_seats: [],
          coords: [10, 20],
          spread: { agents: false, partner_id: null, users: null, client_groups: null, client_emails: null },
        },
      },
    },
    // `select` returns only the chosen fields.
    { data: { 'PARTERRE-11а;3': { id: 'PARTERRE-11а;3', available: false, max_quantity: 1, free_quantity: 0, price: 900 } } },
  ],
  'colorThemes.list': [{ data: [{ id: 8, color: '#ff8800' }, { id: 15, color: '#00AA11' }, { id: 9, color: '#123456' }] }],
  'barcodes.list': [[{ barcode: '729975754905', price: 500, seat_name: 'Партер' }], [{ barcode: '729975754906', admission: true, zone_name: 'Вход', row: '1', place: '1', client_name: null }], []],
  'barcode.one': [{ barcode: '729975754905', checked_at: null }, { barcode: '729975754905', checked_at: '2025-11-07T15:30:00+03:00' }],
  'barcode.checked': [{ success: true, barcode: '729975754905', checked_at: '2025-11-07T15:30:00+03:00' }],
  'partners.eventsList': [
    {
      status: 'success',
      result: [{ ...context, event_type: { id: 1, name: 'Концерт' }, age: '6+', fanid_required: false, has_document_verification: false, integrations: [{ source_name: 'pro-culture', source_id: 42 }] }],
    },
  ],
  'partners.seatmap': [
    {
      ...context,
      status: 'success',
      seatmap: { width: 1000, height: 800, zones: { '7': { name: 'Партер', description: null, width: 500, height: 300, offset: [0, 100], seats: { '7-1;8': { coords: [1, 2], row: 1, place: 8 } } } } },
    },
  ],
  'partners.offers': [
    { ...context, status: 'success', offers: { full: { name: 'Полный', seats: { 'CENTER_PARTERRE-20;5': { available: true, price: 1500 } } }, '': { name: 'Базовый', seats: [] } } },
  ],
  'partners.tickets': [
    { ...context, status: 'success', result: ticket },
    { ...context, status: 'success', result: [{ ...ticket, id: 120299 }, { ...ticket, id: 120300, paid: 0, paid_at: null, barcode: null, reserved_to: '2025-11-08T19:00:00+03:00', fanid_card: null }] },
  ],
  'partners.remove': [{ ...context, status: 'success', result: true }],
  'partners.check': [
    { ...context, status: 'success', result: checked },
    { ...context, status: 'success', result: [checked, { ...checked, offer_id: null, available: false }] },
  ],
  'partners.find': [
    { status: 'success', result: [{ ...ticket, deleted: 0 }, { ...ticket, id: 120299, deleted: 1 }] },
    { ...context, status: 'success', result: [] },
  ],
  'partners.legacySeats': [
    {
      ...context,
      scheme: { ...context.scheme, zones: [{ zone_id: 7, name: 'Партер', description: null, seats: [{ seat_id: '7-1;8' }] }] },
      status: 'success',
      zones: [
        {
          zone_id: 7,
          name: 'Партер',
          seats: [
            { seat_id: '7-1;8', available: true, coords: [1, 2], row: 1, place: 8, price: 1000, currency_id: 'RUB' },
            { seat_id: '8-1;1', available: true, coords: [3, 4], free_quantity: 120, admission: true, price: 500, currency_id: 'RUB' },
          ],
        },
      ],
    },
  ],
  'partners.error': partnersErrors(),
};

function partnersErrors(): unknown[] {
  const codes = ['UNKNOWN_ERROR', 'WRONG_AUTHORIZATION', 'EVENT_NOT_FOUND', 'SEAT_NOT_FOUND', 'SEAT_NOT_AVAILABLE', 'TICKET_NOT_FOUND', 'VALIDATION_ERROR'];
  return codes.map((code) => ({ status: 'error', code, message: code === 'SEAT_NOT_AVAILABLE' ? 'Seat "6-1;52" is not available' : 'message' }));
}

describe('documented answers pass their contracts', () => {
  for (const [name, bodies] of Object.entries(DOCUMENTED) as [ContractName, unknown[]][]) {
    test.each(bodies.map((body, i) => [i, body] as const))(`${name} example %i`, (_i, body) => {
      expect(checkContract(name, body)).toEqual({ name, ok: true, issues: [], drift: [] });
    });
  }

  test('every contract has a live fixture or a documented example', () => {
    const live = ['orders.list', 'orders.one', 'baskets.one', 'clients.list', 'clients.one', 'events.list', 'events.one', 'discounts.list', 'promoCodes.list', 'promoCodes.one', 'rest.error'];
    const untested = contractNames.filter((name) => !live.includes(name) && !DOCUMENTED[name]);
    expect(untested).toEqual([]);
  });

  test('unknown keys inside Partners unions and maps are drift: one ticket or a batch, offers', () => {
    const single = checkContract('partners.tickets', { ...context, status: 'success', result: { ...ticket, seat_name: 'A' } });
    expect(single).toMatchObject({ ok: true, issues: [], drift: [{ path: 'result.seat_name', count: 1 }] });
    const batch = checkContract('partners.tickets', { ...context, status: 'success', result: [{ ...ticket, seat_name: 'A' }, { ...ticket, seat_name: 'B' }] });
    expect(batch).toMatchObject({ ok: true, issues: [], drift: [{ path: 'result[*].seat_name', count: 2 }] });
    const offers = checkContract('partners.offers', {
      ...context,
      status: 'success',
      offers: { full: { name: 'Полный', seats: { 'A-1;1': { available: true, price: 1, hold: false }, 'A-1;2': { available: false, price: 1, hold: true } } } },
    });
    expect(offers).toMatchObject({ ok: true, issues: [], drift: [{ path: 'offers.{key}.seats.{key}.hold', count: 2, example: 'false' }] });
  });

  test('a Partners ticket id may be a string or an int, nothing else', () => {
    const with_ = (id: unknown) => checkContract('partners.tickets', { ...context, status: 'success', result: { ...ticket, id } });
    expect(with_('27061').ok).toBe(true);
    expect(with_(120299).ok).toBe(true);
    expect(with_(null).issues).toEqual(['result.id: expected string | number, received null']);
  });

  test('an invented Partners error code fails', () => {
    expect(checkContract('partners.error', { status: 'error', code: 'PERMISSION_DENIED', message: 'x' }).issues).toEqual([
      'code: expected "UNKNOWN_ERROR" | "WRONG_AUTHORIZATION" | "EVENT_NOT_FOUND" | "SEAT_NOT_FOUND" | "SEAT_NOT_AVAILABLE" | "TICKET_NOT_FOUND" | "VALIDATION_ERROR", received string ("PERMISSION_DENIED")',
    ]);
  });

  test('a zone-form answer fails the flat contract, a flat answer fails the zone contract', () => {
    const zoneForm = DOCUMENTED['seats.zone']![0];
    const flat = DOCUMENTED['seats.flat']![1];
    expect(checkContract('seats.flat', zoneForm).issues).toEqual(['data.PARTERRE: invalid key: a flat-form key is a seat key ("…row;place"); this looks like a zone id (zone form?)']);
    expect(checkContract('seats.zone', flat).ok).toBe(false);
  });
});
