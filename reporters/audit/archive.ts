import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';

/** The archive and its receipt (format §6). Everything is synchronous: it also runs in a process `exit` hook. */

export const archiveName = (runId: string): string => `qtickets_audit_${runId}.zip`;
/** The API's description as this suite knows it (support/openapi/), written into every run folder. */
export const OPENAPI_FILE = 'openapi.json';
export const ARCHIVED_FILES = ['audit.md', 'run.jsonl', 'clickhouse_counts.csv', 'summary.json', OPENAPI_FILE] as const;
export type ArchivedFile = (typeof ARCHIVED_FILES)[number];

/** Files under artifacts/, as paths relative to the run folder with forward slashes, sorted. */
export function listArtifactFiles(runDir: string): string[] {
  const root = join(runDir, 'artifacts');
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true }) as string[])
    .map((entry) => join(root, entry))
    .filter((path) => statSync(path).isFile())
    .map((path) => relative(runDir, path).split(sep).join('/'))
    .sort();
}

/**
 * The paths the zip holds: the reports, the API description and the artifacts run.jsonl refers to that exist. A test still running
 * when a run is interrupted can write an artifact after the archive; such a file is not part of the record.
 */
function archiveEntries(runDir: string, referencedArtifacts: readonly string[]): string[] {
  const present = new Set(listArtifactFiles(runDir));
  return [...ARCHIVED_FILES, ...[...new Set(referencedArtifacts)].filter((p) => present.has(p)).sort()];
}

/** Writes the zip: each entry from the run folder, or from `texts` for a report not written there yet. */
export function writeArchive(runDir: string, runId: string, mtime: Date, referencedArtifacts: readonly string[], texts: Partial<Record<ArchivedFile, string>> = {}): { name: string; path: string; entries: string[] } {
  const name = archiveName(runId);
  const entries = archiveEntries(runDir, referencedArtifacts);
  const files: Zippable = {};
  for (const entry of entries) {
    const text = texts[entry as ArchivedFile];
    files[entry] = [text === undefined ? readFileSync(join(runDir, entry)) : Buffer.from(text, 'utf8'), { mtime }];
  }
  const path = join(runDir, name);
  writeFileSync(path, zipSync(files, { level: 6 }));
  return { name, path, entries };
}

/** SHA-256 of a file, read in 1 MiB chunks. */
export function sha256File(path: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) hash.update(buffer.subarray(0, read));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

export interface Receipt {
  archive: string;
  sha256: string;
  size: number;
  timestamp: string;
  gitCommit: string;
}

export function writeReceipts(runDir: string, receipt: Receipt): void {
  const done = [`Archive: ${receipt.archive}`, `SHA256: ${receipt.sha256}`, `Size: ${receipt.size}`, `Timestamp: ${receipt.timestamp}`, `Git Commit: ${receipt.gitCommit}`].join('\n') + '\n';
  writeFileSync(join(runDir, 'DONE.txt'), done);
  writeFileSync(join(runDir, `${receipt.archive}.sha256`), `${receipt.sha256}  ${receipt.archive}\n`);
}

function parseDone(text: string): Partial<Record<'Archive' | 'SHA256' | 'Size' | 'Timestamp' | 'Git Commit', string>> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z0-9 ]+): (.*)$/.exec(line);
    if (match) fields[match[1]] = match[2];
  }
  return fields;
}

/** Opens the zip; returns its entries (path → bytes) or the reason it is not a valid archive. */
export function openArchive(path: string): { entries: Record<string, Uint8Array> } | { error: string } {
  try {
    return { entries: unzipSync(readFileSync(path)) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * Reopens the written zip, checks it holds exactly the expected entries with the same bytes as the run folder,
 * and that the receipts agree with a fresh hash and size. Returns the problems (none: verified).
 */
export function verifyArchive(runDir: string, name: string, referencedArtifacts: readonly string[]): { problems: string[]; sha256: string | null; size: number | null; entries: number } {
  const path = join(runDir, name);
  if (!existsSync(path)) return { problems: [`${name} does not exist`], sha256: null, size: null, entries: 0 };
  const problems: string[] = [];
  const sha256 = sha256File(path);
  const size = statSync(path).size;
  const opened = openArchive(path);
  let count = 0;
  if ('error' in opened) problems.push(`${name} is not a valid zip: ${opened.error}`);
  else {
    const inside = Object.keys(opened.entries).filter((entry) => !entry.endsWith('/')).sort();
    count = inside.length;
    const expected = archiveEntries(runDir, referencedArtifacts).sort();
    const missing = expected.filter((e) => !inside.includes(e));
    const extra = inside.filter((e) => !expected.includes(e));
    if (missing.length > 0) problems.push(`${name} lacks ${missing.join(', ')}`);
    if (extra.length > 0) problems.push(`${name} holds files that are not in the run folder: ${extra.join(', ')}`);
    // audit.md and summary.json differ by the archive's own hash; verify-report compares those two itself.
    const identical = expected.filter((e) => inside.includes(e) && (e.startsWith('artifacts/') || e === 'run.jsonl' || e === 'clickhouse_counts.csv' || e === OPENAPI_FILE));
    for (const entry of identical) {
      if (!Buffer.from(opened.entries[entry]).equals(readFileSync(join(runDir, entry)))) problems.push(`${entry} in ${name} differs from the run folder`);
    }
    if (inside.filter((e) => e.endsWith('.csv')).length !== 1) problems.push(`${name} must hold exactly one CSV`);
  }
  const donePath = join(runDir, 'DONE.txt');
  if (!existsSync(donePath)) problems.push('DONE.txt does not exist');
  else {
    const done = parseDone(readFileSync(donePath, 'utf8'));
    if (done.Archive !== name) problems.push(`DONE.txt names the archive "${done.Archive}", not ${name}`);
    if (!/^[0-9a-f]{64}$/.test(done.SHA256 ?? '')) problems.push(`DONE.txt SHA256 "${done.SHA256}" is not 64 lowercase hex characters`);
    else if (done.SHA256 !== sha256) problems.push(`DONE.txt SHA256 ${done.SHA256} ≠ the archive's SHA-256 ${sha256}`);
    if (done.Size !== String(size)) problems.push(`DONE.txt Size ${done.Size} ≠ the archive's size ${size}`);
  }
  const sumPath = join(runDir, `${name}.sha256`);
  if (!existsSync(sumPath)) problems.push(`${name}.sha256 does not exist`);
  else if (readFileSync(sumPath, 'utf8') !== `${sha256}  ${name}\n`) problems.push(`${name}.sha256 does not hold "${sha256}  ${name}"`);
  return { problems, sha256, size, entries: count };
}
