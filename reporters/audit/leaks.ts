import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERSONAL_VALUES_FILE, leakFinder } from '../../support/masking.ts';
import type { LeakScan } from './types.ts';

/**
 * The raw personal values the spec tests saw in answers (emails, phones, names), kept by the harness in the
 * run's private scratch folder; empty when that folder is gone (verify-report after the run).
 */
export function personalValuesSeen(scratchDir: string | undefined): string[] {
  const file = scratchDir ? join(scratchDir, PERSONAL_VALUES_FILE) : '';
  return file && existsSync(file) ? [...new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean))] : [];
}

/** Scans every output text (window by window, see leakFinder) for the raw secrets, the personal values seen, and email and phone patterns; findings are masked. */
export function scanForLeaks(files: readonly { name: string; text: string | (() => string) }[], secrets: readonly string[], personal: readonly string[] = []): LeakScan {
  const find = leakFinder({ secrets: [...secrets], personal: [...personal] });
  // A file given as a reader is read when its turn comes: one artifact in memory at a time.
  const findings = files.flatMap((file) => find(typeof file.text === 'string' ? file.text : file.text()).map((leak) => ({ file: file.name, kind: leak.kind, excerpt: leak.match })));
  return { filesScanned: files.length, secretsChecked: secrets.length, findings };
}
