import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { ARCHIVED_FILES, archiveName, listArtifactFiles, openArchive, sha256File, verifyArchive, writeArchive, writeReceipts } from '../../reporters/audit/archive.ts';

/**
 * The archive and its receipts on a small run folder of its own: what goes into the zip, the hash and the
 * receipts' format, and each way verifyArchive must find a zip or a receipt that does not match.
 */

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'audit-archive-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const RUN_ID = '20251126_100000';
const NAME = `qtickets_audit_${RUN_ID}.zip`;
const REFERENCED = ['artifacts/1.1/01-spec.json', 'artifacts/7.2/01-spec.json'];

/** A run folder with the archived reports and three artifacts, one of them not referenced by the log. */
function runFolder(): string {
  const dir = join(root, RUN_ID);
  for (const name of ARCHIVED_FILES) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, name), `${name} of the run\n`);
  }
  for (const path of [...REFERENCED, 'artifacts/7.2/02-late.json']) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), JSON.stringify({ path }));
  }
  return dir;
}

/** Archive and receipts as the reporter writes them. */
function archived(dir: string): { sha256: string; size: number } {
  writeArchive(dir, RUN_ID, new Date('2025-11-26T10:00:00Z'), [...REFERENCED, REFERENCED[0], 'artifacts/9.9/missing.json']);
  const sha256 = sha256File(join(dir, NAME));
  const size = statSync(join(dir, NAME)).size;
  writeReceipts(dir, { archive: NAME, sha256, size, timestamp: '2025-11-26T10:00:05.000Z', gitCommit: 'abc123' });
  return { sha256, size };
}

const rezip = (dir: string, entries: Record<string, string>) =>
  writeFileSync(join(dir, NAME), zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, new TextEncoder().encode(v)]))));
const entriesOf = (dir: string): Record<string, string> =>
  Object.fromEntries([...ARCHIVED_FILES, ...REFERENCED].map((p) => [p, readFileSync(join(dir, p), 'utf8')]));
/** Receipts for whatever zip is there now, so only the planted problem remains. */
function receiptsFor(dir: string): void {
  writeReceipts(dir, { archive: NAME, sha256: sha256File(join(dir, NAME)), size: statSync(join(dir, NAME)).size, timestamp: 't', gitCommit: 'c' });
}

test('artifact files are listed relative to the run folder, with forward slashes, sorted; none without the folder', () => {
  const dir = runFolder();
  expect(listArtifactFiles(dir)).toEqual(['artifacts/1.1/01-spec.json', 'artifacts/7.2/01-spec.json', 'artifacts/7.2/02-late.json']);
  expect(listArtifactFiles(join(root, 'nowhere'))).toEqual([]);
});

test('the zip holds the four reports and the referenced artifacts that exist, once each, in order', () => {
  const dir = runFolder();
  expect(archiveName(RUN_ID)).toBe(NAME);
  const written = writeArchive(dir, RUN_ID, new Date('2025-11-26T10:00:00Z'), [REFERENCED[1], 'artifacts/9.9/missing.json', REFERENCED[0], REFERENCED[1]]);
  expect(written).toEqual({ name: NAME, path: join(dir, NAME), entries: [...ARCHIVED_FILES, ...REFERENCED] });
  const opened = openArchive(written.path);
  if (!('entries' in opened)) throw new Error(opened.error);
  expect(Object.keys(opened.entries).sort()).toEqual([...ARCHIVED_FILES, ...REFERENCED].sort());
  expect(new TextDecoder().decode(opened.entries['audit.md'])).toBe('audit.md of the run\n');
});

test('a file is hashed whole, also past the first 1 MiB read', () => {
  const path = join(root, 'big.bin');
  const bytes = Buffer.alloc((1 << 20) * 2 + 123, 7);
  bytes[bytes.length - 1] = 8;
  writeFileSync(path, bytes);
  expect(sha256File(path)).toBe(createHash('sha256').update(bytes).digest('hex'));
  writeFileSync(path, '');
  expect(sha256File(path)).toBe(createHash('sha256').digest('hex'));
});

test('the receipts: DONE.txt with its five fields, and a sha256sum line', () => {
  const dir = runFolder();
  writeReceipts(dir, { archive: NAME, sha256: 'f'.repeat(64), size: 1234, timestamp: '2025-11-26T10:00:05.000Z', gitCommit: 'abc123' });
  expect(readFileSync(join(dir, 'DONE.txt'), 'utf8')).toBe(
    `Archive: ${NAME}\nSHA256: ${'f'.repeat(64)}\nSize: 1234\nTimestamp: 2025-11-26T10:00:05.000Z\nGit Commit: abc123\n`,
  );
  expect(readFileSync(join(dir, `${NAME}.sha256`), 'utf8')).toBe(`${'f'.repeat(64)}  ${NAME}\n`);
});

test('an archive as written verifies, and reports its hash, size and entry count', () => {
  const dir = runFolder();
  const { sha256, size } = archived(dir);
  expect(verifyArchive(dir, NAME, REFERENCED)).toEqual({ problems: [], sha256, size, entries: 7 });
});

test('a file that is not a zip is named, with the reason', () => {
  expect(openArchive(join(root, 'none.zip'))).toEqual({ error: expect.stringContaining('ENOENT') });
  const dir = runFolder();
  archived(dir);
  writeFileSync(join(dir, NAME), 'not a zip at all');
  receiptsFor(dir);
  const result = verifyArchive(dir, NAME, REFERENCED);
  expect(result.problems).toEqual([expect.stringMatching(new RegExp(`^${NAME.replace(/\./g, '\\.')} is not a valid zip: .+`))]);
  expect(result.entries).toBe(0);
});

describe('verifyArchive finds', () => {
  test('a missing archive, and nothing else to check', () => {
    const dir = runFolder();
    expect(verifyArchive(dir, NAME, REFERENCED)).toEqual({ problems: [`${NAME} does not exist`], sha256: null, size: null, entries: 0 });
  });

  test('entries missing from the zip and entries the run folder does not have', () => {
    const dir = runFolder();
    archived(dir);
    const { 'run.jsonl': _dropped, ...rest } = entriesOf(dir);
    rezip(dir, { ...rest, 'artifacts/8.8/extra.json': '{}' });
    receiptsFor(dir);
    expect(verifyArchive(dir, NAME, REFERENCED).problems).toEqual([`${NAME} lacks run.jsonl`, `${NAME} holds files that are not in the run folder: artifacts/8.8/extra.json`]);
  });

  test('an entry whose bytes differ from the run folder; the two reports that carry the hash are left to verify-report', () => {
    const dir = runFolder();
    archived(dir);
    rezip(dir, { ...entriesOf(dir), 'run.jsonl': 'edited\n', [REFERENCED[0]]: '{}', 'audit.md': 'footer differs\n', 'summary.json': '{"archive":{}}' });
    receiptsFor(dir);
    expect(verifyArchive(dir, NAME, REFERENCED).problems).toEqual([`${REFERENCED[0]} in ${NAME} differs from the run folder`, `run.jsonl in ${NAME} differs from the run folder`]);
  });

  test('a zip with a second CSV', () => {
    const dir = runFolder();
    writeFileSync(join(dir, 'artifacts/1.1/copy.csv'), 'x\n');
    archived(dir);
    rezip(dir, { ...entriesOf(dir), 'artifacts/1.1/copy.csv': 'x\n' });
    receiptsFor(dir);
    expect(verifyArchive(dir, NAME, [...REFERENCED, 'artifacts/1.1/copy.csv']).problems).toEqual([`${NAME} must hold exactly one CSV`]);
  });

  test('folder entries in the zip are not files', () => {
    const dir = runFolder();
    archived(dir);
    writeFileSync(join(dir, NAME), zipSync({ ...Object.fromEntries(Object.entries(entriesOf(dir)).map(([k, v]) => [k, new TextEncoder().encode(v)])), 'artifacts/': {} }));
    receiptsFor(dir);
    expect(verifyArchive(dir, NAME, REFERENCED)).toMatchObject({ problems: [], entries: 7 });
  });

  test('missing receipts', () => {
    const dir = runFolder();
    archived(dir);
    rmSync(join(dir, 'DONE.txt'));
    rmSync(join(dir, `${NAME}.sha256`));
    expect(verifyArchive(dir, NAME, REFERENCED).problems).toEqual(['DONE.txt does not exist', `${NAME}.sha256 does not exist`]);
  });

  test('a DONE.txt that names another archive, a malformed hash and a wrong size', () => {
    const dir = runFolder();
    const { size } = archived(dir);
    writeFileSync(join(dir, 'DONE.txt'), `Archive: other.zip\nSHA256: ${'A'.repeat(64)}\nSize: ${size + 1}\nnot a field line\n`);
    expect(verifyArchive(dir, NAME, REFERENCED).problems).toEqual([
      `DONE.txt names the archive "other.zip", not ${NAME}`,
      `DONE.txt SHA256 "${'A'.repeat(64)}" is not 64 lowercase hex characters`,
      `DONE.txt Size ${size + 1} ≠ the archive's size ${size}`,
    ]);
  });

  test('a DONE.txt without a hash, or with a hash one character short', () => {
    const dir = runFolder();
    const { sha256, size } = archived(dir);
    writeFileSync(join(dir, 'DONE.txt'), `Archive: ${NAME}\nSize: ${size}\n`);
    expect(verifyArchive(dir, NAME, REFERENCED).problems).toEqual(['DONE.txt SHA256 "undefined" is not 64 lowercase hex characters']);
    writeFileSync(join(dir, 'DONE.txt'), `Archive: ${NAME}\nSHA256: x${sha256}\nSize: ${size}\n`);
    expect(verifyArchive(dir, NAME, REFERENCED).problems).toEqual([`DONE.txt SHA256 "x${sha256}" is not 64 lowercase hex characters`]);
    writeFileSync(join(dir, 'DONE.txt'), `Archive: ${NAME}\nSHA256: ${sha256.slice(1)}\nSize: ${size}\n`);
    expect(verifyArchive(dir, NAME, REFERENCED).problems).toEqual([`DONE.txt SHA256 "${sha256.slice(1)}" is not 64 lowercase hex characters`]);
  });

  test('several missing and extra entries are listed', () => {
    const dir = runFolder();
    archived(dir);
    const { 'run.jsonl': _a, 'summary.json': _b, ...rest } = entriesOf(dir);
    rezip(dir, { ...rest, 'artifacts/8.8/a.json': '{}', 'artifacts/8.8/b.json': '{}' });
    receiptsFor(dir);
    expect(verifyArchive(dir, NAME, REFERENCED).problems).toEqual([
      `${NAME} lacks run.jsonl, summary.json`,
      `${NAME} holds files that are not in the run folder: artifacts/8.8/a.json, artifacts/8.8/b.json`,
    ]);
  });

  test('only whole "Field: value" lines of DONE.txt count; a hash one character long is not a hash', () => {
    const dir = runFolder();
    const { sha256, size } = archived(dir);
    writeFileSync(join(dir, 'DONE.txt'), `Archive: ${NAME}\nSHA256: ${sha256}\nSize: ${size}\n#Archive: other.zip\n`);
    expect(verifyArchive(dir, NAME, REFERENCED).problems).toEqual([]);
    writeFileSync(join(dir, 'DONE.txt'), `Archive: ${NAME}\nSHA256: ${sha256}a\nSize: ${size}\n`);
    expect(verifyArchive(dir, NAME, REFERENCED).problems).toEqual([`DONE.txt SHA256 "${sha256}a" is not 64 lowercase hex characters`]);
  });

  test('a sha256sum line that does not match', () => {
    const dir = runFolder();
    const { sha256 } = archived(dir);
    writeFileSync(join(dir, `${NAME}.sha256`), `${sha256} ${NAME}\n`);
    expect(verifyArchive(dir, NAME, REFERENCED).problems).toEqual([`${NAME}.sha256 does not hold "${sha256}  ${NAME}"`]);
  });
});
