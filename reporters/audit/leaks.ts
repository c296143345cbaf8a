import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERSONAL_VALUES_FILE, leakFinder } from '../../support/masking.ts';
import type { LeakScan } from './types.ts';

/** The credentials whose raw value must never appear in an output (whichever are set). */
const SECRET_VARIABLES = ['QTICKETS_TOKEN', 'QTICKETS_PARTNERS_TOKEN', 'MOCK_TOKEN', 'MOCK_PARTNERS_TOKEN', 'CLICKHOUSE_PASSWORD'] as const;

export function configuredSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  return SECRET_VARIABLES.map((name) => env[name] ?? '').filter((value) => value !== '');
}

/**
 * The raw personal values the spec tests saw in answers (emails, phones, names), kept by the harness in the
 * run's private scratch folder; empty when that folder is gone (verify-report after the run).
 */
export function personalValuesSeen(scratchDir: string | undefined): string[] {
  const file = scratchDir ? join(scratchDir, PERSONAL_VALUES_FILE) : '';
  return file && existsSync(file) ? [...new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean))] : [];
}

/** Scans every output text for the raw secrets, the personal values seen, and email and phone patterns; findings are masked. */
export function scanForLeaks(files: readonly { name: string; text: string }[], secrets: readonly string[], personal: readonly string[] = []): LeakScan {
  const find = leakFinder({ secrets: [...secrets], personal: [...personal] });
  const findings = files.flatMap((file) => find(file.text).map((leak) => ({ file: file.name, kind: leak.kind, excerpt: leak.match })));
  return { filesScanned: files.length, secretsChecked: secrets.length, findings };
}
