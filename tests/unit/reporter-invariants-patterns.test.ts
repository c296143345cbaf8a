import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, expect, test, vi } from 'vitest';
import type { AuditEvent } from '../../reporters/audit/events.ts';
import { readRunBundle, sampleRunPerFile } from '../helpers/fixtures/reporter/sample-run.ts';

/**
 * The patterns the invariants and verify-report are built on: a SHA-256 (or nothing) as request_body_hash and
 * the spec's hash, the byte sequences of UTF-8 read as Latin-1 (mojibake), the name of a run folder. The
 * modules are imported afresh in each test: the patterns are built when they load, and `npm run mutation`
 * can switch a change to them on only for a load inside a test.
 */

const sampleRunDir = sampleRunPerFile('audit-invariants-patterns-');
let invariants: typeof import('../../reporters/audit/invariants.ts');
let verify: typeof import('../../reporters/audit/verify.ts');
beforeEach(async () => {
  vi.resetModules();
  invariants = await import('../../reporters/audit/invariants.ts');
  verify = await import('../../reporters/audit/verify.ts');
});

type Bundle = ReturnType<typeof readRunBundle>;
function after(plant: (b: Bundle) => void): string[] {
  const b = readRunBundle(sampleRunDir());
  plant(b);
  return invariants.checkInvariants(b).map((v) => `#${v.invariant} ${v.message}`);
}
const result = (b: Bundle) => b.events.find((e) => e.event === 'test_result' && e.test_id === '1.1') as AuditEvent & Record<string, any>;
const HEX = 'ab'.repeat(32);

test('request_body_hash: 64 lowercase hex characters or empty', () => {
  for (const hash of ['', HEX]) expect(after((b) => void (result(b).request_body_hash = hash)), hash).toEqual([]);
  for (const hash of [HEX.toUpperCase(), HEX.slice(1), `${HEX}a`, `x${HEX.slice(1)}`, `${HEX.slice(1)}g`]) {
    expect(after((b) => void (result(b).request_body_hash = hash)), hash).toEqual([expect.stringMatching(/^#14 run\.jsonl line \d+: request_body_hash ".*" is neither 64 hex characters nor ""$/)]);
  }
});

test('the spec\'s sha256: 64 lowercase hex characters, never empty', () => {
  const messages = (hash: string) => after((b) => void (b.summary.specSource.sha256 = hash)).filter((m) => m.startsWith('#19'));
  expect(messages(HEX)).toEqual([]);
  for (const hash of ['', HEX.toUpperCase(), HEX.slice(2)]) expect(messages(hash), hash).toEqual([`#19 the spec's sha256 "${hash}" is not 64 hex characters`]);
});

test.each([['â€”'], ['âœ…'], ['Ã©'], ['Ã\u00bf'], ['Ð¸'], ['Ð\u0080'], ['Ñ\u0081'], ['Ñ\u00bf'], ['\ufffd']])('mojibake %j is named', (garbled) => {
  const messages = after((b) => void (b.markdown = b.markdown.replace('Readiness Assessment', `Readiness Assessment ${garbled}`)));
  expect(messages.filter((m) => m.includes('mojibake'))).toEqual([`#16 audit.md contains mojibake near "${garbled.slice(0, garbled.startsWith('â') ? 2 : garbled.length)}"`]);
});

test('text that only looks alike is not mojibake', () => {
  for (const text of ['Ãa', 'ÐA', 'Ñ1', 'âx', 'Россия — «ёлка» ✅ ©']) {
    const messages = after((b) => void (b.markdown = b.markdown.replace('Readiness Assessment', `Readiness Assessment ${text}`)));
    expect(messages.filter((m) => m.includes('mojibake')), text).toEqual([]);
  }
});

test('run folders are named YYYYMMDD_HHMMSS exactly', () => {
  const root = mkdtempSync(join(tmpdir(), 'run-folders-'));
  try {
    const runs = ['20251126_100000', '20251125_235959'];
    for (const name of [...runs, '2025112_100000', '202511260_100000', '20251126_1000000', '20251126-100000', 'x20251126_100000', '20251126_100000x', 'abcdefgh_ijklmn', '20251126_10000']) mkdirSync(join(root, name));
    writeFileSync(join(root, '20251127_000000'), 'a file');
    expect(verify.runFolders(root)).toEqual([join(root, '20251125_235959'), join(root, '20251126_100000')]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
