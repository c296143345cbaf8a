/**
 * Moscow time, the clock of the API and of the warehouse. The API writes every timestamp as
 * `YYYY-MM-DDTHH:MM:SS+03:00` (mskIso). ClickHouse `DateTime` columns hold naive Moscow time
 * (docs/clickhouse-model.md §1; moscowDateTime): the instant converted to Europe/Moscow with the offset dropped. The IANA zone, not a fixed +03:00, so that instants from before
 * 2014 (UTC+4, and DST before 2011) land on the right wall-clock time too.
 */

const moscowClock = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Moscow',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** 2014-10-26 02:00 MSK (UTC+4), when Moscow went back to UTC+3 for good; 10000-01-01 (toISOString's 4-digit years end). */
const FIXED_OFFSET_SINCE = Date.UTC(2014, 9, 25, 22, 0, 0);
const FIXED_OFFSET_MS = 3 * 3600_000;
const YEAR_10000 = Date.UTC(10000, 0, 1);

const DAY_MS = 24 * 3600_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
/** `YYYY-MM-DDT` of each Moscow day formatted so far: the time of day is then arithmetic, not a Date (a mock page has ~700 timestamps). */
const dayPrefixes = new Map<number, string>();

/** An instant as the API writes it: `YYYY-MM-DDTHH:MM:SS+03:00`, whatever the event's city timezone. */
export function mskIso(ms: number): string {
  const seconds = Math.floor((ms + FIXED_OFFSET_MS) / 1000);
  const day = Math.floor(seconds / 86_400);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, -13);
    dayPrefixes.set(day, prefix);
  }
  const second = seconds - day * 86_400;
  return `${prefix}${TWO_DIGITS[Math.floor(second / 3600)]}:${TWO_DIGITS[Math.floor(second / 60) % 60]}:${TWO_DIGITS[second % 60]}+03:00`;
}

const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const NAIVE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?))?(?:\.\d+)?$/;

/** `YYYY-MM-DD HH:MM:SS` in Moscow for an instant, or for an ISO string with an offset (a string without one is already Moscow time). */
export function moscowDateTime(value: Date | string): string {
  if (typeof value === 'string' && !HAS_OFFSET.test(value.trim())) {
    const naive = NAIVE.exec(value.trim());
    if (!naive) throw new Error(`Not a timestamp: ${JSON.stringify(value)}`);
    const time = naive[2] ?? '00:00:00';
    return `${naive[1]} ${time.length === 5 ? `${time}:00` : time}`;
  }
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (Number.isNaN(ms)) throw new Error(`Not a timestamp: ${JSON.stringify(value)}`);
  // Since 26 October 2014 Moscow is UTC+3 all year: the wall time is the instant plus 3 hours, no zone lookup.
  if (ms >= FIXED_OFFSET_SINCE && ms + FIXED_OFFSET_MS < YEAR_10000) {
    const iso = new Date(ms + FIXED_OFFSET_MS).toISOString();
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  const instant = new Date(ms);
  const part = Object.fromEntries(moscowClock.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}:${part.second}`;
}

/** `YYYY-MM-DD`: the Moscow calendar date of the same value. */
export function moscowDate(value: Date | string): string {
  return moscowDateTime(value).slice(0, 10);
}

/** The Moscow time of an optional API timestamp; null when the API sent none. */
export function optionalMoscowDateTime(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? moscowDateTime(value) : null;
}
