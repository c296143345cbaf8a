import type { SandboxKey, SpecEntry } from '../catalogue/index.ts';
import { SANDBOX_IDS } from '../config/schema.ts';
import type { IdKey, Ids } from '../core/types.ts';

/**
 * What the SANDBOX_* settings grant a write spec against a live tenant. A write uses only the sandbox
 * ids it names, never a discovered one; the one exception is an id that an earlier sandbox write of this
 * run created (the Partners tickets 6.1 and 6.2 booked in the sandbox show).
 */

/** Ids only a sandbox write of this run produces: nothing outside the sandbox can supply them. */
const RUN_CREATED: readonly IdKey[] = ['partnerTicketId', 'partnerBatchTicketIds', 'partnerBarcode'];

type Settings = Partial<Record<string, string>>;

/** A setting grants its write when present: the configuration hands SANDBOX_CREATE on only when it parsed true. */
function granted(key: SandboxKey, settings: Settings): boolean {
  return (settings[key]?.trim() ?? '') !== '';
}

/** Why the spec's write may not be sent with real credentials; empty when its sandbox is complete. */
export function sandboxGaps(spec: SpecEntry, settings: Settings): string[] {
  const keys = spec.plan.sandbox ?? [];
  const gaps = keys.filter((key) => !granted(key, settings)).map((key) => (key === 'SANDBOX_CREATE' ? 'SANDBOX_CREATE is not true' : `${key} is not set`));
  const covered = new Set(keys.flatMap((key) => SANDBOX_IDS[key] ?? []));
  const uncovered = (spec.plan.needs ?? []).filter((need) => !covered.has(need) && !RUN_CREATED.includes(need));
  if (uncovered.length > 0) gaps.push(`no sandbox setting supplies ${uncovered.join(', ')}`);
  return gaps;
}

/** The sandbox ids a spec names, by id key (for 2.3, the sandbox client's email too). */
export function sandboxIds(spec: SpecEntry, settings: Settings): Ids {
  const ids: Ids = {};
  for (const key of spec.plan.sandbox ?? []) {
    for (const idKey of SANDBOX_IDS[key] ?? []) if (granted(key, settings)) ids[idKey] = settings[key]!.trim();
  }
  return ids;
}

/** Every sandbox id value (lists split), for the HTTP client's write gate. */
export function sandboxValues(settings: Settings): string[] {
  return (Object.keys(SANDBOX_IDS) as SandboxKey[]).flatMap((key) => (granted(key, settings) ? settings[key]!.split(',').map((v) => v.trim()) : []));
}

/** Needs a sandbox write may take from this run's own earlier sandbox writes. */
export const isRunCreated = (key: IdKey): boolean => RUN_CREATED.includes(key);
