import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in support/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Data the suite carries: the spec catalogue and the anonymized live answers. */
export const dataPath = (...parts: string[]): string => resolve(repoRoot, 'data', ...parts);

export const fixturesDir = (): string => dataPath('live-shapes');

/** The project's own documentation, hashed into every report's References section. */
export const REFERENCE_DOCS = ['docs/api.md', 'docs/clickhouse-model.md', 'docs/report-format.md'] as const;
