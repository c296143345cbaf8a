import type { ClickHouseClient } from '@clickhouse/client';
import type { SpecEntry } from '../catalogue/index.ts';
import type { ApiResult } from '../client.ts';
import { countAfterVersion, countTotals } from '../clickhouse/counts.ts';
import type { TableCounts, VerifiedTable } from '../clickhouse/tables.ts';
import type { ClickHouseRecord } from '../core/outcome.ts';
import { ImpliedRows, impliedDimEvents, impliedRows } from '../harness/implied.ts';
import type { RunRuntime } from '../harness/runtime.ts';
import { deltaProblems } from './deltas.ts';
import { dimEventsAtVersion } from './load.ts';

export interface MeasuredDeltas {
  clickhouse: ClickHouseRecord<VerifiedTable>;
  /** Every way the rows disagree with what the answers imply; empty when they agree. */
  problems: string[];
}

/** The row counts before a spec sends anything, to compare its deltas with. */
export const countBefore = (ch: ClickHouseClient, rt: RunRuntime): Promise<TableCounts> => countTotals(ch, rt.clickhouse.database);

interface Run {
  rt: RunRuntime;
  ver: bigint;
  ch: ClickHouseClient;
}

/**
 * Stage 5: the rows each table gained at this test's `_ver`, against the rows the accepted answers imply
 * (`implied`: what a deep walk's pages imply, instead of the accepted answers alone).
 */
export async function measureDeltas(spec: SpecEntry, run: Run, before: TableCounts, loaded: Record<string, number>, accepted: ApiResult[], implied?: ImpliedRows): Promise<MeasuredDeltas> {
  const { rt, ver, ch } = run;
  const database = rt.clickhouse.database;
  // Every inventory spec concerns one event: one row per event per snapshot.
  const facts = { inventoryEvents: 1, client: ch, database };
  const expected: Partial<TableCounts> = implied ? await implied.rows(facts) : spec.plan.load && accepted.length > 0 ? await impliedRows(spec.plan.load, accepted.map((r) => r.body), facts) : {};
  const { total: after, atVersion: runRows } = await countAfterVersion(ch, database, ver, spec.feedsTables);
  const { dim_events: _dim, ...loadedVerified } = loaded;
  const problems = deltaProblems({ specId: spec.id, ver, feedsTables: spec.feedsTables, expected, runRows, before, after, ownServer: rt.clickhouse.mode !== 'url' });
  return { clickhouse: { before, after, runRows, expected, loaded: loadedVerified as Partial<TableCounts> }, problems };
}

/** dim_events is fed by 3.x but is not a verified table: its rows at this `_ver` are checked and noted apart. */
export async function checkDimEvents(spec: SpecEntry, run: Run, accepted: ApiResult[], implied?: ImpliedRows): Promise<{ problem: string | null; note: string } | null> {
  if (!spec.feedsTables.includes('dim_events') || accepted.length === 0) return null;
  const want = implied ? implied.dimEvents() : impliedDimEvents(accepted.map((r) => r.body));
  const found = await dimEventsAtVersion(run.ch, run.rt.clickhouse.database, run.ver);
  return {
    problem: found === want ? null : `dim_events: expected +${want} rows at _ver ${run.ver}, found ${found}`,
    note: `dim_events (not one of the 11 verified tables): +${found} rows at this test's _ver, ${want} implied`,
  };
}
