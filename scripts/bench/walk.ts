/**
 * Benchmark child (b): walks orders and clients of a mock tenant into a fresh embedded ClickHouse, in one of
 * two modes, and prints one line `BENCH_RESULT {json}` with its figures.
 *
 *   deep      deepList: QTicketsClient, every record checked against its contract, drift and ids tracked
 *   baseline  plain undici GET (page in the JSON body) + JSON.parse, no validation
 *
 * Both load through the same DeepLoader (same transforms, same batches, same facts recompute) and both fetch
 * PAGES_AHEAD pages ahead, so the ratio between them is the cost of validation and bookkeeping. Runs in a process of
 * its own so that its peak memory is its own (the ClickHouse child's is read from /proc).
 *
 * Settings come from the environment (never from argv): BENCH_REST_URL, BENCH_REST_TOKEN, BENCH_MODE,
 * BENCH_BATCH_ROWS, and BENCH_MOCK_PID (to account the mock's CPU time per walk).
 */
import { execFileSync } from 'node:child_process';
import { request } from 'undici';
import { createClient } from '../../support/clickhouse/connect.ts';
import { startEmbeddedClickHouse } from '../../support/clickhouse/embedded.ts';
import { bootstrapSchema } from '../../support/clickhouse/schema.ts';
import { QTicketsClient } from '../../support/client.ts';
import type { ContractName } from '../../support/contracts/index.ts';
import { DEFAULT_BATCH_ROWS, DeepLoader, type ListDataset } from '../../support/deep/loader.ts';
import { deepList, PAGES_AHEAD } from '../../support/deep/pages.ts';
import type { LoadContext } from '../../support/loader/transforms.ts';
import { cpuSeconds, peakRssKb } from './measure.ts';

export interface WalkFigures {
  dataset: ListDataset;
  records: number;
  pages: number;
  pagingTotal: number;
  ms: number;
  /** Time spent in the loader's page() and finish(): transforms, and waiting for an insert to finish. */
  loaderMs: number;
  rowsLoaded: Record<string, number>;
  /** Rows of the staging table counted with FINAL after the walk. */
  rowsInClickHouse: number;
  /** CPU seconds each process spent during this walk (null when /proc could not tell). */
  cpu: { walk: number; clickhouse: number | null; mock: number | null };
  /** Deep mode only. */
  failedRecords?: number;
  driftPaths?: number;
  complete?: boolean;
  totalsAgree?: boolean;
}

export interface WalkResult {
  mode: 'deep' | 'baseline';
  batchRows: number;
  clickhouseStartMs: number;
  walks: WalkFigures[];
  /** This process's peak resident memory, kB (getrusage: the process itself, not its children). */
  selfPeakKb: number;
  /** The embedded ClickHouse child's VmHWM, kB. */
  clickhousePeakKb: number | null;
  /** Where the engine kept its data, and its size at the end (tmpfs memory is in nobody's RSS). */
  clickhouseData: { dir: string; mb: number };
}

const DATABASE = 'qtickets_bench';
const CONTRACTS: Partial<Record<ListDataset, ContractName>> = { events: 'events.list', orders: 'orders.list', clients: 'clients.list' };
const PATHS: Partial<Record<ListDataset, string>> = { events: '/events', orders: '/orders', clients: '/clients' };
const STAGING: Partial<Record<ListDataset, string>> = { events: 'dim_events', orders: 'stg_qtickets_api_orders_raw', clients: 'stg_qtickets_api_clients_raw' };

const env = (name: string): string => process.env[name] || fail(`${name} is not set`);
function fail(message: string): never {
  throw new Error(`bench walk: ${message}`);
}

/** Plain paging: GET with `{page}` in the body, JSON.parse, load; the next pages are requested before this one is loaded. */
async function plainWalk(baseUrl: string, token: string, path: string, onPage: (items: any[]) => Promise<unknown>): Promise<{ records: number; pages: number; total: number }> {
  const fetchPage = async (page: number) => {
    const response = await request(`${baseUrl}${path}`, {
      method: 'GET',
      headers: { accept: 'application/json', authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ page }),
      // As the suite's client: without it undici opens a new connection after every GET with a body.
      reset: false,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) fail(`${path} page ${page} answered ${response.statusCode}`);
    return JSON.parse(text) as { data: any[]; paging: { perPage: number; total: number } };
  };
  let records = 0;
  let pages = 0;
  let total = 0;
  const queue = [fetchPage(1)];
  let requested = 1;
  for (let page = 1; ; page++) {
    const body = await queue.shift()!;
    const lastPage = Math.ceil(body.paging.total / body.paging.perPage);
    while (requested < Math.min(lastPage, page + PAGES_AHEAD)) queue.push(fetchPage(++requested));
    await onPage(body.data);
    records += body.data.length;
    pages += 1;
    total = body.paging.total;
    if (page >= lastPage) return { records, pages, total };
  }
}

async function main(): Promise<void> {
  const mode = env('BENCH_MODE');
  if (mode !== 'deep' && mode !== 'baseline') fail(`BENCH_MODE must be deep or baseline, not ${mode}`);
  const baseUrl = env('BENCH_REST_URL');
  const token = env('BENCH_REST_TOKEN');
  const batchRows = Number(process.env.BENCH_BATCH_ROWS || DEFAULT_BATCH_ROWS);
  const mockPid = Number(process.env.BENCH_MOCK_PID) || null;

  const chStarted = performance.now();
  const engine = await startEmbeddedClickHouse();
  const ch = createClient({ url: engine.url, user: 'default', password: '', database: 'default' });
  const result: WalkResult = { mode, batchRows, clickhouseStartMs: 0, walks: [], selfPeakKb: 0, clickhousePeakKb: null, clickhouseData: { dir: engine.dataDir, mb: 0 } };
  try {
    await bootstrapSchema(ch, DATABASE, { embedded: true });
    result.clickhouseStartMs = Math.round(performance.now() - chStarted);
    const client = new QTicketsClient({ api: 'rest', baseUrl, token, timeoutMs: 60_000, maxRetries: 2, retryBaseMs: 500, maxRetryAfterMs: 5_000 });
    const cities = new Map<string, string>();
    let ver = 0n;

    const walk = async (dataset: ListDataset): Promise<void> => {
      const ctx: LoadContext = { ver: ++ver, ingestTs: new Date(), eventCity: (id) => cities.get(id) };
      const loader = new DeepLoader(ch, DATABASE, dataset, ctx, batchRows);
      let loaderMs = 0;
      const timed = async <T>(task: () => Promise<T>): Promise<T> => {
        const started = performance.now();
        try {
          return await task();
        } finally {
          loaderMs += performance.now() - started;
        }
      };
      // Orders take their city from their event (defect 3): the events walk fills this map first.
      const remember = (items: any[]) => dataset === 'events' && items.forEach((e) => cities.set(String(e.id), e.city?.name ?? ''));
      const onPage = (items: any[]) => {
        remember(items);
        return timed(() => loader.page(items));
      };
      const cpu = () => ({ walk: process.cpuUsage(), clickhouse: cpuSeconds(engine.pid), mock: mockPid ? cpuSeconds(mockPid) : null });
      const cpuBefore = cpu();
      const started = performance.now();
      let figures: Omit<WalkFigures, 'ms' | 'loaderMs' | 'rowsInClickHouse' | 'cpu'>;
      if (mode === 'deep') {
        const deep = await deepList({ client, path: PATHS[dataset]!, contract: CONTRACTS[dataset]!, onPage, onEnd: () => timed(() => loader.finish()) });
        if (!deep.complete) fail(`the deep walk of ${dataset} ended early: ${deep.stopReason}`);
        figures = { dataset, records: deep.records, pages: deep.pages, pagingTotal: deep.pagingTotal, rowsLoaded: deep.rowsLoaded, failedRecords: deep.failedRecords, driftPaths: deep.drift.length, complete: deep.complete, totalsAgree: deep.totalsAgree };
      } else {
        const rowsLoaded: Record<string, number> = {};
        const add = (rows: Record<string, number>) => Object.entries(rows).forEach(([table, n]) => (rowsLoaded[table] = (rowsLoaded[table] ?? 0) + n));
        const plain = await plainWalk(baseUrl, token, PATHS[dataset]!, async (items) => add(await onPage(items)));
        add(await timed(() => loader.finish()));
        figures = { dataset, records: plain.records, pages: plain.pages, pagingTotal: plain.total, rowsLoaded };
      }
      const ms = Math.round(performance.now() - started);
      const cpuAfter = cpu();
      const spent = (before: number | null, after: number | null) => (before === null || after === null ? null : after - before);
      const walkCpu = process.cpuUsage(cpuBefore.walk);
      const cpuSpent = { walk: (walkCpu.user + walkCpu.system) / 1e6, clickhouse: spent(cpuBefore.clickhouse, cpuAfter.clickhouse), mock: spent(cpuBefore.mock, cpuAfter.mock) };
      const counted = await ch.query({ query: `SELECT count() AS n FROM ${DATABASE}.${STAGING[dataset]} FINAL WHERE _ver = {ver:UInt64}`, query_params: { ver: String(ctx.ver) }, format: 'JSONEachRow' });
      const rowsInClickHouse = Number((await counted.json<{ n: string }>())[0].n);
      result.walks.push({ ...figures, ms, loaderMs: Math.round(loaderMs), rowsInClickHouse, cpu: cpuSpent });
    };

    await walk('events');
    await walk('orders');
    await walk('clients');
    result.selfPeakKb = process.resourceUsage().maxRSS;
    result.clickhousePeakKb = peakRssKb(engine.pid);
    result.clickhouseData.mb = Math.round(Number(execFileSync('du', ['-sk', engine.dataDir], { encoding: 'utf8' }).split('\t')[0]) / 1024);
  } finally {
    await ch.close();
    await engine.stop();
  }
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

await main();
