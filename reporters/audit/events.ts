import { appendFileSync, writeFileSync } from 'node:fs';
import type { TableCounts } from '../../support/clickhouse/tables.ts';
import type { ExchangeRecord } from '../../support/core/outcome.ts';
import type { Derived } from './model.ts';
import { mainExchanges } from './rows.ts';
import type { EndMeasurement, SpecRow } from './types.ts';

/**
 * run.jsonl (format §3): one compact JSON object per line. Every event carries `event` so that a reader
 * (verify-report) can rebuild the matrix rows from the log alone; the §3 keys are kept as named there.
 */

export type AuditEvent = Record<string, unknown> & { ts: string; event: string };
/** An event before the log assigns its final `ts`: `at` is when it happened (null: no time of its own). */
export type EventDraft = Record<string, unknown> & { event: string; at: string | null };

export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * Appends events as they happen, so an interrupted run keeps what ran. Timestamps never decrease: an event
 * whose own time is earlier than the last line (clocks of two processes) is logged at the last line's time
 * and keeps its own as `ts_recorded`; an event without a time of its own is logged at the last line's time.
 */
export class EventLog {
  private last = '';
  readonly events: AuditEvent[] = [];

  constructor(readonly path: string) {
    writeFileSync(path, '');
  }

  get lastTs(): string {
    return this.last;
  }

  append(drafts: EventDraft[]): AuditEvent[] {
    const written = drafts.map((draft) => this.stamp(draft));
    if (written.length > 0) appendFileSync(this.path, written.map((e) => JSON.stringify(e) + '\n').join(''), 'utf8');
    this.events.push(...written);
    return written;
  }

  /** The events as append would stamp them, without writing them (the reporter checks before it writes). */
  preview(drafts: EventDraft[]): AuditEvent[] {
    const last = this.last;
    const stamped = drafts.map((draft) => this.stamp(draft));
    this.last = last;
    return stamped;
  }

  private stamp({ at, ...fields }: EventDraft): AuditEvent {
    const own = at === null ? null : new Date(at).toISOString();
    const ts = own === null ? this.last || new Date().toISOString() : own < this.last ? this.last : own;
    this.last = ts;
    return { ts, ...(own !== null && own !== ts ? { ts_recorded: own } : {}), ...fields } as AuditEvent;
  }
}

/** The events of one test: start, one per exchange (its retries after it), result. */
export function rowEvents(row: SpecRow): EventDraft[] {
  const start = {
    test_id: row.id,
    spec_ref: row.specRef,
    endpoint: row.endpoint,
    request_body_hash: row.requestBodyHash,
    clickhouse_before: row.clickhouse?.before ?? null,
  };
  const drafts: EventDraft[] = [{ event: 'test_start', at: row.startedAt, ...start, status: 'started' }];
  for (const x of row.exchanges) {
    drafts.push({ event: 'exchange', at: x.ts, test_id: row.id, ...exchangeFields(x) });
    for (const retry of x.retries) drafts.push({ event: 'retry', at: x.ts, test_id: row.id, attempt: retry.attempt, wait_ms: retry.waitMs, status: retry.status, cause: retry.cause });
  }
  const main = mainExchanges(row);
  const lastMain = main.at(-1);
  drafts.push({
    event: 'test_result',
    at: row.finishedAt,
    ...start,
    status: lastMain?.status ?? (row.result === 'failed' ? 'error' : null),
    latency_ms: main.reduce((sum, x) => sum + x.latencyMs, 0),
    records: row.records,
    clickhouse_after: row.clickhouse?.after ?? null,
    run_rows: row.clickhouse?.runRows ?? null,
    loaded: row.clickhouse?.loaded ?? null,
    // §3 "on exception": a failure without an HTTP answer logs status "error" and an exception note.
    notes: row.result === 'failed' && lastMain?.status == null ? [...row.notes, `exception: ${row.reason}`] : row.notes,
    artifacts: row.artifacts,
    outcome: row.result,
    reason: row.reason,
    skip_kind: row.skip,
    error: row.error,
    title: row.title,
    kind: row.kind,
    api: row.api,
    expected: row.expected,
    deviations: row.deviations,
    drift: row.drift,
    contract: row.contract,
    discovered: row.discovered,
    started_at: row.startedAt,
    finished_at: row.finishedAt,
    duration_ms: row.durationMs,
  });
  return drafts;
}

function exchangeFields(x: ExchangeRecord): Record<string, unknown> {
  return {
    role: x.role,
    api: x.api,
    sent_at: x.ts,
    method: x.method,
    path: x.path,
    request_body_hash: x.requestBodyHash,
    status: x.status,
    content_type: x.contentType,
    answer_kind: x.kind,
    code: x.code ?? null,
    latency_ms: x.latencyMs,
    bytes: x.bytes,
    error: x.error ?? null,
  };
}

/** Rebuilds the matrix rows from the log (the inverse of rowEvents), in the order the log has them. */
export function rowsFromEvents(events: readonly AuditEvent[]): SpecRow[] {
  const exchanges = new Map<string, ExchangeRecord[]>();
  const rows: SpecRow[] = [];
  for (const e of events) {
    const id = e.test_id as string;
    if (e.event === 'exchange') {
      const list = exchanges.get(id) ?? [];
      list.push({
        role: e.role as ExchangeRecord['role'],
        api: e.api as ExchangeRecord['api'],
        ts: e.sent_at as string,
        method: e.method as string,
        path: e.path as string,
        requestBodyHash: e.request_body_hash as string,
        status: e.status as number | null,
        contentType: e.content_type as string,
        kind: e.answer_kind as string,
        ...(e.code != null ? { code: e.code as string } : {}),
        latencyMs: e.latency_ms as number,
        bytes: e.bytes as number,
        retries: [],
        ...(e.error != null ? { error: e.error as string } : {}),
      });
      exchanges.set(id, list);
    } else if (e.event === 'retry') {
      exchanges.get(id)?.at(-1)?.retries.push({ attempt: e.attempt as number, waitMs: e.wait_ms as number, status: e.status as number | null, cause: e.cause as string });
    } else if (e.event === 'test_result') {
      const before = e.clickhouse_before as TableCounts | null;
      rows.push({
        id,
        title: e.title as string,
        specRef: e.spec_ref as string,
        kind: e.kind as SpecRow['kind'],
        api: e.api as SpecRow['api'],
        expected: e.expected as string,
        result: e.outcome as SpecRow['result'],
        reason: e.reason as string,
        skip: (e.skip_kind ?? null) as SpecRow['skip'],
        endpoint: e.endpoint as string,
        requestBodyHash: e.request_body_hash as string,
        exchanges: exchanges.get(id) ?? [],
        records: e.records as SpecRow['records'],
        clickhouse: before ? { before, after: e.clickhouse_after as TableCounts, runRows: e.run_rows as TableCounts, loaded: e.loaded as Partial<TableCounts> } : null,
        deviations: e.deviations as SpecRow['deviations'],
        drift: e.drift as SpecRow['drift'],
        contract: e.contract as SpecRow['contract'],
        discovered: e.discovered as SpecRow['discovered'],
        notes: e.status === 'error' ? (e.notes as string[]).slice(0, -1) : (e.notes as string[]),
        artifacts: e.artifacts as string[],
        startedAt: e.started_at as string | null,
        finishedAt: e.finished_at as string | null,
        durationMs: e.duration_ms as number | null,
        error: e.error as string | null,
      });
    }
  }
  return rows;
}

/** The events that close a run: the tests' stage, the after-counts, the verification stage, the end. */
export function tailEvents(at: string, d: Derived, m: EndMeasurement, verification: Record<string, unknown>, interruption: string | null, archive: string): EventDraft[] {
  const t = d.totals;
  return [
    {
      event: 'stage',
      at,
      stage: 'Stage2',
      section: 'tests',
      status: t.failed > 0 ? 'failed' : interruption ? 'incomplete' : 'ok',
      tests_executed: t.total,
      passed: t.passed,
      failed: t.failed,
      skipped: t.skipped,
      denied: t.denied,
      artifacts_generated: t.artifacts,
    },
    m.measured
      ? { event: 'clickhouse_counts', at, phase: 'after', measured: true, total: m.after.total, unique: m.after.unique, job_run_recorded: m.jobRun.recorded }
      : { event: 'clickhouse_counts', at, phase: 'after', measured: false, reason: m.reason },
    { event: 'stage', at, stage: 'Stage3', section: 'verification', status: d.status, archive, ...verification },
    { event: 'run_end', at, status: d.status, incomplete: interruption !== null, interruption },
  ];
}

export function parseJsonl(text: string): AuditEvent[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as AuditEvent;
      } catch (error) {
        throw new Error(`run.jsonl line ${i + 1} is not JSON: ${(error as Error).message}`);
      }
    });
}
