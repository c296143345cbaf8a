import { catalogue, type SpecEntry } from '../catalogue/index.ts';
import { idProblems } from '../core/id-forms.ts';
import type { SkipReason } from '../core/outcome.ts';
import type { ApiRequest, Ids } from '../core/types.ts';
import type { Discovery } from '../harness/discovery.ts';
import type { RunRuntime } from '../harness/runtime.ts';
import { sandboxIds } from '../harness/sandbox.ts';
import { maskValue } from '../masking.ts';

export interface ResolvedIds {
  ids: Ids;
  /** Each id used and where it came from, as the outcome shows it (an email masked). */
  discovered: Record<string, string>;
  /** Why an id that was found may not be sent (it breaks its form); null when every id is well formed. */
  invalid: string | null;
  /** Set when an id was found nowhere: the spec is skipped. */
  skip: SkipReason | null;
}

/**
 * Stage 1: the ids a spec needs, from earlier answers of the run, settings or lookups of its own. A live write
 * sends only sandbox ids (and ids earlier sandbox writes created): nothing is discovered for it.
 */
export async function resolveIds(spec: SpecEntry, rt: RunRuntime, discovery: Discovery, lookup: (request: ApiRequest) => Promise<unknown | null>): Promise<ResolvedIds> {
  const sandboxedWrite = rt.mode === 'live' && spec.writes;
  const pinned = sandboxedWrite ? sandboxIds(spec, rt.sandbox) : {};
  const fetch = sandboxedWrite ? async () => null : lookup;
  const resolved = await discovery.resolve(spec.plan.needs ?? [], fetch, pinned);
  const ids = { ...pinned, ...resolved.ids };
  const { sources, missing } = resolved;
  const discovered: Record<string, string> = {};
  for (const [key, source] of Object.entries(sources)) {
    // An email is personal data: the outcome shows its stable mask, never the address.
    const value = key === 'clientEmail' ? maskValue(ids.clientEmail!) : ids[key as keyof Ids];
    discovered[key] = `${value} (${source})`;
  }
  // An id from an answer (or a setting) that breaks its form never reaches a request.
  const problems = idProblems(ids);
  const invalid = problems.length > 0 ? problems.map((p) => `${p.problem} (from ${sources[p.key] ?? 'a sandbox setting'})`).join('; ') : null;
  const skip: SkipReason | null = missing.length === 0
    ? null
    : { kind: 'prerequisite', detail: `prerequisite not found: no ${missing.join(', ')} in this run's answers (${prerequisiteHint(missing)})` };
  return { ids, discovered, invalid, skip };
}

function prerequisiteHint(missing: string[]): string {
  const producers = catalogue.filter((s) => s.plan.discovers).map((s) => s.id).join(', ');
  return `ids come from ${producers} or from lookups; none of them revealed ${missing.join(', ')}`;
}
