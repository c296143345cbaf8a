import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { sha256File, writeReceipts } from '../../reporters/audit/archive.ts';
import { verifyRunDir } from '../../reporters/audit/verify.ts';
import { produceRun } from '../helpers/fixtures/reporter/sample-run.ts';

/**
 * verify-report on the archive copy: a run whose zip was edited (and its receipts rewritten to match, so the
 * hashes alone do not give it away) fails on what the copy itself says; a run without its archive stops there.
 */

const root = mkdtempSync(join(tmpdir(), 'verify-archive-'));
const RUN_ID = '20251126_100000';
const ZIP = `qtickets_audit_${RUN_ID}.zip`;
let good: string;
// Written in the first test's beforeEach: a run the reporter cannot write then fails that test.
let sample: Promise<string> | undefined;
beforeEach(async () => {
  good = await (sample ??= produceRun(join(root, 'a'), RUN_ID).then((r) => r.runDir));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function copy(name: string, edit: (dir: string) => void): string {
  const dir = join(root, 'copies', name, RUN_ID);
  cpSync(good, dir, { recursive: true });
  edit(dir);
  return dir;
}

/** Rewrites entries of the zip, then the receipts and summary.json's archive fields for the new zip. */
function editZip(dir: string, edit: (entries: Record<string, string>) => void): void {
  const path = join(dir, ZIP);
  const raw = unzipSync(readFileSync(path));
  const entries = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, new TextDecoder().decode(v)]));
  edit(entries);
  writeFileSync(path, zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, new TextEncoder().encode(v)]))));
  const sha256 = sha256File(path);
  const size = statSync(path).size;
  writeReceipts(dir, { archive: ZIP, sha256, size, timestamp: '2025-11-26T10:00:05.000Z', gitCommit: 'abc123' });
  const summaryPath = join(dir, 'summary.json');
  const summary = JSON.parse(readFileSync(summaryPath, 'utf8'));
  summary.archive = { ...summary.archive, sha256, size };
  writeFileSync(summaryPath, JSON.stringify(summary, null, 2));
  const mdPath = join(dir, 'audit.md');
  writeFileSync(mdPath, readFileSync(mdPath, 'utf8').replace(/\*\*SHA256\*\*: [0-9a-f]{64}/, `**SHA256**: ${sha256}`));
}

test('the receipts rewritten for an unchanged zip still verify (the edits below are the only problem)', () => {
  const dir = copy('rezipped', (d) => editZip(d, () => {}));
  expect(verifyRunDir(dir)).toEqual({ dir, problems: [], notes: [] });
});

describe('an edited archive copy', () => {
  test('a total changed in the archived summary.json breaks the copy\'s own invariants', () => {
    const dir = copy('zip-total', (d) =>
      editZip(d, (e) => {
        e['summary.json'] = e['summary.json'].replace('"passed": 4,', '"passed": 5,');
      }),
    );
    const problems = verifyRunDir(dir).problems;
    expect(problems).toContainEqual(expect.stringMatching(/^archive copy, invariant 1: summary\.json "totals" differs/));
    expect(problems).toContain('summary.json in the archive and in the folder differ beyond the archive fields');
    expect(problems.some((p) => p.startsWith('invariant '))).toBe(false);
  });

  test('an archived audit.md whose footer shows a hash instead of pointing to DONE.txt', () => {
    const dir = copy('zip-footer', (d) =>
      editZip(d, (e) => {
        e['audit.md'] = e['audit.md'].replace('**SHA256**: see DONE.txt', `**SHA256**: ${'0'.repeat(64)}`);
      }),
    );
    expect(verifyRunDir(dir).problems).toContain('the archive\'s audit.md footer must say "SHA256: see DONE.txt"');
  });

  test('an archived audit.md edited beyond its archive lines', () => {
    const dir = copy('zip-md', (d) =>
      editZip(d, (e) => {
        e['audit.md'] = e['audit.md'].replace('- **Overall status**: Issues Found', '- **Overall status**: OK');
      }),
    );
    const problems = verifyRunDir(dir).problems;
    expect(problems).toContain('audit.md in the archive and in the folder differ beyond the archive lines');
    expect(problems).toContainEqual(expect.stringMatching(/^archive copy, invariant 16: audit\.md is not the rendering/));
  });

  test('an archived artifact that shows another answer breaks the copy\'s own invariant 11', () => {
    const path = 'artifacts/7.2/01-spec.json';
    const dir = copy('zip-artifact', (d) =>
      editZip(d, (e) => {
        e[path] = e[path].replace('"status": 404', '"status": 200');
      }),
    );
    const problems = verifyRunDir(dir).problems;
    expect(problems).toContain(`archive copy, invariant 11: 7.2: ${path} shows status 200, run.jsonl 404`);
    expect(problems).toContain(`${path} in ${ZIP} differs from the run folder`);
  });

  test('the archived checklist may differ from the folder\'s only in the archive-verified item', () => {
    const edit = (key: string) => (e: Record<string, string>) => {
      const summary = JSON.parse(e['summary.json']);
      summary.checklist.find((c: { key: string }) => c.key === key).evidence = 'edited';
      e['summary.json'] = JSON.stringify(summary, null, 2);
    };
    const differ = 'summary.json in the archive and in the folder differ beyond the archive fields';
    expect(verifyRunDir(copy('zip-checklist-archive', (d) => editZip(d, edit('archive-verified')))).problems).not.toContain(differ);
    expect(verifyRunDir(copy('zip-checklist-leaks', (d) => editZip(d, edit('no-leaks')))).problems).toContain(differ);
  });

  test('an archive without run.jsonl: the copy cannot be read back', () => {
    const dir = copy('zip-no-log', (d) => editZip(d, (e) => void delete e['run.jsonl']));
    const problems = verifyRunDir(dir).problems;
    expect(problems).toContain(`${ZIP} lacks run.jsonl`);
    expect(problems).toContain('archive: run.jsonl is missing');
  });
});

test.each(['audit.md', 'clickhouse_counts.csv', 'summary.json'])('a folder without %s stops there, with that one problem', (file) => {
  const dir = copy(`no-${file}`, (d) => rmSync(join(d, file)));
  expect(verifyRunDir(dir).problems).toEqual([`run folder: ${file} is missing`]);
});

test('a deleted archive is the one problem: no hash to compare the receipts and the footer with', () => {
  const dir = copy('no-zip', (d) => rmSync(join(d, ZIP)));
  expect(verifyRunDir(dir).problems).toEqual([`${ZIP} does not exist`]);
});

test('unreferenced artifacts are noted by count, naming the first five', () => {
  const late = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `artifacts/7.2/late-${x}.json`);
  const dir = copy('many-late', (d) => {
    for (const path of late) writeFileSync(join(d, path), '{"late": true}');
  });
  expect(verifyRunDir(dir)).toMatchObject({ problems: [], notes: [expect.stringMatching(new RegExp(`^6 artifact file\\(s\\) are not referenced by run\\.jsonl .*: ${late.slice(0, 5).join(', ')}$`))] });
});
