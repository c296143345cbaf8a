import { isSlower, type EndpointLatency } from '../../support/latency.ts';
import type { ResultClass, TableFigures } from './types.ts';

/**
 * The API change log (§11): what changed between two runs of the same env, compared as typed data from their
 * summary.json — each spec's answer (status, content type, error code), the fields the contracts do not know
 * (drift, by JSON path), contract failures, deviations, results and table counts. Pure: no file is read here.
 */

/** A drift path of one spec's contract, with the run in which it was first seen (carried from run to run). */
export interface DriftSeen {
  id: string;
  contract: string;
  path: string;
  /** Records that carried it in the run that lists it (a deep walk counts every page). */
  count: number;
  /** A masked example value; a deep walk adds the id of the first record that had it. */
  example: string;
  firstSeen: string;
}

export interface AnswerShape {
  status: number | null;
  contentType: string;
  code: string | null;
}

export interface AnswerChange {
  id: string;
  endpoint: string;
  from: AnswerShape;
  to: AnswerShape;
}

export interface ContractFailure {
  id: string;
  contract: string;
  issue: string;
}

export interface DeviationSeen {
  id: string;
  literal: string;
  sent: string;
}

/** What the change log reads of one spec in summary.json (model.ts ComparedSpec). */
export interface ComparedSpec {
  id: string;
  result: ResultClass;
  endpoint: string;
  status: number | null;
  contentType: string;
  code: string | null;
  contract: string | null;
  /** The contract's issues, one line each ("data[2].code: required field missing"). */
  contractIssues: string[];
  /** Fields the contract does not know, by JSON path. */
  drift: { path: string; count: number; example: string }[];
  deviations: { literal: string; sent: string }[];
}

/** What the change log compares of one run: its summary.json, or this run's figures before they are written. */
export interface RunSide {
  runId: string;
  specs: readonly ComparedSpec[];
  tables: readonly Pick<TableFigures, 'table' | 'after'>[];
  driftSeen: readonly DriftSeen[];
  latency: readonly EndpointLatency[];
}

/** One endpoint's p50 and p95 in each run (null where that run did not call it), and whether it became slower. */
export interface LatencyChange {
  api: EndpointLatency['api'];
  method: string;
  path: string;
  then: { p50Ms: number; p95Ms: number } | null;
  now: { p50Ms: number; p95Ms: number } | null;
  slower: boolean;
}

export interface ChangeLog {
  newFailures: string[];
  fixed: string[];
  resultChanges: { id: string; from: string; to: string }[];
  /** Specs whose last answer changed status, content type or error code (both runs got an answer). */
  answers: AnswerChange[];
  fieldsAppeared: DriftSeen[];
  fieldsGone: DriftSeen[];
  contractFailuresNew: ContractFailure[];
  contractFailuresFixed: ContractFailure[];
  deviationsNew: DeviationSeen[];
  deviationsGone: DeviationSeen[];
  tableChanges: { table: string; previousAfter: number | null; after: number | null }[];
  latency: LatencyChange[];
}

/** Nothing to compare: every list empty (a first run, or a previous run that does not verify). */
export const EMPTY_CHANGES: ChangeLog = {
  newFailures: [],
  fixed: [],
  resultChanges: [],
  answers: [],
  fieldsAppeared: [],
  fieldsGone: [],
  contractFailuresNew: [],
  contractFailuresFixed: [],
  deviationsNew: [],
  deviationsGone: [],
  tableChanges: [],
  latency: [],
};

const driftKey = (d: { id: string; contract: string; path: string }) => JSON.stringify([d.id, d.contract, d.path]);
const issueKey = (f: ContractFailure) => JSON.stringify([f.id, f.contract, f.issue]);
const deviationKey = (d: DeviationSeen) => JSON.stringify([d.id, d.literal, d.sent]);

/** Every drift path of `specs`, first seen where `earlier` (the previous run's ledger) saw it, else in `runId`. */
export function driftLedger(runId: string, specs: readonly ComparedSpec[], earlier: readonly DriftSeen[] = []): DriftSeen[] {
  const seen = new Map(earlier.map((d) => [driftKey(d), d.firstSeen]));
  return specs.flatMap((s) =>
    (s.drift ?? []).map((d) => {
      const item = { id: s.id, contract: s.contract ?? '', path: d.path };
      return { ...item, count: d.count, example: d.example, firstSeen: seen.get(driftKey(item)) ?? runId };
    }),
  );
}

export const contractFailures = (specs: readonly ComparedSpec[]): ContractFailure[] =>
  specs.flatMap((s) => (s.contractIssues ?? []).map((issue) => ({ id: s.id, contract: s.contract ?? '', issue })));

export const deviationsOf = (specs: readonly ComparedSpec[]): DeviationSeen[] =>
  specs.flatMap((s) => (s.deviations ?? []).map((d) => ({ id: s.id, literal: d.literal, sent: d.sent })));

/** Items of `now` whose key `before` lacks. */
function added<T>(now: readonly T[], before: readonly T[], key: (item: T) => string): T[] {
  const known = new Set(before.map(key));
  return now.filter((item) => !known.has(key(item)));
}

const good = (result: string | undefined) => result === 'passed' || result === 'denied';
const answered = (s: ComparedSpec | undefined): s is ComparedSpec => s !== undefined && s.status !== null;
const shape = (s: ComparedSpec): AnswerShape => ({ status: s.status, contentType: s.contentType, code: s.code });

const endpointKey = (e: Pick<EndpointLatency, 'api' | 'method' | 'path'>) => `${e.api} ${e.method} ${e.path}`;
const percentiles = (e: EndpointLatency | undefined) => (e ? { p50Ms: e.p50Ms, p95Ms: e.p95Ms } : null);

/** Every endpoint either run called: this run's first (in its order), then those only the previous run called. */
export function latencyChanges(before: readonly EndpointLatency[], now: readonly EndpointLatency[]): LatencyChange[] {
  const previous = new Map(before.map((e) => [endpointKey(e), e]));
  const current = new Set(now.map(endpointKey));
  return [...now, ...before.filter((e) => !current.has(endpointKey(e)))].map((e) => {
    const then = percentiles(previous.get(endpointKey(e)));
    const nowFigures = current.has(endpointKey(e)) ? percentiles(e) : null;
    return { api: e.api, method: e.method, path: e.path, then, now: nowFigures, slower: then !== null && nowFigures !== null && isSlower(then.p95Ms, nowFigures.p95Ms) };
  });
}

/** What changed from `before` to `now`. A previous summary of an older format lacks some lists: they count as empty. */
export function compareRuns(before: RunSide, now: RunSide): ChangeLog {
  const previous = new Map(before.specs.map((s) => [s.id, s]));
  // Fields, contract issues and deviations are compared only where both runs executed the spec: a spec
  // filtered out or skipped says nothing about its answer.
  const executed = (specs: readonly ComparedSpec[]) => new Set(specs.filter((s) => s.result !== 'skipped').map((s) => s.id));
  const inBoth = new Set([...executed(before.specs)].filter((id) => executed(now.specs).has(id)));
  const compared = <T extends { id: string }>(items: T[]) => items.filter((item) => inBoth.has(item.id));
  const beforeDrift = compared([...(before.driftSeen ?? [])]);
  const nowDrift = compared([...now.driftSeen]);
  const result = (id: string) => previous.get(id)?.result;
  const answers = now.specs.flatMap((s): AnswerChange[] => {
    const then = previous.get(s.id);
    if (!answered(then) || !answered(s)) return [];
    const from = shape(then);
    const to = shape(s);
    return from.status === to.status && from.contentType === to.contentType && from.code === to.code ? [] : [{ id: s.id, endpoint: s.endpoint, from, to }];
  });
  const afterBefore = new Map(before.tables.map((t) => [t.table, t.after]));
  return {
    newFailures: now.specs.filter((s) => s.result === 'failed' && result(s.id) !== 'failed').map((s) => s.id),
    fixed: now.specs.filter((s) => good(s.result) && result(s.id) === 'failed').map((s) => s.id),
    resultChanges: now.specs.filter((s) => result(s.id) !== undefined && result(s.id) !== s.result).map((s) => ({ id: s.id, from: result(s.id)!, to: s.result })),
    answers,
    fieldsAppeared: added(nowDrift, beforeDrift, driftKey),
    fieldsGone: added(beforeDrift, nowDrift, driftKey),
    contractFailuresNew: compared(added(contractFailures(now.specs), contractFailures(before.specs), issueKey)),
    contractFailuresFixed: compared(added(contractFailures(before.specs), contractFailures(now.specs), issueKey)),
    deviationsNew: compared(added(deviationsOf(now.specs), deviationsOf(before.specs), deviationKey)),
    deviationsGone: compared(added(deviationsOf(before.specs), deviationsOf(now.specs), deviationKey)),
    tableChanges: now.tables.map((t) => ({ table: t.table, previousAfter: afterBefore.get(t.table) ?? null, after: t.after })),
    latency: latencyChanges(before.latency ?? [], now.latency),
  };
}
