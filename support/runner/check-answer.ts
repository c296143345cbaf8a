import type { SpecEntry } from '../catalogue/index.ts';
import type { ApiResult } from '../client.ts';
import { inspectContract, mergeDrift, withOmitted, type ContractName } from '../contracts/index.ts';
import { issueText, type ContractRecord, type RecordCount } from '../core/outcome.ts';
import type { Ids } from '../core/types.ts';
import { describeAnswer, describeExpectation, matchesClass } from './answer.ts';
import type { Problem } from './failure.ts';

export interface AnswerCheck {
  /** Empty when every answer is the expected one, keeps its contract and its predicates. */
  problems: Problem[];
  /** The contracts the answers were checked against, merged (absent when none applied). */
  contract?: ContractRecord;
  records: RecordCount[];
}

/** Stage 3: every answer must match the expectation (or an accepted alternative), its contract and predicates. */
export function checkAnswers(spec: SpecEntry, results: ApiResult[], ids: Ids): AnswerCheck {
  const plan = spec.plan;
  const check: AnswerCheck = { problems: [], records: [] };
  for (const [i, result] of results.entries()) {
    const label = results.length > 1 ? `answer ${i + 1} of ${results.length}: ` : '';
    const candidates = [plan.expect, ...(plan.alsoAccept ?? [])];
    const matched = candidates.find((e) => matchesClass(e, result));
    if (!matched) {
      const kind = result.kind === 'network' ? 'no-answer' : 'answer';
      check.problems.push({ kind, text: `${label}expected ${candidates.map(describeExpectation).join(' or ')}, got ${describeAnswer(result)}` });
      continue;
    }
    check.records.push(...recordsOf(spec, result));
    const contractName = (matched.contract ?? plan.contract) as ContractName | null;
    if (contractName) {
      const findings = inspectContract(contractName, result.body);
      const issues = withOmitted(findings);
      check.contract = merged(check.contract, { name: contractName, ok: findings.ok, issues, drift: findings.drift });
      for (const issue of issues) check.problems.push({ kind: 'contract', text: `${label}contract ${contractName}: ${issueText(issue)}` });
    }
    for (const predicate of matched.predicates ?? []) {
      const problem = predicate.check(result.body, ids);
      if (problem) check.problems.push({ kind: 'predicate', text: `${label}${predicate.text}: ${problem}` });
    }
  }
  return check;
}

function merged(previous: ContractRecord | undefined, next: ContractRecord): ContractRecord {
  return previous
    ? { name: next.name, ok: previous.ok && next.ok, issues: [...previous.issues, ...next.issues], drift: mergeDrift(previous.drift, next.drift) }
    : next;
}

/** Records fetched: list items, seats of a seat map, or one entity; error answers fetch nothing. */
function recordsOf(spec: SpecEntry, result: ApiResult): RecordCount[] {
  if (result.kind !== 'ok') return [];
  const body: any = result.body;
  const plan = spec.plan;
  const list = Array.isArray(body) ? body : Array.isArray(body?.data) ? body.data : Array.isArray(body?.result) ? body.result : null;
  const isSeatMap = plan.contract?.startsWith('seats.') && body?.data && typeof body.data === 'object';
  const fetched = list ? list.length : isSeatMap ? Object.keys(body.data).length : body && typeof body === 'object' ? 1 : 0;
  const paging = body?.paging;
  return [{ entity: String(plan.load ?? plan.contract ?? 'answer'), fetched, pages: 1, pagingTotal: paging?.total ?? null, perPage: paging?.perPage ?? null }];
}
