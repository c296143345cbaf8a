import { BASELINE_FORMAT, type Baseline, type FailOn, type Gate, type RunBaseline } from '../../support/config/baseline.ts';
import { endpointName, isSlower, type EndpointLatency } from '../../support/latency.ts';
import type { ComparedSpec, DriftSeen } from './changelog.ts';

/** What the baseline reads of a spec in summary.json (model.ts SpecSummary). */
type SpecSummary = ComparedSpec & { reason: string };

/**
 * The baseline of a scheduled audit: the findings of a verified report (drift paths, deviations, failures)
 * written as audit-baseline.json, and a run's findings split into those the baseline holds (known) and the
 * rest (new). Findings are compared as typed keys, never as report text.
 */

export type FindingKind = 'drift' | 'deviation' | 'failure' | 'slower';

export interface Finding {
  kind: FindingKind;
  spec: string;
  /** The finding in one line: the drift path, "literal → sent", or the answer a failure got. */
  what: string;
  /** Known: the run the baseline has it from; new: this run. */
  runId: string;
  /** A slower endpoint's figures: its p95 in this run and the p95 the baseline accepted. */
  latency?: Pick<EndpointLatency, 'api' | 'method' | 'path' | 'p95Ms'> & { acceptedP95Ms: number };
}

/** summary.json `baseline`: the run's findings against the baseline it was given. */
export interface BaselineCheck {
  file: string;
  /** The report the baseline was written from. */
  fromRunId: string;
  env: string;
  failOn: FailOn | null;
  known: Finding[];
  new: Finding[];
}

/** A failed spec's answer as the baseline keys it: "503 application/json UNKNOWN_ERROR", "no answer". */
export const answerOf = (s: Pick<SpecSummary, 'status' | 'contentType' | 'code'>): string =>
  s.status === null ? 'no answer' : [s.status, s.contentType, s.code].filter((part) => part !== null && part !== '').join(' ');

const deviationText = (d: { literal: string; sent: string }) => `${d.literal} → ${d.sent}`;

/** The findings of one run, from its spec summaries and drift ledger. */
export function findingsOf(runId: string, specs: readonly SpecSummary[], driftSeen: readonly DriftSeen[]): Finding[] {
  return [
    ...driftSeen.map((d): Finding => ({ kind: 'drift', spec: d.id, what: d.path, runId })),
    ...specs.flatMap((s) => s.deviations.map((d): Finding => ({ kind: 'deviation', spec: s.id, what: deviationText(d), runId }))),
    ...specs.filter((s) => s.result === 'failed').map((s): Finding => ({ kind: 'failure', spec: s.id, what: answerOf(s), runId })),
  ];
}

const key = (f: Pick<Finding, 'kind' | 'spec' | 'what'>) => JSON.stringify([f.kind, f.spec, f.what]);

/** The baseline's findings, each with the run it came from. */
function baselineFindings(b: Baseline): Finding[] {
  return [
    ...b.drift.map((d): Finding => ({ kind: 'drift', spec: d.spec, what: d.path, runId: d.runId })),
    ...b.deviations.map((d): Finding => ({ kind: 'deviation', spec: d.spec, what: deviationText(d), runId: d.runId })),
    ...b.failures.map((f): Finding => ({ kind: 'failure', spec: f.spec, what: f.answer, runId: f.runId })),
  ];
}

/**
 * Endpoints slower than the baseline accepted (support/latency.ts isSlower): always new, since the baseline's
 * own figure is what it accepts. `spec` names the API, `what` the endpoint and both p95s.
 */
export function slowerThanBaseline(baseline: Baseline, latency: readonly EndpointLatency[], runId: string): Finding[] {
  const accepted = new Map(baseline.latency.map((e) => [endpointName(e), e.p95Ms]));
  return latency.flatMap((e) => {
    const then = accepted.get(endpointName(e));
    if (then === undefined || !isSlower(then, e.p95Ms)) return [];
    const latency = { api: e.api, method: e.method, path: e.path, p95Ms: e.p95Ms, acceptedP95Ms: then };
    return [{ kind: 'slower' as const, spec: e.api === 'rest' ? 'REST' : 'Partners', what: `${e.method} ${e.path} p95 ${e.p95Ms} ms (baseline ${then} ms)`, runId, latency }];
  });
}

/** This run's findings split into those the baseline holds and the new ones (with the endpoints now slower). */
export function checkAgainstBaseline(given: RunBaseline, findings: readonly Finding[], slower: readonly Finding[] = []): BaselineCheck {
  const accepted = new Map(baselineFindings(given.baseline).map((f) => [key(f), f]));
  return {
    file: given.file,
    fromRunId: given.baseline.runId,
    env: given.baseline.env,
    failOn: given.failOn,
    known: findings.filter((f) => accepted.has(key(f))).map((f) => accepted.get(key(f))!),
    new: [...findings.filter((f) => !accepted.has(key(f))), ...slower],
  };
}

/** Problems of the run that no baseline can accept: the run itself is not a sound audit. */
export interface RunSoundness {
  executed: number;
  selfTestsFailed: number;
  runErrors: number;
  violations: number;
  leaks: number;
  setupIncomplete: boolean;
  interruption: string | null;
}

export const GATE_RULE =
  '--fail-on new fails for a drift path, deviation or failed spec the baseline does not hold; --fail-on any fails for every one of them; both fail when no spec executed, a self-test failed, the global setup did not complete, or there was a run error, an invariant violation, a leak or an interruption.';

/** The exit decision of a run with `--fail-on` (summary.json `gate`); null without it. */
export function gateOf(check: BaselineCheck | null, run: RunSoundness): Gate | null {
  if (!check?.failOn) return null;
  const reasons: string[] = [];
  const findings = check.failOn === 'new' ? check.new : [...check.known, ...check.new];
  if (findings.length > 0) reasons.push(`${findings.length} ${check.failOn === 'new' ? 'new ' : ''}finding(s): ${findings.map((f) => `${f.spec} ${f.kind} ${f.what}`).join('; ')}`);
  if (run.executed === 0) reasons.push('no spec executed');
  if (run.setupIncomplete) reasons.push('the global setup did not complete');
  const count = (n: number, what: string) => n > 0 && reasons.push(`${n} ${what}`);
  count(run.selfTestsFailed, 'failed self-test(s)');
  count(run.runErrors, 'run error(s)');
  count(run.violations, 'invariant violation(s)');
  count(run.leaks, 'leak finding(s)');
  if (run.interruption) reasons.push(`incomplete: ${run.interruption}`);
  return { failOn: check.failOn, fail: reasons.length > 0, reasons };
}

/** audit-baseline.json from a verified report's summary.json. */
export function baselineFrom(summary: { runId: string; runtime: { env?: string }; specs: readonly SpecSummary[]; driftSeen?: readonly DriftSeen[]; latency?: readonly EndpointLatency[] }, createdAt: string): Baseline {
  const runId = summary.runId;
  return {
    format: BASELINE_FORMAT,
    env: summary.runtime.env ?? '',
    runId,
    createdAt,
    drift: (summary.driftSeen ?? []).map((d) => ({ spec: d.id, contract: d.contract, path: d.path, runId: d.firstSeen })),
    deviations: summary.specs.flatMap((s) => (s.deviations ?? []).map((d) => ({ spec: s.id, literal: d.literal, sent: d.sent, runId }))),
    failures: summary.specs.filter((s) => s.result === 'failed').map((s) => ({ spec: s.id, answer: answerOf(s), message: s.reason, runId })),
    skips: summary.specs.filter((s) => s.result === 'skipped').map((s) => ({ spec: s.id, reason: s.reason, runId })),
    latency: (summary.latency ?? []).map((e) => ({ api: e.api, method: e.method, path: e.path, p95Ms: e.p95Ms, runId })),
  };
}
