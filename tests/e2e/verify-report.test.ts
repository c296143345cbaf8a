import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { verifyRunDir } from '../../reporters/audit/verify.ts';
import { repoRoot } from '../../support/paths.ts';
import { produceRun } from '../helpers/fixtures/reporter/sample-run.ts';

const root = mkdtempSync(join(tmpdir(), 'verify-report-'));
let good: string;
let other: string;
let exitCode: typeof process.exitCode;
beforeAll(() => {
  exitCode = process.exitCode;
});
// Written in the first test's beforeEach: a run the reporter cannot write fails a test (a failing
// beforeAll only skips them, which mutation testing counts as a surviving mutant).
let samples: Promise<[string, string]> | undefined;
beforeEach(async () => {
  samples ??= (async () => [
    (await produceRun(join(root, 'a'), '20251126_100000')).runDir,
    (await produceRun(join(root, 'b'), '20251126_100000', { mode: 'live' })).runDir,
  ] as [string, string])();
  [good, other] = await samples;
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  process.exitCode = exitCode;
});

/** A copy of the good run with one file edited. */
function tampered(name: string, edit: (dir: string) => void): string {
  const dir = join(root, 'tampered', name, '20251126_100000');
  cpSync(good, dir, { recursive: true });
  edit(dir);
  return dir;
}
const replaceIn = (dir: string, file: string, from: string | RegExp, to: string) => {
  const text = readFileSync(join(dir, file), 'utf8');
  const next = text.replace(from, to);
  expect(next).not.toBe(text);
  writeFileSync(join(dir, file), next);
};
const ZIP = 'qtickets_audit_20251126_100000.zip';

test('the run as written verifies', () => {
  expect(verifyRunDir(good)).toEqual({ dir: good, problems: [], notes: [] });
});

describe('a tampered copy fails', () => {
  test('an edited total in summary.json', () => {
    const dir = tampered('total', (d) => replaceIn(d, 'summary.json', '"passed": 4,', '"passed": 5,'));
    expect(verifyRunDir(dir).problems).toEqual(expect.arrayContaining([expect.stringMatching(/^invariant 1: summary\.json "totals" differs/), 'summary.json in the archive and in the folder differ beyond the archive fields']));
  });

  test('an edited delta in the CSV', () => {
    const dir = tampered('delta', (d) => replaceIn(d, 'clickhouse_counts.csv', 'stg_qtickets_api_orders_raw,100,130,30,', 'stg_qtickets_api_orders_raw,100,130,300,'));
    const problems = verifyRunDir(dir).problems;
    expect(problems).toContain('invariant 6: stg_qtickets_api_orders_raw: delta 300 ≠ after 130 − before 100');
    expect(problems).toContain(`clickhouse_counts.csv in ${ZIP} differs from the run folder`);
  });

  test('a swapped archive', () => {
    const dir = tampered('swap', (d) => copyFileSync(join(other, ZIP), join(d, ZIP)));
    const problems = verifyRunDir(dir).problems;
    expect(problems.some((p) => p.startsWith('DONE.txt SHA256'))).toBe(true);
    expect(problems.some((p) => p.startsWith(`${ZIP}.sha256 does not hold`))).toBe(true);
    expect(problems.some((p) => p.startsWith('summary.json archive sha256'))).toBe(true);
  });

  test('an edited hash in DONE.txt', () => {
    const dir = tampered('done', (d) => replaceIn(d, 'DONE.txt', /SHA256: [0-9a-f]{64}/, `SHA256: ${'0'.repeat(64)}`));
    expect(verifyRunDir(dir).problems).toEqual([expect.stringMatching(/^DONE\.txt SHA256 0{64} ≠ the archive's SHA-256 [0-9a-f]{64}$/)]);
  });

  test('an edited report line', () => {
    const dir = tampered('md', (d) => replaceIn(d, 'audit.md', '- **Overall status**: Issues Found', '- **Overall status**: OK'));
    expect(verifyRunDir(dir).problems).toEqual(expect.arrayContaining([expect.stringMatching(/^invariant 16: audit\.md is not the rendering .* line \d+ is "- \*\*Overall status\*\*: OK \(2 failed spec\(s\)\)"/), 'audit.md in the archive and in the folder differ beyond the archive lines']));
  });

  test('a second CSV for the same run', () => {
    const dir = tampered('csv', (d) => copyFileSync(join(d, 'clickhouse_counts.csv'), join(d, 'clickhouse_counts_fixed.csv')));
    expect(verifyRunDir(dir).problems).toEqual(['the run folder holds 2 CSV files (clickhouse_counts.csv, clickhouse_counts_fixed.csv), expected exactly one']);
  });

  test('a truncated archive', () => {
    const dir = tampered('truncated', (d) => writeFileSync(join(d, ZIP), readFileSync(join(d, ZIP)).subarray(0, 500)));
    expect(verifyRunDir(dir).problems.some((p) => p.startsWith(`${ZIP} is not a valid zip`))).toBe(true);
  });

  test('an artifact changed after archiving', () => {
    const dir = tampered('artifact', (d) => replaceIn(d, 'artifacts/7.2/01-spec.json', '"status": 404', '"status": 200'));
    const problems = verifyRunDir(dir).problems;
    expect(problems).toContain('invariant 11: 7.2: artifacts/7.2/01-spec.json shows status 200, run.jsonl 404');
    expect(problems).toContain(`artifacts/7.2/01-spec.json in ${ZIP} differs from the run folder`);
  });
});

describe('artifacts outside the record', () => {
  test('a file a still-running test wrote after the archive is a note, and still scanned for leaks', () => {
    const late = tampered('late', (d) => writeFileSync(join(d, 'artifacts', '7.2', '02-spec.json'), '{"late": true}'));
    expect(verifyRunDir(late)).toMatchObject({ problems: [], notes: [expect.stringMatching(/^1 artifact file\(s\) are not referenced by run\.jsonl/)] });
    const leaking = tampered('late-leak', (d) => writeFileSync(join(d, 'artifacts', '7.2', '02-spec.json'), '{"email": "ivan@example.org"}'));
    expect(verifyRunDir(leaking).problems).toEqual([expect.stringMatching(/^leak in artifacts\/7\.2\/02-spec\.json: email masked:[0-9a-f]{8}$/)]);
  });

  test('an artifact deleted after the run', () => {
    const dir = tampered('deleted', (d) => rmSync(join(d, 'artifacts', '7.2', '01-spec.json')));
    expect(verifyRunDir(dir).problems).toContain(`${ZIP} holds files that are not in the run folder: artifacts/7.2/01-spec.json`);
  });
});

describe('npm run verify-report', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'scripts/verify-report.ts'), ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...env } });

  test('exits 0 on a good run and 1 with the mismatches on a tampered one', () => {
    const ok = cli([good]);
    expect(ok.stdout).toContain('verified');
    expect(ok.status).toBe(0);
    const bad = cli([join(root, 'tampered', 'done', '20251126_100000')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('DONE.txt SHA256');
  });

  test('without an argument it verifies the newest run of the reports folder', () => {
    const result = cli([], { AUDIT_REPORTS_DIR: join(root, 'a') });
    expect(result.stdout).toContain(`${good}: verified`);
    expect(cli([], { AUDIT_REPORTS_DIR: join(root, 'empty') }).status).toBe(2);
  });
});
