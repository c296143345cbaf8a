import type { VerifiedTable } from '../clickhouse/tables.ts';
import type { ContractName } from '../contracts/index.ts';
import type { ApiRequest, Dataset, Expectation, IdKey, Ids } from '../core/types.ts';

/** Tables a spec may feed: the 11 verified ones and dim_events (fed by 3.x, not in the verified list). */
export type FedTable = VerifiedTable | 'dim_events';

/** Sandbox settings a write needs before it may be sent with real credentials (see support/config.ts). */
export type SandboxKey =
  | 'SANDBOX_ORDER_ID'
  | 'SANDBOX_BASKET_ID'
  | 'SANDBOX_CLIENT_EMAIL'
  | 'SANDBOX_EVENT_ID'
  | 'SANDBOX_DISCOUNT_ID'
  | 'SANDBOX_PROMO_CODE_ID'
  | 'SANDBOX_SHOW_ID'
  | 'SANDBOX_BARCODE'
  | 'SANDBOX_PARTNER_EVENT_ID'
  | 'SANDBOX_PARTNER_SHOW_ID'
  | 'SANDBOX_SEAT_ID'
  | 'SANDBOX_OFFER_ID'
  | 'SANDBOX_CREATE';

/** What the suite does for one spec, on top of the spec's own text. */
export interface SpecPlan {
  /** The request(s) actually sent; several for per-show specs. */
  requests: (ids: Ids) => ApiRequest[];
  /** Ids that must be known before sending. */
  needs?: IdKey[];
  contract: ContractName | null;
  expect: Expectation;
  /** Other answers the spec accepts (e.g. "an error or an empty result"). */
  alsoAccept?: Expectation[];
  /** Shown in the matrix's Expected column: the observed reality, not the spec's wish. */
  expectedText: string;
  load?: Dataset;
  /** A paged list answer: deep mode (--all-pages) walks it to its last page (support/deep). */
  deep?: true;
  /** Sandbox settings a production write needs (besides --allow-writes). */
  sandbox?: SandboxKey[];
  /** Ids this answer contributes to later specs. */
  discovers?: (body: any, ids: Ids) => Ids;
  /** Known differences between the spec text and what is sent, beyond the path/body (shown as deviations). */
  deviationNotes?: string[];
}

/** The plans of one section, by spec ID. */
export type SectionPlans = Record<string, SpecPlan>;

export interface SpecEntry {
  id: string;
  title: string;
  titleRu: string;
  specRef: string;
  api: 'rest' | 'partners';
  kind: 'read' | 'write' | 'negative';
  section: { number: string; name: string };
  literal: { method: string; path: string; body: unknown; examples: string[]; headers: Record<string, string> | null };
  documented: { method: string; path: string; body?: unknown } | null;
  feedsTables: FedTable[];
  expected: { status: number | '4xx'; text: string };
  expectedRu: string | null;
  liveObservation: string;
  /** Sends something that changes the tenant (writes, and the negative POST 7.4). */
  writes: boolean;
  plan: SpecPlan;
}
