import { catalogue, type SandboxKey } from '../../support/catalogue/index.ts';
import { startClickHouse, type ClickHouseRuntime } from '../../support/clickhouse/connect.ts';
import { startMock } from '../../support/mock/server.ts';
import { runSpecsInProcess, type InProcessResult } from '../helpers/in-process-run.ts';
import { SANDBOX_SETTINGS } from '../helpers/sandbox-settings.ts';
import { standinEnv, STANDIN_TOKENS } from '../helpers/suite-run.ts';

/**
 * The write gate, by behaviour: the write specs run with --allow-writes against a stand-in production (in
 * this process, through the runner's stages; prod-safety.test.ts has a whole run of it), each time with some of
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

/** Every setting any write spec takes. */
const ALL_KEYS = [...new Set(WRITE_SPECS.flatMap((spec) => spec.keys))].sort();

const isComplete = (spec: (typeof WRITE_SPECS)[number], present: readonly SandboxKey[]) => spec.keys.every((key) => present.includes(key));

let clickhouse: ClickHouseRuntime;
let runs: Map<string, InProcessResult>[];
let allSettings: Map<string, InProcessResult>;

/** The given write specs with --allow-writes and exactly the `present` settings, against a fresh stand-in. */
async function runWith(present: readonly SandboxKey[], specIds: string[]): Promise<Map<string, InProcessResult>> {
  const mock = await startMock(STANDIN_TOKENS);
  try {
    const sandbox = Object.fromEntries(present.map((key) => [key, SANDBOX_SETTINGS[key]]));
    // One database for every run: each spec's rows are told apart by its own _ver, and the runs take turns.
    return await runSpecsInProcess({ envName: 'standin', env: { ...standinEnv(mock), ...sandbox }, cli: { allowWrites: true }, clickhouse, database: 'write_gate', specIds });
  } finally {
    await mock.close();
  }
}

beforeAll(async () => {
  clickhouse = await startClickHouse({ mode: 'embedded', database: 'write_gate' });
  // Each run holds the specs it leaves incomplete; what a complete spec does is shown once, with every setting.
  runs = [];
  for (const present of RUNS) runs.push(await runWith(present, WRITE_SPECS.filter((spec) => !isComplete(spec, present)).map((spec) => spec.id)));
  allSettings = await runWith(ALL_KEYS, WRITE_SPECS.map((spec) => spec.id));
}, 300_000);

afterAll(async () => {
  await clickhouse?.stop();
});

test('the runs cover every partial combination of every write spec', () => {
  expect(WRITE_SPECS.length).toBeGreaterThan(0);
  for (const spec of WRITE_SPECS) {
    const seen = new Set(RUNS.map((present) => JSON.stringify(spec.keys.filter((key) => present.includes(key)))));
    for (const subset of partialSubsets(spec.keys)) expect(seen.has(JSON.stringify(subset)), `${spec.id} with ${subset.join(', ') || 'no settings'}`).toBe(true);
  }
});

test.each(RUNS.map((present, index) => [present.join(', ') || 'no sandbox settings', index] as const))('--allow-writes with %s: every write spec missing a setting is a denied probe', (_, index) => {
  const run = runs[index];
  const present = RUNS[index];
  for (const spec of WRITE_SPECS.filter((s) => !isComplete(s, present))) {
    const { outcome, error } = run.get(spec.id)!;
    expect(outcome.result, `${spec.id} with ${spec.keys.filter((key) => present.includes(key)).join(', ') || 'none'} of ${spec.keys.join(', ')}: ${error?.message ?? ''}`).toBe('denied');
    expect(outcome.denial?.reasons.length, spec.id).toBeGreaterThan(0);
    // Only the probe (and read-only lookups) went out: never the spec request itself.
    expect(outcome.exchanges.filter((x) => x.role === 'spec'), spec.id).toEqual([]);
    expect(outcome.exchanges.filter((x) => x.role === 'denied-probe'), spec.id).toHaveLength(1);
  }
});

test('with every setting present no write spec is a denied probe', () => {
  for (const spec of WRITE_SPECS) {
    const { outcome, error } = allSettings.get(spec.id)!;
    expect(outcome.result, `${spec.id} has all of ${spec.keys.join(', ')}: ${error?.message ?? ''}`).not.toBe('denied');
    expect(outcome.denial, spec.id).toBeUndefined();
    expect(outcome.exchanges.filter((x) => x.role === 'denied-probe'), spec.id).toEqual([]);
  }
});
