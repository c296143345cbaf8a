import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * audit-baseline.json: the findings of one verified report that a scheduled audit accepts as known (written
 * by `npm run baseline`). `npm test -- --baseline <file>` separates known findings from new ones in the
 * report; `--fail-on` decides the exit code from them.
 */

export const BASELINE_FORMAT = 'qtickets-audit-baseline/1';

/** `new`: fail only for drift, deviations, failures or slower endpoints the baseline does not hold; `any`: fail for every one of them. */
export const FAIL_ON = ['new', 'any'] as const;
export type FailOn = (typeof FAIL_ON)[number];

const runId = z.string().regex(/^\d{8}_\d{6}$/, 'a run id (YYYYmmdd_HHMMSS)');
const entry = <T extends z.ZodRawShape>(shape: T) => z.object({ spec: z.string().min(1), ...shape, runId }).strict();

export const baselineSchema = z
  .object({
    format: z.literal(BASELINE_FORMAT),
    env: z.string().min(1),
    /** The report the baseline was written from. */
    runId,
    createdAt: z.string(),
    /** Drift paths accepted, each with the run it was first seen in. */
    drift: z.array(entry({ contract: z.string(), path: z.string().min(1) })),
    deviations: z.array(entry({ literal: z.string().min(1), sent: z.string().min(1) })),
    /** A failure is known by its spec and the answer it got ("503 application/json UNKNOWN_ERROR"). */
    failures: z.array(entry({ answer: z.string(), message: z.string() })),
    /** Skips, for the record: a skip is never a finding. */
    skips: z.array(entry({ reason: z.string() })),
    /** Each endpoint's p95 as accepted: an endpoint that became slower than this is a finding. */
    latency: z
      .array(z.object({ api: z.enum(['rest', 'partners']), method: z.string().min(1), path: z.string().min(1), p95Ms: z.number().nonnegative(), runId }).strict())
      .default([]),
  })
  .strict();

export type Baseline = z.infer<typeof baselineSchema>;

/** The baseline a run checks its findings against, as the configuration holds it. */
export interface RunBaseline {
  /** The path as given on the command line. */
  file: string;
  failOn: FailOn | null;
  baseline: Baseline;
}

/** What the report decided from the baseline (summary.json `gate`), read back by `npm test` for its exit code. */
export interface Gate {
  failOn: FailOn;
  fail: boolean;
  reasons: string[];
}

/** Reads and checks a baseline for `envName`; every problem is a line for the configuration's one error. */
export function readBaseline(path: string, given: string, envName: string, problems: string[]): Baseline | null {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push(`--baseline ${given} ${code ? `cannot be read (${code})` : `does not parse as JSON: ${(error as Error).message}`}; write one with npm run baseline`);
    return null;
  }
  const parsed = baselineSchema.safeParse(value);
  if (!parsed.success) {
    problems.push(`--baseline ${given} is not an audit baseline (${BASELINE_FORMAT}): ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ')}`);
    return null;
  }
  if (parsed.data.env !== envName) {
    problems.push(`--baseline ${given} belongs to --env ${parsed.data.env} (run ${parsed.data.runId}), not --env ${envName}`);
    return null;
  }
  return parsed.data;
}
