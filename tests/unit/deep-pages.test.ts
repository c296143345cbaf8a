import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { QTicketsClient } from '../../support/client.ts';
import { deepEvidence } from '../../support/deep/evidence.ts';
import { deepList, PAGES_AHEAD } from '../../support/deep/pages.ts';
import { fixturesDir } from '../../support/paths.ts';

/**
 * deepList against a tiny local server that pages the live clients fixture, so a test can plant an unknown
 * field, a broken record, a growing total or a server that ignores the page number.
 */

const liveClients: any[] = JSON.parse(readFileSync(join(fixturesDir(), 'clients-page-1.json'), 'utf8')).data;

interface Tenant {
  records: any[];
  perPage: number;
  /** Pages the server was asked for, in order. */
  asked: number[];
  /** Called before each answer (to let the total grow). */
  beforeAnswer?: (page: number) => void;
  ignorePage?: boolean;
  /** This page answers 500. */
  failPage?: number;
  /** Each answer waits this long (so that requests overlap). */
  delayMs?: number;
  inFlight?: number;
  maxInFlight?: number;
}

let server: Server;
let tenant: Tenant;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const asked = Number(raw ? JSON.parse(raw).page : 1) || 1;
      tenant.asked.push(asked);
      tenant.inFlight = (tenant.inFlight ?? 0) + 1;
      tenant.maxInFlight = Math.max(tenant.maxInFlight ?? 0, tenant.inFlight);
      res.on('finish', () => (tenant.inFlight! -= 1));
      setTimeout(() => answer(asked), tenant.delayMs ?? 0);
    });
    const answer = (asked: number) => {
      tenant.beforeAnswer?.(asked);
      if (asked === tenant.failPage) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'Internal error', status: 500, code: 'UNKNOWN_ERROR', info: [] }));
        return;
      }
      const page = tenant.ignorePage ? 1 : asked;
      const data = tenant.records.slice((page - 1) * tenant.perPage, page * tenant.perPage);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data, paging: { perPage: tenant.perPage, currentPage: page, total: tenant.records.length } }));
    };
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const clone = <T>(value: T): T => structuredClone(value);
/** Pages requested ahead may reach the server in any order. */
const sorted = (pages: number[]) => [...pages].sort((a, b) => a - b);
const client = () =>
  new QTicketsClient({ api: 'rest', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'unit-test', timeoutMs: 5_000, maxRetries: 0, retryBaseMs: 1, maxRetryAfterMs: 1 });

/** Loads nothing; remembers which ids each page handed over. */
function recorder() {
  const loaded: { page: number; ids: number[] }[] = [];
  const onPage = async (items: any[], page: number) => {
    loaded.push({ page, ids: items.map((c) => c.id) });
    return { stg_qtickets_api_clients_raw: items.length };
  };
  return { loaded, onPage };
}

test('visits every page once, ties drift and a failing record to their ids, and keeps walking', async () => {
  const records = clone(liveClients);
  records[25].loyalty_level = 'gold'; // page 2
  records[71].loyalty_level = 'silver'; // page 4
  records[72].loyalty_level = 'gold'; // page 4
  records[45].details.name = 42; // page 3: a contract failure
  tenant = { records, perPage: 20, asked: [] };
  const { loaded, onPage } = recorder();

  const result = await deepList({ client: client(), path: '/clients', contract: 'clients.list', onPage });

  expect(sorted(tenant.asked)).toEqual([1, 2, 3, 4, 5]);
  expect(loaded.map((l) => l.page)).toEqual([1, 2, 3, 4, 5]);
  expect(result).toMatchObject({ pages: 5, records: 100, pagingTotal: 100, perPage: 20, complete: true, totalsAgree: true, failedRecords: 1, distinctIds: 100, duplicateIds: 0 });
  const issue = expect.stringMatching(/^details\.name: expected string, received number \(masked:/);
  expect(result.contractFailures).toEqual([{ recordId: String(records[45].id), page: 3, issues: [issue] }]);
  // The failing record is reported, not loaded; every other record is.
  expect(loaded[2].ids).not.toContain(records[45].id);
  expect(result.rowsLoaded).toEqual({ stg_qtickets_api_clients_raw: 99 });
  expect(result.drift).toEqual([{ path: 'data[*].loyalty_level', count: 3, example: expect.stringMatching(/^string /) }]);
  expect(result.firstDriftIds).toEqual({ 'data[*].loyalty_level': String(records[25].id) });
  expect(result.http).toMatchObject({ requests: 5, retries: 0 });

  const evidence = deepEvidence(result, 'clients');
  expect(evidence.record).toEqual({ entity: 'clients', fetched: 100, pages: 5, pagingTotal: 100, perPage: 20 });
  expect(evidence.contract.ok).toBe(false);
  expect(evidence.contract.drift[0].example).toContain(`first in record ${records[25].id}`);
  expect(evidence.failures).toEqual([expect.stringMatching(new RegExp(`^contract clients\\.list: record ${records[45].id} \\(page 3\\): details\\.name: expected string`))]);
});

test('tells its progress after every page and once at the end, with the pages paging announced', async () => {
  const records = clone(liveClients).slice(0, 45);
  records[30].loyalty_level = 'gold';
  tenant = { records, perPage: 20, asked: [] };
  const seen: { pages: number; lastPage: number; records: number; total: number; driftCount: number; done: boolean }[] = [];
  await deepList({ client: client(), path: '/clients', contract: 'clients.list', onPage: recorder().onPage, onProgress: ({ pages, lastPage, records: n, total, driftCount, done }) => seen.push({ pages, lastPage, records: n, total, driftCount, done }) });
  expect(seen).toEqual([
    { pages: 1, lastPage: 3, records: 20, total: 45, driftCount: 0, done: false },
    { pages: 2, lastPage: 3, records: 40, total: 45, driftCount: 1, done: false },
    { pages: 3, lastPage: 3, records: 45, total: 45, driftCount: 1, done: false },
    { pages: 3, lastPage: 3, records: 45, total: 45, driftCount: 1, done: true },
  ]);
});

test('page 1 handed in is not requested again', async () => {
  tenant = { records: clone(liveClients).slice(0, 45), perPage: 20, asked: [] };
  const firstPage = { data: tenant.records.slice(0, 20), paging: { perPage: 20, currentPage: 1, total: 45 } };
  const { loaded, onPage } = recorder();
  const result = await deepList({ client: client(), path: '/clients', contract: 'clients.list', onPage, firstPage });
  expect(sorted(tenant.asked)).toEqual([2, 3]);
  expect(loaded.map((l) => l.page)).toEqual([1, 2, 3]);
  expect(result).toMatchObject({ pages: 3, records: 45, complete: true, totalsAgree: true, findings: [] });
});

test('a total that grows during the walk is followed to its new last page and said so', async () => {
  const all = clone(liveClients);
  tenant = { records: all.slice(0, 40), perPage: 20, asked: [] };
  // After page 1 was served, 15 newer clients arrive (ids ascending: they land on the last pages).
  tenant.beforeAnswer = (page) => page === 2 && (tenant.records = all.slice(0, 55));
  const { onPage } = recorder();
  const result = await deepList({ client: client(), path: '/clients', contract: 'clients.list', onPage });
  expect(sorted(tenant.asked)).toEqual([1, 2, 3]);
  expect(result).toMatchObject({ pages: 3, records: 55, firstPagingTotal: 40, pagingTotal: 55, complete: true, totalsAgree: true });
  expect(result.findings).toEqual(['all 55 records collected; paging.total changed during the walk, from 40 on page 1 to 55 on the last page (records were added meanwhile; they were collected too)']);
  expect(deepEvidence(result, 'clients').failures).toEqual([]);
});

test('a server that ignores the page number stops the walk with the reason', async () => {
  tenant = { records: clone(liveClients), perPage: 20, asked: [], ignorePage: true };
  const { onPage } = recorder();
  const result = await deepList({ client: client(), path: '/clients', contract: 'clients.list', onPage });
  // Pages 2 to 4 were requested ahead; the walk stops at the first of them.
  expect(sorted(tenant.asked)).toEqual([1, 2, 3, 4]);
  expect(result).toMatchObject({ pages: 1, records: 20, complete: false, totalsAgree: false });
  expect(result.stopReason).toBe('page 2: the answer says currentPage 1, so the server did not honour the page number in the body');
  expect(deepEvidence(result, 'clients').failures).toEqual([`the deep walk did not reach the last page: ${result.stopReason}`]);
});

test('maxPages bounds the walk', async () => {
  tenant = { records: clone(liveClients), perPage: 10, asked: [] };
  const { onPage } = recorder();
  const result = await deepList({ client: client(), path: '/clients', contract: 'clients.list', onPage, maxPages: 3 });
  expect(sorted(tenant.asked)).toEqual([1, 2, 3]);
  expect(result).toMatchObject({ pages: 3, records: 30, complete: false, stopReason: 'stopped at the page limit (3) before page 4 of 10' });
});

test('a page that keeps failing ends the walk with the reason; the loader is still finished', async () => {
  tenant = { records: clone(liveClients), perPage: 20, asked: [], failPage: 3 };
  const { loaded, onPage } = recorder();
  let finished = 0;
  const onEnd = async () => {
    finished += 1;
    return { stg_qtickets_api_clients_raw: 0 };
  };
  const result = await deepList({ client: client(), path: '/clients', contract: 'clients.list', onPage, onEnd });
  // Pages 4 and 5 were requested ahead and go unused.
  expect(sorted(tenant.asked)).toEqual([1, 2, 3, 4, 5]);
  expect(loaded.map((l) => l.page)).toEqual([1, 2]);
  expect(finished).toBe(1);
  expect(result).toMatchObject({ pages: 2, records: 40, complete: false, totalsAgree: false, stopReason: 'page 3: 500 rest-error UNKNOWN_ERROR' });
  expect(result.findings).toEqual(['the walk ended early after 2 page(s) and 40 of 100 records: page 3: 500 rest-error UNKNOWN_ERROR']);
});

test('pages are requested ahead, at most PAGES_AHEAD at a time, and loaded in order', async () => {
  tenant = { records: clone(liveClients), perPage: 10, asked: [], delayMs: 20 };
  const { loaded, onPage } = recorder();
  const result = await deepList({ client: client(), path: '/clients', contract: 'clients.list', onPage });
  expect(sorted(tenant.asked)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  expect(loaded.map((l) => l.page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  expect(tenant.maxInFlight).toBeGreaterThan(1);
  expect(tenant.maxInFlight).toBeLessThanOrEqual(PAGES_AHEAD);
  expect(result).toMatchObject({ pages: 10, records: 100, complete: true, totalsAgree: true });
});

test('a page requested ahead that fails after the last page moved is not the walk\'s stop reason', async () => {
  const all = clone(liveClients);
  // Page 1 announces 5 pages; then 50 records go, so page 3 is the last and page 4 (requested ahead) fails.
  tenant = { records: all, perPage: 20, asked: [], failPage: 4 };
  tenant.beforeAnswer = (page) => page > 1 && (tenant.records = all.slice(0, 50));
  const { loaded, onPage } = recorder();
  const result = await deepList({ client: client(), path: '/clients', contract: 'clients.list', onPage });
  expect(sorted(tenant.asked)).toEqual([1, 2, 3, 4]);
  expect(loaded.map((l) => l.page)).toEqual([1, 2, 3]);
  expect(result.stopReason).toBeUndefined();
  expect(result).toMatchObject({ pages: 3, records: 50, complete: true, totalsAgree: true });
});

test('a cancelled run ends the walk after the page in hand; the loader is still finished', async () => {
  tenant = { records: clone(liveClients), perPage: 10, asked: [] };
  const cancel = new AbortController();
  const { loaded, onPage } = recorder();
  let finished = 0;
  const result = await deepList({
    client: client(),
    path: '/clients',
    contract: 'clients.list',
    signal: cancel.signal,
    onPage: async (items, page) => {
      if (page === 2) cancel.abort(new Error('the run was cancelled'));
      return onPage(items, page);
    },
    onEnd: async () => {
      finished += 1;
      return {};
    },
  });
  expect(loaded.map((l) => l.page)).toEqual([1, 2]);
  expect(finished).toBe(1);
  // Pages 3 to 5 had been requested ahead when page 2 came in (before the cancel); none of 6 to 10 was.
  expect(sorted(tenant.asked)).toEqual([1, 2, 3, 4, 5]);
  expect(result).toMatchObject({ pages: 2, records: 20, complete: false, stopReason: 'interrupted after page 2 of 10 (the run was cancelled)' });
  expect(deepEvidence(result, 'clients').failures).toEqual(['the deep walk did not reach the last page: interrupted after page 2 of 10 (the run was cancelled)']);
});
