/**
 * Opt-in fault injection, per endpoint: statuses (429, 5xx) with an optional Retry-After, delays,
 * dropped connections and broken bodies. Off by default: the live API never sent 429 or rate-limit headers.
 */

export interface FaultRule {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Regex source matched against the path after the base (`/orders/123`, `/tickets/add/12/4076`). */
  path?: string;
  kind: 'status' | 'slow' | 'reset' | 'truncated-json' | 'html-200' | 'wrong-content-type' | HostileKind;
  /** For `status`: the status to answer, e.g. 429, 500, 502, 503, 504. */
  status?: number;
  /** For `status`: sends `Retry-After: <seconds>`. */
  retryAfterSeconds?: number;
  /** For `slow`: the delay before the normal answer. */
  delayMs?: number;
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
