import type { Api } from './types.ts';

/**
 * What one spec test produced, as typed values: the runner fills it as the test runs (so a failing test still
 * carries what happened up to the failure), vitest hands it to the reporters as `task.meta.audit`, and the
 * audit reporter and the Allure adapter read it. No consumer learns what happened from a message's words:
 * the result, the skip kind, the denial and the failure kinds say it.
 *
 * `Table` names the tables row counts are kept for (the runner uses the 11 verified tables).
 */
export interface SpecOutcome<Table extends string = string> {
  specId: string;
  /** `_ver` of every row this test wrote (decimal UInt64). */
  ver: string;
  startedAt: string;
  finishedAt?: string;
  /** The main request actually sent, "METHOD /path" (no host, no token); "" when nothing was sent. */
  endpoint: string;
  /** SHA-256 hex of the canonical JSON body of the main request, "" when it had no body. */
  requestBodyHash: string;
  /** The runner's classification; the reporter reconciles it with vitest's own state. */
  result: 'pending' | 'passed' | 'failed' | 'skipped' | 'denied';
  /** Why the runner skipped the spec (with result 'skipped'). */
  skip?: SkipReason;
  /** Why a write was sent only as a denied probe (set before the probe is sent). */
  denial?: Denial;
  /** What the thrown failure was about (with result 'failed'); absent for an error of the suite itself. */
  failure?: FailureKind[];
  exchanges: ExchangeRecord[];
  contract?: ContractRecord;
  records: RecordCount[];
  clickhouse?: ClickHouseRecord<Table>;
  deviations: Deviation[];
  /** Ids this test used and where they came from, e.g. { order_id: "1614202 (from 1.1)" }. */
  discovered: Record<string, string>;
  notes: string[];
  /** Paths relative to the run folder. */
  artifacts: string[];
  error?: string;
}

/** Skips the runner decides: an id no answer of the run revealed, or a Partners spec without the Partners key. */
export type SkipKind = 'prerequisite' | 'no-partners-key';

export interface SkipReason {
  kind: SkipKind;
  /** The reason as vitest and Allure show it. */
  detail: string;
}

export interface Denial {
  /** Why the write may not be sent with the real credentials, e.g. "run with --allow-writes …". */
  reasons: string[];
}

/**
 * What a spec failure was about, in the order Allure's categories take them: an exchange without an answer,
 * ClickHouse rows that disagree with the answer, an answer other than the expected one, a contract issue,
 * a denied probe the API did not refuse; the rest (body predicates, ids that break their form, a deep walk
 * that stopped) have no category of their own.
 */
export type FailureKind = 'no-answer' | 'delta' | 'answer' | 'contract' | 'denied-probe-not-refused' | 'predicate' | 'invalid-id' | 'deep-walk';

export type ExchangeRole = 'spec' | 'deviation' | 'discovery' | 'denied-probe';

export interface RetryRecord {
  attempt: number;
  waitMs: number;
  /** HTTP status of the answer that was retried (429, 503 …); null when none came (a network failure). */
  status: number | null;
  cause: string;
}

export interface ExchangeRecord {
  role: ExchangeRole;
  api: Api;
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

/** One contract failure: where in the answer, and what is wrong there. `path` is "" when it speaks of no one place. */
export interface ContractIssue {
  path: string;
  message: string;
}

/** An issue as one line: "data[2].code: required field missing". */
export const issueText = (issue: ContractIssue): string => (issue.path ? `${issue.path}: ${issue.message}` : issue.message);

export interface ContractRecord {
  name: string;
  ok: boolean;
  issues: ContractIssue[];
  drift: DriftItem[];
}

export interface RecordCount {
  entity: string;
  fetched: number;
  pages: number;
  pagingTotal: number | null;
  perPage: number | null;
}

export interface ClickHouseRecord<Table extends string = string> {
  before: Record<Table, number>;
  after: Record<Table, number>;
  /** Rows carrying this test's `_ver`, counted with FINAL. */
  runRows: Record<Table, number>;
  /** Rows the answer implies, per table (tables not listed must not change). */
  expected: Partial<Record<Table, number>>;
  /** Rows the loader inserted, per table. */
  loaded: Partial<Record<Table, number>>;
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
