import { beforeEach, describe, expect, test, vi } from 'vitest';

/**
 * The masking rule's key lists and the leak scan's patterns, key by key and form by form. The module is
 * imported afresh in each test: its lists and patterns are built when it loads, and `npm run mutation` can
 * switch a change to them on only for a load that happens inside a test.
 */

let masking: typeof import('../../support/masking.ts');
beforeEach(async () => {
  vi.resetModules();
  masking = await import('../../support/masking.ts');
});

const MASKED = /^masked:[0-9a-f]{8}$/;

/** docs/report-format.md §4: keys personal wherever they appear. */
const EVERYWHERE = [
  'email', 'phone', 'client_email', 'client_phone', 'client_name', 'client_surname', 'client_middlename',
  'organization_name', 'legal_name', 'work_position', 'inn', 'kpp', 'comment', 'client_emails', 'spread.client_emails',
  'fanid', 'pdf_url', 'passbook_url', 'gpass_url', 'payment_url', 'cancel_url',
];
/** Keys personal only under their parent. */
const UNDER: [string, string][] = [
  ['details', 'name'], ['details', 'surname'], ['details', 'middlename'], ['details', 'vk_id'], ['details', 'facebook_id'],
  ['telegram_user', 'first_name'], ['telegram_user', 'last_name'], ['telegram_user', 'username'],
  ['fanid_card', 'value'], ['payments', 'name'],
];

describe('the keys', () => {
  test.each(EVERYWHERE)('%s is masked at the top level, nested and in lists, in both writers', (key) => {
    const input = { [key]: 'Иванов', nested: { [key]: 'Петров' }, list: [{ [key]: 'Сидоров' }] };
    const out = masking.maskPayload(input) as any;
    expect([out[key], out.nested[key], out.list[0][key]]).toEqual(['Иванов', 'Петров', 'Сидоров'].map(masking.maskValue));
    expect(JSON.parse(masking.maskedSortedJson(input))).toEqual(out);
    expect(masking.collectPersonalValues(input).sort()).toEqual(['Иванов', 'Петров', 'Сидоров'].sort());
  });

  test.each(UNDER)('%s.%s is masked under its parent only', (parent, key) => {
    const input = { [parent]: { [key]: 'Иванов' }, other: { [key]: 'Томск' }, [key]: 'Омск' };
    const out = masking.maskPayload(input) as any;
    expect(out).toEqual({ [parent]: { [key]: masking.maskValue('Иванов') }, other: { [key]: 'Томск' }, [key]: 'Омск' });
    expect(JSON.parse(masking.maskedSortedJson(input))).toEqual(out);
    // Array indices are skipped: the parent of payments[0].name is payments.
    expect((masking.maskPayload({ [parent]: [{ [key]: 'Иванов' }] }) as any)[parent][0][key]).toBe(masking.maskValue('Иванов'));
  });

  test('names of things and look-alike keys stay readable', () => {
    const input = { name: 'Концерт', event_name: 'Концерт', seat_name: 'Ряд 1', value: 'x', username: 'u', first_name: 'f', emails: 'e', client: 'c', details_name: 'd' };
    expect(masking.maskPayload(input)).toEqual(input);
  });

  test('the rule as documented names every key and states how values are masked', () => {
    const rule = masking.MASKING_RULE;
    for (const key of EVERYWHERE) expect(rule, key).toContain(key);
    for (const text of [
      'never by substring', 'context.client_email', 'details.{name, surname, middlename, vk_id, facebook_id}',
      'telegram_user.{first_name, last_name, username}', 'fanid_card.value', 'payments[].name',
      '"masked:" + the first 8 hex characters of its SHA-256', 'null and empty strings stay as they are',
      'event_name, seat_name, place_name, zone_name', 'colour themes stay readable',
      'Tokens never appear: at most the first 8 hex characters of their SHA-256.',
    ]) expect(rule).toContain(text);
  });
});

test('the personal values seen are kept in a file of the scratch folder, read back by the report\'s leak scan', async () => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { personalValuesSeen } = await import('../../reporters/audit/leaks.ts');
  const scratch = mkdtempSync(join(tmpdir(), 'personal-values-'));
  try {
    writeFileSync(join(scratch, masking.PERSONAL_VALUES_FILE), 'Иванов\n');
    expect(personalValuesSeen(scratch)).toEqual(['Иванов']);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

describe('a value masked already', () => {
  test('only "masked:" and exactly 8 lowercase hex characters count as masked', () => {
    expect(masking.maskValue('masked:0123abcd')).toBe('masked:0123abcd');
    for (const value of ['masked:0123abcg', 'masked:0123ABCD', 'masked:0123abc', 'masked:0123abcd0', 'xmasked:0123abcd', 'masked: 0123abc', 'Masked:0123abcd']) {
      expect(masking.maskValue(value), value).toMatch(MASKED);
      expect(masking.maskValue(value), value).not.toBe(value);
    }
    expect(masking.collectPersonalValues({ email: 'masked:0123abcd', phone: 'masked:0123abcde' })).toEqual(['masked:0123abcde']);
  });
});

describe('sorted JSON', () => {
  test('integer-like keys (up to 2^32 − 2) first, in numeric order', () => {
    expect(masking.maskedSortedJson({ b: 1, 4294967295: 'big', 4294967294: 'max', 10: 'x', 9: 'y', '01': 'z', '-1': 'n', '1.5': 'f', ' 1': 's' })).toBe(
      '{"9":"y","10":"x","4294967294":"max"," 1":"s","-1":"n","01":"z","1.5":"f","4294967295":"big","b":1}',
    );
  });

  test('quotes, backslashes, control characters and lone surrogates escaped; other text as it is', () => {
    expect(masking.maskedSortedJson(['a"b', 'c\\d', 'e\u001ff', '\u0000', 'g\ud800h', '😀', '\u007f', 'ж'])).toBe('["a\\"b","c\\\\d","e\\u001ff","\\u0000","g\\ud800h","😀","\u007f","ж"]');
  });
});

describe('the leak scan\'s patterns', () => {
  const scan = (text: string) => masking.leakFinder({ secrets: [], personal: [] })(text);
  const only = (kind: 'email' | 'phone', raw: string, index: number) => [{ kind, match: masking.maskValue(raw), index }];

  test.each([
    '+79001234567', '+7 900 123 45 67', '+7 (900) 123-45-67', '+7(900)123-45-67', '+7-900-123-45-67', '+7 900 1234567',
    '8 (900) 123-45-67', '8-900-123-45-67', '8 900 123 45 67', '8(900)123-45-67', '8 (900)123 45 67',
  ])('the phone %s is found, whole', (phone) => {
    expect(scan(`тел. ${phone}.`)).toEqual(only('phone', phone, 5));
    expect(scan(`"${phone}"`)).toEqual(only('phone', phone, 1));
  });

  test.each([
    ['a bare 8 and ten digits (an ad id)', '89001234567'],
    ['nine digits after +7', '+7900123456'],
    ['a longer number', '+790012345678'],
    ['+7 inside a word', 'id+79001234567'],
    ['+7 after a digit', '1+79001234567'],
    ['+7 after an underscore', '_+79001234567'],
    ['+7 after another plus', '++79001234567'],
    ['followed by a letter', '+79001234567x'],
    ['followed by an underscore', '+79001234567_'],
    ['letters for digits', '+7 abc def gh ij'],
    ['too many separators', '+7   900 123 45 67'],
    ['another country code', '+49001234567'],
  ])('not a phone: %s', (_label, text) => {
    expect(scan(` ${text} `)).toEqual([]);
  });

  test.each([
    'ivan@example.ru', 'ivan.petrov@mail.example.ru', 'i_v%a+n-1@ex-ample.com', 'иван@пример.рф', '1@x.io', 'a@b.c.d.e.f.museum',
  ])('the email %s is found, whole', (email) => {
    expect(scan(`mail: ${email}, ok`)).toEqual(only('email', email, 6));
    expect(scan(`(${email})`)).toEqual(only('email', email, 1));
  });

  test('an email starts where its local part starts', () => {
    expect(scan('to:ivan@example.ru')).toEqual(only('email', 'ivan@example.ru', 3));
    expect(scan('x'.repeat(65) + '@example.ru')).toEqual([]);
    expect(scan('x'.repeat(64) + '@example.ru')).toEqual(only('email', 'x'.repeat(64) + '@example.ru', 0));
  });

  test('an email ends where its domain ends', () => {
    expect(scan('ivan@example.ru, see docs.example.org')).toEqual([{ kind: 'email', match: masking.maskValue('ivan@example.ru'), index: 0 }]);
    expect(scan('ivan@example.ru и т.д.')).toEqual(only('email', 'ivan@example.ru', 0));
  });

  test.each([
    ['no dot in the domain', 'ivan@localhost'],
    ['a one-letter top-level domain', 'ivan@example.r'],
    ['a numeric top-level domain', 'ivan@10.0.0.1'],
    ['no local part', '@example.ru'],
    ['no domain', 'ivan@.ru'],
    ['a space before the domain', 'ivan@ example.ru'],
  ])('not an email: %s', (_label, text) => {
    expect(scan(` ${text} `)).toEqual([]);
  });

  test('personal values are words of letters and digits, in any script', () => {
    const find = (personal: string[], text: string) => masking.leakFinder({ secrets: [], personal })(text);
    expect(find(['Иванов'], 'Иванов1')).toEqual([]);
    expect(find(['Иванов'], '1Иванов')).toEqual([]);
    expect(find(['Иванов'], 'Иванов_')).toEqual([{ kind: 'personal', match: masking.maskValue('Иванов'), index: 0 }]);
    expect(find(['Müller'], 'Herr Müller.')).toEqual([{ kind: 'personal', match: masking.maskValue('Müller'), index: 5 }]);
    expect(find(['A12345'], 'card A12345 used')).toEqual([{ kind: 'personal', match: masking.maskValue('A12345'), index: 5 }]);
  });
});
