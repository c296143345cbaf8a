import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';

/**
 * Measuring processes from the outside: wall time, the peak resident memory of a whole process tree
 * (sampled from /proc), the largest process's own peak (GNU time's "Maximum resident set size"), and a
 * process's high-water mark (VmHWM).
 */

const PAGE_KB = 4;
const GNU_TIME = '/usr/bin/time';

export interface Machine {
  cpu: string;
  cores: number;
  ramGb: number;
  node: string;
  os: string;
  loadAverage: string;
}

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    ramGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()}`,
    loadAverage: loadavg().map((n) => n.toFixed(2)).join(' '),
  };
}

/** VmHWM (peak resident set) of a live process, in kB; null when it is gone or /proc is unavailable. */
export function peakRssKb(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a live process has used so far, in seconds; null when it is gone. */
export function cpuSeconds(pid: number): number | null {
  const stat = readStat(String(pid));
  return stat ? stat.cpuTicks / TICKS_PER_SECOND : null;
}

interface ProcStat {
  ppid: number;
  rssKb: number;
  name: string;
  /** utime + stime, clock ticks. */
  cpuTicks: number;
}

/** Linux reports CPU times in clock ticks of 1/100 s (USER_HZ) on every common architecture. */
const TICKS_PER_SECOND = 100;

function readStat(pid: string): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may itself contain spaces or parentheses.
    const close = text.lastIndexOf(')');
    const fields = text.slice(close + 2).split(' ');
    return { ppid: Number(fields[1]), rssKb: Number(fields[21]) * PAGE_KB, name: text.slice(text.indexOf('(') + 1, close), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null; // the process ended between listing and reading
  }
}

export interface TreePeak {
  /** Largest sum of resident memory over the tree at one sample, kB. */
  treeKb: number;
  /** Largest single process seen, kB, and its name. */
  processKb: number;
  processName: string;
  samples: number;
}

/** Samples the resident memory of a process and all its descendants every `intervalMs`. */
export class TreeSampler {
  private timer: NodeJS.Timeout | undefined;
  private readonly peak: TreePeak = { treeKb: 0, processKb: 0, processName: '', samples: 0 };

  constructor(private readonly rootPid: number, private readonly intervalMs = 100) {}

  static available(): boolean {
    return existsSync('/proc/self/stat');
  }

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  stop(): TreePeak {
    clearInterval(this.timer);
    return { ...this.peak };
  }

  private sample(): void {
    const stats = new Map<number, ProcStat>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readStat(entry);
      if (stat) stats.set(Number(entry), stat);
    }
    const children = new Map<number, number[]>();
    for (const [pid, stat] of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), pid]);
    let total = 0;
    const queue = stats.has(this.rootPid) ? [this.rootPid] : [];
    while (queue.length > 0) {
      const pid = queue.pop()!;
      const stat = stats.get(pid)!;
      total += stat.rssKb;
      if (stat.rssKb > this.peak.processKb) {
        this.peak.processKb = stat.rssKb;
        this.peak.processName = stat.name;
      }
      queue.push(...(children.get(pid) ?? []));
    }
    this.peak.treeKb = Math.max(this.peak.treeKb, total);
    this.peak.samples += 1;
  }
}

export interface Measured {
  exitCode: number | null;
  /** When the command was started (epoch ms): its own logs' times are read against it. */
  startedAtMs: number;
  wallMs: number;
  tree: TreePeak;
  /** GNU time's "Maximum resident set size" (the largest process of the tree), kB; null without /usr/bin/time. */
  maxRssKb: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to its end under GNU time (when installed) while sampling its process tree. Output is kept
 * in memory only: a child's output may name temporary credentials.
 */
export async function measure(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Measured> {
  const timed = existsSync(GNU_TIME);
  const [file, argv] = timed ? [GNU_TIME, ['-v', command, ...args]] : [command, args];
  const startedAtMs = Date.now();
  const started = performance.now();
  const child = spawn(file, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const sampler = samplerFor(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const wallMs = performance.now() - started;
  const tree = sampler?.stop() ?? { treeKb: 0, processKb: 0, processName: '', samples: 0 };
  const maxRss = timed ? /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr) : null;
  return { exitCode: timed ? gnuTimeExitCode(stderr, exitCode) : exitCode, startedAtMs, wallMs, tree, maxRssKb: maxRss ? Number(maxRss[1]) : null, stdout, stderr };
}

function samplerFor(pid: number | undefined): TreeSampler | undefined {
  return pid !== undefined && TreeSampler.available() ? new TreeSampler(pid).start() : undefined;
}

/** GNU time exits with the command's status; a command killed by a signal is reported in its text. */
function gnuTimeExitCode(stderr: string, code: number | null): number | null {
  const status = /Exit status: (\d+)/.exec(stderr);
  return status ? Number(status[1]) : code;
}

export const mb = (kb: number | null): string => (kb === null ? 'n/a' : `${Math.round(kb / 1024)} MB`);
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
