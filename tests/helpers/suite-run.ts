import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import type { LoggedRequest, MockServer } from '../../support/mock/server.ts';
import { repoRoot } from '../../support/paths.ts';

/**
 * Whole audit runs for the self-tests: the real `npm test` wrapper as a child process (spec project only,
 * its report in a folder of the test's), against the mock or a mock standing in for production; the report
 * it wrote, verify-report on it, the processes it left, and what reached the stand-in, judged from the
 * mock's request log rather than from the suite's own report.
 */

/** Short output; the wrapper keeps the audit reporter, and no Allure or JUnit file of the real run is touched. */
const REPORTERS = ['--reporter', 'dot'];
/** Variables that configure a run: the child gets only what the test sets (the parent run's AUDIT_RUN_DIR above all). */
const RUN_VARIABLES = /^(VITEST|AUDIT_|QTICKETS_|CLICKHOUSE_|MOCK_|SANDBOX_)/;

/** Credentials of a mock standing in for production (`--env standin`): its own token and a separate Partners key. */
export const STANDIN_TOKENS = { restToken: 'standin-real-rest-token-0123456789', partnersToken: 'standin-real-partners-key-9876543210' };

/** The variables of an `--env standin` run against `mock`: no rate limit, quick retries. */
export const standinEnv = (mock: { restBaseUrl: string; partnersBaseUrl: string }): Record<string, string> => ({
  QTICKETS_BASE_URL: mock.restBaseUrl,
  QTICKETS_TOKEN: STANDIN_TOKENS.restToken,
  QTICKETS_PARTNERS_BASE_URL: mock.partnersBaseUrl,
  QTICKETS_PARTNERS_TOKEN: STANDIN_TOKENS.partnersToken,
  QTICKETS_RATE_LIMIT: '0',
  QTICKETS_RETRY_BASE_MS: '10',
});

export interface SuiteOptions {
  /** `--env` (default mock). */
  envName?: string;
  /** Further arguments for the wrapper (e.g. `-t`). */
  args?: string[];
  /** Variables for the run (MOCK_FAULTS, QTICKETS_*, CLICKHOUSE_URL …). */
  env?: Record<string, string>;
  /** AUDIT_REPORTS_DIR of the run. */
  reportsDir: string;
}

export interface SuiteResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningSuite {
  /** The wrapper process itself (node running support/cli/entry.mjs, as `npm test` does), not a launcher in between. */
  child: ChildProcess;
  finished: Promise<SuiteResult>;
  output(): string;
}

/** The variables of the parent process, less those that would configure a child run. */
export const inheritedEnv = (): Record<string, string | undefined> => Object.fromEntries(Object.entries(process.env).filter(([name]) => !RUN_VARIABLES.test(name)));

/** `node <args>` from the repository root, its output collected. */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv): RunningSuite {
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const finished = new Promise<SuiteResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }));
  });
  return { child, finished, output: () => `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}` };
}

export function startSuite(options: SuiteOptions): RunningSuite {
  const env = { ...inheritedEnv(), NO_COLOR: '1', FORCE_COLOR: '0', ...options.env, AUDIT_REPORTS_DIR: options.reportsDir };
  return spawnNode(['support/cli/entry.mjs', '--env', options.envName ?? 'mock', '--project', 'spec', ...REPORTERS, ...(options.args ?? [])], env);
}

export const runSuite = (options: SuiteOptions): Promise<SuiteResult> => startSuite(options).finished;

/** `-t` and its pattern selecting exactly these spec tests (a test's name starts with its id and a space). */
export const onlySpecs = (ids: readonly string[]): string[] => ['-t', `(${ids.map((id) => id.replace('.', '\\.')).join('|')}) `];

/** The run folders (`YYYYmmdd_HHMMSS`) written under a reports folder. */
export function runFoldersIn(reportsDir: string): string[] {
  return existsSync(reportsDir) ? readdirSync(reportsDir).filter((name) => /^\d{8}_\d{6}$/.test(name)).map((name) => join(reportsDir, name)) : [];
}

/** The one run folder of a reports folder; throws with the run's output when there is not exactly one. */
export function onlyRunFolder(reportsDir: string, output = ''): string {
  const folders = runFoldersIn(reportsDir);
  if (folders.length !== 1) throw new Error(`expected one run folder in ${reportsDir}, found ${folders.length}\n${output}`);
  return folders[0];
}

export type AuditEvent = Record<string, any> & { event: string; ts: string };

export interface SpecOutcome {
  id: string;
  result: 'passed' | 'failed' | 'skipped' | 'denied';
  reason: string;
}

export interface WrittenReport {
  runDir: string;
  summary: Record<string, any> & { specs: SpecOutcome[] };
  events: AuditEvent[];
  auditMd: string;
  spec(id: string): SpecOutcome;
  /** The spec's one test_result event in run.jsonl (status, contract, run_rows, error …). */
  result(id: string): AuditEvent;
  /** The spec's exchanges in run.jsonl, each with the retry events logged after it. */
  exchanges(id: string): (AuditEvent & { retries: AuditEvent[] })[];
}

export function readReport(runDir: string): WrittenReport {
  for (const name of ['audit.md', 'run.jsonl', 'summary.json', 'clickhouse_counts.csv', 'DONE.txt', `qtickets_audit_${runDir.split('/').at(-1)}.zip`]) {
    if (!existsSync(join(runDir, name))) throw new Error(`the report is incomplete: ${name} is missing in ${runDir}`);
  }
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
  const events = readFileSync(join(runDir, 'run.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditEvent);
  return {
    runDir,
    summary,
    events,
    auditMd: readFileSync(join(runDir, 'audit.md'), 'utf8'),
    spec: (id) => {
      const found = summary.specs.find((s: SpecOutcome) => s.id === id);
      if (!found) throw new Error(`summary.json has no spec ${id}`);
      return found;
    },
    result: (id) => {
      const found = events.filter((e) => e.event === 'test_result' && e.test_id === id);
      if (found.length !== 1) throw new Error(`run.jsonl has ${found.length} test_result events for ${id}, expected one`);
      return found[0];
    },
    exchanges: (id) => {
      const out: (AuditEvent & { retries: AuditEvent[] })[] = [];
      for (const e of events.filter((x) => x.test_id === id)) {
        if (e.event === 'exchange') out.push({ ...e, retries: [] });
        else if (e.event === 'retry') out.at(-1)?.retries.push(e);
      }
      return out;
    },
  };
}

/** Every file below a folder. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

/** The path as the server resolves it (`.`/`..` segments applied). */
export const normalisedPath = (r: LoggedRequest): string => new URL(r.path, 'http://standin.local').pathname;

/** Requests that can change the tenant: REST non-GETs, and on Partners anything but the read methods. */
export const isWrite = (r: LoggedRequest): boolean => {
  const path = normalisedPath(r);
  if (path.includes('/api/rest/')) return r.method !== 'GET';
  return !/\/api\/partners\/v1\/(events\/(lists|offers|seats|seatmap)|tickets\/(find|check))(\/|$)/.test(path);
};
export const carriesRealCredential = (r: LoggedRequest): boolean =>
  r.authorization === `Bearer ${STANDIN_TOKENS.restToken}` || r.authorization === `Bearer ${STANDIN_TOKENS.partnersToken}`;
export const describeRequest = (r: LoggedRequest): string => `${r.method} ${r.path}`;

/** A read of the stand-in with the real credential, outside the suite. */
export async function standinRead(mock: MockServer, api: 'rest' | 'partners', path: string, body?: unknown): Promise<any> {
  const base = api === 'rest' ? mock.restBaseUrl : mock.partnersBaseUrl;
  const token = api === 'rest' ? STANDIN_TOKENS.restToken : STANDIN_TOKENS.partnersToken;
  const response = await request(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.body.json();
}

/** Polls until `condition` returns a value other than undefined/false; throws naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, condition: () => T | undefined | false, timeoutMs: number, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** A live process (a zombie counts as gone: it has exited and only waits to be reaped). Linux /proc. */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Processes still alive whose environment holds `name=value` (Linux /proc): every process of a run
 * inherits its AUDIT_REPORTS_DIR, so none may be left once the run has ended.
 */
export function processesWithEnv(name: string, value: string): number[] {
  if (!existsSync('/proc/self/environ')) return [];
  const wanted = `${name}=${value}`;
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(wanted);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Every process below `pid` (children, grandchildren …) with its command line, read from /proc. */
export function descendantsOf(pid: number): { pid: number; command: string }[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const found: { pid: number; command: string }[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, ppid] of parents) {
      if (ppid !== parent) continue;
      queue.push(child);
      try {
        found.push({ pid: child, command: readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').join(' ') });
      } catch {
        // gone meanwhile
      }
    }
  }
  return found;
}
