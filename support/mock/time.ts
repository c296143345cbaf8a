import { mskIso } from '../core/moscow.ts';

/**
 * Time as the live API writes it: every REST timestamp is `YYYY-MM-DDTHH:MM:SS+03:00` (Moscow time),
 * whatever the event's city timezone.
 */

export const MINUTE = 60_000;
export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

/** The "now" the tenant is generated for (MOCK_CLOCK=fixed keeps it; `now` moves the tenant by whole days, see clock.ts). */
export const REFERENCE_NOW = Date.parse('2025-11-26T12:00:00+03:00');

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
