import { issueText, type ContractIssue, type ContractRecord, type RecordCount } from '../core/outcome.ts';
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
  /** The failures of the contract (records, envelopes), the first of `failures`. */
  contractFailures: string[];
  /** The walk's own failures (an early end, totals that disagree), the rest of `failures`. */
  walkFailures: string[];
  /** Findings that do not fail the spec (a total that grew and was fully collected), and the walk's figures. */
  notes: string[];
}

export function deepEvidence(result: DeepResult, entity: string): DeepEvidence {
  const joined = (issues: ContractIssue[]) => issues.map(issueText).join('; ');
  const contractIssues: ContractIssue[] = result.contractFailures.map((f) => ({ path: `record ${f.recordId} (page ${f.page})`, message: joined(f.issues) }));
  const unlisted = result.failedRecords - result.contractFailures.length;
  if (unlisted > 0) contractIssues.push({ path: '', message: `… and ${unlisted} more failing record(s) (${result.failedRecords} of ${result.records} in all)` });
  for (const { page, issues } of result.pageIssues) contractIssues.push({ path: `page ${page}`, message: joined(issues) });
  const contractFailures = contractIssues.map((issue) => `contract ${result.contract}: ${issueText(issue)}`);
  const walkFailures = !result.complete ? [`the deep walk did not reach the last page: ${result.stopReason}`] : !result.totalsAgree ? result.findings : [];

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
    failures: [...contractFailures, ...walkFailures],
    contractFailures,
    walkFailures,
    notes,
  };
}

const describeFirst = (id: string | undefined): string => (id === undefined ? 'an unknown record' : id.startsWith('page ') ? id : `record ${id}`);
