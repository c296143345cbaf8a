import { beforeEach, describe, expect, test, vi } from 'vitest';
import type { Leak } from '../../support/masking.ts';

/**
 * The leak scan at its edges: texts longer than one scan window (a needle across, at and near each window
 * border is found once, at its index), overlapping and adjacent hits, where a whole word starts and ends,
 * and needles too long or too plain to be searched as words.
 */

// Imported afresh in each test: the patterns and word rules are built when the module loads, and
// `npm run mutation` can switch a change to them on only for a load inside a test.
let leakFinder: typeof import('../../support/masking.ts').leakFinder;
let maskValue: typeof import('../../support/masking.ts').maskValue;
beforeEach(async () => {
  vi.resetModules();
  ({ leakFinder, maskValue } = await import('../../support/masking.ts'));
});

const none = { secrets: [], personal: [] };
const leak = (kind: Leak['kind'], raw: string, index: number): Leak => ({ kind, match: maskValue(raw), index });

/** A text of `length` spaces with each needle written over it at its index. */
function textWith(length: number, planted: [number, string][]): string {
  let text = ' '.repeat(length);
  for (const [index, needle] of planted) text = text.slice(0, index) + needle + text.slice(index + needle.length);
  expect(text).toHaveLength(length);
  return text;
}

describe('a text longer than one scan window (1 MiB)', () => {
  const WINDOW = 1 << 20;
  const secret = 'qt_live_4f9c2a7b';
  // Longer than the 512-character margin the windows share: the margin grows to the longest needle.
  const longSecret = `qt_long_${'x'.repeat(1992)}`;

  test('each needle is found once, at its index: at the start, across, at and around each border, at the end', () => {
    const length = 3 * WINDOW + 5000;
    const at: [number, string][] = [
      [0, secret],
      [WINDOW - 5, secret], // across the border
      [2 * WINDOW - 300, secret], // seen by the next window's margin too
      [2 * WINDOW, secret], // the next window's first character
      [2 * WINDOW + 300, secret], // seen by the previous window's margin too
      [3 * WINDOW - 1000, longSecret], // across the border, longer than the default margin
      [length - secret.length, secret],
    ];
    const text = textWith(length, at);
    expect(leakFinder({ secrets: [secret, longSecret], personal: [] })(text)).toEqual(at.map(([index, raw]) => leak('secret', raw, index)));
  });

  test('personal values, emails and phones across a border are found too', () => {
    const text = textWith(3 * WINDOW + 1000, [
      [WINDOW - 4, 'Иванов'],
      [2 * WINDOW - 6, 'ivan@example.ru'],
      [3 * WINDOW - 3, '+79001234567'],
    ]);
    expect(leakFinder({ secrets: [], personal: ['Иванов'] })(text)).toEqual([
      leak('personal', 'Иванов', WINDOW - 4),
      leak('email', 'ivan@example.ru', 2 * WINDOW - 6),
      leak('phone', '+79001234567', 3 * WINDOW - 3),
    ]);
  });

  test('a text of exactly one window is scanned whole', () => {
    const text = textWith(WINDOW, [[WINDOW - secret.length, secret]]);
    expect(leakFinder({ secrets: [secret], personal: [] })(text)).toEqual([leak('secret', secret, WINDOW - secret.length)]);
  });
});

describe('hits that touch or overlap', () => {
  test('leaks are listed in the order of the text, whatever their kind', () => {
    const text = 'call +7 912 345-67-89, mail a@b.ru, token qt_live_1';
    expect(leakFinder({ secrets: ['qt_live_1'], personal: [] })(text)).toEqual([
      leak('phone', '+7 912 345-67-89', 5),
      leak('email', 'a@b.ru', 28),
      leak('secret', 'qt_live_1', 42),
    ]);
  });

  test('two needles side by side are two leaks', () => {
    expect(leakFinder({ secrets: ['ABC123', 'XYZ789'], personal: [] })('=ABC123XYZ789=')).toEqual([leak('secret', 'ABC123', 1), leak('secret', 'XYZ789', 7)]);
  });

  test('a needle overlapping itself is reported once for the place', () => {
    expect(leakFinder({ secrets: ['abab'], personal: [] })('x ababab x')).toEqual([leak('secret', 'abab', 2)]);
  });

  test('a secret that is also an email address is reported as the secret', () => {
    expect(leakFinder({ secrets: ['ops@example.ru'], personal: [] })('to ops@example.ru')).toEqual([leak('secret', 'ops@example.ru', 3)]);
  });

  test('a secret is found inside a word; a personal value only as a whole word', () => {
    expect(leakFinder({ secrets: ['tok'], personal: [] })('stokes')).toEqual([leak('secret', 'tok', 1)]);
    expect(leakFinder({ secrets: [], personal: ['Иван'] })('Иванов, Иван')).toEqual([leak('personal', 'Иван', 8)]);
  });
});

describe('whole words', () => {
  const find = (personal: string[], text: string) => leakFinder({ secrets: [], personal })(text);

  test('at the very start and the very end of the text', () => {
    expect(find(['Иванов'], 'Иванов')).toEqual([leak('personal', 'Иванов', 0)]);
    expect(find(['Иванов'], 'Иванов и Петров')).toEqual([leak('personal', 'Иванов', 0)]);
    expect(find(['Петров'], 'Иванов и Петров')).toEqual([leak('personal', 'Петров', 9)]);
  });

  test('a value that starts or ends with punctuation needs no word border on that side', () => {
    expect(find(['+79001234567'], 'tel+79001234567')).toEqual([leak('personal', '+79001234567', 3)]);
    expect(find(['ИП Иванов И.И.'], 'продавецИП Иванов И.И.Москва')).toEqual([]);
    expect(find(['Иванов И.И.'], 'Петр Иванов И.И.Москва')).toEqual([leak('personal', 'Иванов И.И.', 5)]);
  });

  test('a value of several words is anchored on its longest word and confirmed in place', () => {
    expect(find(['Анна Мария Петровна'], 'клиент: Анна Мария Петровна.')).toEqual([leak('personal', 'Анна Мария Петровна', 8)]);
    expect(find(['Анна Мария Петровна'], 'клиент: Мария Петровна.')).toEqual([]);
    // The anchor word is there, the words before it are not (or the value would start before the text).
    expect(find(['Анна Мария Петровна'], 'ab Анну Мария Петровна')).toEqual([]);
    expect(find(['Анна Мария Петровна'], 'x, Мария Петровна.')).toEqual([]);
    // The last word must end where a word ends.
    expect(find(['Анна Ив'], 'Анна Ивы')).toEqual([]);
    expect(find(['Анна Ив'], 'Анна Ив.')).toEqual([leak('personal', 'Анна Ив', 0)]);
  });

  test('three characters are searched, shorter values (after trimming) are not', () => {
    expect(find(['Лев'], 'Лев Толстой')).toEqual([leak('personal', 'Лев', 0)]);
    expect(find([' Ян '], 'Ян')).toEqual([]);
    expect(find([' Ян '], 'x Ян y')).toEqual([]);
  });

  test('a value without letters or digits is never a word: it is not searched and does not break the scan', () => {
    expect(find(['...', 'Иванов'], '... Иванов')).toEqual([leak('personal', 'Иванов', 4)]);
  });

  test('a word of up to 256 letters is matched whole; a longer value is searched verbatim, also inside a longer word', () => {
    const word256 = 'ж'.repeat(256);
    expect(find([word256], word256)).toEqual([leak('personal', word256, 0)]);
    expect(find([word256], `${word256}ж`)).toEqual([]);
    const word300 = 'ж'.repeat(300);
    expect(find([word300], `дом ${word300} дом`)).toEqual([leak('personal', word300, 4)]);
    expect(find([word300], `${word300}ж`)).toEqual([leak('personal', word300, 0)]);
    // Several words, each shorter than that, are still matched whole however long the value is.
    const twoWords = `${'ж'.repeat(200)} ${'ж'.repeat(200)}`;
    expect(find([twoWords], `${twoWords}ж`)).toEqual([]);
    expect(find([twoWords], `${twoWords}.`)).toEqual([leak('personal', twoWords, 0)]);
  });
});

test('with nothing to look for, only the email and phone patterns are searched', () => {
  expect(leakFinder(none)('Иванов')).toEqual([]);
  expect(leakFinder(none)('Иванов: ivan@example.ru')).toEqual([leak('email', 'ivan@example.ru', 8)]);
});
