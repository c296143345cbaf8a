import { isDeepStrictEqual } from 'node:util';
import { catalogue, specById } from '../../support/catalogue/index.ts';
import { VERIFIED_TABLES, type TableCounts, type VerifiedTable } from '../../support/clickhouse/tables.ts';
import { ISO_UTC, rowsFromEvents, type AuditEvent } from './events.ts';
import { renderKeyNumber, sumRunRows } from './figures.ts';
import { findingsOf, type Finding } from './baseline.ts';
import { endpointName } from '../../support/latency.ts';
import { renderMarkdown } from './markdown.ts';
import { derive, type Derived, type RunFacts, type Summary } from './model.ts';
import { inCatalogueOrder, isSuccessExchange, mainExchanges } from './rows.ts';
import type { SpecRow, TableFigures, Violation } from './types.ts';

/**
 * The contradictions of the previous audit (format §7) as checks over what a run writes: run.jsonl, summary.json,
 * the CSV, audit.md and the artifacts. The reporter runs them before writing; verify-report runs them on the files.
 */
export interface RunBundle {
  events: readonly AuditEvent[];
  summary: Summary;
  csv: readonly TableFigures[];
  markdown: string;
  /** Parsed artifact files by path relative to the run folder; null when missing or not JSON. */
  artifacts: ReadonlyMap<string, unknown>;
}

/** The process that wrote runtime.json, when the checker runs in it (the reporter): invariant 14. */
export interface LiveEnvironment {
  node: string;
  vitest: string;
  platform: string;
}

const HASH = /^([0-9a-f]{64})?$/;
const MOJIBAKE = /â€|âœ|Ã[\u0080-\u00bf]|Ð[\u0080-\u00bf]|Ñ[\u0080-\u00bf]|\ufffd/;

export function checkInvariants(bundle: RunBundle, live?: LiveEnvironment): Violation[] {
  const violations: Violation[] = [];
  const fail = (invariant: number, message: string) => violations.push({ invariant, message });
  let rows: SpecRow[];
  try {
    rows = inCatalogueOrder(rowsFromEvents(bundle.events));
  } catch (error) {
    fail(14, `run.jsonl cannot be read back into matrix rows: ${(error as Error).message}`);
    return violations;
  }
  const { summary } = bundle;
  const facts: RunFacts = summary;
  const derived = derive(rows, facts);

  checkDerivedFigures(summary, derived, fail);
  checkRendering(bundle.markdown, rows, facts, derived, fail);
  checkTotals(rows, bundle.events, derived, fail);
  checkKeyNumbers(rows, derived, bundle.markdown, fail);
  checkLatency(bundle.events, derived, fail);
  checkSpecIdentity(rows, facts, fail);
  checkStatusRule(derived, fail);
  checkClickHouse(rows, bundle, derived, fail);
  checkEndpoints(rows, fail);
  checkArtifacts(rows, bundle.artifacts, fail);
  checkLog(bundle.events, bundle.csv, facts, live, fail);
  checkTiming(bundle.events, facts, fail);
  checkStatements(bundle.markdown, rows, summary, derived, fail);
  return violations;
}

type Fail = (invariant: number, message: string) => void;

/** Figures stored in summary.json must be exactly what the rows give: nothing typed by hand. */
function checkDerivedFigures(summary: Summary, derived: Derived, fail: Fail): void {
  const plain = JSON.parse(JSON.stringify(derived)) as Derived;
  const invariantOf: Partial<Record<keyof Derived, number>> = { totals: 1, keyNumbers: 2, metrics: 2, latency: 2, errors: 4, failures: 4, status: 4, issues: 4, tables: 6, checklist: 17 };
  for (const key of Object.keys(plain) as (keyof Derived)[]) {
    if (!isDeepStrictEqual(summary[key], plain[key])) {
      fail(invariantOf[key] ?? 16, `summary.json "${key}" differs from the figure recomputed from run.jsonl: ${brief(summary[key])} vs ${brief(plain[key])}`);
    }
  }
}

function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/** audit.md is a pure rendering of run.jsonl + summary.json: any edited line shows up here (invariant 16). */
function checkRendering(markdown: string, rows: SpecRow[], facts: RunFacts, derived: Derived, fail: Fail): void {
  const expected = renderMarkdown(rows, facts, derived);
  if (markdown === expected) return;
  const have = markdown.split('\n');
  const want = expected.split('\n');
  // The first line that differs; a report longer than the rendering differs just past its end.
  let line = 0;
  while (line < want.length && have[line] === want[line]) line++;
  fail(16, `audit.md is not the rendering of run.jsonl and summary.json: line ${line + 1} is "${have[line] ?? '(missing)'}", expected "${want[line] ?? '(nothing)'}"`);
}

function checkTotals(rows: SpecRow[], events: readonly AuditEvent[], derived: Derived, fail: Fail): void {
  const t = derived.totals;
  if (t.total !== t.passed + t.failed + t.skipped + t.denied) fail(1, `total ${t.total} ≠ passed + failed + skipped + denied`);
  const ids = rows.map((r) => r.id);
  const specIds = catalogue.map((s) => s.id);
  const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (duplicates.length > 0) fail(1, `spec IDs with more than one result: ${[...new Set(duplicates)].join(', ')}`);
  const missing = specIds.filter((id) => !ids.includes(id));
  if (missing.length > 0) fail(1, `matrix rows missing for ${missing.join(', ')}`);
  const starts = events.filter((e) => e.event === 'test_start').map((e) => e.test_id as string);
  if (!isDeepStrictEqual([...starts].sort(), [...ids].sort())) fail(1, `run.jsonl has ${starts.length} test_start and ${ids.length} test_result events, not one of each per spec`);
  const stage2 = events.filter((e) => e.stage === 'Stage2');
  if (stage2.length !== 1) {
    fail(1, `run.jsonl has ${stage2.length} Stage2 summaries, expected 1`);
    return;
  }
  const s = stage2[0];
  const logged = { total: s.tests_executed, passed: s.passed, failed: s.failed, skipped: s.skipped, denied: s.denied, artifacts: s.artifacts_generated };
  const counted = { total: t.total, passed: t.passed, failed: t.failed, skipped: t.skipped, denied: t.denied, artifacts: t.artifacts };
  if (!isDeepStrictEqual(logged, counted)) fail(1, `Stage2 summary ${JSON.stringify(logged)} ≠ matrix counts ${JSON.stringify(counted)}`);
}

function checkKeyNumbers(rows: SpecRow[], derived: Derived, markdown: string, fail: Fail): void {
  for (const k of derived.keyNumbers) {
    if (k.ids && k.ids.length !== k.value) fail(2, `Key Number "${k.label}" says ${k.value} but lists ${k.ids.length} ids`);
    if (!markdown.includes(renderKeyNumber(k))) fail(2, `Key Number "${k.label}" is not shown as computed in audit.md`);
  }
  for (const row of rows) {
    for (const r of row.records) {
      if (r.pagingTotal !== null && r.fetched > r.pagingTotal) fail(2, `${row.id} ${r.entity}: fetched ${r.fetched} > paging.total ${r.pagingTotal}`);
      if (r.perPage !== null && r.fetched > r.pages * r.perPage) fail(2, `${row.id} ${r.entity}: fetched ${r.fetched} > ${r.pages} page(s) × perPage ${r.perPage}`);
    }
  }
}

/** The Latency table counts each request the log records as sent once, and each retry once (invariant 2). */
function checkLatency(events: readonly AuditEvent[], derived: Derived, fail: Fail): void {
  const sent = events.filter((e) => e.event === 'exchange' && e.answer_kind !== 'refused').length;
  const retried = events.filter((e) => e.event === 'retry').length;
  const sum = (pick: (e: Derived['latency'][number]) => number) => derived.latency.reduce((n, e) => n + pick(e), 0);
  if (sum((e) => e.requests) !== sent) fail(2, `the Latency table counts ${sum((e) => e.requests)} requests, run.jsonl records ${sent} sent`);
  if (sum((e) => e.retries) !== retried) fail(2, `the Latency table counts ${sum((e) => e.retries)} retries, run.jsonl records ${retried}`);
  for (const e of derived.latency) {
    if (!(e.p50Ms <= e.p95Ms && e.p95Ms <= e.maxMs)) fail(2, `latency of ${e.method} ${e.path}: p50 ${e.p50Ms} ≤ p95 ${e.p95Ms} ≤ max ${e.maxMs} does not hold`);
  }
}

/** Rows carry the catalogue's own ID, title, ref and kind; no test outside the spec is counted (invariant 3). */
function checkSpecIdentity(rows: SpecRow[], facts: RunFacts, fail: Fail): void {
  for (const name of facts.unknownTests) fail(3, `test "${name}" is not one of the ${catalogue.length} spec IDs`);
  for (const row of rows) {
    let spec;
    try {
      spec = specById(row.id);
    } catch {
      fail(3, `row ${row.id} is not a spec ID`);
      continue;
    }
    const logged = [row.title, row.specRef, row.kind, row.api, row.expected];
    const known = [spec.title, spec.specRef, spec.kind, spec.api, spec.expected.text];
    if (!isDeepStrictEqual(logged, known)) fail(3, `${row.id}: title/ref/kind/api/expected in run.jsonl differ from the catalogue`);
  }
}

/** The status follows the matrix (its recomputation is compared above); the Errors section lists every failed row. */
function checkStatusRule(derived: Derived, fail: Fail): void {
  if ((derived.status === 'OK') !== (derived.issues.length === 0)) fail(4, `overall status "${derived.status}" does not follow the rule: ${derived.issues.join('; ')}`);
  if (derived.totals.failed > 0 && derived.status === 'OK') fail(4, `overall status OK with ${derived.totals.failed} failed spec(s)`);
  const failedIds = derived.failures.map((f) => f.id);
  const failedRows = derived.specs.filter((s) => s.result === 'failed').map((s) => s.id);
  if (!isDeepStrictEqual(failedIds, failedRows)) fail(4, `Errors section lists failures ${failedIds.join(', ')} but the matrix has ${failedRows.join(', ')}`);
}

const OWN_SERVER = (facts: RunFacts) => facts.runtime.clickhouse?.mode === 'embedded' || facts.runtime.clickhouse?.mode === 'docker';

function checkClickHouse(rows: SpecRow[], bundle: RunBundle, derived: Derived, fail: Fail): void {
  const facts: RunFacts = bundle.summary;
  // Invariant 6: the CSV is the verification table, a delta is the measured after − before.
  const csvTables = bundle.csv.map((r) => r.table);
  if (!isDeepStrictEqual(csvTables, [...VERIFIED_TABLES])) fail(14, `clickhouse_counts.csv rows are ${csvTables.join(', ')}, expected the ${VERIFIED_TABLES.length} verified tables in order`);
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(bundle.csv)), JSON.parse(JSON.stringify(derived.tables)))) fail(6, 'clickhouse_counts.csv differs from the ClickHouse Verification figures');
  const runRows = sumRunRows(rows);
  const beforeEvent = bundle.events.find((e) => e.event === 'clickhouse_counts' && e.phase === 'before');
  const afterEvent = bundle.events.find((e) => e.event === 'clickhouse_counts' && e.phase === 'after');
  for (const r of bundle.csv) {
    const expectedDelta = r.after !== null && r.before !== null ? r.after - r.before : null;
    if (r.delta !== expectedDelta) fail(6, `${r.table}: delta ${r.delta} ≠ after ${r.after} − before ${r.before}`);
    if (r.runRows !== runRows[r.table]) fail(6, `${r.table}: run_rows ${r.runRows} ≠ Σ of the tests' rows ${runRows[r.table]}`);
    const loggedBefore = (beforeEvent?.total as TableCounts | undefined)?.[r.table] ?? null;
    if (r.before !== loggedBefore) fail(6, `${r.table}: count_before ${r.before} ≠ the pre-run snapshot in run.jsonl (${loggedBefore})`);
    const loggedAfter = (afterEvent?.total as TableCounts | undefined)?.[r.table] ?? null;
    if (r.after !== loggedAfter) fail(6, `${r.table}: count_after ${r.after} ≠ the after-snapshot in run.jsonl (${loggedAfter})`);
    if (r.maxVer !== '' && !/^\d+$/.test(r.maxVer)) fail(14, `${r.table}: max_ver "${r.maxVer}" is not a numeric _ver`);
    if (r.table === 'meta_job_runs' && r.maxVer !== '') fail(14, 'meta_job_runs has no _ver: its max_ver must be empty');
  }

  for (const row of rows) {
    const rr = row.clickhouse?.runRows;
    if (!rr) continue;
    const spec = specById(row.id);
    const fed = spec.feedsTables as string[];
    for (const table of VERIFIED_TABLES) {
      if (rr[table] > 0 && !fed.includes(table)) fail(6, `${row.id} wrote ${rr[table]} rows to ${table}, which it does not feed`);
    }
    const total = VERIFIED_TABLES.reduce((n, t) => n + rr[t], 0);
    if (total > 0 && !mainExchanges(row).some(isSuccessExchange)) fail(12, `${row.id} wrote ${total} rows although no answer of it succeeded (an error answer adds no rows)`);
    const fetched = (entity: string) => row.records.filter((r) => r.entity === entity).reduce((n, r) => n + r.fetched, 0);
    if (!facts.runtime.allPages && rr.stg_qtickets_api_orders_raw > fetched('orders')) fail(6, `${row.id} wrote ${rr.stg_qtickets_api_orders_raw} order rows from ${fetched('orders')} fetched orders`);
    if (rr.fact_qtickets_sales_daily > rr.stg_qtickets_api_orders_raw) fail(6, `${row.id} wrote ${rr.fact_qtickets_sales_daily} daily fact rows from ${rr.stg_qtickets_api_orders_raw} order rows`);
    if (rr.fact_qtickets_inventory_latest > rr.stg_qtickets_api_inventory_raw) fail(7, `${row.id} wrote more latest-inventory rows (${rr.fact_qtickets_inventory_latest}) than inventory snapshots (${rr.stg_qtickets_api_inventory_raw})`);
    if (rr.stg_qtickets_api_partner_tickets_raw > fetched('partnerTickets')) fail(9, `${row.id} wrote ${rr.stg_qtickets_api_partner_tickets_raw} partner ticket rows from ${fetched('partnerTickets')} tickets found`);
  }

  const m = facts.measurement;
  if (!m.measured) return;
  const fig = (t: VerifiedTable) => derived.tables.find((x) => x.table === t)!;
  if (fig('fact_qtickets_inventory_latest').uniqueAfter! > fig('stg_qtickets_api_inventory_raw').uniqueAfter!) fail(7, 'fact_qtickets_inventory_latest has more rows (FINAL) than inventory snapshots');
  if ('mismatches' in m.facts) for (const x of m.facts.mismatches) fail(5, `fact_qtickets_sales_daily ${x.date}: ${x.fact} tickets, deduplicated staging orders: ${x.staging}`);
  const jobRuns = fig('meta_job_runs').delta;
  const recorded = m.jobRun.recorded ? 1 : 0;
  if (jobRuns !== null && (OWN_SERVER(facts) ? jobRuns !== recorded : jobRuns < recorded)) fail(10, `meta_job_runs delta ${jobRuns} ≠ loader runs recorded by this run (${recorded})`);
  if (OWN_SERVER(facts) && facts.before) {
    for (const t of VERIFIED_TABLES.filter((x) => x !== 'meta_job_runs')) {
      const newKeys = m.after.unique[t] - facts.before.unique[t];
      if (newKeys > runRows[t]) fail(6, `${t}: ${newKeys} new unique rows but the tests wrote only ${runRows[t]}`);
    }
  }
}

/** The method and path sent are the spec's (or the documented) request with this tenant's ids (invariant 11). */
function checkEndpoints(rows: SpecRow[], fail: Fail): void {
  for (const row of rows) {
    if (!row.endpoint) continue;
    const spec = specById(row.id);
    const shapes = [spec.literal, ...(spec.documented ? [spec.documented] : [])];
    for (const sent of row.endpoint.split('; ')) {
      const [method, path] = sent.split(' ');
      const ok = shapes.some((s) => s.method === method && (spec.kind === 'negative' ? s.path === path : pathMatches(path ?? '', s.path)));
      if (!ok) fail(11, `${row.id} sent "${sent}", which is neither the spec's "${spec.literal.method} ${spec.literal.path}" nor the documented request`);
    }
    const main = mainExchanges(row);
    if (main.length > 0 && !main.every((x) => row.endpoint.split('; ').includes(`${x.method} ${x.path}`))) fail(11, `${row.id}: the endpoint shown (${row.endpoint}) is not the request its answers came from`);
  }
}

function pathMatches(sent: string, pattern: string): boolean {
  const s = sent.split('?')[0].split('/');
  const p = pattern.split('?')[0].split('/');
  return s.length === p.length && p.every((seg, i) => seg === s[i] || (/^\{.+\}$/.test(seg) && s[i] !== '') || (/^\d+$/.test(seg) && /^\d+$/.test(s[i])));
}

/** Every exchange has its artifact, and the artifact shows the same answer as the log (invariant 11: no 404 shown as 200). */
function checkArtifacts(rows: SpecRow[], artifacts: ReadonlyMap<string, unknown>, fail: Fail): void {
  for (const row of rows) {
    if (row.artifacts.length !== row.exchanges.length) fail(11, `${row.id}: ${row.exchanges.length} exchanges but ${row.artifacts.length} artifacts`);
    row.exchanges.forEach((x, i) => {
      const path = row.artifacts[i];
      if (!path) return;
      const artifact = artifacts.get(path) as { response?: { status?: number | null; content_type?: string; body?: unknown } } | null | undefined;
      if (!artifact) return; // a missing artifact is reported by the logs-self-sufficient check
      const response = artifact.response ?? {};
      if (response.status !== x.status) fail(11, `${row.id}: ${path} shows status ${response.status}, run.jsonl ${x.status}`);
      if (response.content_type !== x.contentType) fail(11, `${row.id}: ${path} shows content type "${response.content_type}", run.jsonl "${x.contentType}"`);
      if (x.code && !JSON.stringify(response.body ?? null).includes(x.code)) fail(11, `${row.id}: code ${x.code} in run.jsonl does not appear in ${path}`);
    });
  }
}

function checkLog(events: readonly AuditEvent[], csv: readonly TableFigures[], facts: RunFacts, live: LiveEnvironment | undefined, fail: Fail): void {
  let last = '';
  events.forEach((e, i) => {
    if (typeof e.ts !== 'string' || !ISO_UTC.test(e.ts)) fail(14, `run.jsonl line ${i + 1}: ts "${e.ts}" is not ISO-8601 UTC with Z`);
    else if (e.ts < last) fail(14, `run.jsonl line ${i + 1}: ts ${e.ts} is earlier than the line before (${last})`);
    else last = e.ts;
    if ('request_body_hash' in e && !HASH.test(String(e.request_body_hash))) fail(14, `run.jsonl line ${i + 1}: request_body_hash "${e.request_body_hash}" is neither 64 hex characters nor ""`);
  });
  const stages = events.filter((e) => e.event === 'stage').map((e) => e.stage);
  if (!isDeepStrictEqual(stages, ['Stage1', 'Stage2', 'Stage3'])) fail(14, `stages appear as [${stages.join(', ')}], expected Stage1, Stage2, Stage3 once each`);
  if (events[0]?.stage !== 'Stage1') fail(14, 'run.jsonl does not start with Stage1');
  if (events.at(-1)?.event !== 'run_end') fail(14, 'run.jsonl does not end with run_end');
  const unversioned = csv.filter((r) => r.table !== 'meta_job_runs' && r.maxVer === '' && (r.after ?? 0) > 0);
  if (facts.measurement.measured && unversioned.length > 0) fail(14, `max_ver is empty for non-empty tables: ${unversioned.map((r) => r.table).join(', ')}`);
  if (live && facts.runtime.node !== undefined) {
    const recorded = { node: facts.runtime.node, vitest: facts.runtime.vitest, platform: facts.runtime.os?.platform };
    if (!isDeepStrictEqual(recorded, { ...live })) fail(14, `runtime.json records ${JSON.stringify(recorded)}, the run was ${JSON.stringify(live)}`);
  }
  if (!HASH.test(facts.specSource.sha256) || facts.specSource.sha256 === '') fail(19, `the spec's sha256 "${facts.specSource.sha256}" is not 64 hex characters`);
  const archive = facts.archive;
  if (archive.sha256 !== null && !/^[0-9a-f]{64}$/.test(archive.sha256)) fail(13, `archive SHA-256 "${archive.sha256}" is not 64 lowercase hex characters`);
}

/** started_at + duration = finished_at ≤ generated_at (invariant 15), from the log's own first and last events. */
function checkTiming(events: readonly AuditEvent[], facts: RunFacts, fail: Fail): void {
  const t = facts.timing;
  if (events.length === 0) return;
  if (t.startedAt !== events[0].ts || t.finishedAt !== events.at(-1)!.ts) fail(15, `timing ${t.startedAt} → ${t.finishedAt} is not the first/last event of run.jsonl (${events[0].ts} → ${events.at(-1)!.ts})`);
  const duration = (Date.parse(t.finishedAt) - Date.parse(t.startedAt)) / 1000;
  if (Math.abs(duration - t.durationSeconds) > 0.0005) fail(15, `duration ${t.durationSeconds} s ≠ finished − started (${duration} s)`);
  if (t.generatedAt < t.finishedAt) fail(15, `generated at ${t.generatedAt}, before the run finished (${t.finishedAt})`);
}

/** What the report claims in words: the mode, the PII notice, no mojibake (invariants 16, 18). */
function checkStatements(markdown: string, rows: SpecRow[], summary: Summary, derived: Derived, fail: Fail): void {
  const facts: RunFacts = summary;
  if (!markdown.includes(`- **Mode**: ${derived.mode}`)) fail(16, 'the Summary does not state the mode');
  if (facts.runtime.mode === 'mock') {
    const unmarked = rows.filter((r) => !markdown.split('\n').some((l) => l.startsWith(`| ${r.id} |`) && l.includes('[mock]')));
    if (unmarked.length > 0) fail(16, `mock run, but matrix rows ${unmarked.map((r) => r.id).join(', ')} do not say so`);
  }
  if (MOJIBAKE.test(markdown)) fail(16, `audit.md contains mojibake near "${markdown.match(MOJIBAKE)![0]}"`);
  if (!markdown.includes('`stg_qtickets_api_clients_raw` holds PII by design')) fail(18, 'audit.md does not state that clients_raw holds PII');
  // The checklist as written, not as recomputed: a ticked box must be true.
  const executedAll = summary.checklist.find((c) => c.key === 'all-executed');
  if (executedAll?.ok && rows.some((r) => r.result === 'skipped')) fail(17, '"all spec IDs executed" is checked although some were not');
  const leaks = summary.checklist.find((c) => c.key === 'no-leaks');
  if (leaks?.ok && facts.leakScan.findings.length > 0) fail(18, '"no leaks" is checked although the scan found some');
  checkChangeLog(rows, facts, fail);
  checkBaseline(facts, derived, fail);
}

/** Known and new findings against the baseline are exactly this run's findings (invariant 19). */
function checkBaseline(facts: RunFacts, derived: Derived, fail: Fail): void {
  if (!facts.baseline) return;
  const keys = (findings: Finding[]) => findings.map((f) => `${f.kind} ${f.spec} ${f.what}`).sort();
  const all = [...facts.baseline.known, ...facts.baseline.new];
  const listed = keys(all.filter((f) => f.kind !== 'slower'));
  const found = keys(findingsOf(facts.runId, derived.specs, facts.driftSeen ?? []));
  if (!isDeepStrictEqual(listed, found)) fail(19, `the baseline's known and new findings are not this run's findings: ${brief(listed)} vs ${brief(found)}`);
  // A slower endpoint is one this run called, with the p95 the Latency section shows.
  const measured = new Map(derived.latency.map((e) => [endpointName(e), e.p95Ms]));
  for (const f of all.filter((f) => f.kind === 'slower')) {
    if (!f.latency || measured.get(endpointName(f.latency)) !== f.latency.p95Ms) fail(19, `the slower endpoint "${f.spec} ${f.what}" is not an endpoint with that p95 in this run's latency`);
  }
}

/** The change log compares only with a verified run, and its drift ledger holds exactly this run's drift paths (invariant 19). */
function checkChangeLog(rows: SpecRow[], facts: RunFacts, fail: Fail): void {
  const t = facts.trend;
  if (t && !t.previousVerified && Object.values(changesOf(t)).some((list) => list.length > 0)) fail(19, 'a comparison with an unverified previous run is shown');
  // A report written before the ledger existed has none to check.
  if (facts.driftSeen === undefined) return;
  const paths = (items: { id: string; path: string }[]) => items.map((d) => `${d.id} ${d.path}`).sort();
  const ledger = paths(facts.driftSeen);
  if (!isDeepStrictEqual(ledger, paths(rows.flatMap((r) => r.drift.map((d) => ({ id: r.id, path: d.path })))))) fail(19, `driftSeen does not list exactly the drift paths of run.jsonl: ${brief(ledger)}`);
  const later = facts.driftSeen.filter((d) => d.firstSeen > facts.runId);
  if (later.length > 0) fail(19, `drift paths first seen after this run: ${brief(later)}`);
}

const changesOf = ({ previousRunId: _id, previousVerified: _verified, previousProblems: _problems, ...changes }: NonNullable<RunFacts['trend']>): Record<string, unknown[]> => changes;
