import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MASKING_RULE, collectPersonalValues, fingerprint, maskedSortedJson, maskPayload, maskValue } from '../../support/masking.ts';
import { fixturesDir } from '../../support/paths.ts';

const fixture = (file: string): any => JSON.parse(readFileSync(join(fixturesDir(), file), 'utf8'));
const MASKED = /^masked:[0-9a-f]{8}$/;

describe('maskValue and fingerprint', () => {
  test('masked:<first 8 hex of sha256>, stable', () => {
    const sha = createHash('sha256').update('user48382@example.ru').digest('hex');
    expect(maskValue('user48382@example.ru')).toBe(`masked:${sha.slice(0, 8)}`);
    expect(maskValue('user48382@example.ru')).toBe(maskValue('user48382@example.ru'));
    expect(maskValue('a')).not.toBe(maskValue('b'));
    expect(fingerprint('secret-token')).toBe(createHash('sha256').update('secret-token').digest('hex').slice(0, 8));
  });

  test('a masked value is not masked again', () => {
    const once = maskValue('Мария');
    expect(maskValue(once)).toBe(once);
    const order = fixture('orders-page-1.json').data[0];
    expect(maskPayload(maskPayload(order))).toEqual(maskPayload(order));
  });

  test('the rule is documented in one paragraph naming every masked key', () => {
    expect(MASKING_RULE).not.toContain('\n');
    for (const key of ['email', 'phone', 'client_email', 'details.{name', 'telegram_user', 'fanid_card.value', 'context.client_email', 'client_emails', 'payments[].name', 'pdf_url', 'cancel_url', 'inn', 'kpp', 'comment']) {
      expect(MASKING_RULE).toContain(key);
    }
  });
});

describe('maskPayload masks by exact key and path', () => {
  test('orders: client, details, basket client_* and access links masked; names of things kept', () => {
    const source = fixture('orders-page-1.json');
    const order = source.data[0];
    const masked = maskPayload(source).data[0];
    expect(masked.client.email).toBe(maskValue(order.client.email));
    expect(masked.client.details.name).toBe(maskValue(order.client.details.name));
    expect(masked.client.details.surname).toBe(maskValue(order.client.details.surname));
    expect(masked.client.details.phone).toBe(maskValue(order.client.details.phone));
    expect(masked.client.details.middlename).toBeNull();
    expect(masked.client.details.vk_id).toBe('');
    expect(masked.payment_url).toMatch(MASKED);
    expect(masked.cancel_url).toMatch(MASKED);
    const basket = masked.baskets[0];
    for (const key of ['client_email', 'client_phone', 'client_name', 'client_surname', 'pdf_url', 'passbook_url']) expect(basket[key], key).toMatch(MASKED);
    // Not personal: kept exactly.
    expect(basket.seat_name).toBe(order.baskets[0].seat_name);
    expect(basket.seat_id).toBe(order.baskets[0].seat_id);
    expect(basket.barcode).toBe(order.baskets[0].barcode);
    expect(masked.site.host).toBe(order.site.host);
    expect(masked.id).toBe(order.id);
    expect(masked.client_id).toBe(order.client_id);
    expect(masked.payment_card_number).toBe(order.payment_card_number);
    expect(masked.utm).toEqual(order.utm);
  });

  test('events: payments[].name masked; event, show, city, template, place names kept', () => {
    const source = fixture('events-page-1.json');
    const masked = maskPayload(source);
    const withPayments = source.data.findIndex((e: any) => e.payments.length > 0);
    const event = source.data[withPayments];
    const out = masked.data[withPayments];
    expect(out.payments[0].name).toBe(maskValue(event.payments[0].name));
    expect(out.payments[0].handler).toBe(event.payments[0].handler);
    expect(out.name).toBe(event.name);
    expect(out.place_name).toBe(event.place_name);
    expect(out.city.name).toBe(event.city.name);
    expect(out.ticket.name).toBe(event.ticket.name);
    expect(out.shows).toEqual(event.shows);
    const { payments: _a, ...restIn } = event;
    const { payments: _b, ...restOut } = out;
    expect(restOut).toEqual(restIn);
  });

  test('discounts and promo codes carry no personal data: unchanged', () => {
    for (const file of ['discounts-page-1.json', 'promo-codes-page-1.json', 'errors-observed.json']) {
      const source = fixture(file);
      expect(maskPayload(source)).toEqual(source);
      expect(collectPersonalValues(source)).toEqual([]);
    }
  });

  test('every listed key, in REST and Partners answers and request bodies', () => {
    const input = {
      client: { email: 'a@b.ru', phone: '+79001234567', details: { name: 'Иван', surname: 'Иванов', middlename: 'Иванович', vk_id: '123456', facebook_id: 'fb1', telegram_user: { id: 9, first_name: 'Ваня', last_name: 'Ив', username: 'vanya' } } },
      basket: { client_email: 'c@d.ru', client_phone: '89001234567', client_name: 'Пётр', client_surname: 'Петров', client_middlename: 'Петрович', organization_name: 'ООО Ромашка', legal_name: 'ООО «Ромашка»', work_position: 'директор', inn: '7700000000', kpp: 770001001, comment: 'позвонить', pdf_url: 'https://q/pdf', passbook_url: 'https://q/pb', gpass_url: 'https://q/g' },
      order: { payment_url: 'https://q/pay', cancel_url: 'https://q/cancel' },
      ticket: { fanid_card: { id: 3, value: '1234567890' } },
      seats: { context: { client_email: 'e@f.ru', user_id: 5, partner_id: 7 }, spread: { client_emails: ['g@h.ru', 'i@j.ru'], users: ['1'] } },
      partners: { batch: [{ seat_id: 'A-1;1', client_email: 'k@l.ru', client_phone: '+7 900 123-45-67', fanid: '555', price: 1500.5 }] },
      event: { payments: [{ id: 1, name: 'ИП Иванов И.И.', handler: 'payanyway' }] },
    };
    const out = maskPayload(input);
    const leaves = (value: unknown, path = ''): [string, unknown][] =>
      value !== null && typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k)) : [[path, value]];
    const kept = new Set(['client.details.telegram_user.id', 'ticket.fanid_card.id', 'seats.context.user_id', 'seats.context.partner_id', 'seats.spread.users.0', 'partners.batch.0.seat_id', 'partners.batch.0.price', 'event.payments.0.id', 'event.payments.0.handler']);
    for (const [path, value] of leaves(out)) {
      expect(MASKED.test(String(value)), path).toBe(!kept.has(path));
    }
    expect(out.seats.spread.client_emails).toEqual([maskValue('g@h.ru'), maskValue('i@j.ru')]);
    expect(out.basket.kpp).toBe(maskValue('770001001'));
    expect(collectPersonalValues(input)).toHaveLength(leaves(input).length - kept.size);
  });

  test('by exact key, never by substring', () => {
    const input = {
      event_name: 'Концерт',
      seat_name: 'Ряд 1',
      place_name: 'Зал',
      zone_name: 'Партер',
      name: 'Событие',
      shows: [{ name: 'Вечер' }],
      discount: { name: 'СКИДКА - 100%' },
      themes: [{ id: 1, color: '#ffffff', name: 'Синий' }],
      emails_sent: 3,
      phone_verified: true,
      client_id: 42,
      email_template: 'x',
    };
    expect(maskPayload(input)).toEqual(input);
  });

  test('null and empty strings stay; numbers become masked strings; booleans stay', () => {
    expect(maskPayload({ email: null, phone: '', client_name: null, inn: 7700000000, comment: false })).toEqual({
      email: null,
      phone: '',
      client_name: null,
      inn: maskValue('7700000000'),
      comment: false,
    });
  });

  test('a personal key holding an object or a list is masked throughout', () => {
    expect(maskPayload({ comment: { text: 'позвонить', lines: ['a', ''] }, client_emails: [] })).toEqual({
      comment: { text: maskValue('позвонить'), lines: [maskValue('a'), ''] },
      client_emails: [],
    });
  });

  test('generic values outside their parent stay readable', () => {
    const input = { city: { name: 'Томск' }, fanid_card_hint: { value: 1 }, settings: { value: 'x' }, mail_template: { name: 'Системный шаблон' } };
    expect(maskPayload(input)).toEqual(input);
  });

  test('any JSON value: scalars, arrays, bare lists; the input is not changed', () => {
    expect(maskPayload('<html>')).toBe('<html>');
    expect(maskPayload(null)).toBeNull();
    expect(maskPayload(5)).toBe(5);
    const barcodes = [{ barcode: '1', client_name: 'Иван' }];
    expect(maskPayload(barcodes)).toEqual([{ barcode: '1', client_name: maskValue('Иван') }]);
    expect(barcodes[0].client_name).toBe('Иван');
  });

  test('collectPersonalValues lists each raw value once', () => {
    const source = fixture('clients-page-1.json');
    const values = collectPersonalValues(source);
    expect(new Set(values).size).toBe(values.length);
    for (const client of source.data) {
      expect(values).toContain(client.email);
      expect(values).toContain(client.details.phone);
      expect(values).toContain(client.details.name);
    }
    expect(values).not.toContain('');
    expect(collectPersonalValues(maskPayload(source))).toEqual([]);
  });
});

describe('keys named like Object.prototype members', () => {
  // An answer is API data: a key such as "constructor" must be an ordinary key, not a lookup into the prototype.
  it('masks and collects around them without throwing', () => {
    const answer = { constructor: { name: 'Ivan', email: 'ivan@example.org' }, toString: { phone: '+79990001122' }, __proto__x: 1 };
    const masked = maskPayload(answer) as typeof answer;
    expect(masked.constructor.name).toBe('Ivan');
    expect(masked.constructor.email).toBe(maskValue('ivan@example.org'));
    expect(masked.toString.phone).toBe(maskValue('+79990001122'));
    expect(collectPersonalValues(answer).sort()).toEqual(['+79990001122', 'ivan@example.org']);
  });
});

describe('maskedSortedJson: maskPayload and sorted keys in one pass', () => {
  /** The two-pass definition it replaces: mask, then stringify with every object's entries sorted. */
  const twoPass = (value: unknown) =>
    JSON.stringify(maskPayload(value), (_key, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
    );

  test('the same text as the two passes on every fixture answer', () => {
    for (const file of ['orders-page-1.json', 'clients-page-1.json', 'events-page-1.json']) {
      const source = fixture(file);
      expect(maskedSortedJson(source)).toBe(twoPass(source));
      for (const item of source.data) expect(maskedSortedJson(item)).toBe(twoPass(item));
    }
  });

  test('the same text on the edge cases: key order, escapes, personal values of every type', () => {
    const cases: unknown[] = [
      { b: 1, a: 2, 10: 'x', 9: 'y', '01': 'z', '4294967295': 'big', '4294967294': 'index', '-1': 'n', '': 'empty' },
      { text: 'quote " backslash \\ tab \t line \n nul \u0000 del \u007f', emoji: '😀', lone: 'a\ud800b', sep: '\u2028' },
      { client: { email: 'a@b.ru', phone: 79001234567, details: { name: 'Иван', surname: '', middlename: null, vk_id: 0 } } },
      { comment: { nested: ['x', 1, null, true, { deep: 'y' }] }, client_emails: ['g@h.ru', ''], payments: [{ name: 'ИП Иванов', id: 1 }] },
      { spread: { client_emails: ['i@j.ru'] }, details: [{ name: 'Пётр' }], telegram_user: { username: 'x', id: 5 } },
      { n: NaN, inf: -Infinity, zero: -0, gone: undefined, list: [undefined, () => 1, NaN], f: () => 1 },
      [{ b: 1, a: 2 }, [], {}, 'x', 0],
      { email: 'masked:0123abcd', already: maskValue('x') },
      Object.assign(Object.create(null), { z: 1, y: { email: 'e@f.ru' } }),
      'плоская строка',
      12.5,
      null,
    ];
    for (const value of cases) expect(maskedSortedJson(value)).toBe(twoPass(value));
  });

  test('values JSON.stringify treats by rules of its own take the two-pass way: toJSON, bigint, class instances, __proto__', () => {
    const cases: unknown[] = [
      { when: new Date('2026-01-15T10:00:00Z'), b: 1 },
      { custom: { toJSON: () => ({ z: 1, a: 2 }) } },
      { phone: 79001234567n },
      { map: new Map([['a', 1]]) },
      JSON.parse('{"__proto__": {"email": "x@y.ru"}, "a": 1}'),
    ];
    for (const value of cases) expect(maskedSortedJson(value)).toBe(twoPass(value));
    expect(() => maskedSortedJson({ big: 1n })).toThrow(TypeError);
  });

  test('objects of a shape met before and of new shapes under the same key', () => {
    const rows = [{ b: 1, a: { email: 'a@b.ru' } }, { b: 2, a: { email: 'c@d.ru' } }, { a: { email: 'e@f.ru' }, b: 3 }, { b: 4, a: { x: 'e@f.ru' }, c: 0 }];
    for (const row of rows) expect(maskedSortedJson(row)).toBe(twoPass(row));
  });
});
