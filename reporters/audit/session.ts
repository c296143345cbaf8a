import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { catalogue, specSource } from '../../support/catalogue/index.ts';
import type { RunBaseline } from '../../support/config/baseline.ts';
import { MASKING_RULE } from '../../support/masking.ts';
import { redactValue } from '../../support/secrets.ts';
import { REFERENCE_DOCS, repoRoot } from '../../support/paths.ts';
import { VERIFIED_TABLES } from '../../support/clickhouse/tables.ts';
import { archiveName, listArtifactFiles, sha256File, verifyArchive, writeArchive, writeReceipts } from './archive.ts';
import { writeOpenApiFile } from './openapi-file.ts';
import { renderCsv, tableFigures, type MeasureClickHouse } from './clickhouse.ts';
import { EventLog, rowEvents, tailEvents } from './events.ts';
import { sumRunRows } from './figures.ts';
import { checkInvariants, type LiveEnvironment } from './invariants.ts';
import { personalValuesSeen, scanForLeaks } from './leaks.ts';
import { renderMarkdown } from './markdown.ts';
import { latencyByEndpoint } from '../../support/latency.ts';
import { checkAgainstBaseline, findingsOf, slowerThanBaseline } from './baseline.ts';
import { driftLedger } from './changelog.ts';
import { derive, SUMMARY_FORMAT, specSummary, type Derived, type RunFacts, type Summary } from './model.ts';
import { buildRow, specIdOf } from './rows.ts';
import { compareWithPrevious } from './trend.ts';
import type { CaseInput, CountSnapshot, EndMeasurement, RuntimeInfo, SelfTests, SpecRow, Violation } from './types.ts';
import { verifyRunDir } from './verify.ts';

export interface SessionOptions {
  runDir: string;
  /** The vitest project whose tests are the spec IDs; every other project's tests are self-tests. */
  specProject: string;
  /** Whether the run includes self-test files (another project than the spec project). */
  selfTestsInRun: boolean;
  measure: MeasureClickHouse;
  /** The run's secrets, redacted from every case before it is logged (global setup publishes them, the mock's tokens included). */
  secrets: () => string[];
  live?: LiveEnvironment;
  /** `--baseline`: the known findings this run's are checked against. */
  baseline?: RunBaseline | null;
  print: (text: string) => void;
}

export interface SessionResult {
  summary: Summary;
  /** Problems of the final self-check (verify-report on the written folder); empty when it verifies. */
  problems: string[];
}

/**
 * One audit run: the log grows as each test finishes (an interrupted run keeps what ran), and `finish` /
 * `finishNow` write every output once. Everything after the ClickHouse measurement is synchronous, so the
 * same code also runs from a process `exit` hook.
 */
export class AuditSession {
  private log: EventLog | null = null;
  private runtime: RuntimeInfo = {};
  private runtimeProblem: string | null = null;
  private before: CountSnapshot | null = null;
  private beforeProblem: string | null = null;
  private readonly rows = new Map<string, SpecRow>();
  private readonly recorded = new Set<string>();
  private readonly unknownTests: string[] = [];
  private readonly selfTests: SelfTests;
  private state: 'collecting' | 'finishing' | 'done' = 'collecting';

  constructor(private readonly options: SessionOptions) {
    this.selfTests = { ran: options.selfTestsInRun, passed: 0, failed: 0, skipped: 0, failures: [] };
  }

  get runId(): string {
    return basename(this.options.runDir);
  }

  get finished(): boolean {
    return this.state === 'done';
  }

  /** A test case finished (`key` is vitest's id, so a case reported twice is recorded once); `interruption`: the run is being stopped. */
  recordCase(input: CaseInput & { key: string }, interruption: string | null = null): void {
    if (this.recorded.has(input.key) || input.state === 'pending' || this.state === 'done') return;
    // An answer may echo a credential into an error or the evidence: it is redacted before anything is written.
    const c = redactValue(input, this.options.secrets());
    this.recorded.add(c.key);
    if (c.project !== this.options.specProject) {
      this.countSelfTest(c);
      return;
    }
    const spec = catalogue.find((s) => s.id === specIdOf(c.name));
    if (!spec) {
      this.unknownTests.push(c.name);
      return;
    }
    this.logRow(buildRow(spec, c, interruption));
  }

  private countSelfTest(c: CaseInput): void {
    if (c.state === 'passed') this.selfTests.passed++;
    else if (c.state === 'skipped') this.selfTests.skipped++;
    else {
      this.selfTests.failed++;
      this.selfTests.failures.push({ name: c.name, message: (c.errors[0] ?? '').split('\n')[0] });
    }
  }

  private logRow(row: SpecRow): void {
    this.start().append(rowEvents(row));
    this.rows.set(row.id, row);
  }

  /** Stage 1 (environment, DoR) is logged before the first test, at the time global setup recorded it. */
  private start(): EventLog {
    if (this.log) return this.log;
    mkdirSync(this.options.runDir, { recursive: true });
    this.log = new EventLog(join(this.options.runDir, 'run.jsonl'));
    this.readRunFiles();
    const r = this.runtime;
    const at = r.startedAt ?? new Date().toISOString();
    const secrets = this.options.secrets();
    const runtimeText = existsSync(this.path('runtime.json')) ? readFileSync(this.path('runtime.json'), 'utf8') : '';
    const dor = [
      { item: 'runtime.json written by global setup', ok: this.runtimeProblem === null, evidence: this.runtimeProblem ?? 'present' },
      { item: 'clickhouse-before.json written before any test', ok: this.beforeProblem === null, evidence: this.beforeProblem ?? 'present' },
      { item: 'spec file hashed', ok: true, evidence: `${specSource.file} sha256 ${specSource.sha256}` },
      { item: 'catalogue complete', ok: catalogue.length === 51, evidence: `${catalogue.length} spec IDs` },
      { item: 'runtime.json holds token fingerprints only', ok: !secrets.some((s) => runtimeText.includes(s)), evidence: `${secrets.length} configured secret(s) searched` },
    ];
    const before = this.before;
    this.log.append([
      {
        event: 'stage',
        at,
        stage: 'Stage1',
        section: 'environment',
        status: dor.every((d) => d.ok) ? 'ok' : 'degraded',
        run_id: this.runId,
        mode: r.mode ?? null,
        tenant: r.tenant ?? null,
        env: r.env ?? null,
        git_commit: r.gitCommit ?? null,
        node: r.node ?? null,
        vitest: r.vitest ?? null,
        os: r.os ?? null,
        api_hosts: { rest: r.restBaseUrl ?? null, partners: r.partnersBaseUrl ?? null },
        token_fingerprints: r.tokenFingerprints ?? null,
        clickhouse: r.clickhouse ?? null,
        spec: specSource,
        dor,
      },
      before
        ? { event: 'clickhouse_counts', at, phase: 'before', measured: true, total: before.total, unique: before.unique }
        : { event: 'clickhouse_counts', at, phase: 'before', measured: false, reason: this.beforeProblem },
    ]);
    return this.log;
  }

  private path(name: string): string {
    return join(this.options.runDir, name);
  }

  private readRunFiles(): void {
    const read = (name: string): unknown => JSON.parse(readFileSync(this.path(name), 'utf8'));
    try {
      this.runtime = read('runtime.json') as RuntimeInfo;
    } catch (error) {
      this.runtimeProblem = existsSync(this.path('runtime.json')) ? `runtime.json is unreadable: ${(error as Error).message}` : 'runtime.json is missing (the global setup did not complete)';
    }
    try {
      const before = read('clickhouse-before.json') as CountSnapshot;
      const complete = VERIFIED_TABLES.every((t) => Number.isInteger(before.total?.[t]) && Number.isInteger(before.unique?.[t]));
      if (!complete) throw new Error('it does not count all 11 tables');
      this.before = before;
    } catch (error) {
      this.beforeProblem = existsSync(this.path('clickhouse-before.json')) ? `clickhouse-before.json is unusable: ${(error as Error).message}` : 'clickhouse-before.json is missing: the pre-run counts were not measured';
    }
  }

  /**
   * The normal end: every case vitest still holds (pending ones are not executed), the ClickHouse
   * after-snapshot (after this run's meta_job_runs row), then every output.
   */
  async finish(end: { cases: (CaseInput & { key: string })[]; runErrors: RunFacts['runErrors']; interruption: string | null }): Promise<SessionResult | null> {
    if (this.state !== 'collecting') return null;
    this.state = 'finishing';
    this.completeRows(end.cases, end.interruption);
    const rows = this.matrixRows(end.interruption);
    const measurement: EndMeasurement = this.runtimeProblem
      ? { measured: false, reason: `not measured: ${this.runtimeProblem}`, jobRun: { recorded: false } }
      : await this.options.measure(this.runtime, {
          startedAt: new Date(this.runtime.startedAt ?? this.log!.events[0].ts),
          finishedAt: new Date(),
          status: rows.some((r) => r.result === 'failed') || end.interruption ? 'error' : 'ok',
          rowsPerTable: sumRunRows(rows),
          ...(rows.some((r) => r.result === 'failed') ? { error: { message: `failed specs: ${rows.filter((r) => r.result === 'failed').map((r) => r.id).join(', ')}` } } : {}),
          skipped: rows.filter((r) => r.result === 'skipped').map((r) => ({ resource: r.id, reason: r.reason })),
        });
    if (this.state !== 'finishing') return null; // the process exit hook wrote the report meanwhile
    return this.write(rows, measurement, end.runErrors, end.interruption);
  }

  /** The end when the process is going away (signal, exit): what ran, no ClickHouse measurement. Synchronous. */
  finishNow(interruption: string): SessionResult | null {
    if (this.state === 'done') return null;
    this.state = 'finishing';
    const rows = this.matrixRows(interruption);
    return this.write(rows, { measured: false, reason: `not measured: ${interruption}`, jobRun: { recorded: false } }, [], interruption);
  }

  private completeRows(cases: (CaseInput & { key: string })[], interruption: string | null): void {
    for (const c of cases) {
      if (c.state !== 'pending') this.recordCase(c, interruption);
      else if (c.project === this.options.specProject && !this.recorded.has(c.key)) {
        const spec = catalogue.find((s) => s.id === specIdOf(c.name));
        this.recorded.add(c.key);
        if (spec) this.logRow(buildRow(spec, redactValue(c, this.options.secrets()), interruption ?? 'the test did not finish'));
      }
    }
  }

  /** All spec IDs in catalogue order; an ID without a result is logged now as not executed. */
  private matrixRows(interruption: string | null): SpecRow[] {
    for (const spec of catalogue) if (!this.rows.has(spec.id)) this.logRow(buildRow(spec, undefined, interruption));
    return catalogue.map((spec) => this.rows.get(spec.id)!);
  }

  private write(rows: SpecRow[], measurement: EndMeasurement, runErrors: RunFacts['runErrors'], interruption: string | null): SessionResult {
    const log = this.log!;
    const { runDir, print } = this.options;
    const secrets = this.options.secrets();
    const now = new Date().toISOString();
    const endTs = now < log.lastTs ? log.lastTs : now;
    const facts = this.facts(rows, measurement, redactValue(runErrors, secrets), interruption, endTs, secrets.length);
    // A step that throws (a hostile answer, a full disk) becomes a run error of the report, which is still written.
    const guard = <T>(step: string, run: () => T, fallback: T): T => {
      try {
        return run();
      } catch (error) {
        facts.runErrors.push({ source: 'audit reporter', message: `${step} failed: ${redactValue(errorMessage(error), secrets)}` });
        return fallback;
      }
    };
    const tables = tableFigures(facts.before, measurement, sumRunRows(rows));
    const specs = rows.map(specSummary);
    const latency = latencyByEndpoint(rows);
    const thisRun = { runDir, env: this.runtime.env, specs, tables, latency };
    ({ trend: facts.trend, driftSeen: facts.driftSeen } = guard('the comparison with the previous run', () => compareWithPrevious(thisRun, secrets), { trend: null, driftSeen: driftLedger(this.runId, specs) }));
    const { baseline } = this.options;
    facts.baseline = baseline ? checkAgainstBaseline(baseline, findingsOf(this.runId, specs, facts.driftSeen), slowerThanBaseline(baseline.baseline, latency, this.runId)) : null;
    const tail = (d: Derived, verification: Record<string, unknown>) => tailEvents(endTs, d, measurement, verification, interruption, facts.archive.name);

    // Everything is checked before it is written: the leak scan and the invariants see the final texts
    // (only the leak and invariant results themselves are added afterwards, masked and counted).
    // One derivation per state of the facts: the draft the leak scan reads, the one the invariants check, the
    // one the archive holds (its own hash unknown), and the one written beside it (with the hash).
    const draft = derive(rows, facts);
    const csv = renderCsv(draft.tables);
    const artifactFiles = listArtifactFiles(runDir);
    const draftTail = log.preview(tail(draft, {}));
    facts.leakScan = guard('the leak scan', () => scanForLeaks(
      [
        { name: 'run.jsonl', text: readFileSync(log.path, 'utf8') + draftTail.map((e) => JSON.stringify(e)).join('\n') },
        { name: 'clickhouse_counts.csv', text: csv },
        { name: 'audit.md', text: renderMarkdown(rows, facts, draft) },
        { name: 'summary.json', text: JSON.stringify(summaryOf(facts, draft)) },
        ...guard('writing openapi.json', () => [writeOpenApiFile(runDir, (facts.driftSeen ?? []).map((d) => ({ contract: d.contract, spec: d.id, path: d.path, records: d.count, example: d.example, firstSeen: d.firstSeen })))], []),
        ...artifactFiles.map((path) => ({ name: path, text: () => readFileSync(join(runDir, path), 'utf8') })),
      ],
      secrets,
      personalValuesSeen(this.runtime.scratchDir),
    ), facts.leakScan);
    const checked = derive(rows, facts);
    facts.violations = guard('the invariant check', () => checkInvariants(
      { events: [...log.events, ...draftTail], summary: summaryOf(facts, checked), csv: checked.tables, markdown: renderMarkdown(rows, facts, checked), artifacts: readArtifacts(runDir, artifactFiles) },
      this.options.live,
    ), []);

    const final = derive(rows, facts);
    log.append(tail(final, { leak_scan: { files_scanned: facts.leakScan.filesScanned, findings: facts.leakScan.findings.length }, invariants: { violations: facts.violations.length } }));
    writeFileSync(this.path('clickhouse_counts.csv'), csv);

    // The archive holds audit.md and summary.json as they stand now; the copies beside it, written once
    // afterwards, can name the archive's hash.
    const referenced = rows.flatMap((r) => r.artifacts);
    guard('writing the archive', () => {
      const archive = writeArchive(runDir, this.runId, new Date(endTs), referenced, reportTexts(rows, facts, final));
      const sha256 = sha256File(archive.path);
      const size = statSync(archive.path).size;
      writeReceipts(runDir, { archive: archive.name, sha256, size, timestamp: this.runId, gitCommit: this.runtime.gitCommit ?? 'unknown' });
      const reopened = verifyArchive(runDir, archive.name, referenced);
      const verified = reopened.problems.length === 0 ? `${archive.name} reopened: ${reopened.entries} entries; SHA-256 ${sha256} and size ${size} bytes match DONE.txt and ${archive.name}.sha256` : null;
      if (!verified) facts.violations = [...facts.violations, ...reopened.problems.map((message): Violation => ({ invariant: 13, message }))];
      facts.archive = { name: archive.name, sha256, size, verified };
    }, undefined);
    const written = reportTexts(rows, facts, derive(rows, facts));
    writeFileSync(this.path('audit.md'), written['audit.md']);
    writeFileSync(this.path('summary.json'), written['summary.json']);
    const summary = written.summary;
    this.state = 'done';

    const problems = guard('verify-report on the written folder', () => verifyRunDir(runDir, secrets).problems, ['verify-report could not run on the written folder']);
    // Keep an exit code vitest chose (1 for failures, 130 for Ctrl-C); a clean run with a bad report fails too.
    if ((facts.violations.length > 0 || facts.leakScan.findings.length > 0 || facts.runErrors.length > 0 || problems.length > 0) && !process.exitCode) process.exitCode = 1;
    print(consoleSummary(runDir, summary, problems));
    return { summary, problems };
  }

  private facts(rows: SpecRow[], measurement: EndMeasurement, runErrors: RunFacts['runErrors'], interruption: string | null, endTs: string, secrets: number): RunFacts {
    const { runDir } = this.options;
    const startTs = this.log!.events[0].ts;
    const listed = rows.flatMap((r) => r.artifacts);
    const missing = listed.filter((path) => !existsSync(join(runDir, path)));
    return {
      runId: this.runId,
      specSource,
      references: references(),
      runtime: this.runtime,
      runtimeProblem: this.runtimeProblem,
      before: this.before,
      beforeProblem: this.beforeProblem,
      measurement,
      selfTests: this.selfTests,
      runErrors,
      unknownTests: this.unknownTests,
      interruption,
      timing: { startedAt: startTs, finishedAt: endTs, durationSeconds: round3((Date.parse(endTs) - Date.parse(startTs)) / 1000), generatedAt: endTs },
      logCheck: { artifactsListed: listed.length, artifactsPresent: listed.length - missing.length, missing },
      leakScan: { filesScanned: 0, secretsChecked: secrets, findings: [] },
      violations: [],
      trend: null,
      driftSeen: [],
      baseline: null,
      archive: { name: archiveName(this.runId), sha256: null, size: null, verified: null },
      maskingRule: MASKING_RULE,
    };
  }

}

/** audit.md and summary.json as the facts and their derived figures stand. */
function reportTexts(rows: SpecRow[], facts: RunFacts, derived: Derived): { 'audit.md': string; 'summary.json': string; summary: Summary } {
  const summary = summaryOf(facts, derived);
  return { 'audit.md': renderMarkdown(rows, facts, derived), 'summary.json': JSON.stringify(summary, null, 2) + '\n', summary };
}

function summaryOf(facts: RunFacts, derived: Derived): Summary {
  return { format: SUMMARY_FORMAT, ...facts, ...derived };
}

function readArtifacts(runDir: string, paths: string[]): Map<string, unknown> {
  return new Map(
    paths.map((path) => {
      try {
        return [path, JSON.parse(readFileSync(join(runDir, path), 'utf8'))];
      } catch {
        return [path, null];
      }
    }),
  );
}

function references(): RunFacts['references'] {
  const files = [...REFERENCE_DOCS, 'data/spec-requests.json'];
  return files.map((name) => {
    try {
      return { name, sha256: createHash('sha256').update(readFileSync(join(repoRoot, name))).digest('hex') };
    } catch {
      return { name, sha256: null };
    }
  });
}

const errorMessage = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

function consoleSummary(runDir: string, s: Summary, problems: string[]): string {
  const t = s.totals;
  const lines = [
    '',
    `Audit ${s.runId}: ${s.status}${s.incomplete ? ` — INCOMPLETE (${s.interruption})` : ''} — ${s.mode}`,
    `  ${t.total} specs: passed ${t.passed}, failed ${t.failed}, skipped ${t.skipped}, denied as expected ${t.denied}; self-tests: ${s.selfTests.ran ? `${s.selfTests.passed} passed, ${s.selfTests.failed} failed` : 'not run'}`,
    `  Report: ${join(runDir, 'audit.md')}`,
    `  Archive: ${s.archive.name}  SHA256 ${s.archive.sha256}`,
  ];
  if (!s.measurement.measured) lines.push(`  ClickHouse after-counts: ${s.measurement.reason}`);
  for (const f of s.leakScan.findings.slice(0, 10)) lines.push(`  LEAK in ${f.file}: ${f.kind} ${f.excerpt}`);
  for (const v of s.violations) lines.push(`  INVARIANT ${v.invariant} VIOLATED: ${v.message}`);
  for (const p of problems) lines.push(`  verify-report: ${p}`);
  if (problems.length === 0) lines.push('  verify-report: the written folder and archive verify');
  // One closing line in the plain form CI systems read: every test of the run, specs and self-tests (none
  // when they were not run, which the line above says).
  // A denied probe passed as a test (the write was refused as expected), so it counts as passed here.
  lines.push(`tests: ${t.passed + t.denied + s.selfTests.passed} passed, ${t.failed + s.selfTests.failed} failed, ${t.skipped + s.selfTests.skipped} skipped`);
  return lines.join('\n') + '\n';
}
