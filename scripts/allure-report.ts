/**
 * `npm run report` — renders allure-results/ into allure-report/ with Allure 3 (pure JS, no Java) and the
 * settings in allurerc.ts, keeping the run history in .allure-history.jsonl so the report shows trends.
 *
 *   npm run report            render; prints where the report is
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ALLURE_HISTORY_FILE, ALLURE_REPORT_DIR, ALLURE_RESULTS_DIR } from '../support/allure.ts';
import { repoRoot } from '../support/paths.ts';

const ALLURE_CONFIG = join(repoRoot, 'allurerc.ts');
/** The `allure` package exports no render API; its CLI (cli.js beside dist/) is the supported entry. */
const ALLURE_CLI = resolve(createRequire(import.meta.url).resolve('allure'), '..', '..', 'cli.js');

export class NoAllureResultsError extends Error {}

export interface RenderedReport {
  reportDir: string;
  indexHtml: string;
  results: number;
  /** True when these results were already the history's latest run, whose entry this render replaced. */
  rerendered: boolean;
}

/** Renders `<workDir>/allure-results` into `<workDir>/allure-report`, with the history in `<workDir>/.allure-history.jsonl`. */
export async function renderAllureReport(workDir: string = repoRoot): Promise<RenderedReport> {
  const resultsDir = join(workDir, ALLURE_RESULTS_DIR);
  const starts = resultStarts(resultsDir);
  if (starts.length === 0) {
    throw new NoAllureResultsError(`No Allure results in ${resultsDir}: run \`npm test\` first (each spec test writes one result there).`);
  }
  const reportDir = join(workDir, ALLURE_REPORT_DIR);
  const rerendered = dropLatestIfSameRun(join(workDir, ALLURE_HISTORY_FILE), starts);
  // The report folder is generated output only; old asset files would otherwise pile up beside the new ones.
  rmSync(reportDir, { recursive: true, force: true });
  try {
    await promisify(execFile)(process.execPath, [ALLURE_CLI, 'generate', '--config', ALLURE_CONFIG], {
      cwd: workDir,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`allure generate failed: ${(stderr || stdout || message).trim()}`);
  }
  const indexHtml = join(reportDir, 'index.html');
  if (!existsSync(indexHtml)) throw new Error(`allure generate finished but wrote no ${indexHtml}`);
  removeAnalytics(indexHtml);
  return { reportDir, indexHtml, results: starts.length, rerendered };
}

/** Start times of the results: together they identify a run (the history stores them per test too). */
function resultStarts(resultsDir: string): number[] {
  if (!existsSync(resultsDir)) return [];
  return readdirSync(resultsDir)
    .filter((file) => file.endsWith('-result.json'))
    .map((file) => Number(JSON.parse(readFileSync(join(resultsDir, file), 'utf8')).start ?? 0))
    .sort((a, b) => a - b);
}

/**
 * Allure reads the history as earlier runs and appends the current one. Rendering the same results again
 * would count that run twice, so its entry is taken out first and written anew by this render.
 */
function dropLatestIfSameRun(historyFile: string, starts: number[]): boolean {
  if (!existsSync(historyFile)) return false;
  const lines = readFileSync(historyFile, 'utf8').split('\n').filter((line) => line.trim());
  const latest = JSON.parse(lines.at(-1) ?? '{}') as { testResults?: Record<string, { start?: number }> };
  const latestStarts = Object.values(latest.testResults ?? {}).map((test) => Number(test.start ?? 0)).sort((a, b) => a - b);
  const sameRun = latestStarts.length === starts.length && latestStarts.every((start, i) => start === starts[i]);
  if (sameRun) writeFileSync(historyFile, lines.slice(0, -1).map((line) => `${line}\n`).join(''));
  return sameRun;
}

/** Allure's page loads Google Analytics; the audit's report opens offline and calls no third party. */
function removeAnalytics(indexHtml: string): void {
  const html = readFileSync(indexHtml, 'utf8');
  const cleaned = html.replace(/<script async src="https:\/\/www\.googletagmanager\.com\/[^"]*"><\/script>\s*<script>[\s\S]*?<\/script>/, '');
  if (cleaned !== html) writeFileSync(indexHtml, cleaned);
}

async function main(): Promise<void> {
  try {
    const started = Date.now();
    const report = await renderAllureReport();
    const took = ((Date.now() - started) / 1000).toFixed(1);
    const history = report.rerendered ? 'the same run as last time: its history entry was replaced' : 'added to the history';
    console.log(`Allure report of ${report.results} results (${history}), rendered in ${took}s:`);
    console.log(`  ${relative(process.cwd(), report.indexHtml) || report.indexHtml}`);
    console.log('Open it over HTTP, e.g. `npx allure open allure-report` (file:// does not load its data).');
  } catch (error) {
    console.error(`\n${(error as Error).message}\n`);
    process.exit(error instanceof NoAllureResultsError ? 2 : 1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
