import { relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason, TestSpecification, Vitest } from 'vitest/node';
import type { RunBaseline } from '../support/config/baseline.ts';
import type { SpecOutcome } from '../support/core/outcome.ts';
import type { VerifiedTable } from '../support/clickhouse/tables.ts';
import { readEndMeasurement, writeJobRun } from '../support/harness/end-measurement.ts';
import type { MeasureClickHouse } from './audit/clickhouse.ts';
import { runSecrets } from '../support/secrets.ts';
import { AuditSession } from './audit/session.ts';
import type { CaseInput } from './audit/types.ts';

export interface AuditReporterOptions {
  /** The vitest project whose tests are the 51 spec IDs (default "spec"); other projects are self-tests. */
  specProject?: string;
  /** The run folder, from the run's settings (vitest.config.ts); without one (vitest started directly) nothing is written. */
  runDir?: string;
  /** Replaces the end-of-run measurement the run's teardown hands over (tests); 'off', which a config file can hold, measures nothing and says so. */
  measureClickHouse?: MeasureClickHouse | 'off';
  /** The run's secrets (tests); default: those global setup published from the resolved configuration. */
  secrets?: () => string[];
  /** `--baseline`, from the run's settings (vitest.config.ts). */
  baseline?: RunBaseline | null;
}

const noClickHouse: MeasureClickHouse = async () => ({
  measured: false,
  reason: 'ClickHouse measurement switched off (measureClickHouse: off)',
  jobRun: { recorded: false },
});

/**
 * The audit reporter: writes reports/<ts>/ (audit.md, run.jsonl, clickhouse_counts.csv, summary.json, the zip
 * and its receipts) from what the run's spec tests recorded. It only reads and writes files: once the tests
 * have run it hands the run's job record to the teardown, which records it in ClickHouse and measures every
 * table, and it writes the outputs when vitest closes, from what the teardown measured. A run that does not
 * include the spec project (e.g. `--project unit`) writes nothing. Ctrl-C / SIGTERM: the outputs are written
 * from a process `exit` hook, marked INCOMPLETE, with the specs that did not run listed as not executed.
 */
export default class AuditReporter implements Reporter {
  private vitest: Vitest | undefined;
  private session: AuditSession | null = null;
  private signal: NodeJS.Signals | null = null;
  private cancelReason: string | null = null;
  private listeningForCancel = false;
  private readonly specProject: string;
  private readonly reporterErrors: { source: string; message: string }[] = [];
  /** The outputs being written: they wait for the teardown's measurement, which comes when vitest closes. */
  private finishing: Promise<void> = Promise.resolve();
  private markClosed: () => void = () => undefined;
  private readonly closed = new Promise<void>((resolve) => (this.markClosed = resolve));

  constructor(private readonly options: AuditReporterOptions = {}) {
    this.specProject = options.specProject ?? 'spec';
  }

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
    // Global setups' teardowns have run by now (vitest closes projects after them).
    vitest.onClose(async () => {
      this.markClosed();
      await this.finishing;
    });
  }

  /** Why the run is stopping early, or null while it runs normally. */
  private interruption(): string | null {
    if (this.signal) return `interrupted by ${this.signal}`;
    if (this.cancelReason === 'keyboard-input') return 'run cancelled';
    if (this.cancelReason === 'test-failure') return 'stopped by --bail after a failure';
    return this.cancelReason ? `run cancelled (${this.cancelReason})` : null;
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    const runDir = this.options.runDir;
    if (this.session || !runDir || !specifications.some((s) => s.project.name === this.specProject)) return;
    this.session = new AuditSession({
      runDir,
      specProject: this.specProject,
      selfTestsInRun: specifications.some((s) => s.project.name !== this.specProject),
      measure: this.options.measureClickHouse === 'off' ? noClickHouse : (this.options.measureClickHouse ?? this.measuredByTeardown(runDir)),
      secrets: this.options.secrets ?? runSecrets,
      baseline: this.options.baseline ?? null,
      live: { node: process.version, vitest: this.vitest?.version ?? 'unknown', platform: process.platform },
      print: (text) => (this.vitest ? this.vitest.logger.log(text) : process.stdout.write(text)),
    });
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    process.on('exit', this.onExit);
  }

  /** vitest drops cancel listeners after onTestRunStart, so the listener is registered when the first file is queued. */
  onTestModuleQueued(): void {
    if (!this.session || this.listeningForCancel) return;
    this.listeningForCancel = true;
    this.vitest?.onCancel((reason) => {
      this.cancelReason ??= reason;
    });
  }

  onTestCaseResult(testCase: TestCase): void {
    try {
      this.session?.recordCase(caseInput(testCase, this.specProject), this.interruption());
    } catch (error) {
      // Thrown into vitest it would end the run; as a run error it stands in the report beside the case's row.
      this.reporterErrors.push({ source: 'audit reporter', message: `recording "${testCase.name}" failed: ${(error as Error)?.message ?? String(error)}` });
    }
  }

  /** The job run goes to the teardown now; what it measured is read once vitest has closed (without vitest: at once). */
  private measuredByTeardown(runDir: string): MeasureClickHouse {
    return async (_runtime, job) => {
      writeJobRun(runDir, job);
      if (this.vitest) await this.closed;
      return readEndMeasurement(runDir);
    };
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    const session = this.session;
    if (!session) return;
    const root = this.vitest?.config.root ?? process.cwd();
    const runErrors = [
      ...this.reporterErrors,
      ...modules.flatMap((m) => m.errors().map((e) => ({ source: `test file ${relative(root, m.moduleId)}`, message: errorText(e) }))),
      ...unhandledErrors.map((e) => ({ source: 'unhandled error', message: errorText(e) })),
    ];
    // A global setup that throws never reaches this hook as an error: say that no spec file ran.
    if (!modules.some((m) => m.project.name === this.specProject)) runErrors.push({ source: 'run', message: 'no spec test file ran (did the global setup fail? see the console)' });
    const interruption = reason === 'interrupted' ? (this.interruption() ?? 'run cancelled') : null;
    // Not awaited: vitest closes (and the teardown measures) only after this hook; the outputs follow.
    this.finishing = session
      .finish({ cases: modules.flatMap((m) => [...m.children.allTests()].map((t) => caseInput(t, this.specProject))), runErrors, interruption })
      .then(
        () => undefined,
        (error: unknown) => {
          // Never thrown on into vitest: its message would blame the start-up ("No spec test ran").
          process.exitCode = 1;
          const text = `\nThe audit reporter failed after the tests ran: ${(error as Error)?.message ?? String(error)}\n`;
          if (this.vitest) this.vitest.logger.error(text);
          else process.stderr.write(text);
        },
      )
      .finally(() => this.detach());
  }

  /** Notes the signal; vitest (or the npm test wrapper) stops the run, and the exit hook writes the report. */
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.signal ??= signal;
    // Alone on the signal (no vitest logger, no wrapper), cancel the run ourselves so that it ends.
    if (process.listenerCount(signal) === 1) void this.vitest?.cancelCurrentRun('keyboard-input');
  };

  private readonly onExit = (): void => {
    if (!this.session || this.session.finished) return;
    this.session.finishNow(this.interruption() ?? 'the process exited before the run ended');
    this.detach();
  };

  private detach(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    process.off('exit', this.onExit);
  }
}

function errorText(error: { message?: string; diff?: string }): string {
  const text = [error.message ?? 'unknown error', error.diff].filter(Boolean).join('\n');
  return stripVTControlCharacters(text);
}

function caseInput(test: TestCase, specProject: string): CaseInput & { key: string } {
  const result = test.result();
  return {
    key: test.id,
    project: test.project.name,
    // A spec test is named `<id> <title>`; a self-test is known by its full name.
    name: test.project.name === specProject ? test.name : test.fullName,
    state: result.state,
    mode: test.options.mode,
    note: result.state === 'skipped' ? result.note : undefined,
    errors: (result.errors ?? []).map(errorText),
    durationMs: test.diagnostic()?.duration,
    evidence: (test.meta() as { audit?: SpecOutcome<VerifiedTable> }).audit,
  };
}

export { AuditReporter };
