import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ClickHouseStartError } from './errors.ts';

/**
 * Starts the embedded ClickHouse (chdb behind the HTTP interface, see embedded-server.ts) as a child
 * process of this one. The child never outlives its parent: it exits when the stdin pipe we hold closes.
 */

export interface EmbeddedClickHouse {
  url: string;
  dataDir: string;
  pid: number;
  version: string;
  stop(): Promise<void>;
}

/** The ClickHouse server release the suite targets: docker mode runs it, the embedded engine imitates its defaults. */
export const CLICKHOUSE_LTS = '25.8';

// Resolved from this file, not the working directory, so the child starts from any cwd.
const serverEntry = fileURLToPath(new URL('./embedded-server.cjs', import.meta.url));
const STDERR_TAIL_LINES = 20;
/** How the child prefixes its own error messages on stderr (as opposed to chdb's diagnostics). */
const CHILD_PREFIX = 'embedded-clickhouse: ';

export async function startEmbeddedClickHouse(opts: { dataDir?: string; startTimeoutMs?: number } = {}): Promise<EmbeddedClickHouse> {
  const temporary = opts.dataDir === undefined;
  const dataDir = temporary ? mkdtempSync(join(temporaryRoot(), TEMPORARY_PREFIX)) : resolve(opts.dataDir!);
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw new ClickHouseStartError(`Cannot create the embedded ClickHouse data directory ${dataDir}: ${(error as Error).message}`);
  }
  const removeTemporary = () => temporary && rmSync(dataDir, { recursive: true, force: true });

  // Its own process group: Ctrl-C in a terminal reaches the run, which measures the end counts before
  // stopping the engine; the engine still exits by itself when its parent dies (stdin closes).
  const child = spawn(process.execPath, [serverEntry, dataDir], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const stderrTail: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  let ready: { port: number; pid: number; version: string };
  try {
    ready = await waitForReady(child, opts.startTimeoutMs ?? 30_000, stderrTail);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    removeTemporary();
    throw error;
  }

  // From here on the child must not keep this process alive; it watches our stdin pipe instead.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as Socket | null)?.unref?.();
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${ready.port}`,
    dataDir,
    pid: ready.pid,
    version: ready.version,
    stop: () =>
      (stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(killer);
        }
        removeTemporary();
      })()),
  };
}

/**
 * Why chdb has no engine on this OS and CPU, or null. chdb ships one engine per platform as an optional
 * dependency (@chdb/lib-<os>-<cpu>…); npm installs only the one for the machine it runs on.
 */
export function embeddedEngineMissing(platform: string = process.platform, arch: string = process.arch): string | null {
  const chdbPackage = createRequire(import.meta.url).resolve('chdb/package.json');
  const engines = Object.keys((JSON.parse(readFileSync(chdbPackage, 'utf8')) as { optionalDependencies?: Record<string, string> }).optionalDependencies ?? {});
  const engine = engines.find((name) => name.startsWith(`@chdb/lib-${platform}-${arch}`));
  const instead = 'Use a ClickHouse server of your own (set CLICKHOUSE_URL, e.g. http://localhost:8123) or a container (--clickhouse docker).';
  if (!engine) return `The embedded ClickHouse (chdb) has no engine for ${platform}-${arch}; it ships engines for ${engines.map((name) => name.replace('@chdb/lib-', '')).join(', ')}. ${instead}`;
  try {
    createRequire(chdbPackage).resolve(`${engine}/package.json`);
  } catch {
    return `The embedded ClickHouse engine for ${platform}-${arch} (${engine}) is not installed: run npm install on this machine (node_modules copied from another platform lacks it). ${instead}`;
  }
  return null;
}

const TEMPORARY_PREFIX = 'qtickets-clickhouse-';
const SHM = '/dev/shm';
const SHM_MIN_FREE_BYTES = 4 * 2 ** 30;
/** A temporary folder older than this without a live engine was left by a run that was killed. */
const STALE_MS = 10 * 60_000;

/**
 * Where a temporary engine keeps its data: memory-backed /dev/shm when it has room (ClickHouse writes a part
 * per partition per insert, and on a disk each costs several times as much), else the OS temp folder.
 */
function temporaryRoot(): string {
  try {
    const { bavail, bsize } = statfsSync(SHM);
    if (bavail * bsize < SHM_MIN_FREE_BYTES) return tmpdir();
  } catch {
    return tmpdir();
  }
  removeStaleTemporaries(SHM);
  return SHM;
}

/** Memory is not freed by a reboot-less machine: folders of killed runs are removed by the next one. */
function removeStaleTemporaries(root: string): void {
  for (const name of readdirSync(root)) {
    if (!name.startsWith(TEMPORARY_PREFIX)) continue;
    const dir = join(root, name);
    try {
      if (Date.now() - statSync(dir).mtimeMs > STALE_MS && lockHolder(dir) === null) rmSync(dir, { recursive: true, force: true });
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
}

function waitForReady(child: ChildProcess, timeoutMs: number, stderrTail: string[]): Promise<{ port: number; pid: number; version: string }> {
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new ClickHouseStartError(`Embedded ClickHouse did not start within ${timeoutMs / 1000}s. ${describeStderr(stderrTail)}`)), timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const message = JSON.parse(line);
        if (message.ready) {
          clearTimeout(timer);
          resolveReady(message);
        }
      } catch {
        // not our ready line (chdb may print diagnostics); keep waiting
      }
    });
    // 'close' comes after the child's stdio has ended, so its last stderr lines are in the tail by then.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const own = stderrTail.filter((line) => line.startsWith(CHILD_PREFIX)).map((line) => line.slice(CHILD_PREFIX.length));
      const reason = own.length > 0 ? own.join(' ') : `it exited (${signal ?? `code ${code}`}). ${describeStderr(stderrTail)}`;
      reject(new ClickHouseStartError(`Embedded ClickHouse did not start: ${reason}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new ClickHouseStartError(`Embedded ClickHouse could not be launched: ${error.message}`));
    });
  });
}

function describeStderr(stderrTail: string[]): string {
  return stderrTail.length > 0 ? `Its stderr ended with:\n${stderrTail.join('\n')}` : 'It printed nothing on stderr.';
}

/** The live process named in ClickHouse's `status` lock file of a data directory (a dead one leaves the file behind harmlessly). */
export function lockHolder(dataDir: string): number | null {
  const statusFile = resolve(dataDir, 'status');
  if (!existsSync(statusFile)) return null;
  const pid = Number(/^PID:\s*(\d+)/m.exec(readFileSync(statusFile, 'utf8'))?.[1]);
  if (!pid || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}
