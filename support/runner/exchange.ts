import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpecEntry } from '../catalogue/index.ts';
import { QTicketsClient, RateLimiter, bodyHash, type ApiResult } from '../client.ts';
import type { ExchangeRecord, ExchangeRole, SpecOutcome } from '../core/outcome.ts';
import type { ApiRequest } from '../core/types.ts';
import { attachJson } from '../allure.ts';
import { PERSONAL_VALUES_FILE, collectPersonalValues } from '../masking.ts';
import { exchangeArtifact, writeArtifact } from '../harness/artifacts.ts';
import type { RunRuntime } from '../harness/runtime.ts';
import { sandboxValues } from '../harness/sandbox.ts';

/** Scratch file summing the bytes of the run's artifacts, for AUDIT_MAX_ARTIFACT_BYTES. */
const ARTIFACT_LEDGER = 'artifact-bytes.txt';

/**
 * Sends a spec's requests and records each one in its outcome: the exchange, its retries and its masked
 * artifact. Tests never share state but the run folder, so each spec builds its own clients.
 */
export class Exchanges {
  readonly rest: QTicketsClient;
  readonly partners: QTicketsClient;
  private count = 0;

  constructor(private readonly spec: SpecEntry, private readonly rt: RunRuntime, private readonly outcome: SpecOutcome) {
    const limiter = rt.http.ratePerSecond ? new RateLimiter(rt.http.ratePerSecond) : undefined;
    // Against a live API the clients themselves refuse writes with the real credentials (support/write-gate.ts).
    const guard = rt.mode === 'live'
      ? { credentials: [rt.rest.token, rt.partners.token].filter((t): t is string => !!t), allowWrites: rt.allowWrites, sandboxValues: sandboxValues(rt.sandbox) }
      : undefined;
    const options = { ...rt.http, limiter, guard };
    this.rest = new QTicketsClient({ api: 'rest', baseUrl: rt.rest.baseUrl, token: rt.rest.token, ...options });
    this.partners = new QTicketsClient({ api: 'partners', baseUrl: rt.partners.baseUrl, token: rt.partners.token, ...options });
  }

  /** Sends one request with the configured credential (`token` undefined), none (null) or the one given. */
  async send(role: ExchangeRole, request: ApiRequest, token?: string | null): Promise<ApiResult> {
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
    this.outcome.exchanges.push(record);
    // The reporter's leak scan searches the outputs for every email and phone an answer carried. Names are
    // masked too, but not searched for: "Евгений" is also in «Евгений Онегин», an event name.
    const personal = [...collectPersonalValues(result.body), ...collectPersonalValues(request.body)].filter(isEmailOrPhone);
    if (personal.length > 0) appendFileSync(join(this.rt.scratchDir, PERSONAL_VALUES_FILE), personal.join('\n') + '\n');
    const artifact = exchangeArtifact(this.spec.id, role, client.url(request), request, credential, result, this.rt.secrets);
    const budget = { ledger: join(this.rt.scratchDir, ARTIFACT_LEDGER), maxBytes: this.rt.maxArtifactBytes };
    const written = writeArtifact(this.rt.runDir, this.spec.id, ++this.count, role, artifact, budget);
    this.outcome.artifacts.push(written.path);
    await attachJson(`${role} ${request.method} ${request.path}`, written.stored);
    return result;
  }

  /** A read request of the spec's own to find ids or facts: its JSON body, or null when it did not answer OK. */
  readonly lookup = async (request: ApiRequest): Promise<unknown | null> => {
    const result = await this.send('discovery', request);
    return result.kind === 'ok' ? result.body : null;
  };
}

const isEmailOrPhone = (value: string): boolean => value.includes('@') || value.replace(/\D/g, '').length >= 10;
