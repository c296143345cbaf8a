import { inject } from 'vitest';
import type { SpecOutcome } from '../core/outcome.ts';
import type { VerifiedTable } from '../clickhouse/tables.ts';

/** What global setup hands every spec test (in memory, through vitest's provide/inject; never written to disk). */
export interface RunRuntime {
  runId: string;
  runDir: string;
  /** Private working folder of the run (outside the report: it may hold raw ids such as emails); removed at the end. */
  scratchDir: string;
  envName: string;
  mode: 'mock' | 'live';
  rest: { baseUrl: string; token: string | null };
  partners: { baseUrl: string; token: string | null };
  http: { timeoutMs: number; maxRetries: number; retryBaseMs: number; maxRetryAfterMs: number; ratePerSecond: number | null; maxAnswerBytes: number; maxJsonDepth: number };
  /** Bytes of artifacts the run may write (AUDIT_MAX_ARTIFACT_BYTES). */
  maxArtifactBytes: number;
  /** Every secret of the run (configuration and the mock's tokens), redacted from whatever is stored. */
  secrets: string[];
  clickhouse: { mode: 'embedded' | 'docker' | 'url'; url: string; user: string; password: string; database: string };
  allowWrites: boolean;
  allPages: boolean;
  /** Deep-walk progress rewrites one line in place (the wrapper's stderr is a terminal). */
  progressTty: boolean;
  idOverrides: Record<string, string>;
  sandbox: Record<string, string>;
  /** `_ver` of the run's first test minus one; test n of the catalogue writes verBase + n. */
  verBase: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    runtime: RunRuntime;
  }
  interface TaskMeta {
    /** The spec test's outcome, read by the audit reporter and the Allure adapter. */
    audit?: SpecOutcome<VerifiedTable>;
  }
}

export function runtime(): RunRuntime {
  const value = inject('runtime');
  if (!value) throw new Error('The spec tests need the run set up by support/harness/global-setup.ts: run them with `npm test`.');
  return value;
}
