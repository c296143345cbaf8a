import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, type TestContext } from 'vitest';
import type { ClickHouseClient } from '@clickhouse/client';
import { catalogue, specsOfSection, type SpecEntry } from '../catalogue/index.ts';
import { QTicketsClient, RateLimiter, bodyHash, type ApiResult } from '../client.ts';
import { checkContract, mergeDrift, type ContractName, type ContractResult } from '../contracts/index.ts';
import { PERSONAL_VALUES_FILE, collectPersonalValues, maskValue } from '../masking.ts';
import { countAfterVersion, countTotals } from '../clickhouse/counts.ts';
import type { TableCounts } from '../clickhouse/tables.ts';
import type { ExchangeRecord, ExchangeRole, TestEvidence } from '../evidence.ts';
import { attachJson, labelSpecTest, markDenied, step } from '../allure.ts';
import { redactText } from '../secrets.ts';
import { exchangeArtifact, writeArtifact } from './artifacts.ts';
import { specClickHouse } from './clickhouse.ts';
import { Discovery } from './discovery.ts';
import { InvalidIdError, idProblems, placeholderIds } from '../core/id-forms.ts';
import { sandboxGaps, sandboxIds, sandboxValues } from './sandbox.ts';
import { deepEvidence } from '../deep/evidence.ts';
import { DeepLoader, type ListDataset } from '../deep/loader.ts';
import { deepList } from '../deep/pages.ts';
import { progressPrinter, stderrOutput } from '../deep/progress.ts';
import { PagePredicates } from '../deep/predicates.ts';
import type { LoadContext } from '../loader/transforms.ts';
import { deltaProblems } from './deltas.ts';
import { ImpliedRows, impliedDimEvents, impliedRows, itemsOf } from './implied.ts';
import { loadAnswers, dimEventsAtVersion } from './load.ts';
import { runtime, type RunRuntime } from './runtime.ts';
import type { ApiRequest, Expectation, Ids } from '../core/types.ts';

/**
 * One vitest test per spec ID. Each test: resolve ids → send → check status, contract and body
 * predicates → load into ClickHouse → assert the row deltas → record everything as evidence.
 */
export function defineSectionTests(section: string): void {
  const specs = specsOfSection(section);
  // A deep walk of a whole live tenant takes minutes (2,525 pages of orders at 2 requests/s: about 21 min).
  const deepTimeout = runtime().allPages ? DEEP_TIMEOUT_MS : undefined;
  describe(`${section}. ${specs[0].section.name}`, () => {
    for (const spec of specs) {
      test(`${spec.id} ${spec.title}`, { timeout: spec.plan.deep ? deepTimeout : undefined }, async (context) => {
        const work = new SpecRun(spec, runtime(), context).execute();
        // A cancelled run (Ctrl-C, SIGTERM) abandons the test at once, but its worker lives until this hook
        // has run: the spec in flight finishes its requests and ClickHouse writes instead of leaving a half load.
        context.onTestFinished(() => work.then(() => undefined, () => undefined));
        await work;
      });
    }
  });
}

const DEEP_TIMEOUT_MS = 3 * 3600_000;

/** A spec's answer disagreed with its expectation: Allure shows it as failed, not broken. */
class SpecFailure extends Error {
  override name = 'SpecAssertionError';
}

/** Tests never share state but the run folder, so each builds its own clients. */
class SpecRun {
  private readonly evidence: TestEvidence;
  private readonly rest: QTicketsClient;
  private readonly partners: QTicketsClient;
  private readonly discovery: Discovery;
  private readonly ver: bigint;
  private exchangeCount = 0;

  constructor(private readonly spec: SpecEntry, private readonly rt: RunRuntime, private readonly context: TestContext) {
    this.ver = BigInt(rt.verBase) + BigInt(catalogue.indexOf(spec) + 1);
    this.evidence = {
      specId: spec.id,
      ver: this.ver.toString(),
      startedAt: new Date().toISOString(),
      endpoint: '',
      requestBodyHash: '',
      result: 'pending',
      exchanges: [],
      records: [],
      deviations: [],
      discovered: {},
      notes: [],
      artifacts: [],
    };
    context.task.meta.audit = this.evidence;
    const limiter = rt.http.ratePerSecond ? new RateLimiter(rt.http.ratePerSecond) : undefined;
    // Against a live API the clients themselves refuse writes with the real credentials (support/write-gate.ts).
    const guard = rt.mode === 'live'
      ? { credentials: [rt.rest.token, rt.partners.token].filter((t): t is string => !!t), allowWrites: rt.allowWrites, sandboxValues: sandboxValues(rt.sandbox) }
      : undefined;
    const options = { ...rt.http, limiter, guard };
    this.rest = new QTicketsClient({ api: 'rest', baseUrl: rt.rest.baseUrl, token: rt.rest.token, ...options });
    this.partners = new QTicketsClient({ api: 'partners', baseUrl: rt.partners.baseUrl, token: rt.partners.token, ...options });
    this.discovery = new Discovery(rt.scratchDir, rt.idOverrides);
  }

  async execute(): Promise<void> {
    const { spec, evidence } = this;
    try {
      await labelSpecTest(spec, { env: this.rt.envName, endpoint: `${spec.literal.method} ${spec.literal.path}` });
      const gaps = this.writeGaps();
      if (gaps.length > 0) {
        await this.deniedProbe(gaps);
        return;
      }
      if (spec.api === 'partners' && !this.rt.partners.token) {
        await this.skipWithoutPartnersKey();
        return;
      }
      await this.sendAndVerify();
    } catch (error) {
      // The message reaches Allure's results from this worker: an answer that echoed a secret is redacted first.
      if (error instanceof Error) {
        error.message = redactText(error.message, this.rt.secrets);
        if (error.stack) error.stack = redactText(error.stack, this.rt.secrets);
      }
      if (evidence.result === 'pending') evidence.result = 'failed';
      if (evidence.result === 'failed') evidence.error = (error as Error).message;
      throw error;
    } finally {
      evidence.finishedAt = new Date().toISOString();
    }
  }

  /** Writes reach a live tenant only with --allow-writes and a complete sandbox: why this one may not. */
  private writeGaps(): string[] {
    if (this.rt.mode !== 'live' || !this.spec.writes) return [];
    if (!this.rt.allowWrites) return ['run with --allow-writes and sandbox settings to send it'];
    return sandboxGaps(this.spec, this.rt.sandbox);
  }

  /** A live write sends only sandbox ids (and ids earlier sandbox writes created): nothing is discovered for it. */
  private get sandboxedWrite(): boolean {
    return this.rt.mode === 'live' && this.spec.writes;
  }

  private async sendAndVerify(): Promise<void> {
    const { spec, evidence } = this;
    const plan = spec.plan;
    const ids = await this.resolveIds();
    if (!ids) return;

    const ch = specClickHouse(this.rt.clickhouse);
    try {
      const before = await countTotals(ch, this.rt.clickhouse.database);
      const requests = this.buildRequests(ids);
      const results = await step('request', async () => {
        const out: ApiResult[] = [];
        for (const request of requests) out.push(await this.exchange('spec', request, this.literalCredential()));
        return out;
      });
      evidence.endpoint = requests.map((r) => `${r.method} ${r.path}`).join('; ');
      evidence.requestBodyHash = bodyHash(requests[0]?.body);
      await this.recordDeviations(requests[0]);

      const failures = await step('contract', async () => this.checkAnswers(results, ids));
      const accepted = failures.length === 0;
      if (accepted && plan.discovers) {
        const found = plan.discovers(results[0].body, ids);
        this.discovery.remember(found, `${spec.id} answer`);
      }
      if (accepted && plan.load === 'events') this.discovery.rememberEvents(results.flatMap((r) => itemsOf('events', r.body)));

      let loaded: Record<string, number> = {};
      let implied: ImpliedRows | undefined;
      if (accepted && plan.load && plan.deep && this.rt.allPages) {
        const deep = await step('deep walk', () => this.walkAllPages(requests[0], results[0], ids, ch));
        ({ loaded, implied } = deep);
        failures.push(...deep.failures);
      } else if (accepted && plan.load) {
        loaded = await step('load', async () => loadAnswers(plan.load!, spec, requests, results, ids, this.ver, this.discovery, ch, this.rt, (r) => this.exchange('discovery', r)));
      }
      await step('delta', async () => this.verifyDeltas(ch, before, loaded, accepted ? results : [], implied));
      if (failures.length > 0) throw new SpecFailure(`${spec.id} ${spec.title}:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
      evidence.result = 'passed';
    } finally {
      await ch.close();
    }
  }

  /** 7.1 sends the spec's own invalid header; every other spec uses the configured credential. */
  private literalCredential(): string | null | undefined {
    const header = this.spec.literal.headers?.Authorization;
    return header ? header.replace(/^Bearer\s+/i, '') : undefined;
  }

  private buildRequests(ids: Ids): ApiRequest[] {
    try {
      return this.spec.plan.requests(ids);
    } catch (error) {
      if (error instanceof InvalidIdError) throw new SpecFailure(`${this.spec.id}: not sent: ${error.message}`);
      throw error;
    }
  }

  private async resolveIds(): Promise<Ids | null> {
    const needs = this.spec.plan.needs ?? [];
    const pinned = this.sandboxedWrite ? sandboxIds(this.spec, this.rt.sandbox) : {};
    const fetch = this.sandboxedWrite ? async () => null : (r: ApiRequest) => this.discoveryFetch(r);
    const resolved = await this.discovery.resolve(needs, fetch, pinned);
    const ids = { ...pinned, ...resolved.ids };
    const { sources, missing } = resolved;
    for (const [key, source] of Object.entries(sources)) {
      // An email is personal data: the evidence shows its stable mask, never the address.
      const value = key === 'clientEmail' ? maskValue(ids.clientEmail!) : ids[key as keyof Ids];
      this.evidence.discovered[key] = `${value} (${source})`;
    }
    // An id from an answer (or a setting) that breaks its form never reaches a request.
    const problems = idProblems(ids);
    if (problems.length > 0) throw new SpecFailure(`${this.spec.id}: not sent: ${problems.map((p) => `${p.problem} (from ${sources[p.key] ?? 'a sandbox setting'})`).join('; ')}`);
    if (missing.length === 0) return ids;
    const reason = `prerequisite not found: no ${missing.join(', ')} in this run's answers (${this.prerequisiteHint(missing)})`;
    this.skip(reason);
    return null;
  }

  private prerequisiteHint(missing: string[]): string {
    const producers = catalogue.filter((s) => s.plan.discovers).map((s) => s.id).join(', ');
    return `ids come from ${producers} or from lookups; none of them revealed ${missing.join(', ')}`;
  }

  private skip(reason: string): void {
    this.evidence.result = 'skipped';
    this.evidence.skipReason = reason;
    this.context.skip(reason);
  }

  private async discoveryFetch(request: ApiRequest): Promise<unknown | null> {
    const result = await this.exchange('discovery', request);
    return result.kind === 'ok' ? result.body : null;
  }

  /** Sends one request and records it: exchange, retries, masked artifact. */
  private async exchange(role: ExchangeRole, request: ApiRequest, token?: string | null): Promise<ApiResult> {
    const client = request.api === 'rest' ? this.rest : this.partners;
    const credential = token === undefined ? 'configured' : token === null ? 'none' : 'invalid';
    const result = token === undefined ? await client.send(request) : await client.send(request, token);
    const record: ExchangeRecord = {
      role,
      api: request.api,
      ts: result.startedAt,
      method: request.method,
      path: request.path,
      requestBodyHash: bodyHash(request.body),
      status: result.status,
      contentType: result.contentType,
      kind: result.kind,
      code: result.code,
      latencyMs: result.latencyMs,
      bytes: result.bytes,
      retries: result.retries,
      error: result.error,
    };
    this.evidence.exchanges.push(record);
    // The reporter's leak scan searches the outputs for every email and phone an answer carried. Names are
    // masked too, but not searched for: "Евгений" is also in «Евгений Онегин», an event name.
    const personal = [...collectPersonalValues(result.body), ...collectPersonalValues(request.body)].filter(isEmailOrPhone);
    if (personal.length > 0) appendFileSync(join(this.rt.scratchDir, PERSONAL_VALUES_FILE), personal.join('\n') + '\n');
    const artifact = exchangeArtifact(this.spec.id, role, client.url(request), request, credential, result, this.rt.secrets);
    const budget = { ledger: join(this.rt.scratchDir, ARTIFACT_LEDGER), maxBytes: this.rt.maxArtifactBytes };
    const written = writeArtifact(this.rt.runDir, this.spec.id, ++this.exchangeCount, role, artifact, budget);
    this.evidence.artifacts.push(written.path);
    await attachJson(`${role} ${request.method} ${request.path}`, written.stored);
    return result;
  }

  /**
   * Deep mode (--all-pages): the list answer's other pages, every record checked against the contract and
   * loaded in batches at this test's `_ver`. Page 1 (sent and recorded above) is not requested again; the
   * other pages are summed up in the evidence, not recorded one by one.
   */
  private async walkAllPages(request: ApiRequest, first: ApiResult, ids: Ids, ch: ClickHouseClient): Promise<{ loaded: Record<string, number>; implied: ImpliedRows; failures: string[] }> {
    const { spec, evidence } = this;
    const dataset = spec.plan.load as ListDataset;
    const implied = new ImpliedRows(dataset);
    const predicates = new PagePredicates(spec.plan.expect.predicates ?? [], ids);
    // Orders carry no city (defect 3): each event is looked up once and its city kept for the walk.
    const cities = new Map<string, string | undefined>();
    const lookup = async (r: ApiRequest) => {
      const answer = await this.exchange('discovery', r);
      return answer.kind === 'ok' ? answer.body : null;
    };
    const ctx: LoadContext = { ver: this.ver, ingestTs: new Date(), eventCity: (id) => cities.get(id) };
    const loader = new DeepLoader(ch, this.rt.clickhouse.database, dataset, ctx);
    const result = await deepList({
      client: this.rest,
      path: request.path,
      body: request.body as Record<string, unknown> | undefined,
      contract: spec.plan.contract!,
      firstPage: first.body,
      signal: this.context.signal,
      onProgress: progressPrinter(`${spec.id} ${request.path}`, stderrOutput(this.rt.progressTty)),
      onPage: async (items, page) => {
        // Page 1 was checked with the answer.
        if (page > 1) predicates.check(items, page);
        if (dataset === 'orders') {
          for (const id of new Set(items.map((o) => String(o.event_id)))) {
            if (!cities.has(id)) cities.set(id, (await this.discovery.ensureEvent(id, lookup))?.city);
          }
        }
        if (dataset === 'events') this.discovery.rememberEvents(items);
        implied.add({ data: items });
        return loader.page(items);
      },
      onEnd: () => loader.finish(),
    });
    const deep = deepEvidence(result, dataset);
    evidence.records = [deep.record];
    evidence.contract = deep.contract;
    evidence.notes.push(...deep.notes);
    await attachJson('deep walk', { ...deep.record, complete: result.complete, totalsAgree: result.totalsAgree, findings: result.findings, drift: deep.contract.drift, http: result.http });
    return { loaded: result.rowsLoaded, implied, failures: [...deep.failures, ...predicates.failures()] };
  }

  /** Every answer must match the expectation (or an accepted alternative), its contract and predicates. */
  private checkAnswers(results: ApiResult[], ids: Ids): string[] {
    const plan = this.spec.plan;
    const failures: string[] = [];
    for (const [i, result] of results.entries()) {
      const label = results.length > 1 ? `answer ${i + 1} of ${results.length}: ` : '';
      const candidates = [plan.expect, ...(plan.alsoAccept ?? [])];
      const matched = candidates.find((e) => matchesClass(e, result));
      if (!matched) {
        failures.push(`${label}expected ${candidates.map(describeExpectation).join(' or ')}, got ${describeAnswer(result)}`);
        continue;
      }
      this.countRecords(result);
      const contractName = (matched.contract ?? plan.contract) as ContractName | null;
      if (contractName) {
        const contract = checkContract(contractName, result.body);
        this.mergeContract(contractName, contract);
        for (const issue of contract.issues) failures.push(`${label}contract ${contractName}: ${issue}`);
      }
      for (const predicate of matched.predicates ?? []) {
        const problem = predicate.check(result.body, ids);
        if (problem) failures.push(`${label}${predicate.text}: ${problem}`);
      }
    }
    return failures;
  }

  private mergeContract(name: string, result: ContractResult): void {
    const previous = this.evidence.contract;
    this.evidence.contract = previous
      ? { name, ok: previous.ok && result.ok, issues: [...previous.issues, ...result.issues], drift: mergeDrift(previous.drift, result.drift) }
      : { name, ok: result.ok, issues: result.issues, drift: result.drift };
  }

  /** Records fetched: list items, seats of a seat map, or one entity; error answers fetch nothing. */
  private countRecords(result: ApiResult): void {
    if (result.kind !== 'ok') return;
    const body: any = result.body;
    const plan = this.spec.plan;
    const list = Array.isArray(body) ? body : Array.isArray(body?.data) ? body.data : Array.isArray(body?.result) ? body.result : null;
    const isSeatMap = plan.contract?.startsWith('seats.') && body?.data && typeof body.data === 'object';
    const fetched = list ? list.length : isSeatMap ? Object.keys(body.data).length : body && typeof body === 'object' ? 1 : 0;
    const paging = body?.paging;
    this.evidence.records.push({ entity: String(plan.load ?? plan.contract ?? 'answer'), fetched, pages: 1, pagingTotal: paging?.total ?? null, perPage: paging?.perPage ?? null });
  }

  /**
   * The spec's literal request, where it differs from what was sent: GETs are sent read-only and their
   * answers recorded; anything else is recorded as not sent. Never a failure, always information.
   */
  private async recordDeviations(sent: ApiRequest | undefined): Promise<void> {
    const { spec, evidence } = this;
    const sentText = sent ? `${sent.method} ${sent.path}` : 'nothing';
    const literal = literalRequest(spec);
    const differs = !sent || literal.method !== sent.method || literal.path !== sent.path || bodyHash(literal.body) !== bodyHash(sent.body);
    if (differs) {
      const documented = spec.documented
        ? `documented: ${spec.documented.method} ${spec.documented.path}`
        : spec.plan.deviationNotes?.length
          ? 'the request is corrected as the next line says'
          : 'ids of this tenant replace the spec examples';
      if (literal.method === 'GET') {
        const answer = await this.exchange('deviation', literal);
        evidence.deviations.push({ literal: `${literal.method} ${literal.path}`, sent: sentText, literalAnswer: describeAnswer(answer), note: documented });
      } else {
        evidence.deviations.push({ literal: `${literal.method} ${literal.path}`, sent: sentText, literalAnswer: 'not sent (only GET literals are probed)', note: documented });
      }
    }
    for (const note of spec.plan.deviationNotes ?? []) evidence.deviations.push({ literal: `${spec.literal.method} ${spec.literal.path}`, sent: sentText, literalAnswer: '—', note });
  }

  /** `implied`: what a deep walk's pages imply (all pages), instead of the accepted answers alone. */
  private async verifyDeltas(ch: ClickHouseClient, before: TableCounts, loaded: Record<string, number>, accepted: ApiResult[], implied?: ImpliedRows): Promise<void> {
    const { spec, evidence } = this;
    const database = this.rt.clickhouse.database;
    // Every inventory spec concerns one event: one row per event per snapshot.
    const facts = { inventoryEvents: 1, client: ch, database };
    const expected: Partial<TableCounts> = implied ? await implied.rows(facts) : spec.plan.load && accepted.length > 0 ? await impliedRows(spec.plan.load, accepted.map((r) => r.body), facts) : {};
    const { total: after, atVersion: runRows } = await countAfterVersion(ch, database, this.ver, spec.feedsTables);
    const { dim_events: _dim, ...loadedVerified } = loaded;
    evidence.clickhouse = { before, after, runRows, expected, loaded: loadedVerified };

    const problems = deltaProblems({ specId: spec.id, ver: this.ver, feedsTables: spec.feedsTables, expected, runRows, before, after, ownServer: this.rt.clickhouse.mode !== 'url' });
    if (spec.feedsTables.includes('dim_events') && accepted.length > 0) {
      const want = implied ? implied.dimEvents() : impliedDimEvents(accepted.map((r) => r.body));
      const found = await dimEventsAtVersion(ch, database, this.ver);
      if (found !== want) problems.push(`dim_events: expected +${want} rows at _ver ${this.ver}, found ${found}`);
      evidence.notes.push(`dim_events (not one of the 11 verified tables): +${found} rows at this test's _ver, ${want} implied`);
    }
    await attachJson('ClickHouse delta', { before, after, runRows, expected });
    if (evidence.contract?.drift.length) await attachJson('contract drift', evidence.contract.drift);
    expect(problems, `ClickHouse deltas of ${spec.id}`).toEqual([]);
  }

  /**
   * A write against a live tenant without permission: the request is sent with an invalid credential, to
   * placeholder ids no tenant has and with an empty body, so even an API that accepts the credential finds
   * nothing to change. It must be refused; once one is not, the run sends no further probes.
   */
  private async deniedProbe(reasons: string[]): Promise<void> {
    const { spec, evidence } = this;
    evidence.notes.push(`write not sent with real credentials: ${reasons.join('; ')}`);
    const stopped = this.probesStoppedBy();
    if (stopped) throw new SpecFailure(`${spec.id}: denied probe not sent: the probe of ${stopped} was not refused, so this API accepts invalid credentials and no further probes are sent`);
    const literal = spec.plan.requests(placeholderIds(spec.plan.needs ?? []))[0];
    const request: ApiRequest = { ...literal, ...(literal.body === undefined ? {} : { body: {} }) };
    const ch = specClickHouse(this.rt.clickhouse);
    try {
      const before = await countTotals(ch, this.rt.clickhouse.database);
      const result = await step('request', () => this.exchange('denied-probe', request, `invalid-${randomBytes(8).toString('hex')}`));
      evidence.endpoint = `${request.method} ${request.path}`;
      evidence.requestBodyHash = bodyHash(request.body);
      await this.recordDeviations(request);
      const refused = request.api === 'rest' ? result.status === 403 : result.kind === 'partners-error' && result.code === 'WRONG_AUTHORIZATION';
      await step('delta', () => this.verifyDeltas(ch, before, {}, []));
      if (!refused) {
        writeFileSync(this.probeStopFile, spec.id);
        throw new SpecFailure(`${spec.id}: denied probe was not refused — this API accepts invalid credentials (answer: ${describeAnswer(result)}); no further probes are sent`);
      }
      evidence.result = 'denied';
      await markDenied();
    } finally {
      await ch.close();
    }
  }

  private get probeStopFile(): string {
    return join(this.rt.scratchDir, 'denied-probe-not-refused');
  }

  /** The spec whose denied probe this API did not refuse, if any earlier in the run. */
  private probesStoppedBy(): string | null {
    return existsSync(this.probeStopFile) ? readFileSync(this.probeStopFile, 'utf8') : null;
  }

  private async skipWithoutPartnersKey(): Promise<void> {
    // One spec also proves why the key matters: the REST token is refused by the Partners API.
    if (this.spec.id === '6.8' && this.rt.rest.token) {
      const probe = await this.exchange('denied-probe', { api: 'partners', method: 'POST', path: '/tickets/check', body: {}, idempotent: true }, this.rt.rest.token);
      this.evidence.notes.push(`the REST token on the Partners API: ${describeAnswer(probe)}`);
    }
    this.skip('no Partners key configured (QTICKETS_PARTNERS_TOKEN)');
  }
}

/** Scratch file summing the bytes of the run's artifacts, for AUDIT_MAX_ARTIFACT_BYTES. */
const ARTIFACT_LEDGER = 'artifact-bytes.txt';

const isEmailOrPhone = (value: string): boolean => value.includes('@') || value.replace(/\D/g, '').length >= 10;

function literalRequest(spec: SpecEntry): ApiRequest {
  const path = spec.literal.path.includes('{') && spec.literal.examples[0] ? spec.literal.examples[0] : spec.literal.path;
  return { api: spec.api, method: spec.literal.method, path, body: spec.literal.body ?? undefined, idempotent: true };
}

function matchesClass(expectation: Expectation, result: ApiResult): boolean {
  const statusOk = expectation.status === '4xx' ? result.status !== null && result.status >= 400 && result.status < 500 : result.status === expectation.status;
  return statusOk && result.kind === expectation.answer && (expectation.code === undefined || result.code === expectation.code);
}

function describeExpectation(e: Expectation): string {
  const kind = { ok: 'a JSON answer', 'rest-error': 'a JSON error', 'partners-error': 'a Partners status:"error"', html: 'an HTML page' }[e.answer];
  return `${e.status} ${kind}${e.code ? ` ${e.code}` : ''}`;
}

export function describeAnswer(result: ApiResult): string {
  if (result.kind === 'network') return `no answer (${result.error})`;
  if (result.kind === 'refused') return `not sent: the client refused it (${result.error})`;
  const type = result.contentType.split(';')[0] || 'no content type';
  const detail = result.kind === 'partners-error' ? ` status:"error" ${result.code}` : result.code ? ` ${result.code}` : '';
  const malformed = result.kind === 'malformed' ? ` (malformed: ${result.error})` : '';
  return `${result.status} ${type}${detail}${malformed}`;
}
