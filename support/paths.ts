import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in support/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Reference material (spec data, fixtures, peers) lives beside the clone unless QTICKETS_SHARED_DIR says otherwise. */
export const sharedDir = resolve(process.env.QTICKETS_SHARED_DIR ?? resolve(repoRoot, '..', 'shared'));

export function sharedPath(...parts: string[]): string {
  const path = resolve(sharedDir, ...parts);
  if (!existsSync(path)) {
    throw new Error(`Reference file not found: ${path}. Put the shared/ folder beside the clone or set QTICKETS_SHARED_DIR.`);
  }
  return path;
}

export const fixturesDir = (): string => sharedPath('fixtures', 'live-shapes');
