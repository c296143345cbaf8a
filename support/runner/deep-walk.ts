import type { ClickHouseClient } from '@clickhouse/client';
import type { SpecEntry } from '../catalogue/index.ts';
import type { ApiResult } from '../client.ts';
import type { ContractRecord, RecordCount } from '../core/outcome.ts';
import type { ApiRequest, Ids } from '../core/types.ts';
import { attachJson } from '../allure.ts';
import { deepEvidence } from '../deep/evidence.ts';
import { DeepLoader, type ListDataset } from '../deep/loader.ts';
import { deepList } from '../deep/pages.ts';
import { progressPrinter, stderrOutput } from '../deep/progress.ts';
import { PagePredicates } from '../deep/predicates.ts';
import type { Discovery } from '../harness/discovery.ts';
import { ImpliedRows } from '../harness/implied.ts';
import type { RunRuntime } from '../harness/runtime.ts';
import type { LoadContext } from '../loader/transforms.ts';
import type { Exchanges } from './exchange.ts';
import type { Problem } from './failure.ts';

export interface DeepWalk {
  loaded: Record<string, number>;
  /** What all pages imply, for the deltas. */
  implied: ImpliedRows;
  problems: Problem[];
  record: RecordCount;
  contract: ContractRecord;
  notes: string[];
}

/**
 * Stage 4 in deep mode (--all-pages): the list answer's other pages, every record checked against the contract
 * and loaded in batches at this test's `_ver`. Page 1 (sent and recorded already) is not requested again; the
 * other pages are summed up in the outcome, not recorded one by one.
 */
export async function walkAllPages(
  spec: SpecEntry,
  first: { request: ApiRequest; result: ApiResult },
  ids: Ids,
  run: { rt: RunRuntime; ver: bigint; ch: ClickHouseClient; exchanges: Exchanges; discovery: Discovery; signal: AbortSignal },
): Promise<DeepWalk> {
  const { rt, ver, ch, exchanges, discovery } = run;
  const dataset = spec.plan.load as ListDataset;
  const implied = new ImpliedRows(dataset);
  const predicates = new PagePredicates(spec.plan.expect.predicates ?? [], ids);
  // Orders carry no city (defect 3): each event is looked up once and its city kept for the walk.
  const cities = new Map<string, string | undefined>();
  const ctx: LoadContext = { ver, ingestTs: new Date(), eventCity: (id) => cities.get(id) };
  const loader = new DeepLoader(ch, rt.clickhouse.database, dataset, ctx);
  const result = await deepList({
    client: exchanges.rest,
    path: first.request.path,
    body: first.request.body as Record<string, unknown> | undefined,
    contract: spec.plan.contract!,
    firstPage: first.result.body,
    signal: run.signal,
    onProgress: progressPrinter(`${spec.id} ${first.request.path}`, stderrOutput(rt.progressTty)),
    onPage: async (items, page) => {
      // Page 1 was checked with the answer.
      if (page > 1) predicates.check(items, page);
      if (dataset === 'orders') {
        for (const id of new Set(items.map((o) => String(o.event_id)))) {
          if (!cities.has(id)) cities.set(id, (await discovery.ensureEvent(id, exchanges.lookup))?.city);
        }
      }
      if (dataset === 'events') discovery.rememberEvents(items);
      implied.add({ data: items });
      return loader.page(items);
    },
    onEnd: () => loader.finish(),
  });
  const deep = deepEvidence(result, dataset);
  await attachJson('deep walk', { ...deep.record, complete: result.complete, totalsAgree: result.totalsAgree, findings: result.findings, drift: deep.contract.drift, http: result.http });
  const problems: Problem[] = [
    ...deep.contractFailures.map((text): Problem => ({ kind: 'contract', text })),
    ...deep.walkFailures.map((text): Problem => ({ kind: 'deep-walk', text })),
    ...predicates.failures().map((text): Problem => ({ kind: 'predicate', text })),
  ];
  return { loaded: result.rowsLoaded, implied, problems, record: deep.record, contract: deep.contract, notes: deep.notes };
}
