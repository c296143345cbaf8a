import { rmSync } from 'node:fs';
import { arch, platform, release } from 'node:os';
import { resolve } from 'node:path';
import type { TestResult } from 'allure-js-commons';
import AllureVitestReporter from 'allure-vitest/reporter';
import type { RunnerTask } from 'vitest';
import type { TestModule, Vitest } from 'vitest/node';
import type { Category } from 'allure-js-commons/sdk';
import type { SpecOutcome } from './core/outcome.ts';
import { ALLURE_RESULTS_DIR, FAILURE_CATEGORIES, FAILURE_LABEL, failureClass } from './allure.ts';
import { latencyByEndpoint } from './latency.ts';

/** What the adapter knows of the test being written: its skip note, the class of its failure, its latencies. */
interface Current {
  skipNote?: string;
  failure?: string;
  latency: Parameter[];
}

type Parameter = TestResult['parameters'][number];

/**
 * allure-vitest's reporter, narrowed to the audit: only the spec project's tests become Allure results
 * (one per spec ID; the self-tests are reported by vitest and JUnit), the results folder holds the
 * latest spec run only, a skipped test keeps its reason (`ctx.skip(reason)`) as its status message, a
 * failed spec carries its failure class (from its outcome) as a label, which the categories match, and
 * each endpoint the spec sent to is a parameter with its latency (as audit.md's Latency section counts it).
 */
export class SpecAllureReporter extends AllureVitestReporter {
  private readonly skipNotes = new Map<string, string>();
  private readonly current: Current;
  private active = false;

  /** `run`: the run's environment and id, from its settings (vitest.config.ts); shown on the report's overview. */
  constructor(private readonly specProject: string, run?: { envName: string; runId: string }) {
    // The listener runs inside super.handleTask, while `current` describes the test being written.
    const current: Current = { latency: [] };
    super({
      resultsDir: ALLURE_RESULTS_DIR,
      environmentInfo: environmentInfo(run),
      // Allure 3's form (label matchers): categories.json holds the same rules as allurerc.ts.
      categories: FAILURE_CATEGORIES as unknown as Category[],
      // Matcher steps would copy asserted values into step names, outside the harness's masking.
      reportMatchers: false,
      listeners: [{ beforeTestResultWrite: (result: TestResult) => describeResult(result, current) }],
    });
    this.current = current;
  }

  override onInit(vitest: Vitest): void {
    // A run without the spec project (e.g. `--project unit`) leaves the last audit's results alone.
    this.active = vitest.projects.some((project) => project.name === this.specProject);
    if (!this.active) return;
    // allure-vitest never empties its folder (it writes relative to the working directory, as here);
    // stale results would show up as retries of this run's tests.
    rmSync(resolve(ALLURE_RESULTS_DIR), { recursive: true, force: true });
    super.onInit(vitest);
  }

  override onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (!this.active) return;
    const specModules = testModules.filter((module) => module.project.name === this.specProject);
    for (const module of specModules) {
      for (const test of module.children.allTests('skipped')) {
        const result = test.result();
        if (result.state === 'skipped' && result.note) this.skipNotes.set(test.id, result.note);
      }
    }
    super.onTestRunEnd(specModules);
  }

  override handleTask(task: RunnerTask): void {
    this.current.skipNote = this.skipNotes.get(task.id);
    const outcome = (task.meta as { audit?: SpecOutcome }).audit;
    this.current.failure = failureClass(outcome?.failure);
    this.current.latency = latencyParameters(outcome);
    super.handleTask(task);
  }
}

/** Shown on the report's overview: where and with what the run happened; never a credential or a URL. */
function environmentInfo(run: { envName: string; runId: string } | undefined): Record<string, string> {
  return {
    env: run?.envName ?? 'mock',
    run_id: run?.runId ?? 'unknown',
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
  };
}

/**
 * `latency GET /orders/{order_id}` = `45 ms`, or for several requests `3 requests: p50 40 ms, p95 52 ms, max 52 ms`,
 * with the retries and 429s when there were any. Excluded from the test's identity, so its history stays one.
 */
export function latencyParameters(outcome: Pick<SpecOutcome, 'exchanges'> | undefined): Parameter[] {
  return latencyByEndpoint(outcome ? [outcome] : []).map((e) => {
    const timing = e.requests === 1 ? `${e.maxMs} ms` : `${e.requests} requests: p50 ${e.p50Ms} ms, p95 ${e.p95Ms} ms, max ${e.maxMs} ms`;
    const retries = e.retries > 0 ? `; ${e.retries} ${e.retries === 1 ? 'retry' : 'retries'}` : '';
    const tooMany = e.status429 > 0 ? `; ${e.status429} × HTTP 429` : '';
    return { name: `latency ${e.api === 'partners' ? 'Partners ' : ''}${e.method} ${e.path}`, value: timing + retries + tooMany, excluded: true };
  });
}

function describeResult(result: TestResult, current: Current): void {
  result.parameters.push(...current.latency);
  if (result.status === 'skipped' && current.skipNote) result.statusDetails = { ...result.statusDetails, message: current.skipNote };
  if ((result.status === 'failed' || result.status === 'broken') && current.failure) result.labels.push({ name: FAILURE_LABEL, value: current.failure });
}
