import type { ExchangeRecord } from './core/outcome.ts';
import type { Api } from './core/types.ts';
import { documentedPath } from './openapi/operations.ts';

/**
 * Latency per endpoint: the exchanges that went out, grouped by their documented path. The audit report
 * derives the run's figures with it (format §2.6: summary.json and audit.md), the Allure adapter each test's.
 */

export interface EndpointLatency {
  api: Api;
  method: string;
  /** The documented path, ids as `{param}`s: `/orders/{order_id}`. */
  path: string;
  requests: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Attempts that were answered and then repeated (their answers are not timed). */
  retries: number;
  /** Answers with HTTP 429, retried or kept. */
  status429: number;
}

export const LATENCY_METHOD =
  'Latency = milliseconds from sending a request to the end of its answer, for the attempt whose answer was kept (attempts that were repeated count as retries and are not timed). p50 and p95 are nearest-rank: the smallest latency with at least 50 % or 95 % of the endpoint\'s requests at or below it, so an endpoint with one request has p50 = p95 = max. Every request the run sent counts (spec requests, literal probes, lookups, denied probes), under its documented path; a request the client refused to send does not. 429s = answers with HTTP 429, retried or kept.';

/**
 * When an endpoint counts as slower than before (the previous run, or the baseline): its p95 more than doubled
 * and grew by 500 ms or more, so that a busy machine's jitter on a fast endpoint is not a finding.
 */
export const SLOWER_RULE = 'slower = p95 more than twice the earlier one and at least 500 ms more';

export const isSlower = (thenP95Ms: number, nowP95Ms: number): boolean => nowP95Ms > 2 * thenP95Ms && nowP95Ms - thenP95Ms >= 500;

/** "REST GET /orders/{order_id}": an endpoint as reports name it. */
export const endpointName = (e: Pick<EndpointLatency, 'api' | 'method' | 'path'>): string => `${e.api === 'rest' ? 'REST' : 'Partners'} ${e.method} ${e.path}`;

/** The percentile of `values` by nearest rank: the value at rank ⌈p·n/100⌉ of the sorted values (1-based). */
export function nearestRank(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('a percentile of no values');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside (0, 100]`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p * sorted.length) / 100) - 1];
}

/** One figure per endpoint: REST first, then Partners, each in the order of its first request. */
export function latencyByEndpoint(sources: readonly { exchanges: readonly ExchangeRecord[] }[]): EndpointLatency[] {
  const groups = new Map<string, { api: Api; method: string; path: string; exchanges: ExchangeRecord[] }>();
  for (const x of sources.flatMap((source) => source.exchanges)) {
    if (x.kind === 'refused') continue;
    const path = documentedPath(x.api, x.method, x.path);
    const key = `${x.api} ${x.method} ${path}`;
    if (!groups.has(key)) groups.set(key, { api: x.api, method: x.method, path, exchanges: [] });
    groups.get(key)!.exchanges.push(x);
  }
  const apiOrder = (api: Api) => (api === 'rest' ? 0 : 1);
  const ordered = [...groups.values()].sort((a, b) => apiOrder(a.api) - apiOrder(b.api));
  return ordered.map(({ api, method, path, exchanges }) => {
    const latencies = exchanges.map((x) => x.latencyMs);
    const retried = exchanges.flatMap((x) => x.retries);
    return {
      api,
      method,
      path,
      requests: exchanges.length,
      p50Ms: nearestRank(latencies, 50),
      p95Ms: nearestRank(latencies, 95),
      maxMs: Math.max(...latencies),
      retries: retried.length,
      status429: retried.filter((r) => r.status === 429).length + exchanges.filter((x) => x.status === 429).length,
    };
  });
}
