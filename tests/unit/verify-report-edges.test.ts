import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFolders, verifyRunDir } from '../../reporters/audit/verify.ts';
import { specSource } from '../../support/catalogue/index.ts';
import { produceRun } from '../helpers/fixtures/reporter/sample-run.ts';

/** verify-report on run folders that are unreadable in part, on the reports root, and on what it only notes. */

const root = mkdtempSync(join(tmpdir(), 'verify-edges-'));
let good: string;
// The sample run is written in the first test's beforeEach, not in beforeAll: a run the reporter cannot
// write then fails that test, where a failing beforeAll would only skip them all.
let sample: Promise<string> | undefined;
beforeEach(async () => {
  good = await (sample ??= produceRun(join(root, 'a'), '20251126_100000').then((r) => r.runDir));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function copy(name: string, edit: (dir: string) => void): string {
  const dir = join(root, 'copies', name, '20251126_100000');
  cpSync(good, dir, { recursive: true });
  edit(dir);
  return dir;
}
const editJson = (dir: string, file: string, edit: (value: any) => void) => {
  const value = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  edit(value);
  writeFileSync(join(dir, file), JSON.stringify(value, null, 2));
};

test('run folders are the YYYYMMDD_HHMMSS folders of the root, oldest first', () => {
  const reports = join(root, 'reports');
  for (const name of ['20251126_100000', '20251125_235959', 'latest', '2025112_100000']) mkdirSync(join(reports, name), { recursive: true });
  writeFileSync(join(reports, '20251127_000000'), 'a file, not a run');
  expect(runFolders(reports)).toEqual([join(reports, '20251125_235959'), join(reports, '20251126_100000')]);
  expect(runFolders(join(root, 'no-such-root'))).toEqual([]);
});

describe('a run folder that cannot be read back stops at the first unreadable file', () => {
  test('a missing report', () => {
    const dir = copy('missing', (d) => rmSync(join(d, 'run.jsonl')));
    expect(verifyRunDir(dir)).toEqual({ dir, problems: ['run folder: run.jsonl is missing'], notes: [] });
  });

  test('a report that is not UTF-8', () => {
    const dir = copy('latin1', (d) => writeFileSync(join(d, 'clickhouse_counts.csv'), Buffer.from([0x74, 0xe9, 0x0a])));
    expect(verifyRunDir(dir).problems).toEqual(['run folder: clickhouse_counts.csv is not valid UTF-8']);
  });

  test('a summary that is not JSON', () => {
    const dir = copy('not-json', (d) => writeFileSync(join(d, 'summary.json'), '{"totals": '));
    expect(verifyRunDir(dir).problems).toEqual([expect.stringMatching(/^run folder: .*JSON/)]);
  });

  test('an artifact that is not JSON', () => {
    const dir = copy('artifact-not-json', (d) => writeFileSync(join(d, 'artifacts/7.2/01-spec.json'), 'not json'));
    expect(verifyRunDir(dir).problems).toEqual([expect.stringMatching(/^run folder: .*JSON/)]);
  });
});

test('violations the run recorded itself are a problem even when the files agree', () => {
  const dir = copy('recorded', (d) => editJson(d, 'summary.json', (s) => s.violations.push({ invariant: 6, message: 'planted' })));
  expect(verifyRunDir(dir).problems).toContain('the run itself recorded 1 invariant violation(s)');
});

test('a summary whose archive hash and size are not the archive\'s', () => {
  const dir = copy('archive-fields', (d) =>
    editJson(d, 'summary.json', (s) => {
      s.archive.sha256 = 'f'.repeat(64);
      s.archive.size += 1;
    }),
  );
  const problems = verifyRunDir(dir).problems;
  expect(problems).toEqual(expect.arrayContaining([
    expect.stringMatching(new RegExp(`^summary\\.json archive sha256 f{64} ≠ the archive's SHA-256 [0-9a-f]{64}$`)),
    expect.stringMatching(/^summary\.json archive size \d+ ≠ the archive's size \d+$/),
  ]));
});

test('an audit.md footer without the archive\'s hash', () => {
  const dir = copy('footer', (d) => {
    const path = join(d, 'audit.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/\*\*SHA256\*\*: [0-9a-f]{64}/, `**SHA256**: ${'0'.repeat(64)}`));
  });
  expect(verifyRunDir(dir).problems).toContain("audit.md's footer does not show the archive's SHA-256");
});

test('a configured secret found in the outputs is a leak, masked; the same problem is listed once', () => {
  const secret = 'qtickets_audit_20251126_100000';
  const problems = verifyRunDir(good, [secret]).problems;
  expect(problems.length).toBeGreaterThan(0);
  expect(problems.every((p) => /^leak in [\w./-]+: secret masked:[0-9a-f]{8}$/.test(p))).toBe(true);
  expect(new Set(problems).size).toBe(problems.length);
  expect(problems.join('\n')).not.toContain(secret);
  expect(problems.some((p) => p.startsWith('leak in audit.md: '))).toBe(true);
});

describe('what verify-report only notes', () => {
  test('a spec file that changed since the run', () => {
    const dir = copy('spec-changed', (d) => editJson(d, 'summary.json', (s) => (s.specSource.sha256 = 'a'.repeat(64))));
    expect(verifyRunDir(dir).notes).toContain(`the spec file changed since this run (run: ${'a'.repeat(12)}…, now: ${specSource.sha256.slice(0, 12)}…)`);
  });

  test('an interrupted run', () => {
    const dir = copy('incomplete', (d) =>
      editJson(d, 'summary.json', (s) => {
        s.incomplete = true;
        s.interruption = 'SIGINT after 7.2';
      }),
    );
    expect(verifyRunDir(dir).notes).toContain('the run is INCOMPLETE (SIGINT after 7.2); its files are consistent with what ran');
  });

  test('a complete run of the current spec file notes nothing', () => {
    expect(verifyRunDir(good).notes).toEqual([]);
  });
});

test("a report of another summary format is refused with one message, not a list of violations", () => {
  expect(verifyRunDir(good).problems).toEqual([]);
  const older = copy('older-format', (dir) => editJson(dir, 'summary.json', (summary) => (summary.format = 'qtickets-audit-summary/1')));
  expect(verifyRunDir(older).problems).toEqual(['summary.json is format "qtickets-audit-summary/1", written by another version of the suite; this version verifies "qtickets-audit-summary/2" only']);
});
