import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stage, Status } from 'allure-js-commons';
import { ReporterRuntime, createDefaultWriter } from 'allure-js-commons/sdk/reporter';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkAllureReport, findChromium } from '../../scripts/check-allure-report.ts';
import { NoAllureResultsError, renderAllureReport, type RenderedReport } from '../../scripts/allure-report.ts';
import { ALLURE_HISTORY_FILE, ALLURE_RESULTS_DIR } from '../../support/allure.ts';
import { catalogue } from '../../support/catalogue/index.ts';

/**
 * The report pipeline end to end on a synthetic run: one Allure result per spec (written by the same
 * allure-js-commons writer allure-vitest uses), rendered by scripts/allure-report.ts with the real
 * allurerc.ts, then opened in headless Chromium by scripts/check-allure-report.ts.
 */
const specNames = catalogue.map((spec) => `${spec.id} ${spec.title}`);
const workDir = mkdtempSync(join(tmpdir(), 'allure-report-test-'));

function writeSyntheticRun(dir: string): void {
  const runtime = new ReporterRuntime({ writer: createDefaultWriter({ resultsDir: join(dir, ALLURE_RESULTS_DIR) }) });
  for (const [i, spec] of catalogue.entries()) {
    const name = `${spec.id} ${spec.title}`;
    const uuid = runtime.startTest({
      name,
      fullName: `tests/spec/${spec.section.number}.spec.ts#${name}`,
      status: i % 10 === 3 ? Status.FAILED : Status.PASSED,
      stage: Stage.FINISHED,
      labels: [
        { name: 'epic', value: spec.api === 'rest' ? 'REST API' : 'Partners API' },
        { name: 'feature', value: `${spec.section.number}. ${spec.section.name}` },
        { name: 'story', value: name },
      ],
    });
    runtime.stopTest(uuid);
    runtime.writeTest(uuid);
  }
}

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

test('without results, rendering stops with "run npm test first"', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'allure-empty-'));
  try {
    const rendering = renderAllureReport(empty);
    await expect(rendering).rejects.toBeInstanceOf(NoAllureResultsError);
    await expect(rendering).rejects.toThrow(/run `npm test` first/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

describe('a rendered run of the 51 specs', () => {
  let report: RenderedReport;
  beforeAll(async () => {
    writeSyntheticRun(workDir);
    report = await renderAllureReport(workDir);
  });

  test('renders every result, records the run in the history once, and loads no third-party script', async () => {
    expect(report.results).toBe(51);
    expect(report.rerendered).toBe(false);
    expect(readFileSync(report.indexHtml, 'utf8').match(/https:\/\/www\.googletagmanager[^"]*/)?.[0]).toBeUndefined();

    const again = await renderAllureReport(workDir);
    expect(again.rerendered).toBe(true);
    const history = readFileSync(join(workDir, ALLURE_HISTORY_FILE), 'utf8').trim().split('\n');
    expect(history).toHaveLength(1);
    expect(Object.keys(JSON.parse(history[0]).testResults)).toHaveLength(51);
  });

  test('shows all 51 spec tests by name in headless Chromium', async (context) => {
    const chromium = findChromium();
    if (!chromium) context.skip('no browser: /usr/bin/chromium (or CHROMIUM_PATH) is not installed (apt-get install chromium)');
    // One name that is not in the report proves the check reads the page rather than the expectation.
    const check = await checkAllureReport(report.reportDir, [...specNames, '9.9 Not a spec'], chromium!);
    expect(check.missing).toEqual(['9.9 Not a spec']);
    expect(check.unexpected).toEqual([]);
    expect([...check.shown].sort()).toEqual([...specNames].sort());
    expect(check.externalRequests).toEqual([]);
  });
});
