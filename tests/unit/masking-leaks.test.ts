import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectPersonalValues, fingerprint, leakFinder, maskPayload, maskValue } from '../../support/masking.ts';
import { fixturesDir } from '../../support/paths.ts';

const findLeaks = (text: string, needles: { secrets: string[]; personal: string[] }) => leakFinder(needles)(text);

const FIXTURES = ['orders-page-1.json', 'clients-page-1.json', 'events-page-1.json', 'discounts-page-1.json', 'promo-codes-page-1.json', 'errors-observed.json'];
const fixture = (file: string): unknown => JSON.parse(readFileSync(join(fixturesDir(), file), 'utf8'));
const none = { secrets: [], personal: [] };

describe('leakFinder', () => {
  test.each(FIXTURES)('a masked %s has no leak', (file) => {
    const source = fixture(file);
    const personal = collectPersonalValues(source);
    expect(findLeaks(JSON.stringify(maskPayload(source)), { secrets: [], personal })).toEqual([]);
    expect(findLeaks(JSON.stringify(maskPayload(source), null, 2), { secrets: [], personal })).toEqual([]);
  });

  test('the raw fixtures do leak: the scan sees every personal value', () => {
    for (const file of ['orders-page-1.json', 'clients-page-1.json', 'events-page-1.json']) {
      const source = fixture(file);
      const personal = collectPersonalValues(source);
      const leaks = findLeaks(JSON.stringify(source), { secrets: [], personal });
      expect(leaks.length, file).toBeGreaterThanOrEqual(personal.length);
      const found = new Set(leaks.map((l) => l.match));
      for (const value of personal.filter((v) => v.length >= 3)) expect(found.has(maskValue(value)), value).toBe(true);
    }
  });

  test('finds a planted token, email and phone, reporting them masked with their index', () => {
    const token = 'qt_live_4f9c2a7b1e8d3c6a';
    const masked = JSON.stringify(maskPayload(fixture('clients-page-1.json')));
    const text = `${masked}\nAuthorization: Bearer ${token}\nnote: write to someone@mail.ru or call +7 (912) 345-67-89, 8-912-345-67-80`;
    const leaks = findLeaks(text, { secrets: [token], personal: [] });
    expect(leaks.map((l) => l.kind)).toEqual(['secret', 'email', 'phone', 'phone']);
    expect(leaks[0]).toEqual({ kind: 'secret', match: maskValue(token), index: text.indexOf(token) });
    expect(leaks[1].index).toBe(text.indexOf('someone@mail.ru'));
    expect(leaks[2].index).toBe(text.indexOf('+7 (912)'));
    expect(JSON.stringify(leaks)).not.toMatch(/qt_live|someone|912/);
  });

  test('a personal value is found as a whole word, raw or JSON-escaped, once per place', () => {
    const personal = ['Иванов', 'ООО "Ромашка"', '+79001234567', 'vanya@example.ru'];
    const text = JSON.stringify({ a: 'Иванов', b: 'Ивановский проспект', c: 'ООО "Ромашка"', d: '+79001234567', e: 'vanya@example.ru' });
    const leaks = findLeaks(text, { secrets: [], personal });
    expect(leaks.map((l) => [l.kind, l.match])).toEqual([
      ['personal', maskValue('Иванов')],
      ['personal', maskValue('ООО \\"Ромашка\\"')],
      ['personal', maskValue('+79001234567')],
      ['personal', maskValue('vanya@example.ru')],
    ]);
  });

  test('hashes, ids, barcodes, timestamps and masked values are not phones', () => {
    const sha = createHash('sha256').update('x').digest('hex');
    const text = JSON.stringify({
      request_body_hash: sha,
      other: '8123456789012345678901234567890123456789abcdef',
      barcode: '872964136579',
      series: '370477697',
      id: 81234567890123,
      utm_content: '10766679603',
      created_at: '2021-05-18T12:23:40+03:00',
      masked: maskValue('+79001234567'),
      fingerprint: fingerprint('token'),
      price: 1222.03,
    });
    expect(findLeaks(text, none)).toEqual([]);
  });

  test('phone formats: +7 with or without separators, 8 with separators', () => {
    for (const phone of ['+79001234567', '+7 900 123 45 67', '8 (900) 123-45-67', '+7(900)123-45-67', '8-900-123-45-67']) {
      expect(findLeaks(`tel: ${phone}.`, none), phone).toEqual([{ kind: 'phone', match: maskValue(phone), index: 5 }]);
    }
  });

  test('a bare 8XXXXXXXXXX is an id to the pattern (utm_content carries such ad ids), a leak when seen as a phone', () => {
    expect(findLeaks('"utm_content":"80565529165"', none)).toEqual([]);
    expect(findLeaks('"phone":"89001234567"', { secrets: [], personal: ['89001234567'] })).toHaveLength(1);
  });

  test('empty and very short needles are ignored', () => {
    expect(findLeaks('Ия и Ян', { secrets: [''], personal: ['Ия', 'Ян', ''] })).toEqual([]);
  });
});
