import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { personalValuesSeen, scanForLeaks } from '../../reporters/audit/leaks.ts';
import { PERSONAL_VALUES_FILE, maskValue } from '../../support/masking.ts';

/** The report's leak scan: which secrets and personal values it looks for, and what it reports when it finds one. */

test('personal values come from the scratch folder, once each, and are none without one', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'leaks-scratch-'));
  try {
    expect(personalValuesSeen(scratch)).toEqual([]);
    writeFileSync(join(scratch, PERSONAL_VALUES_FILE), 'Иванов\nivan@example.org\n\nИванов\n');
    expect(personalValuesSeen(scratch)).toEqual(['Иванов', 'ivan@example.org']);
    expect(personalValuesSeen(undefined)).toEqual([]);
    expect(personalValuesSeen('')).toEqual([]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('a scan counts the files and secrets it checked and names each finding by file and kind, masked', () => {
  const files = [
    { name: 'audit.md', text: 'token rest-secret in a line' },
    { name: 'run.jsonl', text: '{"note":"written by Иванов"}' },
    { name: 'summary.json', text: '{}' },
  ];
  const scan = scanForLeaks(files, ['rest-secret', 'unused-secret'], ['Иванов']);
  expect(scan.filesScanned).toBe(3);
  expect(scan.secretsChecked).toBe(2);
  expect(scan.findings).toEqual([
    { file: 'audit.md', kind: 'secret', excerpt: maskValue('rest-secret') },
    { file: 'run.jsonl', kind: 'personal', excerpt: maskValue('Иванов') },
  ]);
  expect(JSON.stringify(scan)).not.toContain('rest-secret');
  // Personal values are optional: without them only secrets and patterns are looked for.
  expect(scanForLeaks(files, ['rest-secret']).findings.map((f) => f.kind)).toEqual(['secret']);
  expect(scanForLeaks([], []).filesScanned).toBe(0);
});
