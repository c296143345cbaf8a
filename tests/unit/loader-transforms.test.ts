import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeRows, jobRunRow } from '../../support/loader/load.ts';
import { moscowDate, moscowDateTime } from '../../support/core/moscow.ts';
import {
  barcodeRows,
  clientRows,
  colorThemeRows,
  discountRows,
  eventRows,
  inventoryRows,
  orderDedupKey,
  orderRows,
  partnerTicketRows,
  promoCodeRows,
  pythonFloatRepr,
  type LoadContext,
} from '../../support/loader/transforms.ts';
import type { ApiEvent, ApiOrder } from '../../support/loader/api-items.ts';
import { fixturesDir } from '../../support/paths.ts';

/**
 * The transforms on the anonymised live answers (data/live-shapes), with exact expected rows.
 * Expected figures were read off the fixtures by hand, not computed by the code under test.
 */

const fixture = (name: string): any => JSON.parse(readFileSync(join(fixturesDir(), name), 'utf8'));
const orders: ApiOrder[] = fixture('orders-page-1.json').data;
const events: ApiEvent[] = fixture('events-page-1.json').data;
const clients = fixture('clients-page-1.json').data;
const discounts = fixture('discounts-page-1.json').data;
const promoCodes = fixture('promo-codes-page-1.json').data;

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const clone = <T>(value: T): T => structuredClone(value);
const order = (id: number): ApiOrder => clone(orders.find((o) => o.id === id)!);

/** 2026-01-15T10:00:00Z = 13:00:00 in Moscow. A _ver beyond 2^53 proves it is never a JS number. */
const INGEST = new Date('2026-01-15T10:00:00Z');
const VER = 2n ** 60n + 7n;
const cities = new Map(events.map((e) => [String(e.id), (e.city as { name: string }).name]));
const ctx: LoadContext = { ver: VER, ingestTs: INGEST, eventCity: (id) => cities.get(id) };

describe('moscow time', () => {
  test('any offset becomes naive Moscow time; a string without offset is Moscow time already', () => {
    expect(moscowDateTime('2021-05-18T12:23:40+03:00')).toBe('2021-05-18 12:23:40');
    expect(moscowDateTime('2021-06-07T21:26:10+07:00')).toBe('2021-06-07 17:26:10');
    expect(moscowDateTime('2021-06-07T22:30:00Z')).toBe('2021-06-08 01:30:00');
    expect(moscowDateTime('2021-06-07T22:30:00+0000')).toBe('2021-06-08 01:30:00');
    expect(moscowDateTime('2021-06-07 22:30:00')).toBe('2021-06-07 22:30:00');
    // Moscow was UTC+4 from 2011 to 2014.
    expect(moscowDateTime('2013-01-01T00:00:00Z')).toBe('2013-01-01 04:00:00');
    expect(moscowDate('2021-06-07T22:30:00Z')).toBe('2021-06-08');
    expect(() => moscowDateTime('yesterday')).toThrow(/Not a timestamp/);
  });

  test('the fixed +3 since 26 October 2014 agrees with the time zone database, at the switch and anywhere after', () => {
    const zone = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    const byZone = (instant: Date) => {
      const part = Object.fromEntries(zone.formatToParts(instant).map((p) => [p.type, p.value]));
      return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
    };
    const switchUtc = Date.UTC(2014, 9, 25, 22, 0, 0);
    const instants = [switchUtc - 1000, switchUtc - 1, switchUtc, switchUtc + 999, Date.UTC(2011, 2, 26, 23, 0, 0), Date.UTC(2000, 6, 1, 12, 0, 0)];
    for (let i = 0; i < 2000; i++) instants.push(switchUtc + Math.floor(((i * 7919) % 2000) * 6.3e8));
    for (const ms of instants) {
      expect(moscowDateTime(new Date(ms)), new Date(ms).toISOString()).toBe(byZone(new Date(ms)));
      expect(moscowDateTime(new Date(ms).toISOString())).toBe(byZone(new Date(ms)));
    }
    expect(moscowDateTime('2021-05-18T12:23:40.999+03:00')).toBe('2021-05-18 12:23:40');
    expect(moscowDateTime('9999-12-31T23:00:00Z')).toBe('10000-01-01 02:00:00');
  });
});

describe('insert bodies (encodeRows)', () => {
  test('TabSeparated: columns of the first row, strings escaped, numbers as text, null as \\N', () => {
    const encoded = encodeRows([
      { id: '1', text: 'tab\there, line\nbreak, cr\r, nul\u0000, backslash \\, \\N, кириллица 😀', n: 800.5, none: null },
      { id: '2', text: '', n: 1e21, none: null },
    ]);
    expect(encoded).toMatchObject({ format: 'TabSeparated', columns: ['id', 'text', 'n', 'none'], count: 2 });
    const text = Buffer.concat((encoded as { data: Buffer[] }).data).toString('utf8');
    expect(text).toBe('1\ttab\\there, line\\nbreak, cr\\r, nul\\0, backslash \\\\, \\\\N, кириллица 😀\t800.5\t\\N\n2\t\t1e+21\t\\N\n');
  });

  test('JSONEachRow, with the rows themselves, when a value has no exact TSV form', () => {
    for (const odd of [true, { a: 1 }, NaN, 'lone \ud800', undefined, 2n]) {
      const rows = [{ id: '1', v: 'plain' }, { id: '2', v: odd }];
      expect(encodeRows(rows)).toEqual({ format: 'JSONEachRow', columns: ['id', 'v'], count: 2, rows });
    }
    const ragged = [{ id: '1', v: 'a' }, { id: '2', v: 'b', extra: 'c' }];
    expect(encodeRows(ragged)).toMatchObject({ format: 'JSONEachRow' });
    expect(encodeRows([])).toBeUndefined();
  });
});

describe('orders → stg_qtickets_api_orders_raw', () => {
  const rows = orderRows(orders, ctx);

  test('page 1: one row per paid order, exactly 40 (the 10 cancelled unpaid ones are left out)', () => {
    expect(orders).toHaveLength(50);
    expect(rows).toHaveLength(40);
    expect(rows.map((r) => r.order_id)).toEqual(orders.filter((o) => o.payed === true).map((o) => String(o.id)));
    expect(rows.some((r) => r.order_id === '1669080')).toBe(false); // cancelled, unpaid
  });

  test('the first row, every column', () => {
    const { payload_json, ...columns } = rows[0];
    expect(columns).toEqual({
      order_id: '1614202',
      event_id: '24089',
      city: 'томск',
      utm_source: '',
      utm_medium: '',
      utm_campaign: '',
      utm_content: '',
      utm_term: '',
      sale_ts: '2021-05-18 12:23:40',
      tickets_sold: 1,
      revenue: 4,
      currency: 'RUB',
      _ver: '1152921504606846983',
      _dedup_key: '461fb8078d26d854bfa1a2280c4907f2', // md5("1614202::24089::2021-05-18 12:23:40::4.0"), checked with Python
    });
    const payload = JSON.parse(payload_json);
    expect(payload.id).toBe(1614202);
    expect(payload.baskets[0].seat_name).toBe('Детский билет (в будни)');
    expect(Object.keys(payload)).toEqual([...Object.keys(payload)].sort());
  });

  test('page totals: 118 tickets and 11 397 RUB, all on event 24089 in Tomsk', () => {
    expect(rows.reduce((s, r) => s + r.tickets_sold, 0)).toBe(118);
    expect(rows.reduce((s, r) => s + r.revenue, 0)).toBe(11397);
    expect(new Set(rows.map((r) => `${r.event_id}/${r.city}`))).toEqual(new Set(['24089/томск']));
  });

  test('utm from the utm object, all five keys', () => {
    expect(rows.find((r) => r.order_id === '1664561')).toMatchObject({
      utm_source: 'yandex',
      utm_medium: 'cpc',
      utm_campaign: '62384014',
      utm_content: '10766679603',
      utm_term: 'выставка кубиков',
      tickets_sold: 3,
      revenue: 920,
      sale_ts: '2021-06-02 14:04:51',
    });
    const threeKeys = rows.find((r) => r.utm_source === 'vk')!;
    expect([threeKeys.utm_content, threeKeys.utm_term]).toEqual(['', '']);
  });

  test('defect 5: baskets with deleted_at or refunded_at are not counted', () => {
    const changed = order(1647743); // 4 baskets: 294, 294, 234, 234
    changed.baskets![0].deleted_at = '2021-05-28T10:00:00+03:00';
    changed.baskets![2].refunded_at = '2021-05-28T11:00:00+03:00';
    const [row] = orderRows([changed], ctx);
    expect(row).toMatchObject({ tickets_sold: 2, revenue: 528 });
    expect(row._dedup_key).toBe(md5('1647743::24089::2021-05-27 20:35:39::528.0'));
    // A status field or is_refund flag (what the original loader checked) changes nothing.
    const flagged = order(1647743);
    flagged.baskets![0].status = 'refund';
    expect(orderRows([flagged], ctx)[0]).toMatchObject({ tickets_sold: 4, revenue: 1056 });
  });

  test('paid is 1, true, "1" or "true"; anything else is unpaid', () => {
    const variants = [1, true, '1', 'true', 0, false, '0', 'false', null].map((payed, i) => ({ ...order(1614202), id: 1 + i, payed }));
    expect(orderRows(variants, ctx).map((r) => r.order_id)).toEqual(['1', '2', '3', '4']);
  });

  test('defect 8: event_id is order.event_id only, never a show id', () => {
    const noEvent = { ...order(1614202), event_id: null };
    expect(orderRows([noEvent], ctx)[0]).toMatchObject({ event_id: '', city: '' });
  });

  test('defect 3: city is the event city, trimmed and lowercased, equal to dim_events.city', () => {
    const padded: LoadContext = { ...ctx, eventCity: () => '  Томск ' };
    expect(orderRows([order(1614202)], padded)[0].city).toBe('томск');
    const dim = eventRows(events, ctx).find((e) => e.event_id === '24089')!;
    expect(rows[0].city).toBe(dim.city);
    expect(orderRows([order(1614202)], { ...ctx, eventCity: () => undefined })[0].city).toBe('');
  });

  test('defect 4: currency comes from currency_id', () => {
    expect(orderRows([{ ...order(1614202), currency_id: 'eur' }], ctx)[0].currency).toBe('EUR');
  });

  test('sale_ts is payed_at converted to naive Moscow time', () => {
    const row = orderRows([{ ...order(1614202), payed_at: '2021-05-18T23:30:00+00:00' }], ctx)[0];
    expect(row.sale_ts).toBe('2021-05-19 02:30:00');
    expect(row._dedup_key).toBe(md5('1614202::24089::2021-05-19 02:30:00::4.0'));
  });

  test('_dedup_key keeps the production definition: a zero revenue is an empty part, floats as Python repr', () => {
    const free = rows.find((r) => r.order_id === '1658606')!; // six baskets at price 0
    expect(free).toMatchObject({ tickets_sold: 6, revenue: 0 });
    expect(free._dedup_key).toBe(md5('1658606::24089::2021-05-31 09:01:10::'));
    expect(orderDedupKey('1', '2', '2021-01-01 00:00:00', 1222.03)).toBe(md5('1::2::2021-01-01 00:00:00::1222.03'));
    expect([pythonFloatRepr(800), pythonFloatRepr(1222.03), pythonFloatRepr(1e16), pythonFloatRepr(1.5e-5), pythonFloatRepr(0.0001)]).toEqual([
      '800.0',
      '1222.03',
      '1e+16',
      '1.5e-05',
      '0.0001',
    ]);
  });

  test('an order met twice in one load gives one row, the last one', () => {
    const later = { ...order(1614202), payed_at: '2021-05-18T12:30:00+03:00' };
    const twice = orderRows([order(1614202), later], ctx);
    expect(twice).toHaveLength(1);
    expect(twice[0].sale_ts).toBe('2021-05-18 12:30:00');
  });
});

describe('events → dim_events', () => {
  const rows = eventRows(events, ctx);

  test('one row per event (deleted events too), city = city.name lowercased, dates from the shows', () => {
    expect(rows).toHaveLength(10);
    expect(rows[0]).toEqual({
      event_id: '24089',
      event_name: 'Детская интерактивная выставка Корпорация Кубиков',
      city: 'томск',
      start_date: '2021-06-16',
      end_date: '2021-07-25',
      _ver: VER.toString(),
      _loaded_at: '2026-01-15 13:00:00',
    });
    expect(rows.map((r) => [r.event_id, r.city, r.start_date, r.end_date])).toEqual([
      ['24089', 'томск', '2021-06-16', '2021-07-25'],
      ['24097', 'прокопьевск', '2021-06-16', '2021-08-05'],
      ['25709', 'прокопьевск', '2021-07-01', '2021-09-05'],
      ['27242', 'барнаул', '2021-09-11', '2021-11-07'],
      ['29553', 'томск', '2022-01-02', '2022-01-31'],
      ['29602', 'томск', '2022-01-05', '2022-01-31'],
      ['29615', 'барнаул', '2022-01-03', '2022-01-31'],
      ['29616', 'барнаул', '2022-01-05', '2022-01-30'],
      ['30373', 'междуреченск', '2021-11-12', '2021-12-19'],
      ['30926', 'томск', '2022-01-05', '2022-02-21'],
    ]);
    // Defect 3: never a dict repr.
    expect(rows.every((r) => !r.city.includes('{') && !r.city.includes("'"))).toBe(true);
  });

  test('defect 9: deleted shows do not count; dates are Moscow dates; no live show → NULL', () => {
    const event = clone(events[4]); // 29553, 13 shows from 2022-01-02 to 2022-01-31
    event.shows![0].deleted_at = '2021-12-01T00:00:00+03:00'; // the 2022-01-02 08:00 show
    event.shows![1].deleted_at = '2021-12-01T00:00:00+03:00';
    event.shows![2].deleted_at = '2021-12-01T00:00:00+03:00';
    event.shows![12].finish_date = '2022-01-31T21:30:00Z'; // 2022-02-01 00:30 in Moscow
    expect(eventRows([event], ctx)[0]).toMatchObject({ start_date: '2022-01-03', end_date: '2022-02-01' });
    for (const show of event.shows!) show.deleted_at = '2021-12-01T00:00:00+03:00';
    expect(eventRows([event], ctx)[0]).toMatchObject({ start_date: null, end_date: null });
    expect(eventRows([{ ...clone(events[0]), shows: [] }], ctx)[0]).toMatchObject({ start_date: null, end_date: null });
  });
});

describe('seats → inventory', () => {
  const seat = (max: number, free: number, extra: object = {}) => ({ max_quantity: max, free_quantity: free, admission: false, available: free > 0, ...extra });
  const input = (seatsByShow: any[]) => ({ eventId: '24089', eventName: ' Корпорация Кубиков ', city: 'Томск', seatsByShow });

  test('one row per event per snapshot: Σ max_quantity and Σ free_quantity over every show (defects 10, 11)', () => {
    const rows = inventoryRows(
      input([
        { 'full_A-1;1': seat(1, 0), 'full_A-1;2': seat(1, 1), 'full_ADM-1;1': seat(200, 150, { admission: true }) },
        { 'full_A-1;1': seat(1, 1) },
      ]),
      ctx,
    );
    expect(rows).toEqual([
      {
        snapshot_ts: '2026-01-15 13:00:00',
        event_id: '24089',
        event_name: 'Корпорация Кубиков',
        city: 'томск',
        tickets_total: 203,
        tickets_left: 152,
        _ver: VER.toString(),
        _dedup_key: md5('24089::2026-01-15 13:00:00'),
      },
    ]);
  });

  test('defect 12: sold out is 0, not NULL; NULL only when the answer does not say', () => {
    expect(inventoryRows(input([{ a: seat(2, 0), b: seat(3, 0) }]), ctx)[0]).toMatchObject({ tickets_total: 5, tickets_left: 0 });
    // The zone form carries no quantities.
    const zoneForm = { ZONE: { zone_id: 'ZONE', name: 'Партер', description: '', seats: { '1;1': { seat_id: 'ZONE-1;1', admission: false } } } };
    expect(inventoryRows(input([zoneForm]), ctx)[0]).toMatchObject({ tickets_total: null, tickets_left: null });
    expect(inventoryRows(input([]), ctx)[0]).toMatchObject({ tickets_total: null, tickets_left: null });
    expect(inventoryRows(input([[]]), ctx)[0]).toMatchObject({ tickets_total: null, tickets_left: null });
  });
});

describe('catalogues', () => {
  test('clients: personal columns by production design, email lowercased', () => {
    const rows = clientRows(clients, ctx);
    expect(rows).toHaveLength(100);
    const { payload_json, ...columns } = rows[0];
    expect(columns).toEqual({
      client_id: '1265',
      email: 'user77682@example.ru',
      phone: '+79002531876',
      first_name: 'Дмитрий',
      last_name: 'Соколов',
      middle_name: '',
      _ver: VER.toString(),
      _ingest_ts: '2026-01-15 13:00:00',
    });
    expect(JSON.parse(payload_json)).toMatchObject({ id: 1265, details: { id: 8480800 } });
    const quirks = clientRows([{ id: 7, email: 'Mixed@Example.RU', details: [] }], ctx)[0];
    expect(quirks).toMatchObject({ client_id: '7', email: 'mixed@example.ru', phone: '', first_name: '', last_name: '', middle_name: '' });
  });

  test('discounts: type as discount_type, value NULL (never parsed from the name)', () => {
    const rows = discountRows(discounts, ctx);
    expect(rows).toHaveLength(65);
    const { payload_json, ...columns } = rows[0];
    expect(columns).toEqual({
      discount_id: '6840',
      name: 'СКИДКА - 100%',
      discount_type: 'P',
      discount_value: null,
      _ver: VER.toString(),
      _ingest_ts: '2026-01-15 13:00:00',
    });
    expect(JSON.parse(payload_json).events[0].name).toBe('Детская интерактивная выставка Корпорация Кубиков');
    expect(rows.every((r) => r.discount_value === null && r.discount_type === 'P')).toBe(true);
  });

  test('defect 15: promo codes: validity from active_from/active_to, type of their discount, value NULL', () => {
    const types = new Map(discounts.map((d: any) => [String(d.id), d.type]));
    const rows = promoCodeRows(promoCodes, { ...ctx, discountType: (id) => types.get(id) as string | undefined });
    expect(rows).toHaveLength(490);
    const { payload_json, ...first } = rows[0];
    expect(first).toEqual({
      promo_code_id: '187162',
      code: '89WjiOsr',
      discount_type: 'P',
      discount_value: null,
      valid_from: null,
      valid_to: null,
      _ver: VER.toString(),
      _ingest_ts: '2026-01-15 13:00:00',
    });
    expect(JSON.parse(payload_json).discount_id).toBe(7650);
    expect(rows.find((r) => r.promo_code_id === '953214')).toMatchObject({ valid_from: '2024-12-05 00:00:00', valid_to: null });
    expect(rows.every((r) => r.discount_type === 'P' && r.discount_value === null)).toBe(true);
    // Without the lookup the type is unknown: ''.
    expect(promoCodeRows(promoCodes.slice(0, 1), ctx)[0].discount_type).toBe('');
  });

  test('color themes → price shades: shade_id = id, no name, color', () => {
    expect(colorThemeRows([{ id: 8, color: '#ff0000' }, { id: 15, color: '#00ff00' }], ctx)).toEqual([
      { shade_id: '8', name: '', color: '#ff0000', payload_json: '{"color":"#ff0000","id":8}', _ver: VER.toString(), _ingest_ts: '2026-01-15 13:00:00' },
      { shade_id: '15', name: '', color: '#00ff00', payload_json: '{"color":"#00ff00","id":15}', _ver: VER.toString(), _ingest_ts: '2026-01-15 13:00:00' },
    ]);
  });

  test('defect 14: barcodes take event and show from the request; status by the documented rule', () => {
    const scope = { eventId: '24089', showId: '152887' };
    const rows = barcodeRows(
      [
        { barcode: '729975754905', price: 390, seat_name: 'Детский билет (в будни)' },
        { barcode: '729975754906', checked_at: '2021-06-16T19:55:00+03:00' },
        { barcode: '729975754907', checked_at: null, client_name: 'Мария' },
      ],
      scope,
      ctx,
    );
    expect(rows.map(({ payload_json, ...r }) => r)).toEqual([
      { barcode: '729975754905', event_id: '24089', show_id: '152887', status: 'unknown', checked_at: null, _ver: VER.toString(), _ingest_ts: '2026-01-15 13:00:00' },
      { barcode: '729975754906', event_id: '24089', show_id: '152887', status: 'checked', checked_at: '2021-06-16 19:55:00', _ver: VER.toString(), _ingest_ts: '2026-01-15 13:00:00' },
      { barcode: '729975754907', event_id: '24089', show_id: '152887', status: 'not_checked', checked_at: null, _ver: VER.toString(), _ingest_ts: '2026-01-15 13:00:00' },
    ]);
    expect(rows[2].payload_json).not.toContain('Мария');
  });

  test('defects 13, 14: partner tickets from result items; paid 0|1, price nullable, event/show from the path', () => {
    const ticket = {
      id: '27061',
      paid: 1,
      paid_at: '2024-01-01T10:00:00+03:00',
      seat_id: 'CENTER_PARTERRE-1;8',
      offer_id: 'full',
      external_id: 'ext-1',
      external_order_id: 'order-9',
      barcode: '123456789012',
      price: 1222.03,
      client_email: 'buyer@example.ru',
      client_phone: '+79001234567',
      client_name: 'Иван',
      fanid_card: { id: 5, value: '9988776655' },
    };
    const rows = partnerTicketRows(
      [ticket, { id: 120299, paid: 0, price: null, barcode: null, external_id: null, external_order_id: 'order-9' }, { ...ticket, id: 3, paid: 'true', price: '950' }],
      { eventId: '33', showId: '44' },
      ctx,
    );
    expect(rows.map(({ payload_json, _ingest_ts, _ver, ...r }) => r)).toEqual([
      { ticket_id: '27061', event_id: '33', show_id: '44', external_order_id: 'order-9', external_id: 'ext-1', barcode: '123456789012', paid: 1, price: 1222.03 },
      { ticket_id: '120299', event_id: '33', show_id: '44', external_order_id: 'order-9', external_id: '', barcode: '', paid: 0, price: null },
      { ticket_id: '3', event_id: '33', show_id: '44', external_order_id: 'order-9', external_id: 'ext-1', barcode: '123456789012', paid: 1, price: 950 },
    ]);
    for (const secret of ['buyer@example.ru', '+79001234567', 'Иван', '9988776655']) expect(rows[0].payload_json).not.toContain(secret);
    expect(JSON.parse(rows[0].payload_json).fanid_card.id).toBe(5);
  });
});

describe('defect 17: no personal data in any payload_json', () => {
  /** The fixtures' personal values, gathered field by field (independently of the masking code). */
  const personal = new Set<string>();
  const add = (...values: unknown[]) => values.forEach((v) => typeof v === 'string' && v.length >= 3 && personal.add(v));
  for (const o of orders) {
    add(o.client && (o.client as any).email, (o.client as any)?.details?.phone, (o.client as any)?.details?.surname, o.payment_url, o.cancel_url);
    for (const b of o.baskets ?? []) add(b.client_email, b.client_phone, b.client_surname, b.pdf_url, b.passbook_url);
  }
  for (const c of clients) add(c.email, c.details?.phone, c.details?.surname);
  for (const e of events) for (const p of (e.payments as any[]) ?? []) add(p.name);

  const payloads = [
    ...orderRows(orders, ctx),
    ...clientRows(clients, ctx),
    ...discountRows(discounts, ctx),
    ...promoCodeRows(promoCodes, ctx),
  ].map((r) => r.payload_json);

  test('the fixtures do hold personal data to look for', () => {
    expect(personal.size).toBeGreaterThan(300);
  });

  test('none of it, and no e-mail or +7 phone pattern, is in a payload', () => {
    const text = payloads.join('\n');
    const leaked = [...personal].filter((value) => text.includes(value) || text.includes(JSON.stringify(value).slice(1, -1)));
    expect(leaked).toEqual([]);
    expect(text.match(/[\w.+-]+@[\w-]+\.[\w.]+/g)).toBeNull();
    expect(text.match(/\+7\d{10}/g)).toBeNull();
  });

  test('non-personal names survive (exact-key masking, not substring)', () => {
    const payload = JSON.parse(orderRows(orders, ctx)[0].payload_json);
    expect(payload.baskets[0].seat_name).toBe('Детский билет (в будни)');
    expect(payload.client.details.id).toBe(798806);
    expect(payload.client.email).not.toBe('user48382@example.ru');
  });
});

describe('meta_job_runs row (defect 18)', () => {
  const base = { startedAt: new Date('2026-01-15T09:00:00Z'), finishedAt: new Date('2026-01-15T09:05:00Z') };
  const rowsPerTable = { stg_qtickets_api_orders_raw: 40, fact_qtickets_sales_daily: 17, fact_qtickets_sales_utm_daily: 30, dim_events: 10, stg_qtickets_api_clients_raw: 100 };

  test('ok: rows_processed counts staging rows only; every table count is reported', () => {
    const row = jobRunRow({ ...base, status: 'ok', rowsPerTable, skipped: [{ resource: 'partner_tickets', reason: 'disabled_via_flag' }] });
    expect(row).toMatchObject({ job: 'qtickets_api', status: 'ok', started_at: '2026-01-15 12:00:00', finished_at: '2026-01-15 12:05:00', rows_processed: '140' });
    expect(JSON.parse(row.message)).toMatchObject({
      status: 'ok',
      orders: 40,
      events: 10,
      sales_rows: 40,
      sales_daily_rows: 17,
      sales_utm_daily_rows: 30,
      clients_rows: 100,
      barcode_rows: 0,
      skipped_resources: [{ resource: 'partner_tickets', reason: 'disabled_via_flag' }],
      rows_per_table: rowsPerTable,
    });
    expect(JSON.parse(row.metrics)).toMatchObject({ rows_processed: 140, rows_per_table: rowsPerTable });
  });

  test('error: message {status:"error", error} and metrics {error, error_details}', () => {
    const error = { message: 'Unknown error', status: 503, code: 'UNKNOWN_ERROR' };
    const row = jobRunRow({ ...base, status: 'error', rowsPerTable: {}, error });
    expect(JSON.parse(row.message)).toMatchObject({ status: 'error', error });
    expect(JSON.parse(row.metrics)).toMatchObject({ error: 'Unknown error', error_details: error });
    expect(JSON.parse(jobRunRow({ ...base, status: 'error', rowsPerTable: {}, error: 'boom' }).message).error).toEqual({ message: 'boom' });
  });
});
