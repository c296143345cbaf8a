import type { ApiResult, QTicketsClient } from '../client.ts';
import { inspectContract, withOmitted, type ContractName } from '../contracts/index.ts';
import type { ContractIssue, DriftItem } from '../core/outcome.ts';
import type { ApiRequest } from '../core/types.ts';
import type { WalkProgress } from './progress.ts';

/**
 * Deep mode (`--all-pages`): walks a list endpoint page by page (defect 1: follow `paging` to
 * `ceil(total/perPage)`), checks every record against the list contract, hands each page's valid records
 * to the loader, and counts. Memory stays bounded: a page is dropped once loaded; only counters, the drift
 * summary, the first failures and the ids seen (to catch pages that shift) are kept.
 */

export interface RecordFailure {
  recordId: string;
  page: number;
  /** Paths relative to the record. */
  issues: ContractIssue[];
}

export interface DeepResult {
  path: string;
  contract: ContractName;
  /** Pages read (page 1 included, also when it was handed in as `firstPage`). */
  pages: number;
  /** Records read, valid or not. */
  records: number;
  /** `paging.total` of the last page read (a live total may grow during the walk). */
  pagingTotal: number;
  /** `paging.total` of page 1. */
  firstPagingTotal: number;
  perPage: number;
  /** The first failing records, with their issues (at most `keepFailures`). */
  contractFailures: RecordFailure[];
  /** Records that failed the contract: counted, reported, not loaded. */
  failedRecords: number;
  /** Envelope problems (paging, data), per page. */
  pageIssues: { page: number; issues: ContractIssue[] }[];
  /** Unknown keys: `count` is the number of records carrying the path (pages, for envelope paths). */
  drift: DriftItem[];
  /** Drift path → id of the first record that carried it (`page N` for envelope paths). */
  firstDriftIds: Record<string, string>;
  /** Rows written per table, summed over the pages. */
  rowsLoaded: Record<string, number>;
  distinctIds: number;
  /** Records whose id had already been seen on an earlier page (pages shifted during the walk). */
  duplicateIds: number;
  /** The walk reached the last page that `paging` announced. */
  complete: boolean;
  /** Why the walk ended before the last page. */
  stopReason?: string;
  /** records = paging.total at the end of a complete walk (distinct ids, no duplicates). */
  totalsAgree: boolean;
  /** What the walk noticed, in plain sentences (total mismatch or growth, duplicates, short pages). */
  findings: string[];
  http: { requests: number; retries: number; bytes: number; elapsedMs: number };
}

export interface DeepOptions {
  client: QTicketsClient;
  /** List path relative to the API base, e.g. `/orders`. */
  path: string;
  /** The list request's JSON body (filters); `{page: n}` is merged into it, as documented. */
  body?: Record<string, unknown>;
  /** The list contract, e.g. `orders.list`. */
  contract: ContractName;
  /** Loads one page's valid records; returns rows written per table. */
  onPage: (items: any[], page: number) => Promise<Record<string, number>>;
  /** Called once after the walk (also after an early end): flushes the loader; its rows count as loaded. */
  onEnd?: () => Promise<Record<string, number>>;
  /** Stop after this many pages (a guard against a server that never ends). */
  maxPages?: number;
  /** The parsed body of page 1, when the caller already fetched it: the walk then requests pages 2… only. */
  firstPage?: unknown;
  /** How many failing records to keep with their issues (default 10). */
  keepFailures?: number;
  /**
   * Aborted when the run is cancelled (Ctrl-C): the walk ends after the page in hand, the loader is still
   * finished, and the result says where it stopped. A live walk takes minutes; nobody waits for the rest.
   */
  signal?: AbortSignal;
  /** Told after every page, and once when the walk ends. */
  onProgress?: (progress: WalkProgress) => void;
}

/**
 * Pages requested ahead of the one being checked and loaded. Three keep the server and the loader busy at
 * once: with one, the walk waited for pages whenever the server or ClickHouse had a slow moment (about 30 %
 * of a deep walk of orders against the mock). A rate limit still spaces the requests.
 */
export const PAGES_AHEAD = 3;

const DEFAULT_KEEP_FAILURES = 10;
/** The path of the record in a one-record envelope `{data: [record], paging}`. */
const RECORD_PATH = 'data[0]';

export async function deepList(opts: DeepOptions): Promise<DeepResult> {
  const walk = new Walk(opts);
  return walk.run();
}

/** A page's parsed body, or why none came. */
type Fetched = { body: unknown } | { failure: string };

interface Paging {
  perPage: number;
  currentPage: number;
  total: number;
}

class Walk {
  private readonly result: DeepResult;
  private readonly seenIds = new Set<string>();
  private readonly drift = new Map<string, DriftItem>();
  private readonly keepFailures: number;
  private firstDuplicate: string | undefined;
  private shortPage: string | undefined;
  /** The last page `paging` announced, as of the latest page read. */
  private lastPage = 0;

  constructor(private readonly opts: DeepOptions) {
    this.keepFailures = opts.keepFailures ?? DEFAULT_KEEP_FAILURES;
    this.result = {
      path: opts.path,
      contract: opts.contract,
      pages: 0,
      records: 0,
      pagingTotal: 0,
      firstPagingTotal: 0,
      perPage: 0,
      contractFailures: [],
      failedRecords: 0,
      pageIssues: [],
      drift: [],
      firstDriftIds: {},
      rowsLoaded: {},
      distinctIds: 0,
      duplicateIds: 0,
      complete: false,
      totalsAgree: false,
      findings: [],
      http: { requests: 0, retries: 0, bytes: 0, elapsedMs: 0 },
    };
  }

  async run(): Promise<DeepResult> {
    const { result, opts } = this;
    const started = performance.now();
    const queue: Promise<Fetched>[] = [];
    let requested = 0;
    const requestUpTo = (last: number) => {
      while (requested < last) queue.push(this.fetch(++requested));
    };
    if (opts.firstPage !== undefined) {
      queue.push(Promise.resolve({ body: opts.firstPage }));
      requested = 1;
    } else requestUpTo(1);
    for (let page = 1; ; page++) {
      const fetched = await queue.shift()!;
      if ('failure' in fetched) {
        result.stopReason = fetched.failure;
        break;
      }
      const { body } = fetched;
      const paging = this.readEnvelope(body, page);
      if (!paging) break;
      const items: unknown[] = (body as { data: unknown[] }).data;
      const lastPage = Math.ceil(paging.total / paging.perPage);
      const end = this.endAfter(page, lastPage, items.length, paging.perPage);
      // Later pages are fetched while this one is checked and loaded, never past the last page or the page limit.
      if (!end && !opts.signal?.aborted) requestUpTo(Math.min(lastPage, page + PAGES_AHEAD, opts.maxPages ?? Infinity));
      await this.takePage(body, items, paging, page);
      this.tell(lastPage, started, false);
      if (end) break;
      if (opts.signal?.aborted) {
        result.stopReason = `interrupted after page ${page} of ${lastPage} (${abortReason(opts.signal)})`;
        break;
      }
    }
    // Pages requested ahead of an early end go unused, but no request of the walk outlives it.
    await Promise.all(queue);
    if (opts.onEnd) this.addRows(await this.load(() => opts.onEnd!(), 'finishing the load'));
    result.http.elapsedMs = Math.round(performance.now() - started);
    this.conclude();
    this.tell(this.lastPage, started, true);
    return result;
  }

  private tell(lastPage: number, started: number, done: boolean): void {
    const { result } = this;
    this.lastPage = lastPage;
    let driftCount = 0;
    for (const item of this.drift.values()) driftCount += item.count;
    const { pages, records, pagingTotal: total, failedRecords } = result;
    this.opts.onProgress?.({ pages, lastPage, records, total, driftKeys: this.drift.size, driftCount, failedRecords, elapsedMs: performance.now() - started, done });
  }

  /** True when page `page` is the last one to read (and why, when it ends the walk early). */
  private endAfter(page: number, lastPage: number, count: number, perPage: number): boolean {
    const { result, opts } = this;
    if (page >= lastPage) {
      result.complete = true;
      return true;
    }
    if (count < perPage) {
      this.shortPage ??= `page ${page} held ${count} records, fewer than perPage ${perPage}, before the last page ${lastPage}`;
      if (count === 0) {
        result.stopReason = `page ${page} was empty before the last page ${lastPage}`;
        return true;
      }
    }
    if (opts.maxPages !== undefined && page >= opts.maxPages) {
      result.stopReason = `stopped at the page limit (${opts.maxPages}) before page ${page + 1} of ${lastPage}`;
      return true;
    }
    return false;
  }

  /** One page over the network, or why no usable answer came back. Never rejects: pages ahead may go unused. */
  private async fetch(page: number): Promise<Fetched> {
    const { client, path, body } = this.opts;
    const request: ApiRequest = { api: client.options.api, method: 'GET', path, body: { ...body, page }, idempotent: true };
    let answer: ApiResult;
    try {
      answer = await client.send(request);
    } catch (error) {
      return { failure: `page ${page}: the request failed (${(error as Error).message})` };
    }
    this.result.http.requests += 1 + answer.retries.length;
    this.result.http.retries += answer.retries.length;
    this.result.http.bytes += answer.bytes;
    if (answer.kind === 'ok') return { body: answer.body };
    const what = answer.kind === 'network' ? `no answer (${answer.error})` : `${answer.status} ${answer.kind}${answer.code ? ` ${answer.code}` : ''}${answer.error ? ` (${answer.error})` : ''}`;
    const retried = answer.retries.length > 0 ? ` after ${answer.retries.length} retr${answer.retries.length === 1 ? 'y' : 'ies'}` : '';
    return { failure: `page ${page}: ${what}${retried}` };
  }

  /** The paging block, or undefined (with the reason) when the walk cannot go on from this answer. */
  private readEnvelope(body: unknown, page: number): Paging | undefined {
    const { result } = this;
    const record = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, any>) : null;
    if (!Array.isArray(record?.data)) {
      result.stopReason = `page ${page}: the answer has no data array`;
      return undefined;
    }
    const paging = record.paging;
    const perPage = Number(paging?.perPage);
    const currentPage = Number(paging?.currentPage);
    const total = Number(paging?.total);
    if (![perPage, currentPage, total].every(Number.isInteger) || perPage < 1 || total < 0) {
      result.stopReason = `page ${page}: no usable paging block (${JSON.stringify(paging ?? null)})`;
      return undefined;
    }
    if (currentPage !== page) {
      result.stopReason = `page ${page}: the answer says currentPage ${currentPage}, so the server did not honour the page number in the body`;
      return undefined;
    }
    return { perPage, currentPage, total };
  }

  private async takePage(body: unknown, items: unknown[], paging: Paging, page: number): Promise<void> {
    const { result, opts } = this;
    if (result.pages === 0) result.firstPagingTotal = paging.total;
    result.pages += 1;
    result.records += items.length;
    result.pagingTotal = paging.total;
    result.perPage = paging.perPage;
    for (const item of items) this.countId(item);

    const valid = this.validate(body, items, page);
    this.addRows(await this.load(() => opts.onPage(valid, page), `loading page ${page}`));
  }

  private async load(task: () => Promise<Record<string, number>>, what: string): Promise<Record<string, number>> {
    try {
      return await task();
    } catch (error) {
      throw new Error(`deep walk of ${this.opts.path}: ${what} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  private addRows(rows: Record<string, number>): void {
    const loaded = this.result.rowsLoaded;
    for (const [table, n] of Object.entries(rows)) loaded[table] = (loaded[table] ?? 0) + Number(n ?? 0);
  }

  private countId(item: unknown): void {
    const id = recordId(item);
    if (id === undefined) return;
    if (this.seenIds.has(id)) {
      this.result.duplicateIds += 1;
      this.firstDuplicate ??= id;
    } else this.seenIds.add(id);
  }

  /**
   * The whole page is checked at once (the common, fast case). Only a page with failures or drift is
   * checked again record by record, so that each issue and each unknown key is tied to a record id.
   */
  private validate(body: unknown, items: unknown[], page: number): unknown[] {
    const { contract } = this.opts;
    const whole = inspectContract(contract, body);
    if (whole.ok && whole.drift.length === 0) return items;

    const envelopeIssues = whole.issues.filter((issue) => !inRecords(issue.path));
    if (envelopeIssues.length > 0) this.result.pageIssues.push({ page, issues: envelopeIssues });
    for (const item of whole.drift) if (!inRecords(item.path)) this.tallyDrift(item, `page ${page}`);

    const paging = (body as { paging?: unknown }).paging;
    const valid: unknown[] = [];
    items.forEach((item, index) => {
      const single = inspectContract(contract, { data: [item], paging });
      const id = recordId(item) ?? `page ${page} item ${index + 1}`;
      for (const drift of single.drift) if (inRecords(drift.path)) this.tallyDrift(drift, id);
      const issues = withOmitted({ issues: single.issues.filter((issue) => isRecordPath(issue.path)), omitted: single.omitted }).map(inRecord);
      if (issues.length === 0) {
        valid.push(item);
        return;
      }
      this.result.failedRecords += 1;
      if (this.result.contractFailures.length < this.keepFailures) this.result.contractFailures.push({ recordId: id, page, issues });
    });
    return valid;
  }

  private tallyDrift(item: DriftItem, id: string): void {
    const known = this.drift.get(item.path);
    if (known) known.count += 1;
    else {
      this.drift.set(item.path, { path: item.path, count: 1, example: item.example });
      this.result.firstDriftIds[item.path] = id;
    }
  }

  private conclude(): void {
    const { result } = this;
    result.drift = [...this.drift.values()];
    result.distinctIds = this.seenIds.size;
    const { records, pagingTotal, firstPagingTotal } = result;
    if (result.duplicateIds > 0) {
      result.findings.push(`${result.duplicateIds} record(s) came back on more than one page (first: id ${this.firstDuplicate}): the pages shifted during the walk`);
    }
    if (this.shortPage) result.findings.push(this.shortPage);
    if (!result.complete) {
      result.findings.push(`the walk ended early after ${result.pages} page(s) and ${records} of ${pagingTotal} records: ${result.stopReason}`);
      return;
    }
    const grew = pagingTotal !== firstPagingTotal ? `; paging.total changed during the walk, from ${firstPagingTotal} on page 1 to ${pagingTotal} on the last page` : '';
    result.totalsAgree = records === pagingTotal && result.duplicateIds === 0;
    if (records !== pagingTotal) {
      const why = grew ? ' (a live total may change between page requests: records were added or removed meanwhile)' : '';
      result.findings.push(`collected ${records} records, but paging.total says ${pagingTotal}${grew}${why}`);
    } else if (grew) {
      result.findings.push(`all ${records} records collected${grew} (records were added meanwhile; they were collected too)`);
    }
  }
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason ?? 'aborted');
}

function recordId(item: unknown): string | undefined {
  const id = item && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
  return id === undefined || id === null ? undefined : String(id);
}

/** A path into the list of records (`data[3].id`, `data[*].x`), not into the envelope. */
const inRecords = (path: string): boolean => path.startsWith('data[');

/** A path into the one record of a one-record envelope. */
const isRecordPath = (path: string): boolean => path === RECORD_PATH || path.startsWith(`${RECORD_PATH}.`) || path.startsWith(`${RECORD_PATH}[`);

/** `data[0].baskets[1].price` → `baskets[1].price`; `data[0]` → `(record)`; an issue without a path stays as it is. */
function inRecord(issue: ContractIssue): ContractIssue {
  if (!isRecordPath(issue.path)) return issue;
  const rest = issue.path.slice(RECORD_PATH.length);
  return { ...issue, path: rest.startsWith('.') ? rest.slice(1) : rest.startsWith('[') ? rest : '(record)' };
}
