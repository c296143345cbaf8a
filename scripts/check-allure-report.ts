/**
 * `npm run check-report` — opens the rendered Allure report (allure-report/, from `npm run report`) in
 * headless Chromium and checks that its test tree shows every spec test of the catalogue, by name, in the
 * rendered page. Non-zero when a spec is missing or the page tried to reach anything but our loopback server.
 *
 * Chromium: Debian's `chromium` (/usr/bin/chromium) or CHROMIUM_PATH.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { ALLURE_REPORT_DIR } from '../support/allure.ts';
import { catalogue } from '../support/catalogue/index.ts';
import { repoRoot } from '../support/paths.ts';
import { chromiumPath } from '../support/config/tools.ts';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};
const PAGE_TIMEOUT_MS = 30_000;

export interface ReportCheck {
  /** Test names the rendered tree shows. */
  shown: string[];
  missing: string[];
  unexpected: string[];
  /** Requests the page tried to send anywhere but our server (all were blocked). */
  externalRequests: string[];
}

/** The Chromium to use, or null when none is installed. */
export function findChromium(): string | null {
  const path = chromiumPath();
  return existsSync(path) ? path : null;
}

/** Serves `reportDir` on 127.0.0.1, opens it in headless Chromium and compares the test tree with `expected`. */
export async function checkAllureReport(reportDir: string, expected: readonly string[], chromiumPath: string): Promise<ReportCheck> {
  if (!existsSync(join(reportDir, 'index.html'))) throw new Error(`No rendered report in ${reportDir}: run \`npm run report\` first.`);
  const server = await serveDirectory(reportDir);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // playwright gives every launch a fresh temporary profile (user-data-dir).
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, timeout: PAGE_TIMEOUT_MS });
  const externalRequests: string[] = [];
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(PAGE_TIMEOUT_MS);
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${origin}/`)) return route.continue();
      externalRequests.push(url);
      return route.abort();
    });
    await page.goto(`${origin}/`);
    // Sections of passed tests start collapsed: wait for the tree itself, not for a visible test.
    await page.locator('[data-testid="tree-section"], [data-testid="tree-leaf-title"]').first().waitFor();
    await expandAllSections(page);
    const shown = (await page.locator('[data-testid="tree-leaf-title"]').allInnerTexts()).map((text) => text.trim());
    const shownSet = new Set(shown);
    const expectedSet = new Set(expected);
    return {
      shown,
      missing: expected.filter((name) => !shownSet.has(name)),
      unexpected: shown.filter((name) => !expectedSet.has(name)),
      externalRequests,
    };
  } finally {
    await browser.close();
    await new Promise<void>((done) => server.close(() => done()));
  }
}

/** The tree opens only groups with failures; a collapsed section is one without a content block beside it. */
async function expandAllSections(page: Page): Promise<void> {
  const collapsed = page.locator('div:has(> [data-testid="tree-section"]):not(:has(> [data-testid="tree-content"])) > [data-testid="tree-section"] [data-testid="tree-arrow"]');
  for (let round = 0; round < 100; round++) {
    if ((await collapsed.count()) === 0) return;
    await collapsed.first().click();
  }
  throw new Error('the report tree kept collapsed sections after 100 clicks');
}

/** A static server for the report folder, bound to the loopback interface only. */
async function serveDirectory(root: string): Promise<Server> {
  const base = resolve(root);
  const server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    let file = resolve(base, `.${pathname}`);
    try {
      if (file !== base && !file.startsWith(base + sep)) throw new Error('outside the report');
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return server;
}

async function main(): Promise<void> {
  const chromiumPath = findChromium();
  if (!chromiumPath) {
    console.error('\nNo Chromium found at /usr/bin/chromium (or CHROMIUM_PATH): install it (`apt-get install chromium`) to check the report.\n');
    process.exit(2);
  }
  const expected = catalogue.map((spec) => `${spec.id} ${spec.title}`);
  const reportDir = join(repoRoot, ALLURE_REPORT_DIR);
  try {
    const started = Date.now();
    const check = await checkAllureReport(reportDir, expected, chromiumPath);
    const took = ((Date.now() - started) / 1000).toFixed(1);
    const problems = [
      ...check.missing.map((name) => `missing: ${name}`),
      ...check.unexpected.map((name) => `not a spec test: ${name}`),
      ...check.externalRequests.map((url) => `the page tried to reach ${url} (blocked)`),
    ];
    if (problems.length > 0) {
      console.error(`\nThe Allure report in ${relative(process.cwd(), reportDir)}/ shows ${check.shown.length} tests; expected the ${expected.length} spec tests:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
      process.exit(1);
    }
    console.log(`The Allure report shows all ${expected.length} spec tests in Chromium (${took}s).`);
  } catch (error) {
    console.error(`\n${(error as Error).message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
