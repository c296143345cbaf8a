import { VERIFIED_TABLES } from '../../support/clickhouse/tables.ts';
import { latencyByEndpoint, type EndpointLatency } from '../../support/latency.ts';
import {
  collectErrorAnswers,
  collectRetries,
  computeKeyNumbers,
  computeMetrics,
  computeTotals,
  sumRunRows,
  type ErrorEntry,
  type GroupMetrics,
  type KeyNumber,
  type RetryEntry,
  type Totals,
} from './figures.ts';
import type { Gate } from '../../support/config/baseline.ts';
import { gateOf, type BaselineCheck } from './baseline.ts';
import type { ChangeLog, ComparedSpec, DriftSeen } from './changelog.ts';
import { tableFigures } from './clickhouse.ts';
import { describeExchange, mainExchanges } from './rows.ts';
import type { CountSnapshot, EndMeasurement, LeakScan, RuntimeInfo, SelfTests, SpecRow, TableFigures, Violation } from './types.ts';

/**
 * The facts of a run that the matrix rows do not carry. summary.json stores them next to every derived figure,
 * so verify-report can rebuild the rows from run.jsonl, re-derive every figure, and re-render audit.md.
 */
export interface RunFacts {
  runId: string;
  specSource: { file: string; sha256: string };
  references: { name: string; sha256: string | null }[];
  runtime: RuntimeInfo;
  /** Why runtime.json is missing or unreadable; null when it was read. */
  runtimeProblem: string | null;
  before: CountSnapshot | null;
  beforeProblem: string | null;
  measurement: EndMeasurement;
  selfTests: SelfTests;
  /** Errors outside any spec test: test files that failed to load, unhandled errors. */
  runErrors: { source: string; message: string }[];
  /** Spec-project tests whose name does not start with a spec ID (invariant 3). */
  unknownTests: string[];
  /** Why the run stopped early; null for a complete run. */
  interruption: string | null;
  timing: { startedAt: string; finishedAt: string; durationSeconds: number; generatedAt: string };
  logCheck: { artifactsListed: number; artifactsPresent: number; missing: string[] };
  leakScan: LeakScan;
  violations: Violation[];
  trend: Trend | null;
  /** Every drift path of this run with the run it was first seen in (carried from the previous verified run of the env). */
  driftSeen: DriftSeen[];
  /** This run's findings against `--baseline`, known and new; null without a baseline. */
  baseline: BaselineCheck | null;
  archive: { name: string; sha256: string | null; size: number | null; verified: string | null };
  maskingRule: string;
}

/** The change log against the previous run of the same env (§11); every list is empty when that run does not verify. */
export type Trend = {
  previousRunId: string;
  /** Only a previous run that passes verify-report is compared (invariant 19). */
  previousVerified: boolean;
  previousProblems: string[];
} & ChangeLog;

export interface ChecklistItem {
  key: 'all-executed' | 'tables-have-records' | 'logs-self-sufficient' | 'no-leaks' | 'archive-verified' | 'invariants';
  ok: boolean;
  text: string;
  evidence: string;
}

export interface Derived {
  status: 'OK' | 'Issues Found';
  /** Why the status is not OK (empty when it is). */
  issues: string[];
  incomplete: boolean;
  mode: string;
  totals: Totals;
  metrics: GroupMetrics[];
  keyNumbers: KeyNumber[];
  errors: ErrorEntry[];
  retries: RetryEntry[];
  latency: EndpointLatency[];
  failures: { id: string; message: string }[];
  tables: TableFigures[];
  specs: SpecSummary[];
  checklist: ChecklistItem[];
  readiness: { verdict: string; rule: string };
  recommendations: string[];
  /** With `--fail-on`: whether the run fails, and why (npm test's exit code); null without it. */
  gate: Gate | null;
}

export interface SpecSummary extends ComparedSpec {
  reason: string;
  durationMs: number | null;
  artifacts: number;
  runRows: Partial<Record<string, number>>;
}

/** The summary's format: raised whenever a field verify-report checks is added or changes meaning. */
export const SUMMARY_FORMAT = 'qtickets-audit-summary/2';

export type Summary = { format: typeof SUMMARY_FORMAT } & RunFacts & Derived;

export const RUN_ROWS_METHOD = 'Σ over tests of the rows carrying each test\'s _ver, counted with FINAL right after the test (evidence.clickhouse.runRows)';

function modeText(runtime: RuntimeInfo): string {
  if (!runtime.mode) return 'unknown (runtime.json missing)';
  return runtime.mode === 'mock' ? `mock${runtime.tenant ? ` (tenant: ${runtime.tenant})` : ''}` : `live${runtime.env ? ` (env: ${runtime.env})` : ''}`;
}

/** Every derived figure of the report, from the rows and the facts. One function for the reporter and verify-report. */
export function derive(rows: readonly SpecRow[], facts: RunFacts): Derived {
  const totals = computeTotals(rows);
  const metrics = computeMetrics(rows);
  const tables = tableFigures(facts.before, facts.measurement, sumRunRows(rows));
  const failures = rows.filter((r) => r.result === 'failed').map((r) => ({ id: r.id, message: r.error ?? r.reason }));
  const incomplete = facts.interruption !== null;
  const issues = statusIssues(totals, facts);
  const ok = issues.length === 0;
  const checklist = buildChecklist(rows, facts, totals, tables);
  return {
    status: ok ? 'OK' : 'Issues Found',
    issues,
    incomplete,
    mode: modeText(facts.runtime),
    totals,
    metrics,
    keyNumbers: computeKeyNumbers(rows, metrics),
    errors: collectErrorAnswers(rows),
    retries: collectRetries(rows),
    latency: latencyByEndpoint(rows),
    failures,
    tables,
    specs: rows.map(specSummary),
    checklist,
    readiness: readiness(ok, totals, facts),
    recommendations: recommendations(rows, facts, tables),
    gate: gateOf(facts.baseline ?? null, {
      executed: totals.executed,
      selfTestsFailed: facts.selfTests.failed,
      runErrors: facts.runErrors.length + facts.unknownTests.length,
      violations: facts.violations.length,
      leaks: facts.leakScan.findings.length,
      setupIncomplete: facts.runtimeProblem !== null,
      interruption: facts.interruption,
    }),
  };
}

/** The status rule: OK only when nothing failed and the run happened in full. */
export const STATUS_RULE =
  'OK only when at least one spec executed, no spec and no self-test failed, the global setup completed, no run error occurred, every invariant holds, the leak scan is clean and the run completed.';

function statusIssues(totals: Totals, facts: RunFacts): string[] {
  const issues: string[] = [];
  const count = (n: number, what: string) => n > 0 && issues.push(`${n} ${what}`);
  count(totals.failed, 'failed spec(s)');
  count(facts.selfTests.failed, 'failed self-test(s)');
  if (totals.executed === 0) issues.push('no spec executed');
  if (facts.runtimeProblem) issues.push('the global setup did not complete');
  count(facts.runErrors.length + facts.unknownTests.length, 'run error(s)');
  count(facts.violations.length, 'invariant violation(s)');
  count(facts.leakScan.findings.length, 'leak finding(s)');
  if (facts.interruption) issues.push(`incomplete: ${facts.interruption}`);
  return issues;
}

export function specSummary(row: SpecRow): SpecSummary {
  const last = mainExchanges(row).at(-1);
  const runRows = Object.fromEntries(VERIFIED_TABLES.filter((t) => (row.clickhouse?.runRows[t] ?? 0) > 0).map((t) => [t, row.clickhouse!.runRows[t]]));
  return {
    id: row.id,
    result: row.result,
    reason: row.reason,
    endpoint: row.endpoint,
    status: last?.status ?? null,
    contentType: last?.contentType ?? '',
    code: last?.code ?? null,
    contract: row.contract?.name ?? null,
    contractIssues: row.contract?.issues ?? [],
    drift: row.drift.map((d) => ({ path: d.path, count: d.count, example: d.example })),
    deviations: row.deviations.map((d) => ({ literal: d.literal, sent: d.sent })),
    durationMs: row.durationMs,
    artifacts: row.artifacts.length,
    runRows,
  };
}

function buildChecklist(rows: readonly SpecRow[], facts: RunFacts, totals: Totals, tables: TableFigures[]): ChecklistItem[] {
  const mock = facts.runtime.mode === 'mock' ? ' (mock run: answers come from the local mock API)' : '';
  const notExecuted = rows.filter((r) => r.result === 'skipped');
  const empty = tables.filter((t) => t.after === null || t.after === 0).map((t) => t.table);
  const leaks = facts.leakScan;
  const archive = facts.archive;
  return [
    {
      key: 'all-executed',
      ok: totals.executed === rows.length && rows.length > 0,
      text: `All ${rows.length} spec IDs executed${mock}`,
      evidence:
        notExecuted.length === 0
          ? `${totals.executed} of ${rows.length} sent their request (passed ${totals.passed}, failed ${totals.failed}, denied ${totals.denied})`
          : `${totals.executed} of ${rows.length} executed; not executed: ${groupByReason(notExecuted)}`,
    },
    {
      key: 'tables-have-records',
      ok: facts.measurement.measured && empty.length === 0,
      text: `Every ClickHouse table has records${mock}`,
      evidence: facts.measurement.measured
        ? empty.length === 0
          ? `all ${tables.length} tables have count > 0 after the run`
          : `empty after the run: ${empty.join(', ')}`
        : `not measured: ${facts.measurement.reason}`,
    },
    {
      key: 'logs-self-sufficient',
      ok: facts.logCheck.missing.length === 0 && rows.length > 0,
      text: 'Logs are self-sufficient',
      evidence: `run.jsonl holds one test_result per spec (${rows.length}) with every exchange; ${facts.logCheck.artifactsPresent} of ${facts.logCheck.artifactsListed} listed artifacts present${facts.logCheck.missing.length ? `; missing: ${facts.logCheck.missing.join(', ')}` : ''}`,
    },
    {
      key: 'no-leaks',
      ok: leaks.findings.length === 0,
      text: 'No secrets or personal data in any output',
      evidence: `${leaks.filesScanned} files scanned for ${leaks.secretsChecked} configured secret(s), email and phone patterns: ${leaks.findings.length === 0 ? 'no findings' : `${leaks.findings.length} finding(s): ${leaks.findings.map((f) => `${f.file} ${f.kind} ${f.excerpt}`).join('; ')}`}`,
    },
    {
      key: 'archive-verified',
      ok: archive.verified !== null,
      text: 'Archive has a verified SHA-256',
      evidence: archive.verified ?? `${archive.name}: written after this file; its SHA-256 is in DONE.txt and ${archive.name}.sha256 (verify with npm run verify-report)`,
    },
    {
      key: 'invariants',
      ok: facts.violations.length === 0,
      text: 'Report invariants hold (format §7)',
      evidence: facts.violations.length === 0 ? 'no violation' : `${facts.violations.length} violation(s): ${facts.violations.map((v) => `#${v.invariant} ${v.message}`).join('; ')}`,
    },
  ];
}

/** "1.2, 1.4 (not collected); 2.4 (prerequisite …)": one entry per distinct reason. */
function groupByReason(rows: readonly SpecRow[]): string {
  const byReason = new Map<string, string[]>();
  for (const row of rows) byReason.set(row.reason, [...(byReason.get(row.reason) ?? []), row.id]);
  return [...byReason].map(([reason, ids]) => `${ids.join(', ')} (${reason})`).join('; ');
}

const READINESS_RULE =
  'READY: status OK and every spec sent its request without a denial; READY WITH LIMITATIONS: status OK but some specs were skipped or denied; NOT READY: any failed spec or self-test, run error, invariant violation, leak, or an incomplete run.';

function readiness(ok: boolean, totals: Totals, facts: RunFacts): { verdict: string; rule: string } {
  const mock = facts.runtime.mode === 'mock' ? ' — mock run: this says nothing about the production API' : '';
  const verdict = !ok ? 'NOT READY' : totals.skipped + totals.denied > 0 ? 'READY WITH LIMITATIONS' : 'READY';
  return { verdict: verdict + mock, rule: READINESS_RULE };
}

function recommendations(rows: readonly SpecRow[], facts: RunFacts, tables: TableFigures[]): string[] {
  const out: string[] = [];
  for (const row of rows.filter((r) => r.result === 'failed')) out.push(`Investigate ${row.id} (${row.title}): ${row.reason}`);
  if (facts.selfTests.failed > 0) out.push(`Fix the ${facts.selfTests.failed} failing self-test(s): ${facts.selfTests.failures.map((f) => f.name).join('; ')}`);
  for (const error of facts.runErrors) out.push(`Fix the run error (${error.source}): ${error.message.split('\n')[0]}`);
  for (const v of facts.violations) out.push(`Report invariant ${v.invariant} is violated: ${v.message}`);
  if (facts.leakScan.findings.length > 0) out.push(`Remove the ${facts.leakScan.findings.length} leaked value(s) from the outputs and extend the masking rule; do not share this run's files`);
  const prerequisites = rows.filter((r) => r.result === 'skipped' && r.skip === 'prerequisite');
  if (prerequisites.length > 0) out.push(`Provide the missing ids (AUDIT_* overrides) for ${prerequisites.map((r) => r.id).join(', ')}`);
  const denied = rows.filter((r) => r.result === 'denied');
  if (denied.length > 0) out.push(`Writes ${denied.map((r) => r.id).join(', ')} were only probed with an invalid credential; run them against a sandbox tenant with --allow-writes and the SANDBOX_* settings`);
  const deviating = rows.filter((r) => r.deviations.length > 0);
  if (deviating.length > 0) out.push(`Review the Spec Deviations: what was sent differs from the spec's literal request for ${deviating.map((r) => r.id).join(', ')}; correct the spec where its request does not work`);
  const drift = rows.filter((r) => r.drift.length > 0);
  if (drift.length > 0) out.push(`Review contract drift (fields unknown to the contracts) in ${drift.map((r) => r.id).join(', ')}`);
  if (!facts.measurement.measured) out.push(`Make ClickHouse reachable at the end of the run: ${facts.measurement.reason}`);
  else if (!facts.measurement.jobRun.recorded) out.push(`The run's meta_job_runs row was not written: ${facts.measurement.jobRun.error ?? 'unknown error'}`);
  const empty = tables.filter((t) => t.after === 0).map((t) => t.table);
  if (empty.length > 0) out.push(`Tables still empty after the run: ${empty.join(', ')} — check that their specs ran and loaded`);
  if (facts.interruption) out.push(`Re-run: this run was interrupted (${facts.interruption})`);
  if (out.length === 0) out.push('None: every spec passed and every check held.');
  return out;
}

/** The matrix's Result cell: what came back, then the outcome. */
export function resultCell(row: SpecRow, mock: boolean): string {
  const answers = mainExchanges(row).map(describeExchange);
  const answer = answers.length === 0 ? '—' : answers.length === 1 ? answers[0] : `${answers[0]} (+${answers.length - 1} more: ${answers.slice(1).join(', ')})`;
  const outcome = row.result === 'passed' ? 'passed' : row.result === 'denied' ? row.reason : `${row.result}: ${row.reason}`;
  return `${answer} · ${outcome}${mock ? ' [mock]' : ''}`;
}
