import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogue, type SandboxKey } from '../../support/catalogue/index.ts';
import { startClickHouse, type ClickHouseRuntime } from '../../support/clickhouse/connect.ts';
import { startMock } from '../../support/mock/server.ts';
import { onlyRunFolder, onlySpecs, readReport, runSuite, standinEnv, STANDIN_TOKENS, type WrittenReport } from '../helpers/suite-run.ts';

/**
 * The write gate, by behaviour: runs with --allow-writes against a stand-in production, each with some of
 * the sandbox settings. Every partial combination of each write spec's settings (none of them included)
 * occurs in some run, and there the spec must be a denied probe; a spec whose settings are all present
 * must not be. The runs are packed so that each serves as many specs as agree on the shared settings.
 */

const WRITE_SPECS = catalogue.filter((spec) => spec.writes).map((spec) => ({ id: spec.id, keys: spec.plan.sandbox ?? [] }));

/** Every subset of `keys` but the whole. */
function partialSubsets(keys: readonly SandboxKey[]): SandboxKey[][] {
  const out: SandboxKey[][] = [];
  for (let mask = 0; mask < 2 ** keys.length - 1; mask++) out.push(keys.filter((_, bit) => mask & (1 << bit)));
  return out;
}

/** A run: for each setting it decides, whether it is present. */
type Assignment = Map<SandboxKey, boolean>;

/** Packs every (spec, partial subset) into as few runs as the shared settings allow (first fit). */
function packRuns(): Assignment[] {
  const runs: Assignment[] = [];
  for (const spec of WRITE_SPECS) {
    for (const subset of partialSubsets(spec.keys)) {
      const wanted = new Map(spec.keys.map((key) => [key, subset.includes(key)]));
      const fits = runs.find((run) => [...wanted].every(([key, present]) => (run.get(key) ?? present) === present));
      if (fits) for (const [key, present] of wanted) fits.set(key, present);
      else runs.push(wanted);
    }
  }
  return runs;
}

const RUNS = packRuns().map((run) => [...run].filter(([, present]) => present).map(([key]) => key).sort());

let reportsRoot: string;
let clickhouse: ClickHouseRuntime;
let reports: WrittenReport[];

beforeAll(async () => {
  reportsRoot = mkdtempSync(join(tmpdir(), 'qta-write-gate-'));
  // One engine for all the runs, a database each: where the rows go does not decide the gate, and no run
  // pays for starting an engine of its own.
  clickhouse = await startClickHouse({ mode: 'embedded', database: 'write_gate' });
  const runOne = async (present: SandboxKey[], index: number): Promise<WrittenReport> => {
    const mock = await startMock(STANDIN_TOKENS);
    try {
      const reportsDir = join(reportsRoot, String(index));
      const sandbox = Object.fromEntries(present.map((key) => [key, '1']));
      const run = await runSuite({ envName: 'standin', reportsDir, args: ['--allow-writes', ...onlySpecs(WRITE_SPECS.map((s) => s.id))], env: { ...standinEnv(mock), ...sandbox, CLICKHOUSE_URL: clickhouse.url, CLICKHOUSE_DATABASE: `write_gate_${index}` } });
      return readReport(onlyRunFolder(reportsDir, `${run.stdout}\n${run.stderr}`));
    } finally {
      await mock.close();
    }
  };
  // Two runs at a time, the next starting as soon as one ends: each is a whole audit.
  reports = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < RUNS.length; index = next++) reports[index] = await runOne(RUNS[index], index);
  };
  await Promise.all([worker(), worker()]);
}, 900_000);

afterAll(async () => {
  await clickhouse?.stop();
  if (reportsRoot) rmSync(reportsRoot, { recursive: true, force: true });
});

test('the runs cover every partial combination of every write spec', () => {
  expect(WRITE_SPECS.length).toBeGreaterThan(0);
  for (const spec of WRITE_SPECS) {
    const seen = new Set(RUNS.map((present) => JSON.stringify(spec.keys.filter((key) => present.includes(key)))));
    for (const subset of partialSubsets(spec.keys)) expect(seen.has(JSON.stringify(subset)), `${spec.id} with ${subset.join(', ') || 'no settings'}`).toBe(true);
  }
});

test.each(RUNS.map((present, index) => [present.join(', ') || 'no sandbox settings', index] as const))('--allow-writes with %s: every write spec missing a setting is a denied probe', (_, index) => {
  const report = reports[index];
  const present = RUNS[index];
  for (const spec of WRITE_SPECS) {
    const complete = spec.keys.every((key) => present.includes(key));
    const outcome = report.spec(spec.id);
    if (complete) {
      expect(outcome.result, `${spec.id} has all of ${spec.keys.join(', ')}`).not.toBe('denied');
      continue;
    }
    expect(outcome.result, `${spec.id} with ${spec.keys.filter((key) => present.includes(key)).join(', ') || 'none'} of ${spec.keys.join(', ')}`).toBe('denied');
    // Only the probe (and read-only lookups) went out: never the spec request itself.
    expect(report.exchanges(spec.id).filter((x) => x.role === 'spec'), spec.id).toEqual([]);
    expect(report.exchanges(spec.id).filter((x) => x.role === 'denied-probe'), spec.id).toHaveLength(1);
  }
});
