import type { ContractRecord, RecordCount } from '../evidence.ts';
import type { DeepResult } from './pages.ts';

/**
 * A deep walk as test evidence: the `records` entry, the contract record (every page, drift with the id of
 * the first record that carried each unknown key), the failures that fail the spec, and notes.
 */
export interface DeepEvidence {
  record: RecordCount;
  contract: ContractRecord;
  /** Each one fails the spec: failing records, envelope problems, an early end, totals that disagree. */
  failures: string[];
  /** Findings that do not fail the spec (a total that grew and was fully collected), and the walk's figures. */
  notes: string[];
}

export function deepEvidence(result: DeepResult, entity: string): DeepEvidence {
  const contractIssues = result.contractFailures.map((f) => `record ${f.recordId} (page ${f.page}): ${f.issues.join('; ')}`);
  const unlisted = result.failedRecords - result.contractFailures.length;
  if (unlisted > 0) contractIssues.push(`… and ${unlisted} more failing record(s) (${result.failedRecords} of ${result.records} in all)`);
  for (const { page, issues } of result.pageIssues) contractIssues.push(`page ${page}: ${issues.join('; ')}`);
  const failures = contractIssues.map((issue) => `contract ${result.contract}: ${issue}`);
  if (!result.complete) failures.push(`the deep walk did not reach the last page: ${result.stopReason}`);
  else if (!result.totalsAgree) failures.push(...result.findings);

  const { http } = result;
  const notes = [
    `deep walk of ${result.path}: ${result.pages} page(s), ${result.records} records (paging.total ${result.pagingTotal}, perPage ${result.perPage}), ` +
      `the walk sent ${http.requests} request(s) (${http.retries} retr${http.retries === 1 ? 'y' : 'ies'}, ${(http.bytes / 1e6).toFixed(1)} MB) and took ${(http.elapsedMs / 1000).toFixed(1)} s; ` +
      `rows loaded: ${Object.entries(result.rowsLoaded).map(([table, n]) => `${table} ${n}`).join(', ') || 'none'}`,
    ...(result.complete && result.totalsAgree ? result.findings : []),
  ];
  return {
    record: { entity, fetched: result.records, pages: result.pages, pagingTotal: result.pagingTotal, perPage: result.perPage },
    contract: {
      name: result.contract,
      ok: result.failedRecords === 0 && result.pageIssues.length === 0,
      issues: contractIssues,
      drift: result.drift.map((item) => ({ ...item, example: `${item.example}; first in ${describeFirst(result.firstDriftIds[item.path])}` })),
    },
    failures,
    notes,
  };
}

const describeFirst = (id: string | undefined): string => (id === undefined ? 'an unknown record' : id.startsWith('page ') ? id : `record ${id}`);
