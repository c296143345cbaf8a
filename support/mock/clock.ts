import { timeline, type Timeline } from './data/timeline.ts';
import { mskIso } from '../core/moscow.ts';
import { DAY, HOUR } from './time.ts';

export const CLOCK_MODES = ['fixed', 'now'] as const;
export type ClockMode = (typeof CLOCK_MODES)[number];

/**
 * The mock's one clock: the tenant's calendar and every stamp the mock writes at run time (updated_at,
 * checked_at, refunds, Partners paid_at). `fixed`: the tenant as generated, time running on from its
 * as-of instant (REFERENCE_NOW) while the mock runs, so every run sees the same calendar. `now`: real
 * time, and the tenant moved by whole days so its last day is today; before 01:00 Moscow time it is
 * yesterday, since the newest order (placed in that day's first hour) would otherwise lie ahead.
 */
export class MockClock {
  readonly timeline: Timeline;
  private readonly startedAt: number;

  /** `wall` is the real time source (tests pass a fixed one). */
  constructor(
    readonly mode: ClockMode,
    private readonly wall: () => number = Date.now,
  ) {
    this.startedAt = wall();
    const reference = timeline(0);
    this.timeline = mode === 'now' ? timeline(Math.floor((this.startedAt - reference.lastDayMs - HOUR) / DAY)) : reference;
  }

  now(): number {
    return this.mode === 'now' ? this.wall() : this.timeline.asOfMs + (this.wall() - this.startedAt);
  }

  nowMsk(): string {
    return mskIso(this.now());
  }
}
