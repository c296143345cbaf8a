import { startClickHouse, type ClickHouseRuntime, type ClickHouseSettings } from '../clickhouse/connect.ts';

/**
 * The embedded engine needs about a second to start, and so does loading vitest: `npm test` starts
 * ClickHouse first and the global setup takes it over (same process, so through globalThis). A server
 * nobody took over (no spec test in the run) is stopped by the wrapper at the end.
 */

interface EarlyStart {
  settings: ClickHouseSettings;
  started: Promise<ClickHouseRuntime>;
  taken: boolean;
}

const KEY = Symbol.for('qtickets-audit.early-clickhouse');
const slot = globalThis as { [KEY]?: EarlyStart };

export function startClickHouseEarly(settings: ClickHouseSettings): void {
  const started = startClickHouse(settings);
  // A failure is reported by whoever takes the server over; until then it is not an unhandled rejection.
  started.catch(() => undefined);
  slot[KEY] = { settings, started, taken: false };
}

/** The server started early with the same settings, or a fresh start. */
export async function takeOverClickHouse(settings: ClickHouseSettings): Promise<ClickHouseRuntime> {
  const early = slot[KEY];
  const sameSettings = early && !early.taken && JSON.stringify(early.settings) === JSON.stringify(settings);
  if (sameSettings) early.taken = true;
  return sameSettings ? early.started : startClickHouse(settings);
}

/** Stops an early server the run never used. */
export async function releaseEarlyClickHouse(): Promise<void> {
  const early = slot[KEY];
  if (!early || early.taken) return;
  early.taken = true;
  await early.started.then((runtime) => runtime.stop(), () => undefined);
}
