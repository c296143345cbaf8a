import { mskIso } from '../../support/core/moscow.ts';

/** Moscow timestamps: the formatter caches day prefixes and does the time of day by arithmetic. */

/** What the API writes: the instant, to the second, as Moscow wall time with +03:00. */
const viaDate = (ms: number) => `${new Date(Math.floor(ms / 1000) * 1000 + 3 * 3600_000).toISOString().slice(0, 19)}+03:00`;

test('mskIso writes what Date does, around midnight, before 1970 and with milliseconds', () => {
  const midnight = Date.parse('2025-11-26T00:00:00+03:00');
  const instants = [0, -1, -999, -1000, -1001, 1.5, 999.9, midnight - 1, midnight, midnight + 999, Date.parse('1969-12-31T20:59:59.5Z'), Date.parse('0001-01-01T00:00:00Z')];
  for (let k = 0; k < 2000; k++) instants.push(midnight + (k - 1000) * 7_919_993.7);
  expect(instants.map(mskIso)).toEqual(instants.map(viaDate));
  expect(mskIso(midnight + 3_600_000 + 61_000)).toBe('2025-11-26T01:01:01+03:00');
});

test('mskIso refuses what is not an instant, as Date does', () => {
  expect(() => mskIso(Number.NaN)).toThrow(RangeError);
});
