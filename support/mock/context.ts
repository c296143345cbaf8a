import type { MockResponse } from './http.ts';
import type { Tenant } from './store.ts';

/** What a route handler gets: the parsed request and the shared state. */
export interface RequestContext {
  method: string;
  /** Path parameters, decoded. */
  params: Record<string, string | undefined>;
  /** Query parameters (the last value wins). */
  query: Record<string, string>;
  /** The JSON body (also on GET), or undefined when there is none or it does not parse. */
  body: unknown;
  tenant: Tenant;
  filterMode: 'honour' | 'ignore' | '503';
}

export type Handler = (ctx: RequestContext) => MockResponse;

export interface Route {
  methods: string[];
  path: string;
  handle: Handler;
}

export const asRecord = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
