/**
 * Time as the live API writes it: every REST timestamp is `YYYY-MM-DDTHH:MM:SS+03:00` (Moscow time),
 * whatever the event's city timezone.
 */

const MSK_OFFSET_MS = 3 * 3600_000;
export const MINUTE = 60_000;
export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

/** The "now" the tenant is generated for (MOCK_CLOCK=fixed keeps it; `now` moves the tenant by whole days, see clock.ts). */
export const REFERENCE_NOW = Date.parse('2025-11-26T12:00:00+03:00');

const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
/** `YYYY-MM-DDT` of each Moscow day formatted so far: the time of day is then arithmetic, not a Date (a page has ~700 timestamps). */
const dayPrefixes = new Map<number, string>();

export function mskIso(ms: number): string {
  const seconds = Math.floor((ms + MSK_OFFSET_MS) / 1000);
  const day = Math.floor(seconds / 86_400);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, -13);
    dayPrefixes.set(day, prefix);
  }
  const second = seconds - day * 86_400;
  return `${prefix}${TWO_DIGITS[Math.floor(second / 3600)]}:${TWO_DIGITS[Math.floor(second / 60) % 60]}:${TWO_DIGITS[second % 60]}+03:00`;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;
/** `+0300`: the documentation reports that filters with this compact offset are ignored. */
export const COMPACT_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?[+-]\d{4}$/;

/** The instant of an ISO date or datetime; a date alone or a datetime without offset is Moscow time. */
export function parseInstant(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  if (DATE_ONLY.test(value)) return Date.parse(`${value}T00:00:00+03:00`);
  if (!DATE_TIME.test(value)) return null;
  const normalized = value.replace(' ', 'T');
  const ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(normalized) ? normalized : `${normalized}+03:00`);
  return Number.isNaN(ms) ? null : ms;
}

/** A client-supplied date or datetime, written back the API's way; null when it is not a date. */
export function toMskIso(value: unknown): string | null {
  const ms = parseInstant(value);
  return ms === null ? null : mskIso(ms);
}
