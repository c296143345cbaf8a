import type { ComparedSpec } from '../../reporters/audit/changelog.ts';

/** A spec as summary.json keeps it for the change log and the baseline: passed, one JSON answer, nothing found. */
export const comparedSpec = (id: string, over: Partial<ComparedSpec & { reason: string }> = {}): ComparedSpec & { reason: string } => ({
  id,
  result: 'passed',
  reason: '',
  endpoint: `GET /x/${id}`,
  status: 200,
  contentType: 'application/json',
  code: null,
  contract: `C${id}`,
  contractIssues: [],
  drift: [],
  deviations: [],
  ...over,
});

/** Drift as the runner records it: each path in one record, with a masked example. */
export const driftFields = (...paths: string[]) => paths.map((path) => ({ path, count: 1, example: '"x"' }));
