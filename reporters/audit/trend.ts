import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Summary, Trend } from './model.ts';
import type { SpecRow, TableFigures } from './types.ts';
import { runFolders, verifyRunDir } from './verify.ts';

/**
 * What changed since the previous run in the same reports folder. Only a previous run that passes
 * verify-report is compared (format §7.19: no comparison against an unverified report).
 */
export function compareWithPrevious(runDir: string, rows: readonly SpecRow[], tables: readonly TableFigures[], secrets: readonly string[]): Trend | null {
  const runId = basename(runDir);
  const previous = runFolders(dirname(runDir)).filter((dir) => basename(dir) < runId).at(-1);
  if (!previous) return null;
  const base: Trend = { previousRunId: basename(previous), previousVerified: false, previousProblems: [], newFailures: [], fixed: [], resultChanges: [], tableChanges: [] };
  const verification = verifyRunDir(previous, secrets);
  if (verification.problems.length > 0) return { ...base, previousProblems: verification.problems };

  const summary = JSON.parse(readFileSync(join(previous, 'summary.json'), 'utf8')) as Summary;
  const before = new Map(summary.specs.map((s) => [s.id, s.result]));
  const good = (result: string | undefined) => result === 'passed' || result === 'denied';
  const resultChanges = rows.filter((r) => before.get(r.id) !== undefined && before.get(r.id) !== r.result).map((r) => ({ id: r.id, from: before.get(r.id)!, to: r.result }));
  const afterBefore = new Map(summary.tables.map((t) => [t.table, t.after]));
  return {
    ...base,
    previousVerified: true,
    newFailures: rows.filter((r) => r.result === 'failed' && before.get(r.id) !== 'failed').map((r) => r.id),
    fixed: rows.filter((r) => good(r.result) && before.get(r.id) === 'failed').map((r) => r.id),
    resultChanges,
    tableChanges: tables.map((t) => ({ table: t.table, previousAfter: afterBefore.get(t.table) ?? null, after: t.after })),
  };
}
