import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DENIED_TAG } from '../../support/allure.ts';
import { repoRoot } from '../../support/paths.ts';

/**
 * SpecAllureReporter in a real vitest run: a throwaway project (spec + unit) that uses our reporter and
 * support/allure.ts the way the suite does, run in a child process.
 */
const project = mkdtempSync(join(tmpdir(), 'allure-reporter-test-'));
const resultsDir = join(project, 'allure-results');
const fromRepo = (path: string) => JSON.stringify(join(repoRoot, path));

const files: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'allure-reporter-selftest', type: 'module', private: true }),
  'vitest.config.ts': `
    import { defineConfig } from 'vitest/config';
    import { SpecAllureReporter } from ${fromRepo('support/allure-reporter.ts')};
    export default defineConfig({ test: {
      reporters: ['default', new SpecAllureReporter('spec')],
      projects: [
        { extends: true, test: { name: 'spec', include: ['spec/*.spec.ts'] } },
        { extends: true, test: { name: 'unit', include: ['unit/*.test.ts'] } },
      ],
    } });`,
  'spec/orders.spec.ts': `
    import { expect, test } from 'vitest';
    import { labelSpecTest, markDenied, step } from ${fromRepo('support/allure.ts')};
    const spec = (id: string, title: string) => ({ id, title, api: 'rest' as const, kind: 'write' as const, section: { number: id[0], name: 'Orders' }, specRef: 'spec.md:1-2' });
    const orders = (latencyMs: number, retries: unknown[] = []) => ({ role: 'spec', api: 'rest', ts: '', method: 'GET', path: '/orders', requestBodyHash: '', status: 200, contentType: 'application/json', kind: 'ok', latencyMs, bytes: 1, retries });
    test('1.1 Passes', async ({ task }) => {
      const order = { ...orders(30), role: 'discovery', path: '/orders/1614202' };
      task.meta.audit = { exchanges: [orders(52, [{ attempt: 1, waitMs: 5, status: 429, cause: 'HTTP 429' }]), orders(40), order] } as never;
      await labelSpecTest(spec('1.1', 'Passes'), { env: 'mock', endpoint: 'GET /orders' });
      expect(await step('request', async () => 200)).toBe(200);
    });
    test('1.7 Denied', async () => {
      await labelSpecTest(spec('1.7', 'Denied'), { env: 'prod', endpoint: 'DELETE /orders/1' });
      await markDenied();
    });
    test('6.8 Skipped', async (context) => { context.skip('no Partners key configured'); });
    test('7.2 Fails', async () => { expect([1], 'ClickHouse deltas of 7.2').toEqual([]); });`,
  'unit/self.test.ts': `import { test } from 'vitest'; test('a self-test', () => {});`,
  'allure-results/stale-result.json': '{"name":"from an earlier run"}',
};

interface AllureResult {
  name: string;
  status: string;
  statusDetails?: { message?: string };
  labels: { name: string; value: string }[];
  steps: { name: string }[];
  parameters: { name: string; value: string; excluded?: boolean }[];
}
let results: AllureResult[];

/** Runs vitest in the throwaway project; returns its exit code (0 or 1, anything else is a broken fixture). */
async function runVitest(...args: string[]): Promise<number> {
  // Our own vitest's variables would make the child believe it runs inside a worker.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
  const vitest = join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
  return promisify(execFile)(process.execPath, [vitest, 'run', ...args], { cwd: project, env }).then(
    () => 0,
    (error: { code?: number; stderr?: string }) => (error.code === 1 ? 1 : Promise.reject(new Error(`vitest failed: ${error.stderr}`))),
  );
}

const readResults = () =>
  readdirSync(resultsDir)
    .filter((file) => file.endsWith('-result.json'))
    .map((file) => JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as AllureResult);

beforeAll(async () => {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(project, path, '..'), { recursive: true });
    writeFileSync(join(project, path), content);
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(project, 'node_modules'), 'dir');
  // One spec fails on purpose.
  expect(await runVitest()).toBe(1);
  results = readResults();
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

const byName = (name: string) => results.find((r) => r.name === name);

test('only the spec project becomes Allure results, and stale results are gone', () => {
  expect(results.map((r) => r.name).sort()).toEqual(['1.1 Passes', '1.7 Denied', '6.8 Skipped', '7.2 Fails']);
  expect(existsSync(join(resultsDir, 'stale-result.json'))).toBe(false);
});

test('statuses, labels and steps come through', () => {
  expect(byName('1.1 Passes')).toMatchObject({ status: 'passed', steps: [{ name: 'request' }] });
  expect(byName('1.1 Passes')?.labels).toContainEqual({ name: 'story', value: '1.1 Passes' });
  expect(byName('1.7 Denied')?.labels).toContainEqual({ name: 'tag', value: DENIED_TAG });
  expect(byName('7.2 Fails')?.status).toBe('failed');
  expect(byName('7.2 Fails')?.statusDetails?.message).toContain('ClickHouse deltas of 7.2');
});

test("each endpoint a spec sent to is a parameter with its latency, outside the test's identity", () => {
  expect(byName('1.1 Passes')?.parameters.filter((p) => p.name.startsWith('latency '))).toEqual([
    { name: 'latency GET /orders', value: '2 requests: p50 40 ms, p95 52 ms, max 52 ms; 1 retry; 1 × HTTP 429', excluded: true },
    { name: 'latency GET /orders/{order_id}', value: '30 ms', excluded: true },
  ]);
  expect(byName('7.2 Fails')?.parameters.filter((p) => p.name.startsWith('latency '))).toEqual([]);
});

test('a skipped test keeps its reason', () => {
  expect(byName('6.8 Skipped')).toMatchObject({ status: 'skipped', statusDetails: { message: 'no Partners key configured' } });
});

test('a run without the spec project leaves the results of the last spec run alone', async () => {
  const before = readdirSync(resultsDir).sort();
  expect(await runVitest('--project', 'unit')).toBe(0);
  expect(readdirSync(resultsDir).sort()).toEqual(before);
});

test('the run writes failure categories and an environment without secrets', () => {
  const categories = JSON.parse(readFileSync(join(resultsDir, 'categories.json'), 'utf8')) as { name: string }[];
  expect(categories.map((c) => c.name)).toContain('ClickHouse delta mismatch');
  const environment = readFileSync(join(resultsDir, 'environment.properties'), 'utf8');
  expect(environment).toMatch(/^env=/m);
  expect(environment).toMatch(/^node=v\d+/m);
  expect(environment).not.toMatch(/token|password|secret/i);
});
