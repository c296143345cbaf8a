/**
 * Opt-in fault injection, per endpoint: statuses (429, 5xx) with an optional Retry-After, delays,
 * dropped connections, broken bodies, a field missing from a well-formed answer and one added to it. Off by default: the
 * live API never sent 429 or rate-limit headers.
 * Two rules play a hostile or broken API for the production-safety self-tests: `accept-any-token` answers
 * whatever credential comes (and then applies the write), `traversal-ids` turns each `show_id` of an
 * answer into `../../remove/<event_id>/<show_id>`.
 */

export interface FaultRule {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Regex source matched against the path after the base (`/orders/123`, `/tickets/add/12/4076`). */
  path?: string;
  kind: 'status' | 'slow' | 'reset' | 'truncated-json' | 'html-200' | 'wrong-content-type' | 'drop-field' | 'add-field' | 'accept-any-token' | 'traversal-ids' | HostileKind;
  /** For `status`: the status to answer, e.g. 429, 500, 502, 503, 504. */
  status?: number;
  /** For `status`: sends `Retry-After: <seconds>`. */
  retryAfterSeconds?: number;
  /** For `slow`: the delay before the normal answer. */
  delayMs?: number;
  /** For `drop-field`: the dotted path of the key removed from the JSON answer, e.g. `data.3.payed`; for `add-field`: the key added (an API that grew a field). */
  field?: string;
  /** For `huge-answer`: the answer's size in bytes (default 50 MB). */
  bytes?: number;
  /** For `deep-nesting`: how deep the arrays nest (default 10,000). */
  depth?: number;
  /** Fires for the first N matching requests, then passes through; always when absent. */
  times?: number;
}

/**
 * A hostile API (support/mock/hostile.ts): Authorization echoed into response headers, a huge answer, a deeply
 * nested one, record names and keys built to break Markdown and HTML, bytes that are not UTF-8.
 */
export const HOSTILE_KINDS = ['echo-authorization', 'huge-answer', 'deep-nesting', 'hostile-names', 'invalid-utf8'] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

interface ActiveRule {
  rule: FaultRule;
  pattern: RegExp | null;
  fired: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  constructor(rules: FaultRule[] = []) {
    this.set(rules);
  }

  /** Replaces the rules (and their counters); throws on a rule that cannot work. */
  set(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => {
      if (rule.kind === 'status' && !(Number.isInteger(rule.status) && rule.status! >= 400 && rule.status! <= 599)) {
        throw new Error(`fault rule: kind "status" needs a status between 400 and 599, got ${rule.status}`);
      }
      if (rule.kind === 'slow' && !(typeof rule.delayMs === 'number' && rule.delayMs >= 0)) throw new Error('fault rule: kind "slow" needs delayMs ≥ 0');
      if ((rule.kind === 'drop-field' || rule.kind === 'add-field') && !rule.field) throw new Error(`fault rule: kind "${rule.kind}" needs a field path`);
      return { rule, pattern: rule.path ? new RegExp(rule.path) : null, fired: 0 };
    });
  }

  /** The rule that fires for this request, counting it; undefined when none does. */
  take(method: string, apiPath: string): FaultRule | undefined {
    const active = this.rules.find(
      (r) =>
        (!r.rule.method || r.rule.method.toUpperCase() === method) &&
        (!r.pattern || r.pattern.test(apiPath)) &&
        (r.rule.times === undefined || r.fired < r.rule.times),
    );
    if (!active) return undefined;
    active.fired += 1;
    return active.rule;
  }
}

/** `traversal-ids`: every `show_id` in the JSON answer becomes a path that climbs to tickets/remove. */
export function traversalIds(body: string): string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return body;
  }
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      if (typeof record.show_id === 'number' || typeof record.show_id === 'string') record.show_id = `../../remove/${record.event_id}/${record.show_id}`;
      Object.values(record).forEach(walk);
    }
  };
  walk(value);
  return JSON.stringify(value);
}

/**
 * The JSON answer without the key at `field` (dotted, array indexes as numbers). An answer that has no such
 * key is sent unchanged: the fault then shows as a spec that unexpectedly passes, never as a crash.
 */
export function dropField(json: string, field: string): string {
  return editAt(json, field, (parent, key) => {
    if (!Object.hasOwn(parent, key)) return false;
    delete parent[key];
    return true;
  });
}

/** The value `add-field` puts at its path: a field the contracts do not know. */
export const ADDED_FIELD_VALUE = 'added by the mock';

/** The JSON answer with a new key at `field` (dotted); unchanged when the key's parent is not an object or the key exists. */
export function addField(json: string, field: string): string {
  return editAt(json, field, (parent, key) => {
    if (Object.hasOwn(parent, key)) return false;
    parent[key] = ADDED_FIELD_VALUE;
    return true;
  });
}

/** Applies `edit` to the object holding the last key of `field`; the answer is sent unchanged unless `edit` says it changed it. */
function editAt(json: string, field: string, edit: (parent: Record<string, unknown>, key: string) => boolean): string {
  let answer: unknown;
  try {
    answer = JSON.parse(json);
  } catch {
    return json;
  }
  const keys = field.split('.');
  let parent: any = answer;
  for (const key of keys.slice(0, -1)) parent = parent && typeof parent === 'object' ? parent[key] : undefined;
  if (!parent || typeof parent !== 'object' || !edit(parent, keys.at(-1)!)) return json;
  return JSON.stringify(answer);
}
