import { catalogue, type SpecEntry } from '../../support/catalogue/index.ts';
import { issueText, type Denial, type ExchangeRecord } from '../../support/core/outcome.ts';
import type { CaseInput, ResultClass, RowSkipKind, SpecRow } from './types.ts';

/** The spec ID of a spec test named `<id> <title>`. */
export const specIdOf = (testName: string): string => testName.split(' ')[0];

/** Why a spec has no result of its own. */
function notExecuted(interrupted: string | null): Classified {
  return { result: 'skipped', reason: interrupted ? `not executed (run interrupted: ${interrupted})` : 'not executed (not collected in this run)', skip: 'not-executed' };
}

interface Classified {
  result: ResultClass;
  reason: string;
  skip: RowSkipKind | null;
}

/**
 * Reconciles vitest's state with the runner's outcome. vitest decides failed/skipped; a test vitest calls
 * passed must carry an outcome that says passed or denied, else the row is a failure (never a pass).
 */
export function classify(c: CaseInput | undefined, interrupted: string | null): Classified {
  if (!c || c.state === 'pending') return notExecuted(interrupted ?? (c ? 'test did not finish' : null));
  const outcome = c.evidence;
  if (c.state === 'failed') {
    return { result: 'failed', reason: oneLine(c.errors[0] ?? outcome?.error ?? 'failed without an error message'), skip: null };
  }
  // vitest marks the tests of a cancelled run skipped with its abort note (a test filtered out by -t has none):
  // without an outcome the test never started; with one it was stopped while running.
  if (c.state === 'skipped' && interrupted && c.note && !outcome?.skip) {
    return outcome ? { result: 'skipped', reason: `stopped while running (${interrupted})`, skip: 'stopped' } : notExecuted(interrupted);
  }
  if (c.state === 'skipped') {
    if (outcome?.skip) return { result: 'skipped', reason: outcome.skip.detail, skip: outcome.skip.kind };
    if (c.note !== undefined) return { result: 'skipped', reason: c.note, skip: 'other' };
    const selected = c.mode !== 'skip' && c.mode !== 'todo';
    return { result: 'skipped', reason: selected ? 'skipped without a reason' : 'not selected', skip: selected ? 'other' : 'not-selected' };
  }
  if (!outcome) return { result: 'failed', reason: 'no evidence: the test did not record task.meta.audit', skip: null };
  if (outcome.result === 'passed') return { result: 'passed', reason: '', skip: null };
  if (outcome.result === 'denied') {
    const why = outcome.denial ? ` (${denialNote(outcome.denial)})` : '';
    return { result: 'denied', reason: `denied as expected${why}`, skip: null };
  }
  return { result: 'failed', reason: `vitest reports passed, but the harness recorded "${outcome.result}"`, skip: null };
}

/** Why a write was sent only as a denied probe, as the notes and the matrix say it. */
const denialNote = (denial: Denial): string => `write not sent with real credentials: ${denial.reasons.join('; ')}`;

/** A failure message as one line for the matrix (the Errors section keeps it whole). */
function oneLine(text: string): string {
  const line = text.replace(/\s*\n\s*/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** One matrix row from the catalogue entry and what vitest reported (nothing, when the test never ran). */
export function buildRow(spec: SpecEntry, c: CaseInput | undefined, interrupted: string | null): SpecRow {
  const { result, reason, skip } = classify(c, interrupted);
  const e = c?.evidence;
  const startedAt = e?.startedAt ?? null;
  const finishedAt = e?.finishedAt ?? null;
  const evidenceDuration = startedAt && finishedAt ? Date.parse(finishedAt) - Date.parse(startedAt) : null;
  return {
    id: spec.id,
    title: spec.title,
    specRef: spec.specRef,
    kind: spec.kind,
    api: spec.api,
    expected: spec.expected.text,
    result,
    reason,
    skip,
    endpoint: e?.endpoint ?? '',
    requestBodyHash: e?.requestBodyHash ?? '',
    exchanges: e?.exchanges ?? [],
    records: e?.records ?? [],
    clickhouse: e?.clickhouse ? { before: e.clickhouse.before, after: e.clickhouse.after, runRows: e.clickhouse.runRows, loaded: e.clickhouse.loaded } : null,
    deviations: e?.deviations ?? [],
    drift: e?.contract?.drift ?? [],
    contract: e?.contract ? { name: e.contract.name, ok: e.contract.ok, issues: e.contract.issues.map(issueText) } : null,
    discovered: e?.discovered ?? {},
    notes: e?.denial ? [denialNote(e.denial), ...e.notes] : (e?.notes ?? []),
    artifacts: e?.artifacts ?? [],
    startedAt,
    finishedAt,
    durationMs: c?.durationMs ?? evidenceDuration,
    error: c?.state === 'failed' ? (c.errors.join('\n\n') || e?.error || null) : (e?.error ?? null),
  };
}

/** The exchanges that carry the spec's answer: the spec requests, or the denied probe of a write. */
export function mainExchanges(row: SpecRow): ExchangeRecord[] {
  const spec = row.exchanges.filter((x) => x.role === 'spec');
  return spec.length > 0 ? spec : row.exchanges.filter((x) => x.role === 'denied-probe');
}

/** "404 text/html", "200 application/json status:error WRONG_AUTHORIZATION", "no answer (ECONNRESET)". */
export function describeExchange(x: ExchangeRecord): string {
  if (x.kind === 'refused') return `not sent: the client refused it (${x.error})`;
  if (x.status === null) return `no answer (${x.error ?? x.kind})`;
  const type = x.contentType.split(';')[0] || 'no content type';
  const code = x.kind === 'partners-error' ? ` status:"error" ${x.code ?? ''}`.trimEnd() : x.code ? ` ${x.code}` : '';
  return `${x.status} ${type}${code}`;
}

/** An answer that is an error: HTTP ≥ 400, a Partners status:"error", no answer, or not the promised JSON (HTML, malformed). */
export function isErrorExchange(x: ExchangeRecord): boolean {
  return x.status === null || x.status >= 400 || ['partners-error', 'network', 'malformed', 'html'].includes(x.kind);
}

/** An answer that can carry data to load: a JSON success. */
export const isSuccessExchange = (x: ExchangeRecord): boolean => x.kind === 'ok' && x.status !== null && x.status < 400;

/** The matrix order: catalogue order (run.jsonl is chronological); an ID outside the catalogue goes last. */
export function inCatalogueOrder(rows: readonly SpecRow[]): SpecRow[] {
  const index = (id: string) => {
    const i = catalogue.findIndex((s) => s.id === id);
    return i === -1 ? catalogue.length : i;
  };
  return [...rows].sort((a, b) => index(a.id) - index(b.id));
}
