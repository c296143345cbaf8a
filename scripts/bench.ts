/**
 * `npm run bench` — the benchmark. Prints one table and saves it as reports/bench-<UTC timestamp>.md.
 * Nothing here asserts: the targets are computed and reported as met or not.
 *
 *   (a) the full offline audit (`npm test -- --project spec`: the 51 specs against the mock, contracts, ClickHouse
 *       deltas, report, archive, verify-report, Allure results): wall time, peak memory, and where the time went
 *       (from the run's run.jsonl). `npm test` also runs the suite's ~470 self-tests, which are not the audit;
 *       --with-self-tests times that whole run as well
 *   (b) deep mode at live scale (126,213 orders, 93,256 clients, 223 events) into an embedded ClickHouse,
 *       side by side with a plain baseline (GET + JSON.parse + the same loader, no validation)
 *   (c) Newman running the exported Postman collection (`npm run export -- postman`: the 51 specs' requests, with
 *       a status assertion each) against the mock, side by side with (a)
 *
 * Options:
 *   --only a,b,c      run only these parts (targets that need a missing part are "not measured")
 *   --profile         CPU-profile the (b) processes (walk and mock; the ClickHouse child's time is native chdb
 *                     code) and print where the time went; profiling slows the run, so these timings are
 *                     not comparable with the targets
 *   --batch-rows N    rows per ClickHouse insert in deep mode (default: DeepLoader's)
 *   --with-self-tests (a) also times the whole `npm test` (audit + self-tests; a few minutes more)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { newRunId, reportsRoot } from '../support/config/run.ts';
import { PAGES_AHEAD } from '../support/deep/pages.ts';
import { LIVE_SIZE } from '../support/mock/tenant.ts';
import { repoRoot } from '../support/paths.ts';
import { collectionVariables, newmanArgs, NEWMAN_BIN, readNewmanReport, type NewmanReport } from '../support/export/newman.ts';
import { postmanCollection } from '../support/export/postman.ts';
import { machine, mb, measure, peakRssKb, seconds, type Measured } from './bench/measure.ts';
import { summariseProfiles, type ProfileSummary } from './bench/profile.ts';
import type { WalkFigures, WalkResult } from './bench/walk.ts';

const TARGETS = { auditSeconds: 15, ordersPerSecond: 10_000, baselineRatio: 0.6, suiteMb: 400, newmanFactor: 3 };
const tsxScript = (script: string, nodeFlags: string[] = []) => [...nodeFlags, '--import', 'tsx', join(repoRoot, script)];

interface Options {
  parts: Set<string>;
  profile: boolean;
  batchRows?: number;
  withSelfTests: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { parts: new Set(['a', 'b', 'c']), profile: false, withSelfTests: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--profile') options.profile = true;
    else if (arg === '--only') options.parts = new Set((argv[++i] ?? '').split(',').map((p) => p.trim()));
    else if (arg === '--batch-rows') options.batchRows = Number(argv[++i]);
    else if (arg === '--with-self-tests') options.withSelfTests = true;
    else throw new Error(`bench: unknown option ${arg} (see the header of scripts/bench.ts)`);
  }
  if ([...options.parts].some((p) => !['a', 'b', 'c'].includes(p))) throw new Error('bench: --only takes a comma-separated subset of a,b,c');
  if (options.batchRows !== undefined && !(Number.isInteger(options.batchRows) && options.batchRows > 0)) throw new Error('bench: --batch-rows needs a positive integer');
  return options;
}

// ---- the mock, in a child process ---------------------------------------------------------------------

interface MockChild {
  restBaseUrl: string;
  partnersBaseUrl: string;
  restToken: string;
  partnersToken: string;
  pid: number;
  startMs: number;
  stop(): Promise<void>;
}

/** Fresh throwaway credentials per mock; they only ever travel through environment variables. */
async function startMockChild(size: 'live' | 'default', nodeFlags: string[] = []): Promise<MockChild> {
  const restToken = `bench-${randomBytes(12).toString('hex')}`;
  const partnersToken = `${restToken}-partners`;
  const env = { ...process.env, BENCH_REST_TOKEN: restToken, BENCH_PARTNERS_TOKEN: partnersToken, BENCH_MOCK_SIZE: size };
  const child = spawn(process.execPath, tsxScript('scripts/bench/mock.ts', nodeFlags), { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const ready = await new Promise<{ restBaseUrl: string; partnersBaseUrl: string; pid: number; startMs: number }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{"ready":true')) resolve(JSON.parse(line));
    });
    child.once('exit', (code) => reject(new Error(`bench: the mock exited before it was ready (code ${code})`)));
  });
  return { ...ready, restToken, partnersToken, stop: () => stopChild(child, exited) };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  child.stdin?.end();
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(killer);
}

/** A child's stderr without GNU time's report. */
const ownStderr = (run: Measured): string => run.stderr.split(/^(?:Command exited with|\tCommand being timed)/m)[0].trim();

// ---- the three parts ----------------------------------------------------------------------------------

interface AuditFigures {
  run: Measured;
  /** Undefined when the run wrote no report to read them from. */
  phases?: AuditPhases;
  /** The whole `npm test` (audit + self-tests), with --with-self-tests. */
  wholeTest?: Measured;
}

/** `npm test` with these arguments, without npm's own start-up: package.json's `node <entry>` run directly. */
async function runTests(label: string, args: string[]): Promise<Measured> {
  const script: string = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts.test;
  const [command, ...scriptArgs] = script.split(' ');
  if (command !== 'node') throw new Error(`bench: the test script is "${script}"; (a) expects "node <entry>"`);
  console.error(`(a) running ${label} (${script} ${args.join(' ')})…`);
  const run = await measure(process.execPath, [...scriptArgs, ...args], { cwd: repoRoot });
  // What the run itself printed last, on the console only (never into the saved table).
  if (run.exitCode !== 0) console.error(`(a) ${label} exited with ${run.exitCode}; its last lines:\n${[run.stdout, ownStderr(run)].join('\n').trim().split('\n').slice(-25).join('\n')}`);
  return run;
}

async function benchAudit(options: Options): Promise<AuditFigures> {
  const run = await runTests('the full offline audit', ['--project', 'spec']);
  const wholeTest = options.withSelfTests ? await runTests('npm test as a whole (audit + self-tests)', []) : undefined;
  return { run, phases: auditPhases(run), wholeTest };
}

/** Where the audit's wall time went: its own event log (run.jsonl) read against the moment the bench started it. */
interface AuditPhases {
  /** Process start to the first spec's start: vitest, the mock, ClickHouse and its schema, the test worker. */
  startupMs: number;
  /** Specs that started, and the first one's start to the last one's end. */
  specs: number;
  specsMs: number;
  /** Latency of every API request of the specs, summed (they are sent one at a time): what Newman does too. */
  apiMs: number;
  apiRequests: number;
  /** The last spec's end to the process's exit: end counts, report, archive, verify-report, Allure results. */
  endMs: number;
}

function auditPhases(run: Measured): AuditPhases | undefined {
  const report = /^\s*Report: (.+)\/audit\.md$/m.exec(run.stdout);
  if (!report) return undefined;
  const events: { event: string; ts: string; ts_recorded?: string; latency_ms?: number }[] = readFileSync(join(report[1], 'run.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  // An event's own time (the log clamps a time earlier than the previous line's to that line's).
  const at = (event: string) => events.filter((e) => e.event === event).map((e) => Date.parse(e.ts_recorded ?? e.ts));
  const starts = at('test_start');
  const ends = at('test_result');
  if (starts.length === 0 || ends.length === 0) return undefined;
  const first = Math.min(...starts);
  const last = Math.max(...ends);
  const exchanges = events.filter((e) => e.event === 'exchange');
  return {
    startupMs: first - run.startedAtMs,
    specs: starts.length,
    specsMs: last - first,
    apiMs: exchanges.reduce((sum, e) => sum + (e.latency_ms ?? 0), 0),
    apiRequests: exchanges.length,
    endMs: run.startedAtMs + run.wallMs - last,
  };
}

interface DeepFigures {
  mockStartMs: number;
  mockPeakKb: number | null;
  deep: WalkResult;
  baseline: WalkResult;
  profiles: { role: string; summary: ProfileSummary }[];
}

async function benchDeep(options: Options, stamp: string): Promise<DeepFigures> {
  const profileDir = options.profile ? join(reportsRoot(), `bench-${stamp}-profiles`) : undefined;
  // Node refuses --cpu-prof in NODE_OPTIONS, so it goes on the command line of the processes started here.
  const profiling = (role: string): string[] => {
    if (!profileDir) return [];
    const dir = join(profileDir, role);
    mkdirSync(dir, { recursive: true });
    return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
  };
  console.error(`(b) generating the live-scale mock tenant (${LIVE_SIZE.orders} orders, ${LIVE_SIZE.clients} clients, ${LIVE_SIZE.events} events)…`);
  const mock = await startMockChild('live', profiling('mock'));
  const walks: Partial<Record<'deep' | 'baseline', WalkResult>> = {};
  let mockPeakKb: number | null = null;
  try {
    // Deep first: whatever warms up in the mock (JIT) favours the baseline that follows.
    for (const mode of ['deep', 'baseline'] as const) {
      console.error(`(b) ${mode} walk of events, orders and clients…`);
      const env = {
        ...process.env,
        BENCH_MODE: mode,
        BENCH_REST_URL: mock.restBaseUrl,
        BENCH_REST_TOKEN: mock.restToken,
        BENCH_MOCK_PID: String(mock.pid),
        ...(options.batchRows ? { BENCH_BATCH_ROWS: String(options.batchRows) } : {}),
      };
      const run = await measure(process.execPath, tsxScript('scripts/bench/walk.ts', profiling(mode)), { cwd: repoRoot, env });
      const line = run.stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (run.exitCode !== 0 || !line) throw new Error(`bench: the ${mode} walk failed (exit ${run.exitCode}):\n${ownStderr(run).slice(0, 4000)}`);
      walks[mode] = JSON.parse(line.slice('BENCH_RESULT '.length));
    }
    mockPeakKb = peakRssKb(mock.pid);
  } finally {
    await mock.stop();
  }
  const profiles = profileDir
    ? ['mock', 'deep', 'baseline'].flatMap((role) => summariseProfiles(join(profileDir, role)).map((summary) => ({ role, summary })))
    : [];
  return { mockStartMs: mock.startMs, mockPeakKb, deep: walks.deep!, baseline: walks.baseline!, profiles };
}

interface NewmanFigures {
  run: Measured;
  /** Undefined when Newman wrote no JSON report. */
  report?: NewmanReport;
}

async function benchNewman(): Promise<NewmanFigures> {
  console.error('(c) running Newman on the exported Postman collection against the mock (default tenant, as npm test)…');
  const dir = mkdtempSync(join(tmpdir(), 'qtickets-bench-newman-'));
  const mock = await startMockChild('default');
  try {
    const collection = join(dir, 'collection.json');
    writeFileSync(collection, JSON.stringify(postmanCollection()));
    const variables = await collectionVariables(mock);
    const jsonReport = join(dir, 'newman.json');
    const run = await measure(NEWMAN_BIN, newmanArgs(collection, variables, jsonReport), { cwd: repoRoot });
    if (run.exitCode !== 0) console.error(`(c) Newman exited with ${run.exitCode}:\n${ownStderr(run).slice(0, 2000)}`);
    return { run, report: existsSync(jsonReport) ? readNewmanReport(jsonReport) : undefined };
  } finally {
    await mock.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the table ----------------------------------------------------------------------------------------

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const rate = (w: WalkFigures) => w.records / (w.ms / 1000);
const walkOf = (result: WalkResult, dataset: string) => result.walks.find((w) => w.dataset === dataset)!;
const yesNo = (met: boolean | null) => (met === null ? 'not measured' : met ? '**met**' : '**not met**');

function render(stamp: string, options: Options, startLoad: string, a?: AuditFigures, b?: DeepFigures, c?: NewmanFigures): string {
  const m = machine();
  const out: string[] = [`# Benchmark ${stamp} (UTC)`, ''];
  out.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM; Node ${m.node}; ${m.os}; load average (1, 5, 15 min) at the start ${startLoad}, at the end ${m.loadAverage}: figures from a busy machine are not comparable.`, '');
  if (options.profile) out.push('**Profiled run**: the (b) processes ran with `--cpu-prof`, which slows them; do not read these timings against the targets.', '');

  if (a) {
    const { run } = a;
    out.push('## (a) Full offline audit (`npm test -- --project spec`: 51 specs, contracts, ClickHouse deltas, report, archive, verify-report, Allure results)', '', '| measure | value |', '|---|---|');
    out.push(`| wall time | ${seconds(run.wallMs)} |`);
    out.push(`| exit code | ${run.exitCode}${run.exitCode === 0 ? '' : ' (tests failed or the run broke; timing still shown)'} |`);
    out.push(`| peak memory, whole process tree (sum, sampled every 100 ms from /proc) | ${mb(run.tree.treeKb)} |`);
    out.push(`| peak memory, largest single process (sampled) | ${mb(run.tree.processKb)} (${run.tree.processName}) |`);
    out.push(`| peak memory, largest process (GNU time, max RSS) | ${mb(run.maxRssKb)} |`);
    if (a.phases) {
      const p = a.phases;
      out.push(`| start-up: process start to the first spec (vitest, mock, ClickHouse and schema, test worker) | ${seconds(p.startupMs)} |`);
      out.push(`| the ${p.specs} specs: first start to last end | ${seconds(p.specsMs)} |`);
      out.push(`| … of which API requests (${p.apiRequests}, latency summed; the rest is contracts, ClickHouse loads and counts, artifacts) | ${seconds(p.apiMs)} |`);
      out.push(`| end: last spec to exit (end counts, report, archive, verify-report, Allure results) | ${seconds(p.endMs)} |`);
    } else out.push('| where the time went | not measured (the run printed no report folder) |');
    if (a.wholeTest) out.push(`| \`npm test\` as a whole (audit + self-tests), wall time | ${seconds(a.wholeTest.wallMs)} (exit code ${a.wholeTest.exitCode}) |`);
    out.push('');
  }

  if (b) {
    out.push(`## (b) Deep mode at live scale (${int(LIVE_SIZE.orders)} orders, ${int(LIVE_SIZE.clients)} clients, ${LIVE_SIZE.events} events)`, '');
    out.push(`Mock (own process): tenant generated in ${seconds(b.mockStartMs)}, peak ${mb(b.mockPeakKb)}. Both modes: fresh embedded ClickHouse, DeepLoader batches of ${b.deep.batchRows} rows, ${PAGES_AHEAD} pages fetched ahead; facts recomputed once at the end.`, '');
    out.push('| dataset | mode | records | pages | wall time | records/s | in loader (transform + insert waits) | staging rows loaded | in ClickHouse (FINAL) | failed records | drift paths |');
    out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const dataset of ['events', 'orders', 'clients']) {
      for (const result of [b.deep, b.baseline]) {
        const w = walkOf(result, dataset);
        const staging = Object.entries(w.rowsLoaded).find(([table]) => table.startsWith('stg_') || table === 'dim_events')?.[1] ?? 0;
        out.push(`| ${dataset} | ${result.mode} | ${int(w.records)} | ${int(w.pages)} | ${seconds(w.ms)} | ${int(rate(w))} | ${seconds(w.loaderMs)} | ${int(staging)} | ${int(w.rowsInClickHouse)} | ${w.failedRecords ?? '—'} | ${w.driftPaths ?? '—'} |`);
      }
      out.push(`| ${dataset} | **deep / baseline** | | | | **${(rate(walkOf(b.deep, dataset)) / rate(walkOf(b.baseline, dataset))).toFixed(2)}** | | | | | |`);
    }
    out.push('', 'CPU time per process during each walk (user + system, from getrusage and /proc). All three run at once on the same cores, so the records/s any walk can reach is at most cores × records ÷ total CPU seconds:', '');
    out.push('| dataset | mode | walk process | ClickHouse child | mock | total | per 1,000 records | ceiling on ' + m.cores + ' cores |');
    out.push('|---|---|---:|---:|---:|---:|---:|---:|');
    for (const dataset of ['orders', 'clients']) {
      for (const result of [b.deep, b.baseline]) {
        const w = walkOf(result, dataset);
        const total = w.cpu.walk + (w.cpu.clickhouse ?? 0) + (w.cpu.mock ?? 0);
        const cpu = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(1)} s`);
        out.push(`| ${dataset} | ${result.mode} | ${cpu(w.cpu.walk)} | ${cpu(w.cpu.clickhouse)} | ${cpu(w.cpu.mock)} | ${cpu(total)} | ${((total / w.records) * 1000).toFixed(2)} s | ${int((m.cores * w.records) / total)}/s |`);
      }
    }
    out.push('', '| memory (peak) | deep | baseline |', '|---|---:|---:|');
    out.push(`| walk process (the suite's code; getrusage max RSS) | ${mb(b.deep.selfPeakKb)} | ${mb(b.baseline.selfPeakKb)} |`);
    out.push(`| embedded ClickHouse child (VmHWM) | ${mb(b.deep.clickhousePeakKb)} | ${mb(b.baseline.clickhousePeakKb)} |`);
    out.push(`| ClickHouse data at the end (folder; under /dev/shm it is memory outside any RSS) | ${b.deep.clickhouseData.mb} MB (${dirname(b.deep.clickhouseData.dir)}) | ${b.baseline.clickhouseData.mb} MB (${dirname(b.baseline.clickhouseData.dir)}) |`);
    out.push(`| ClickHouse start + schema | ${seconds(b.deep.clickhouseStartMs)} | ${seconds(b.baseline.clickhouseStartMs)} |`, '');
  }

  if (c) {
    const r = c.report;
    out.push('## (c) Newman (the exported Postman collection: the same requests, bare) against the mock', '', '| measure | value |', '|---|---|');
    out.push(`| Newman wall time (CLI start to exit) | ${seconds(c.run.wallMs)} |`);
    out.push(`| Newman's own run duration (its requests and scripts, without start-up) | ${r ? seconds(r.runDurationMs) : 'n/a'} |`);
    out.push(`| requests executed / failed; status assertions failed | ${r ? `${r.requests.total} / ${r.requests.failed}; ${r.assertions.failed} of ${r.assertions.total}` : 'no JSON report'} (exit code ${c.run.exitCode}) |`);
    out.push(`| Newman peak memory (GNU time) | ${mb(c.run.maxRssKb)} |`);
    if (a) out.push(`| full audit (a) / Newman | ${(a.run.wallMs / c.run.wallMs).toFixed(1)}× |`);
    out.push('');
  }

  out.push('## Targets', '', '| target | measured | |', '|---|---|---|');
  const orders = b ? { deep: walkOf(b.deep, 'orders'), baseline: walkOf(b.baseline, 'orders') } : undefined;
  const rows: [string, string, boolean | null][] = [
    [`(a) full audit under ${TARGETS.auditSeconds} s`, a ? seconds(a.run.wallMs) : '—', a ? a.run.wallMs < TARGETS.auditSeconds * 1000 : null],
    [`(b) ≥ ${int(TARGETS.ordersPerSecond)} orders/s end to end (deep)`, orders ? `${int(rate(orders.deep))} orders/s` : '—', orders ? rate(orders.deep) >= TARGETS.ordersPerSecond : null],
    [`(b) deep ≥ ${TARGETS.baselineRatio} × the baseline's rate (orders)`, orders ? `${(rate(orders.deep) / rate(orders.baseline)).toFixed(2)} ×` : '—', orders ? rate(orders.deep) / rate(orders.baseline) >= TARGETS.baselineRatio : null],
    [`(b) suite process under ${TARGETS.suiteMb} MB (deep)`, b ? mb(b.deep.selfPeakKb) : '—', b ? b.deep.selfPeakKb < TARGETS.suiteMb * 1024 : null],
    [`(c) full audit no slower than ${TARGETS.newmanFactor} × Newman`, a && c ? `${(a.run.wallMs / c.run.wallMs).toFixed(1)} ×` : '—', a && c ? a.run.wallMs <= TARGETS.newmanFactor * c.run.wallMs : null],
  ];
  // A profiled (b) is slowed down by the profiler: its figures are shown but not judged.
  const judged = rows.map(([target, measured, met]): [string, string, boolean | null] => [target, measured, options.profile && target.startsWith('(b)') ? null : met]);
  for (const [target, measured, met] of judged) out.push(`| ${target} | ${measured} | ${yesNo(met)} |`);
  const met = judged.filter(([, , m]) => m === true).length;
  const measuredCount = judged.filter(([, , m]) => m !== null).length;
  out.push('', `${met} of ${measuredCount} measured targets met.`, '');

  if (b && b.profiles.length > 0) {
    out.push('## Where the time went ((b), CPU profiles)', '');
    for (const { role, summary } of b.profiles) {
      out.push(`### ${role}: ${relative(repoRoot, summary.file)} — ${seconds(summary.totalMs)} sampled, ${Math.round(summary.idleShare * 100)}% idle`, '');
      out.push('| busy time by file or package | ms | share |', '|---|---:|---:|');
      for (const f of summary.byFile) out.push(`| ${f.where} | ${int(f.ms)} | ${(f.share * 100).toFixed(1)}% |`);
      out.push('', '| hottest functions (self time) | ms | share |', '|---|---:|---:|');
      for (const f of summary.byFunction) out.push(`| \`${f.where}\` | ${int(f.ms)} | ${(f.share * 100).toFixed(1)}% |`);
      out.push('');
    }
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const stamp = newRunId();
  const startLoad = machine().loadAverage;
  const a = options.parts.has('a') ? await benchAudit(options) : undefined;
  const b = options.parts.has('b') ? await benchDeep(options, stamp) : undefined;
  const c = options.parts.has('c') ? await benchNewman() : undefined;
  const table = render(stamp, options, startLoad, a, b, c);
  mkdirSync(reportsRoot(), { recursive: true });
  const file = join(reportsRoot(), `bench-${stamp}.md`);
  writeFileSync(file, `${table}\n`);
  console.log(`\n${table}\nSaved to ${relative(process.cwd(), file)}`);
}

await main();
