import { collectPersonalValues, maskedSortedJson, maskPayload, maskValue } from '../../support/masking.ts';

/**
 * payload_json as ClickHouse stores it: masked, keys sorted, the same text for the same record whatever the
 * order of its keys or the records serialised before it. Literal expectations, not a second implementation.
 */

const m = (raw: string) => maskValue(raw);

describe('maskedSortedJson writes literal, sorted, masked JSON', () => {
  test('keys sorted at every level; the text does not depend on the order of the input keys', () => {
    const a = { id: 7, client: { phone: '+79001234567', email: 'a@b.ru' }, baskets: [{ price: 100, client_name: 'Иван' }] };
    const b = { baskets: [{ client_name: 'Иван', price: 100 }], client: { email: 'a@b.ru', phone: '+79001234567' }, id: 7 };
    const expected = `{"baskets":[{"client_name":"${m('Иван')}","price":100}],"client":{"email":"${m('a@b.ru')}","phone":"${m('+79001234567')}"},"id":7}`;
    expect(maskedSortedJson(a)).toBe(expected);
    expect(maskedSortedJson(b)).toBe(expected);
  });

  test('integer-like keys first, in numeric order, as in a JS object', () => {
    expect(maskedSortedJson({ b: 1, 10: 'x', a: 2, 9: 'y', '01': 'z' })).toBe('{"9":"y","10":"x","01":"z","a":2,"b":1}');
  });

  test('the same generic key is personal under one parent and not under another, in either order', () => {
    expect(maskedSortedJson({ details: { name: 'Иван' }, city: { name: 'Томск' } })).toBe(`{"city":{"name":"Томск"},"details":{"name":"${m('Иван')}"}}`);
    expect(maskedSortedJson({ city: { name: 'Омск' }, details: { name: 'Пётр' } })).toBe(`{"city":{"name":"Омск"},"details":{"name":"${m('Пётр')}"}}`);
    expect(maskedSortedJson([{ name: 'Концерт' }, { payments: [{ name: 'ИП Петров' }] }])).toBe(`[{"name":"Концерт"},{"payments":[{"name":"${m('ИП Петров')}"}]}]`);
  });

  test('records of one list with other keys (same first key, same or fewer keys) each keep their own keys', () => {
    const rows = [
      { b: 1, a: 'x' },
      { b: 2, c: 'y' },
      { b: 3, a: 'z', email: 'e@f.ru' },
      { b: 4 },
      { b: 5, email: 'g@h.ru' },
    ];
    expect(maskedSortedJson(rows)).toBe(`[{"a":"x","b":1},{"b":2,"c":"y"},{"a":"z","b":3,"email":"${m('e@f.ru')}"},{"b":4},{"b":5,"email":"${m('g@h.ru')}"}]`);
  });

  test('personal values of every type: strings and numbers masked; null, empty strings, booleans kept', () => {
    expect(maskedSortedJson({ phone: 79001234567, email: '', client_name: null, comment: true, inn: '7700' })).toBe(
      `{"client_name":null,"comment":true,"email":"","inn":"${m('7700')}","phone":"${m(String(79001234567))}"}`,
    );
  });

  test('values JSON cannot hold: NaN and infinities are null, undefined and functions are left out of objects and null in lists', () => {
    expect(maskedSortedJson({ n: NaN, i: Infinity, u: undefined, f: () => 1, l: [undefined, () => 1, -Infinity, 1] })).toBe('{"i":null,"l":[null,null,null,1],"n":null}');
  });

  test('escapes as JSON.stringify does', () => {
    expect(maskedSortedJson({ t: 'a"b\\c\nd\u0001' })).toBe('{"t":"a\\"b\\\\c\\nd\\u0001"}');
  });

  test('an object with a toJSON or a class instance inside: still sorted and masked throughout', () => {
    const value = { when: new Date('2026-01-15T10:00:00Z'), list: [{ b: 1, a: 2 }, null, 'x', 3], client: { phone: '+79001234567', email: null }, flag: false };
    expect(maskedSortedJson(value)).toBe(`{"client":{"email":null,"phone":"${m('+79001234567')}"},"flag":false,"list":[{"a":2,"b":1},null,"x",3],"when":"2026-01-15T10:00:00.000Z"}`);
  });
});

describe('maskPayload edges', () => {
  test('a bigint under a personal key is masked like the number it is; elsewhere it stays', () => {
    const out = maskPayload({ phone: 79001234567n, id: 5n });
    expect(out).toEqual({ phone: m('79001234567'), id: 5n });
  });

  test('the dotted key a flat-seats select returns is masked element-wise', () => {
    const input = { 'spread.client_emails': ['a@b.ru', ''], 'spread.users': ['1'] };
    expect(maskPayload(input)).toEqual({ 'spread.client_emails': [m('a@b.ru'), ''], 'spread.users': ['1'] });
    expect(collectPersonalValues(input)).toEqual(['a@b.ru']);
  });

  test('objects without a prototype are walked like plain ones', () => {
    const input = Object.assign(Object.create(null), { email: 'a@b.ru', id: 1 });
    expect({ ...maskPayload(input) }).toEqual({ email: m('a@b.ru'), id: 1 });
  });
});
