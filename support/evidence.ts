import type { TableCounts } from './clickhouse/tables.ts';

/**
 * What a spec test records about itself. The harness fills it as the test runs (so a failing test still
 * carries what happened up to the failure) and vitest hands it to the reporter as `task.meta.audit`.
 */
export interface TestEvidence {
  specId: string;
  /** `_ver` of every row this test wrote (decimal UInt64). */
  ver: string;
  startedAt: string;
  finishedAt?: string;
  /** The main request actually sent, "METHOD /path" (no host, no token); "" when nothing was sent. */
  endpoint: string;
  /** SHA-256 hex of the canonical JSON body of the main request, "" when it had no body. */
  requestBodyHash: string;
  /** The harness's classification; the reporter reconciles it with vitest's own state. */
  result: 'pending' | 'passed' | 'failed' | 'skipped' | 'denied';
  skipReason?: string;
  exchanges: ExchangeRecord[];
  contract?: ContractRecord;
  records: RecordCount[];
  clickhouse?: ClickHouseRecord;
  deviations: Deviation[];
  /** Ids this test used and where they came from, e.g. { order_id: "1614202 (from 1.1)" }. */
  discovered: Record<string, string>;
  notes: string[];
  /** Paths relative to the run folder. */
  artifacts: string[];
  error?: string;
}

export type ExchangeRole = 'spec' | 'deviation' | 'discovery' | 'denied-probe';

export interface RetryRecord {
  attempt: number;
  waitMs: number;
  cause: string;
}

export interface ExchangeRecord {
  role: ExchangeRole;
  api: 'rest' | 'partners';
  ts: string;
  method: string;
  path: string;
  requestBodyHash: string;
  /** null when no HTTP answer arrived (network failure). */
  status: number | null;
  contentType: string;
  /** Classification of the answer by the client (json, rest-error, partners-error, html, malformed, network). */
  kind: string;
  /** REST `code` or Partners `code` of an error answer. */
  code?: string;
  latencyMs: number;
  bytes: number;
  retries: RetryRecord[];
  error?: string;
}

export interface DriftItem {
  path: string;
  count: number;
  example: string;
}

export interface ContractRecord {
  name: string;
  ok: boolean;
  issues: string[];
  drift: DriftItem[];
}

export interface RecordCount {
  entity: string;
  fetched: number;
  pages: number;
  pagingTotal: number | null;
  perPage: number | null;
}

export interface ClickHouseRecord {
  before: TableCounts;
  after: TableCounts;
  /** Rows carrying this test's `_ver`, counted with FINAL. */
  runRows: TableCounts;
  /** Rows the answer implies, per table (tables not listed must not change). */
  expected: Partial<TableCounts>;
  /** Rows the loader inserted, per table. */
  loaded: Partial<TableCounts>;
}

export interface Deviation {
  /** What the spec literally asks for, e.g. "GET /events/33/seats". */
  literal: string;
  /** What the suite sent instead, e.g. "GET /shows/41/seats". */
  sent: string;
  /** What the literal request got, e.g. "404 text/html"; "not sent (write)" for non-GET literals. */
  literalAnswer: string;
  note: string;
}
