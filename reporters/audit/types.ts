import type { TableCounts, VerifiedTable } from '../../support/clickhouse/tables.ts';
import type { Deviation, DriftItem, ExchangeRecord, RecordCount, SkipKind, SpecOutcome } from '../../support/core/outcome.ts';

/** The four result classes of the matrix. A denied write probe is never counted as passed. */
export type ResultClass = 'passed' | 'failed' | 'skipped' | 'denied';

/** One test of the run as vitest reported it, reduced to what the audit needs (no vitest objects). */
export interface CaseInput {
  project: string;
  /** `<id> <title>` for spec tests. */
  name: string;
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  /** vitest's run mode: `skip` when filtered out by `-t` or marked `.skip`. */
  mode: string;
  /** The note of `ctx.skip(note)`. */
  note?: string;
  errors: string[];
  durationMs?: number;
  /** What the runner recorded (task.meta.audit). */
  evidence?: SpecOutcome<VerifiedTable>;
}

/**
 * Why a row is skipped: the runner's own skips, a spec that never ran (`not-executed`) or was stopped while
 * running, one filtered out (`not-selected`), or a skip vitest reported without the runner (`other`).
 */
export type RowSkipKind = SkipKind | 'not-executed' | 'stopped' | 'not-selected' | 'other';

/** One matrix row: everything the report says about one spec ID. Also what run.jsonl encodes per test. */
export interface SpecRow {
  id: string;
  title: string;
  specRef: string;
  kind: 'read' | 'write' | 'negative';
  api: 'rest' | 'partners';
  /** The observed-reality expectation (catalogue), as shown in the matrix. */
  expected: string;
  result: ResultClass;
  /** Skip reason, failure message or denial note. */
  reason: string;
  /** Set for a skipped row: what kind of skip `reason` describes. */
  skip: RowSkipKind | null;
  /** The request(s) actually sent, "METHOD /path"; "" when nothing was sent. */
  endpoint: string;
  requestBodyHash: string;
  exchanges: ExchangeRecord[];
  records: RecordCount[];
  clickhouse: { before: TableCounts; after: TableCounts; runRows: TableCounts; loaded: Partial<TableCounts> } | null;
  deviations: Deviation[];
  drift: DriftItem[];
  contract: { name: string; ok: boolean; issues: string[] } | null;
  discovered: Record<string, string>;
  notes: string[];
  artifacts: string[];
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
}

/** runtime.json, as written by the spec project's global setup (every field optional: it may be missing). */
export interface RuntimeInfo {
  runId?: string;
  startedAt?: string;
  env?: string;
  mode?: 'mock' | 'live';
  tenant?: string;
  restBaseUrl?: string;
  partnersBaseUrl?: string;
  tokenFingerprints?: { rest: string | null; partners: string | null };
  allowWrites?: boolean;
  allPages?: boolean;
  clickhouse?: { mode: 'embedded' | 'docker' | 'url'; url: string; user: string; database: string; version: string; countingMethod: string };
  verBase?: string;
  /** The run's private folder (raw ids, personal values seen); removed at the end of the run. */
  scratchDir?: string;
  gitCommit?: string;
  node?: string;
  vitest?: string;
  os?: { platform: string; release: string; cpu: string; cores: number; ramGb: number };
}

export type { CountSnapshot, EndMeasurement, FactsCheck, TableStat } from '../../support/harness/end-measurement.ts';

/** One row of clickhouse_counts.csv and of the report's ClickHouse Verification. */
export interface TableFigures {
  table: VerifiedTable;
  before: number | null;
  after: number | null;
  delta: number | null;
  runRows: number;
  uniqueAfter: number | null;
  maxVer: string;
  maxSnapshotTs: string;
}

export interface SelfTests {
  /** Whether the run included the self-tests at all (a live audit leaves them out): 0 passed of none run is not "0 passed". */
  ran: boolean;
  passed: number;
  failed: number;
  skipped: number;
  failures: { name: string; message: string }[];
}

export interface LeakFinding {
  file: string;
  kind: string;
  excerpt: string;
}

export interface LeakScan {
  filesScanned: number;
  secretsChecked: number;
  findings: LeakFinding[];
}

export interface Violation {
  invariant: number;
  message: string;
}
