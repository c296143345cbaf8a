import { VERIFIED_TABLES, type TableCounts } from '../clickhouse/tables.ts';
import type { FedTable } from '../catalogue/index.ts';

/** What one spec's load is compared on: what the answer implies against what ClickHouse holds after it. */
export interface DeltaInput {
  specId: string;
  ver: bigint;
  /** Tables the spec may feed (the spec file's feeds_tables). */
  feedsTables: readonly FedTable[];
  /** Rows each table must gain, from the answer (support/harness/implied.ts); absent means none. */
  expected: Partial<TableCounts>;
  /** Rows at the spec's `_ver`, per table, as counted. */
  runRows: TableCounts;
  before: TableCounts;
  after: TableCounts;
  /** The run's own ClickHouse (embedded or a container), where nothing else writes. */
  ownServer: boolean;
}

/** Every way the measured rows disagree with the implied ones; empty when they agree exactly. */
export function deltaProblems(input: DeltaInput): string[] {
  const { specId, ver, feedsTables, expected, runRows, before, after, ownServer } = input;
  const problems: string[] = [];
  for (const table of VERIFIED_TABLES) {
    const want = expected[table] ?? 0;
    if (want > 0 && !feedsTables.includes(table)) problems.push(`${table}: the answer implies ${want} rows, but ${specId} must not feed this table`);
    if (runRows[table] !== want) problems.push(`${table}: expected +${want} rows at _ver ${ver}, found ${runRows[table]}`);
    // On a server of our own nothing else writes, so an untouched table keeps its exact row count.
    if (want === 0 && ownServer && after[table] !== before[table]) {
      problems.push(`${table}: must not change, but its row count went from ${before[table]} to ${after[table]}`);
    }
  }
  return problems;
}
