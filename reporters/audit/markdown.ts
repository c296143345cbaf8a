import { LATENCY_METHOD, SLOWER_RULE } from '../../support/latency.ts';
import { renderKeyNumber } from './figures.ts';
import { GATE_RULE, type Finding } from './baseline.ts';
import type { AnswerShape, LatencyChange } from './changelog.ts';
import { RUN_ROWS_METHOD, STATUS_RULE, resultCell, type Derived, type RunFacts } from './model.ts';
import { mainExchanges } from './rows.ts';
import type { SpecRow } from './types.ts';

/**
 * audit.md (format §2), rendered only from the rows, the facts and the derived figures. verify-report renders
 * it again from run.jsonl + summary.json and compares, so no line of it can be edited by hand unnoticed.
 */

/** The archive copy cannot hold its own hash: these are the only lines that differ between the two copies. */
const ARCHIVE_LINE_PREFIXES = ['**SHA256**:', '- [x] Archive has a verified SHA-256', '- [ ] Archive has a verified SHA-256'];

/** Markdown this renderer wrote itself (a code span): a table cell takes it as it is, with its pipes escaped. */
class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ');

/**
 * A value (API text included) as one table cell or list item: it cannot end the line or the cell, and its
 * HTML and backticks are shown as text, never interpreted.
 */
const cell = (value: unknown): string => {
  const text = value instanceof Markup ? value.text : oneLine(String(value ?? '')).replace(/[<>`]/g, (c) => HTML_TEXT[c]);
  return text.replace(/\|/g, '\\|').trim() || '—';
};
const HTML_TEXT: Record<string, string> = { '<': '&lt;', '>': '&gt;', '`': '\\`' };
/**
 * A code span: its content is shown literally, so only backticks and line breaks are replaced. Text with
 * angle brackets (only hostile API text has them) is written escaped instead, so no `<` reaches the file raw.
 */
const code = (text: string): Markup => {
  if (/[<>]/.test(text)) return new Markup(cell(text));
  return new Markup(text ? `\`${oneLine(text).replace(/`/g, "'")}\`` : '—');
};
/** A fenced block no line of `text` can close: the fence is longer than any run of backticks in it. */
const fenced = (text: string): string[] => {
  const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return [`${fence}text`, text.replace(/\r\n?/g, '\n'), fence];
};
const table = (header: string[], lines: unknown[][]): string =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...lines.map((l) => `| ${l.map(cell).join(' | ')} |`)].join('\n');

export function renderMarkdown(rows: readonly SpecRow[], facts: RunFacts, d: Derived): string {
  const mock = facts.runtime.mode === 'mock';
  const parts: string[] = [`# QTickets API Audit ${facts.runId}`, ''];
  if (d.incomplete) {
    const missing = rows.filter((r) => r.skip === 'not-executed').length;
    parts.push(`> **INCOMPLETE**: the run was interrupted (${facts.interruption}). ${missing} of ${rows.length} specs did not execute and are listed as not executed; every figure covers only what ran.`, '');
  }
  if (mock) parts.push('> **MOCK RUN**: every answer in this report comes from the local mock API, not from QTickets.', '');
  parts.push(summary(facts, d), methodology(facts), matrix(rows, facts, d, mock), metrics(d), errors(facts, d), latency(facts, d), deviations(rows), drift(rows), discovered(rows), clickhouse(facts, d), trend(facts) + againstBaseline(facts, d), conclusions(d, facts), footer(facts));
  return parts.join('\n') + '\n';
}

function summary(facts: RunFacts, d: Derived): string {
  const t = d.totals;
  const st = facts.selfTests;
  return [
    '## 1. Summary',
    '',
    `- **Overall status**: ${d.status}${d.issues.length ? ` (${d.issues.join('; ')})` : ''}`,
    `- **Totals**: ${t.total} specs — passed ${t.passed}, failed ${t.failed}, skipped ${t.skipped}, denied as expected ${t.denied} (total = passed + failed + skipped + denied = matrix rows)`,
    st.ran ? `- **Self-tests**: ${st.passed} passed, ${st.failed} failed${st.skipped ? `, ${st.skipped} skipped` : ''} (not matrix rows)` : '- **Self-tests**: not run (this run was the audit alone)',
    `- **Mode**: ${d.mode}`,
    `- **Repository commit**: ${facts.runtime.gitCommit ?? 'unknown (runtime.json missing)'}`,
    `- **Run started (UTC)**: ${facts.timing.startedAt}`,
    `- **Status rule**: ${STATUS_RULE}`,
    '',
    '### Key Numbers',
    '',
    ...d.keyNumbers.map(renderKeyNumber),
    '',
  ].join('\n');
}

function methodology(facts: RunFacts): string {
  const r = facts.runtime;
  const ch = r.clickhouse;
  const fp = r.tokenFingerprints;
  const os = r.os;
  return [
    '## 2. Methodology',
    '',
    '### References',
    '',
    `- Test-request spec: ${code(facts.specSource.file)} (sha256 ${code(facts.specSource.sha256)})`,
    ...facts.references.map((ref) => `- ${ref.name}: ${ref.sha256 ? `sha256 ${code(ref.sha256)}` : 'not found'}`),
    '',
    '### Environment',
    '',
    ...(facts.runtimeProblem ? [`- **runtime.json**: ${facts.runtimeProblem}`] : []),
    `- OS: ${os ? `${os.platform} ${os.release}, ${os.cpu} (${os.cores} cores), ${os.ramGb} GB RAM` : 'unknown'}`,
    `- Node ${r.node ?? 'unknown'}, vitest ${r.vitest ?? 'unknown'}`,
    `- API hosts: REST ${code(r.restBaseUrl ?? 'unknown')}, Partners ${code(r.partnersBaseUrl ?? 'unknown')}`,
    `- Token fingerprints (first 8 hex of SHA-256, never the token): REST ${code(fp?.rest ?? 'none')}, Partners ${code(fp?.partners ?? 'none')}`,
    `- Writes allowed: ${r.allowWrites === undefined ? 'unknown' : r.allowWrites ? 'yes' : 'no'}; all pages: ${r.allPages ? 'yes' : 'no'}`,
    `- ClickHouse: ${ch ? `${ch.version} (${ch.mode}), database ${code(ch.database)} at ${code(ch.url)}` : 'unknown'}`,
    `- Counting method: ${ch?.countingMethod ?? 'FINAL'} (\`count() … FINAL\` for unique rows; plain \`count()\` for Before/After); rows a run wrote: ${RUN_ROWS_METHOD}`,
    '- Result classes: passed; failed; skipped (with the reason; "not selected" when filtered out); denied as expected (a write sent only as a probe with an invalid credential and refused — never counted as passed).',
    `- Masking: ${facts.maskingRule}`,
    `- Archive and its hash: this report, run.jsonl, the CSV, summary.json and the artifacts run.jsonl refers to are zipped into ${facts.archive.name}. A file cannot hold the hash of the zip that holds it, so the copy inside the zip says "SHA256: see DONE.txt"; the hash is in DONE.txt, in ${facts.archive.name}.sha256 (sha256sum format) and in the copies of audit.md and summary.json beside the zip. \`npm run verify-report\` checks them all against a fresh SHA-256.`,
    '',
  ].join('\n');
}

function chDelta(row: SpecRow): string {
  if (!row.clickhouse) return row.result === 'skipped' ? '—' : 'not measured';
  const changed = Object.entries(row.clickhouse.runRows).filter(([, n]) => n > 0);
  return changed.length === 0 ? 'No change' : changed.map(([t, n]) => `+${n} ${t}`).join(', ');
}

/** The spec request as sent; else what was sent instead (a probe, lookups), never "nothing" when something went out. */
function endpointCell(row: SpecRow): Markup {
  return new Markup(endpointText(row));
}

function endpointText(row: SpecRow): string {
  if (row.endpoint) return code(row.endpoint).text;
  const main = mainExchanges(row);
  if (main.length > 0) return `${code(main.map((x) => `${x.method} ${x.path}`).join('; '))} (probe only)`;
  return row.exchanges.length > 0 ? `— (spec request not sent; ${row.exchanges.length} other request(s))` : '— (nothing sent)';
}

const seconds = (ms: number | null): string => (ms === null ? '—' : `${(ms / 1000).toFixed(2)} s`);

function matrix(rows: readonly SpecRow[], facts: RunFacts, d: Derived, mock: boolean): string {
  const lines = rows.map((r) => [r.id, endpointCell(r), r.specRef, r.expected, resultCell(r, mock), chDelta(r), seconds(r.durationMs), r.artifacts.length]);
  const measured = d.tables.filter((t) => t.delta !== null);
  const totalDelta = measured.reduce((n, t) => n + (t.delta ?? 0), 0);
  const wrote = d.tables.reduce((n, t) => n + t.runRows, 0);
  return [
    '## 3. Test Matrix',
    '',
    table(['Test ID', 'Endpoint actually called', 'Spec Ref', 'Expected', 'Result', 'CH Delta', 'Duration', 'Artifacts'], lines),
    '',
    `CH Delta per test = rows carrying that test's \`_ver\` (FINAL). Whole run, measured: ${facts.measurement.measured ? `after − before = ${signed(totalDelta)} rows over ${measured.length} tables` : `after-counts not measured (${facts.measurement.reason})`}; rows the tests wrote: ${wrote}${facts.measurement.jobRun.recorded ? ", plus this run's meta_job_runs row" : ''}.`,
    '',
  ].join('\n');
}

const signed = (n: number): string => (n >= 0 ? `+${n}` : String(n));

function metrics(d: Derived): string {
  const out = ['## 4. Metrics', '', 'Records fetched and pages are summed over the specs that fetched them (a record two specs fetched counts twice); paging.total is shown as each spec saw it, never added up; rows written are measured per test.', ''];
  for (const m of d.metrics) {
    out.push(`### ${m.group}`, '');
    out.push(`- Records fetched: ${m.recordsFetched}${m.entities.length > 1 ? ` (${m.entities.map((e) => `${e.entity} ${e.fetched}`).join(', ')})` : ''}`);
    out.push(`- Pages fetched: ${m.pages}`);
    out.push(`- paging.total (as each spec saw it): ${m.pagingTotals.length ? m.pagingTotals.map((p) => `${p.spec} ${p.entity} ${p.total}`).join('; ') : 'not reported'}`);
    const written = Object.entries(m.rowsWritten);
    out.push(`- Rows written: ${written.length ? written.map(([t, n]) => `${t} +${n}`).join(', ') : 'no verified table'}`);
    out.push(`- Specs: ${m.specs.join(', ') || 'none'}`, '');
  }
  if (d.metrics.every((m) => m.specs.length === 0)) out.push('No spec fetched records in this run.', '');
  return out.join('\n');
}

function errors(facts: RunFacts, d: Derived): string {
  const out = ['## 5. Errors & Retries', '', `### Error answers (${d.errors.length})`, ''];
  out.push(
    d.errors.length === 0
      ? 'None: no answer had HTTP ≥ 400, a Partners status:"error", an HTML or malformed body, or no answer.'
      : table(['Test', 'Role', 'Request', 'Answer', 'Classification'], d.errors.map((e) => [e.testId, e.role, code(e.request), e.answer, e.classification])),
    '',
    `### Test failures (${d.failures.length})`,
    '',
  );
  if (d.failures.length === 0) out.push('None.', '');
  for (const f of d.failures) out.push(`- **${f.id}**:`, '', ...fenced(f.message.trim()), '');
  out.push(`### Self-test failures (${facts.selfTests.failures.length})`, '');
  out.push(!facts.selfTests.ran ? 'Not run.' : facts.selfTests.failures.length === 0 ? 'None.' : facts.selfTests.failures.map((f) => `- ${cell(f.name)}: ${cell(f.message)}`).join('\n'), '');
  out.push(`### Run errors (${facts.runErrors.length + facts.unknownTests.length})`, '');
  const runErrors = [...facts.runErrors.map((e) => `- ${e.source}: ${cell(e.message)}`), ...facts.unknownTests.map((t) => `- not a spec ID: test "${cell(t)}" (rejected; not a matrix row)`)];
  out.push(runErrors.length === 0 ? 'None.' : runErrors.join('\n'), '');
  out.push(`### Retries (${d.retries.length})`, '');
  out.push(d.retries.length === 0 ? 'None.' : table(['Test', 'Request', 'Attempt', 'Wait', 'Cause'], d.retries.map((r) => [r.testId, code(r.request), r.attempt, `${r.waitMs} ms`, r.cause])), '');
  const expected = d.errors.filter((e) => e.classification === 'expected').length;
  out.push(`Classification: expected = the spec's accepted answer (the test passed or was denied as expected); unexpected = the answer of a failed test; literal probe = the spec's literal request, sent read-only for comparison; lookup = an id lookup. ${expected} of ${d.errors.length} error answers were expected.`, '');
  return out.join('\n');
}

function latency(facts: RunFacts, d: Derived): string {
  const api = { rest: 'REST', partners: 'Partners' };
  const ms = (n: number) => `${n} ms`;
  const lines = d.latency.map((e) => [api[e.api], code(`${e.method} ${e.path}`), e.requests, ms(e.p50Ms), ms(e.p95Ms), ms(e.maxMs), e.retries, e.status429]);
  const deep = facts.runtime.allPages
    ? ['Deep mode: the pages a walk fetched after the first are not exchanges of the run and are not counted here; each walk\'s requests, retries and time are in its spec\'s notes (run.jsonl).', '']
    : [];
  return [
    '## 6. Latency',
    '',
    lines.length === 0 ? 'No request was sent.' : table(['API', 'Endpoint', 'Requests', 'p50', 'p95', 'Max', 'Retries', '429s'], lines),
    '',
    LATENCY_METHOD,
    '',
    ...deep,
  ].join('\n');
}

function deviations(rows: readonly SpecRow[]): string {
  const lines = rows.flatMap((r) => r.deviations.map((dv) => [r.id, code(dv.literal), code(dv.sent), dv.literalAnswer, dv.note]));
  return ['## 7. Spec Deviations', '', lines.length === 0 ? 'None recorded.' : table(['Test', 'Spec literal', 'Sent', 'Literal answer', 'Note'], lines), ''].join('\n');
}

function drift(rows: readonly SpecRow[]): string {
  const lines = rows.flatMap((r) => r.drift.map((x) => [r.id, r.contract?.name ?? '—', code(x.path), x.count, x.example]));
  return ['## 8. Contract Drift', '', lines.length === 0 ? 'None: no answer carried fields unknown to its contract.' : table(['Test', 'Contract', 'Unknown field', 'Count', 'Example'], lines), ''].join('\n');
}

function discovered(rows: readonly SpecRow[]): string {
  const lines = rows.flatMap((r) => Object.entries(r.discovered).map(([key, value]) => [r.id, key, value]));
  return ['## 9. Discovered Ids', '', lines.length === 0 ? 'None.' : table(['Test', 'Id', 'Value (source)'], lines), ''].join('\n');
}

function clickhouse(facts: RunFacts, d: Derived): string {
  const m = facts.measurement;
  const n = (v: number | null) => (v === null ? 'not measured' : String(v));
  const out = ['## 10. ClickHouse Verification', ''];
  if (!m.measured) out.push(`**After-counts could not be measured**: ${m.reason}. No after, delta or unique figure is shown; none was estimated.`, '');
  if (facts.beforeProblem) out.push(`**Before-counts**: ${facts.beforeProblem}.`, '');
  out.push(
    table(
      ['Table', 'Before', 'After', 'Delta', 'Rows this run wrote', 'Unique after FINAL'],
      d.tables.map((t) => [t.table, n(t.before), n(t.after), t.delta === null ? 'not measured' : signed(t.delta), t.runRows, n(t.uniqueAfter)]),
    ),
    '',
    `Before = \`count()\` from the pre-run snapshot (clickhouse-before.json); After = \`count()\` at the end; Delta = After − Before, measured; Rows this run wrote = ${RUN_ROWS_METHOD}; Unique after = \`count() FINAL\`.`,
    '',
    `- meta_job_runs: this run's loader record ${m.jobRun.recorded ? 'was written before the after-snapshot (expected delta +1)' : `was not written${m.jobRun.error ? ` (${m.jobRun.error})` : ''}`}.`,
  );
  if (m.measured) {
    out.push(
      'error' in m.facts
        ? `- Facts follow staging: not checked (${m.facts.error}).`
        : `- Facts follow staging: ${m.facts.datesCompared} sale date(s) compared (daily fact tickets vs deduplicated staging orders); ${m.facts.mismatches.length === 0 ? 'all equal' : `mismatches: ${m.facts.mismatches.map((x) => `${x.date} staging ${x.staging} fact ${x.fact}`).join('; ')}`}.`,
    );
  }
  out.push('- Personal data in ClickHouse: `stg_qtickets_api_clients_raw` holds PII by design (email, phone, names), and the orders `payload_json` holds client data unless stripped. The report and artifacts show it masked only.', '');
  return out.join('\n');
}

function trend(facts: RunFacts): string {
  const t = facts.trend;
  const out = ['## 11. Change Log Since the Previous Run', ''];
  if (!t) return [...out, 'No earlier run of this env in this reports folder.', ''].join('\n');
  if (!t.previousVerified) {
    return [...out, `The previous run ${t.previousRunId} does not pass verification (${t.previousProblems.length} problem(s): ${cell(t.previousProblems.slice(0, 3).join('; '))}); it is not compared.`, ''].join('\n');
  }
  // Each item escapes its own parts (API text as cells, paths as code spans).
  const list = <T>(items: T[], text: (item: T) => string) => items.map(text).join('; ') || 'none';
  const answer = (a: AnswerShape) => cell(`${a.status ?? 'no answer'} ${a.contentType}${a.code ? ` ${a.code}` : ''}`);
  out.push(`Compared with ${t.previousRunId} (verified), as data: summary.json "trend".`, '');
  out.push(`- New failures: ${t.newFailures.join(', ') || 'none'}`);
  out.push(`- Fixed: ${t.fixed.join(', ') || 'none'}`);
  out.push(`- Other result changes: ${t.resultChanges.filter((c) => !t.newFailures.includes(c.id) && !t.fixed.includes(c.id)).map((c) => `${c.id} ${c.from} → ${c.to}`).join(', ') || 'none'}`);
  out.push(`- Answers changed (status, content type, error code): ${list(t.answers, (a) => `${a.id} ${code(a.endpoint)} ${answer(a.from)} → ${answer(a.to)}`)}`);
  out.push(`- Fields appeared (drift): ${list(t.fieldsAppeared, (d) => `${d.id} ${cell(d.contract)} ${code(d.path)} in ${d.count} record(s), e.g. ${cell(d.example)} (first seen ${d.firstSeen})`)}`);
  out.push(`- Fields gone (drift no longer seen): ${list(t.fieldsGone, (d) => `${d.id} ${cell(d.contract)} ${code(d.path)} (first seen ${d.firstSeen})`)}`);
  out.push(`- Contract failures new: ${list(t.contractFailuresNew, (f) => `${f.id} ${cell(f.contract)}: ${cell(f.issue)}`)}`);
  out.push(`- Contract failures fixed: ${list(t.contractFailuresFixed, (f) => `${f.id} ${cell(f.contract)}: ${cell(f.issue)}`)}`);
  out.push(`- Deviations new: ${list(t.deviationsNew, (d) => `${d.id} ${code(d.literal)} → ${code(d.sent)}`)}`);
  out.push(`- Deviations gone: ${list(t.deviationsGone, (d) => `${d.id} ${code(d.literal)} → ${code(d.sent)}`)}`);
  const changed = t.tableChanges.filter((c) => c.previousAfter !== c.after);
  out.push(`- Table counts (after): ${changed.length ? changed.map((c) => `${c.table} ${c.previousAfter ?? 'not measured'} → ${c.after ?? 'not measured'}`).join(', ') : 'unchanged'}`);
  const figures = (f: { p50Ms: number; p95Ms: number } | null) => (f ? `${f.p50Ms}/${f.p95Ms} ms` : 'not called');
  const endpoint = (l: LatencyChange) => `${l.api === 'rest' ? 'REST' : 'Partners'} ${code(`${l.method} ${l.path}`)}`;
  out.push(`- Slower endpoints (${SLOWER_RULE}): ${list(t.latency.filter((l) => l.slower), (l) => `${endpoint(l)} p95 ${l.then!.p95Ms} → ${l.now!.p95Ms} ms`)}`);
  out.push(`- Latency p50/p95 per endpoint, then → now: ${list(t.latency, (l) => `${endpoint(l)} ${figures(l.then)} → ${figures(l.now)}`)}`, '');
  return out.join('\n');
}

/** Known and new findings against `--baseline`, and the exit decision of `--fail-on`. */
function againstBaseline(facts: RunFacts, d: Derived): string {
  const b = facts.baseline;
  if (!b) return '';
  const list = (findings: Finding[]) => findings.map((f) => `  - ${f.spec} ${f.kind}: ${f.kind === 'drift' ? code(f.what) : cell(f.what)} (${f.runId})`);
  const out = ['', '### Against the Baseline', '', `Baseline ${cell(b.file)}, written from run ${b.fromRunId} (env ${cell(b.env)}); findings are drift paths, deviations and failed specs (by their answer).`, ''];
  out.push(`- New: ${b.new.length}`, ...list(b.new), `- Known: ${b.known.length}`, ...list(b.known));
  out.push(d.gate ? `- --fail-on ${d.gate.failOn}: ${d.gate.fail ? `FAIL (${cell(d.gate.reasons.join('; '))})` : 'pass'}. Rule: ${GATE_RULE}` : '- No --fail-on: the baseline labels findings; the exit code is as without it.', '');
  return out.join('\n');
}

function conclusions(d: Derived, facts: RunFacts): string {
  return [
    '## 12. Conclusions & Recommendations',
    '',
    '### Readiness Assessment',
    '',
    `**${d.readiness.verdict}**`,
    '',
    `Rule: ${d.readiness.rule}`,
    '',
    '### Technical Compliance Checklist',
    '',
    ...d.checklist.map((c) => `- [${c.ok ? 'x' : ' '}] ${c.text} — ${cell(c.evidence)}`),
    '',
    '### Recommendations',
    '',
    ...d.recommendations.map((r, i) => `${i + 1}. ${cell(r)}`),
    '',
    ...(facts.violations.length > 0 ? ['### Invariant Violations', '', ...facts.violations.map((v) => `- #${v.invariant}: ${cell(v.message)}`), ''] : []),
  ].join('\n');
}

function footer(facts: RunFacts): string {
  const t = facts.timing;
  return [
    '---',
    '',
    `**Report generated**: ${t.generatedAt}`,
    '',
    `**Audit duration**: ${t.durationSeconds.toFixed(3)} s (first to last event of run.jsonl: ${t.startedAt} → ${t.finishedAt})`,
    '',
    `**Archive**: ${facts.archive.name}`,
    '',
    `**SHA256**: ${facts.archive.sha256 ?? 'see DONE.txt'}`,
  ].join('\n');
}

/** The archive copy and the standalone copy, with the archive-dependent lines blanked, must be identical. */
export function withoutArchiveLines(markdown: string): string {
  return markdown
    .split('\n')
    .filter((line) => !ARCHIVE_LINE_PREFIXES.some((prefix) => line.startsWith(prefix)))
    .join('\n');
}
