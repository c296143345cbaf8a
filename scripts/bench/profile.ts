import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../../support/paths.ts';

/**
 * Reads V8 CPU profiles (`--cpu-prof`) and says where the time went: self time per source file (project
 * files by path, dependencies by package) and the hottest functions.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Share of sampled time the process was idle (waiting for I/O or other processes). */
  idleShare: number;
  byFile: { where: string; ms: number; share: number }[];
  byFunction: { where: string; ms: number; share: number }[];
}

/** `support/mock/data/people.ts`, `zod`, `node:internal`, `(garbage collector)`. */
function place(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '');
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:')) return 'node:internal';
  return url.startsWith(repoRoot) ? relative(repoRoot, url) : url;
}

const top = (totals: Map<string, number>, all: number, n: number) =>
  [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([where, us]) => ({ where, ms: Math.round(us / 1000), share: us / all }));

export function summariseProfile(path: string, n = 10): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFile = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = frames.get(id)!;
    total += us;
    if (frame.functionName === '(idle)') {
      idle += us;
      return;
    }
    const where = place(frame);
    byFile.set(where, (byFile.get(where) ?? 0) + us);
    const fn = `${frame.functionName || '(anonymous)'} ${where}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  });
  const busy = Math.max(1, total - idle);
  return { file: path, totalMs: Math.round(total / 1000), idleShare: idle / Math.max(1, total), byFile: top(byFile, busy, n), byFunction: top(byFunction, busy, n) };
}

/** The main thread's profile of each process in `dir` (Node names them CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile; tsx's loader is thread 1). */
export function summariseProfiles(dir: string, n = 10): ProfileSummary[] {
  return readdirSync(dir)
    .filter((name) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(name))
    .map((name) => summariseProfile(join(dir, name), n))
    .filter((summary) => summary.totalMs > 0);
}
