import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { specSource } from '../../support/catalogue/index.ts';
import { ARCHIVED_FILES, listArtifactFiles, openArchive, verifyArchive } from './archive.ts';
import { parseCsv } from './clickhouse.ts';
import { parseJsonl, rowsFromEvents } from './events.ts';
import { checkInvariants, type RunBundle } from './invariants.ts';
import { scanForLeaks } from './leaks.ts';
import { withoutArchiveLines } from './markdown.ts';
import { SUMMARY_FORMAT, type Summary } from './model.ts';

/**
 * verify-report: recomputes a finished run from its own files — the invariants over run.jsonl, the artifacts,
 * the CSV and summary.json, for the folder and for the archive copy — and checks the archive against its receipts.
 */
export interface VerifyResult {
  dir: string;
  problems: string[];
  notes: string[];
}

const RUN_ID = /^\d{8}_\d{6}$/;

/** Run folders under a reports root, oldest first. */
export function runFolders(reportsRoot: string): string[] {
  if (!existsSync(reportsRoot)) return [];
  return readdirSync(reportsRoot)
    .filter((name) => RUN_ID.test(name) && statSync(join(reportsRoot, name)).isDirectory())
    .sort()
    .map((name) => join(reportsRoot, name));
}

type Source = { label: string; read(path: string): Buffer | null; artifactPaths: string[] };

function loadBundle(source: Source, problems: string[]): RunBundle | null {
  const text = (path: string): string | null => {
    const bytes = source.read(path);
    if (!bytes) {
      problems.push(`${source.label}: ${path} is missing`);
      return null;
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      problems.push(`${source.label}: ${path} is not valid UTF-8`);
      return null;
    }
  };
  const [markdown, jsonl, csvText, summaryText] = ARCHIVED_FILES.map(text);
  if (markdown === null || jsonl === null || csvText === null || summaryText === null) return null;
  try {
    const artifacts = new Map<string, unknown>();
    for (const path of source.artifactPaths) {
      const body = text(path);
      artifacts.set(path, body === null ? null : JSON.parse(body));
    }
    return { markdown, events: parseJsonl(jsonl), csv: parseCsv(csvText), summary: JSON.parse(summaryText) as Summary, artifacts };
  } catch (error) {
    problems.push(`${source.label}: ${(error as Error).message}`);
    return null;
  }
}

export function verifyRunDir(dir: string, secrets: readonly string[] = []): VerifyResult {
  const problems: string[] = [];
  const notes: string[] = [];
  const onDisk = (path: string) => (existsSync(join(dir, path)) ? readFileSync(join(dir, path)) : null);
  const artifactPaths = listArtifactFiles(dir);
  const disk = loadBundle({ label: 'run folder', read: onDisk, artifactPaths }, problems);
  if (!disk) return { dir, problems, notes };
  // An older version's report lacks what this one checks; one clear reason instead of a list of violations.
  if (disk.summary.format !== SUMMARY_FORMAT) return { dir, problems: [`summary.json is format "${disk.summary.format}", written by another version of the suite; this version verifies "${SUMMARY_FORMAT}" only`], notes };

  for (const v of checkInvariants(disk)) problems.push(`invariant ${v.invariant}: ${v.message}`);
  if (disk.summary.violations.length > 0) problems.push(`the run itself recorded ${disk.summary.violations.length} invariant violation(s)`);

  const csvFiles = readdirSync(dir).filter((name) => name.endsWith('.csv'));
  if (csvFiles.length !== 1) problems.push(`the run folder holds ${csvFiles.length} CSV files (${csvFiles.join(', ')}), expected exactly one`);

  const archive = disk.summary.archive;
  const referenced = rowsFromEvents(disk.events).flatMap((row) => row.artifacts);
  const unreferenced = artifactPaths.filter((path) => !referenced.includes(path));
  if (unreferenced.length > 0) notes.push(`${unreferenced.length} artifact file(s) are not referenced by run.jsonl (written after the test's record, e.g. by a test still running at an interruption): ${unreferenced.slice(0, 5).join(', ')}`);
  const receipt = verifyArchive(dir, archive.name, referenced);
  problems.push(...receipt.problems);
  if (receipt.sha256 !== null) {
    if (archive.sha256 !== receipt.sha256) problems.push(`summary.json archive sha256 ${archive.sha256} ≠ the archive's SHA-256 ${receipt.sha256}`);
    if (archive.size !== receipt.size) problems.push(`summary.json archive size ${archive.size} ≠ the archive's size ${receipt.size}`);
    if (!disk.markdown.includes(`**SHA256**: ${receipt.sha256}`)) problems.push("audit.md's footer does not show the archive's SHA-256");
  }
  const opened = existsSync(join(dir, archive.name)) ? openArchive(join(dir, archive.name)) : null;
  if (opened && 'entries' in opened) {
    const inZip = (path: string) => (opened.entries[path] ? Buffer.from(opened.entries[path]) : null);
    const zipped = loadBundle({ label: 'archive', read: inZip, artifactPaths: Object.keys(opened.entries).filter((p) => p.startsWith('artifacts/')) }, problems);
    if (zipped) {
      for (const v of checkInvariants(zipped)) problems.push(`archive copy, invariant ${v.invariant}: ${v.message}`);
      if (!zipped.markdown.includes('**SHA256**: see DONE.txt')) problems.push("the archive's audit.md footer must say \"SHA256: see DONE.txt\"");
      if (withoutArchiveLines(zipped.markdown) !== withoutArchiveLines(disk.markdown)) problems.push('audit.md in the archive and in the folder differ beyond the archive lines');
      if (!isDeepStrictEqual(withoutArchiveFields(zipped.summary), withoutArchiveFields(disk.summary))) problems.push('summary.json in the archive and in the folder differ beyond the archive fields');
    }
  }

  const outputs = [...ARCHIVED_FILES, ...artifactPaths].map((name) => ({ name, text: onDisk(name)?.toString('utf8') ?? '' }));
  const leaks = scanForLeaks(outputs, secrets);
  for (const f of leaks.findings) problems.push(`leak in ${f.file}: ${f.kind} ${f.excerpt}`);

  if (disk.summary.specSource.sha256 !== specSource.sha256) notes.push(`the spec file changed since this run (run: ${disk.summary.specSource.sha256.slice(0, 12)}…, now: ${specSource.sha256.slice(0, 12)}…)`);
  if (disk.summary.incomplete) notes.push(`the run is INCOMPLETE (${disk.summary.interruption}); its files are consistent with what ran`);
  return { dir, problems: [...new Set(problems)], notes };
}

/** summary.json without what only the standalone copy can know (the archive's own hash and its check). */
function withoutArchiveFields(summary: Summary): unknown {
  const { archive: _archive, checklist, ...rest } = summary;
  return { ...rest, checklist: checklist.filter((c) => c.key !== 'archive-verified') };
}
