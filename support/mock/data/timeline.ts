import { DAY, REFERENCE_NOW } from '../time.ts';

/**
 * The calendar the tenant is generated on. The reference tenant lives as of REFERENCE_NOW; a shifted one
 * has every date moved by whole days, so Moscow dates, times of day and all spacing stay as generated.
 */
export interface Timeline {
  firstEventMs: number;
  firstOrderMs: number;
  lastOrderMs: number;
  /** Moscow midnight that starts the tenant's last day: only its newest order comes after it, in the first hour. */
  lastDayMs: number;
  /** The tenant's "now": upcoming shows are placed from it. */
  asOfMs: number;
}

const REFERENCE: Timeline = {
  firstEventMs: Date.parse('2021-05-12T15:39:40+03:00'),
  firstOrderMs: Date.parse('2021-05-18T12:19:49+03:00'),
  lastOrderMs: Date.parse('2025-11-20T18:00:00+03:00'),
  lastDayMs: Date.parse('2025-11-26T00:00:00+03:00'),
  asOfMs: REFERENCE_NOW,
};

export function timeline(shiftDays: number): Timeline {
  if (!Number.isInteger(shiftDays)) throw new Error(`timeline: the shift must be whole days, got ${shiftDays}`);
  const shift = shiftDays * DAY;
  return {
    firstEventMs: REFERENCE.firstEventMs + shift,
    firstOrderMs: REFERENCE.firstOrderMs + shift,
    lastOrderMs: REFERENCE.lastOrderMs + shift,
    lastDayMs: REFERENCE.lastDayMs + shift,
    asOfMs: REFERENCE.asOfMs + shift,
  };
}
