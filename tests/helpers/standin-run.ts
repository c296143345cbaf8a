import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import type { LoggedRequest, MockServer } from '../../support/mock/server.ts';
import { repoRoot } from '../../support/paths.ts';

/**
 * The whole spec suite in production mode against a mock standing in for production (its own token and a
 * separate Partners key). What reached the mock is judged from its request log, never from the suite's report.
 */

export const REAL_TOKEN = 'standin-real-rest-token-0123456789';
export const REAL_PARTNERS_KEY = 'standin-real-partners-key-9876543210';
const run = promisify(execFile);

/** The path as the server resolves it (`.`/`..` segments applied). */
export const normalisedPath = (r: LoggedRequest): string => new URL(r.path, 'http://standin.local').pathname;

/** Requests that can change the tenant: REST non-GETs, and on Partners anything but the read methods. */
export const isWrite = (r: LoggedRequest): boolean => {
  const path = normalisedPath(r);
  if (path.includes('/api/rest/')) return r.method !== 'GET';
  return !/\/api\/partners\/v1\/(events\/(lists|offers|seats|seatmap)|tickets\/(find|check))(\/|$)/.test(path);
};
export const carriesRealCredential = (r: LoggedRequest): boolean => r.authorization === `Bearer ${REAL_TOKEN}` || r.authorization === `Bearer ${REAL_PARTNERS_KEY}`;
export const describeRequest = (r: LoggedRequest): string => `${r.method} ${r.path}`;

/** Runs `npm test -- --env standin --project spec` in a child process; resolves when the process tree has closed its output. */
export async function runSuite(mock: MockServer, reportsDir: string, extraArgs: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    QTICKETS_BASE_URL: mock.restBaseUrl,
    QTICKETS_TOKEN: REAL_TOKEN,
    QTICKETS_PARTNERS_BASE_URL: mock.partnersBaseUrl,
    QTICKETS_PARTNERS_TOKEN: REAL_PARTNERS_KEY,
    QTICKETS_RATE_LIMIT: '0',
    QTICKETS_RETRY_BASE_MS: '10',
    AUDIT_REPORTS_DIR: reportsDir,
    CLICKHOUSE_URL: '',
    ...extraEnv,
  };
  for (const name of ['AUDIT_RUN_DIR', 'AUDIT_RUN_ID', 'VITEST']) delete env[name];
  for (const name of Object.keys(env)) if (name.startsWith('SANDBOX_') && !(name in extraEnv)) delete env[name];
  const args = ['support/cli/entry.mjs', '--env', 'standin', ...extraArgs, '--project', 'spec', '--reporter', 'dot'];
  try {
    const { stdout, stderr } = await run(process.execPath, args, { cwd: repoRoot, env, maxBuffer: 64 * 2 ** 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The run folder the suite wrote under `reportsDir`. */
export function runFolder(reportsDir: string): string | undefined {
  const [name] = readdirSync(reportsDir).filter((n) => /^\d{8}_\d{6}$/.test(n));
  return name === undefined ? undefined : join(reportsDir, name);
}

export interface SpecOutcome {
  id: string;
  result: string;
  reason: string;
}

export function specOutcomes(runDir: string): Map<string, SpecOutcome> {
  const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
  return new Map((summary.specs as SpecOutcome[]).map((s) => [s.id, s]));
}

/** A read of the stand-in with the real credential, outside the suite. */
export async function standinRead(mock: MockServer, api: 'rest' | 'partners', path: string, body?: unknown): Promise<any> {
  const base = api === 'rest' ? mock.restBaseUrl : mock.partnersBaseUrl;
  const token = api === 'rest' ? REAL_TOKEN : REAL_PARTNERS_KEY;
  const response = await request(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.body.json();
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
