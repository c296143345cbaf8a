import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type { RetryRecord } from './core/outcome.ts';
import type { ApiRequest } from './core/types.ts';
import { sortedKeysJson } from './core/json.ts';
import { gateRefusal, type WriteGuard } from './write-gate.ts';

/**
 * The QTickets HTTP client. It never throws for an answer: every outcome is a typed result, so a test
 * can tell a JSON error envelope from the site's HTML 404 page, a Partners error sent with HTTP 200,
 * a malformed body and a network failure.
 */

/** `refused`: the client's write gate kept the request from being sent (support/write-gate.ts). */
export type AnswerKind = 'ok' | 'rest-error' | 'partners-error' | 'html' | 'malformed' | 'network' | 'refused';

export interface ApiResult {
  kind: AnswerKind;
  /** null when no HTTP answer arrived. */
  status: number | null;
  contentType: string;
  headers: Record<string, string>;
  /** Parsed JSON (ok, rest-error, partners-error), else null. */
  body: unknown;
  /** Raw text for html and malformed answers (the caller truncates it for artifacts). */
  text: string;
  /** REST or Partners error code. */
  code?: string;
  /** Why the answer is malformed, the request failed, or the gate refused it. */
  error?: string;
  /** Reading stopped at the answer size bound: `text` is a prefix, `bytes` what was read. */
  truncated?: boolean;
  latencyMs: number;
  bytes: number;
  retries: RetryRecord[];
  startedAt: string;
}

export interface ClientOptions {
  api: 'rest' | 'partners';
  baseUrl: string;
  token: string | null;
  timeoutMs: number;
  /** Further attempts after the first, for retryable failures. */
  maxRetries: number;
  retryBaseMs: number;
  /** Upper bound on a Retry-After wait, so a hostile header cannot stall the run. */
  maxRetryAfterMs: number;
  /** Bytes of one answer read at most (default ANSWER_LIMITS.maxAnswerBytes); beyond it the answer is malformed. */
  maxAnswerBytes?: number;
  /** Nesting of a JSON answer accepted at most (default ANSWER_LIMITS.maxJsonDepth). */
  maxJsonDepth?: number;
  limiter?: RateLimiter;
  /** Set against a live API: writes with the real credentials are refused unless allowed and sandboxed. */
  guard?: WriteGuard;
  onRetry?: (retry: RetryRecord, request: ApiRequest) => void;
}

/** Default bounds of one answer (QTICKETS_MAX_ANSWER_BYTES, QTICKETS_MAX_JSON_DEPTH). */
export const ANSWER_LIMITS = { maxAnswerBytes: 20 * 2 ** 20, maxJsonDepth: 64 };
/** How much of a malformed or oversized answer's text is kept in memory (artifacts keep less). */
const KEPT_TEXT_BYTES = 64 * 1024;

/** SHA-256 of the canonical JSON body (sorted keys, UTF-8); "" when there is no body. */
export function bodyHash(body: unknown): string {
  if (body === undefined || body === null) return '';
  return createHash('sha256').update(sortedKeysJson(body), 'utf8').digest('hex');
}


/** A token bucket: `perSecond` requests per second on average, bursts of at most `burst`. */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();
  constructor(private readonly perSecond: number, private readonly burst = 1) {
    this.tokens = burst;
  }
  async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000));
    }
  }
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 8 });

export class QTicketsClient {
  constructor(readonly options: ClientOptions) {}

  /** Sends one request, retrying within bounds; `token` overrides the configured credential (denied probes, 7.1). */
  async send(req: ApiRequest, token: string | null = this.options.token): Promise<ApiResult> {
    const refusal = gateRefusal({ api: this.options.api, method: req.method, url: new URL(this.url(req)), baseUrl: this.options.baseUrl, token }, this.options.guard);
    if (refusal !== null) return refused(refusal);
    const retries: RetryRecord[] = [];
    for (let attempt = 1; ; attempt++) {
      await this.options.limiter?.take();
      const result = await this.once(req, token);
      result.retries = retries;
      const wait = this.retryWait(req, result, attempt);
      if (wait === null) return result;
      const retry = { attempt, waitMs: wait, status: result.status, cause: describeCause(result) };
      retries.push(retry);
      this.options.onRetry?.(retry, req);
      await sleep(wait);
    }
  }

  url(req: ApiRequest): string {
    const url = new URL(this.options.baseUrl.replace(/\/+$/, '') + req.path);
    for (const [key, value] of Object.entries(req.query ?? {})) url.searchParams.set(key, value);
    return url.toString();
  }

  private retryWait(req: ApiRequest, result: ApiResult, attempt: number): number | null {
    if (attempt > this.options.maxRetries) return null;
    const backoff = this.options.retryBaseMs * 2 ** (attempt - 1);
    if (result.status === 429) return retryAfterMs(result.headers['retry-after'], this.options.maxRetryAfterMs) ?? backoff;
    // Writes are not repeated on 5xx or a lost connection: the first attempt may have been applied.
    if (!req.idempotent) return null;
    if (result.status !== null && RETRYABLE_STATUS.has(result.status)) {
      return retryAfterMs(result.headers['retry-after'], this.options.maxRetryAfterMs) ?? backoff;
    }
    return result.kind === 'network' ? backoff : null;
  }

  private async once(req: ApiRequest, token: string | null): Promise<ApiResult> {
    const startedAt = new Date().toISOString();
    const started = performance.now();
    const hasBody = req.body !== undefined;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (hasBody) headers['content-type'] = 'application/json';
    try {
      const response = await request(this.url(req), {
        method: req.method as 'GET',
        headers,
        body: hasBody ? JSON.stringify(req.body) : undefined,
        // undici closes the connection after a GET with a body; the API reads it by Content-Length, so keep it.
        reset: false,
        dispatcher,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      const responseHeaders = flattenHeaders(response.headers);
      const maxBytes = this.options.maxAnswerBytes ?? ANSWER_LIMITS.maxAnswerBytes;
      const { buffer, bytes, truncated } = await readBounded(response.body, maxBytes);
      const meta = { api: this.options.api, startedAt, latencyMs: Math.round(performance.now() - started) };
      if (truncated) {
        const text = new TextDecoder().decode(buffer.subarray(0, KEPT_TEXT_BYTES));
        const error = `the answer is larger than ${maxBytes} bytes (QTICKETS_MAX_ANSWER_BYTES): reading stopped after ${bytes} bytes`;
        return { ...baseResult(response.statusCode, responseHeaders, bytes, meta), kind: 'malformed', text, error, truncated: true };
      }
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
      } catch {
        const error = `the answer is not valid UTF-8 (first invalid byte at offset ${firstInvalidUtf8(buffer)})`;
        return { ...baseResult(response.statusCode, responseHeaders, bytes, meta), kind: 'malformed', text: new TextDecoder().decode(buffer.subarray(0, KEPT_TEXT_BYTES)), error };
      }
      return classify(response.statusCode, responseHeaders, text, bytes, this.options.maxJsonDepth ?? ANSWER_LIMITS.maxJsonDepth, meta);
    } catch (error) {
      return {
        kind: 'network',
        status: null,
        contentType: '',
        headers: {},
        body: null,
        text: '',
        error: networkMessage(error, this.options.timeoutMs),
        latencyMs: Math.round(performance.now() - started),
        bytes: 0,
        retries: [],
        startedAt,
      };
    }
  }
}

function refused(reason: string): ApiResult {
  return { kind: 'refused', status: null, contentType: '', headers: {}, body: null, text: '', error: reason, latencyMs: 0, bytes: 0, retries: [], startedAt: new Date().toISOString() };
}

type Meta = { api: 'rest' | 'partners'; startedAt: string; latencyMs: number };

function baseResult(status: number, headers: Record<string, string>, bytes: number, meta: Meta) {
  return { status, contentType: headers['content-type'] ?? '', headers, text: '', body: null as unknown, retries: [], bytes, ...meta };
}

/** The body's bytes up to `maxBytes`; a longer body is not read further (an announced one not at all). */
async function readBounded(body: AsyncIterable<Buffer> & { destroy(): unknown }, maxBytes: number): Promise<{ buffer: Buffer; bytes: number; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body) {
    const room = maxBytes - bytes;
    chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    bytes += Math.min(chunk.length, room);
    if (chunk.length > room) {
      body.destroy();
      return { buffer: Buffer.concat(chunks), bytes, truncated: true };
    }
  }
  return { buffer: Buffer.concat(chunks), bytes, truncated: false };
}

function firstInvalidUtf8(buffer: Buffer): number {
  // Bisect on the fatal decoder: the longest valid prefix ends at the first invalid byte (or a cut sequence).
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let good = 0;
  let bad = buffer.length;
  while (bad - good > 1) {
    const mid = (good + bad) >> 1;
    try {
      decoder.decode(buffer.subarray(0, mid), { stream: true });
      decoder.decode();
      good = mid;
    } catch {
      bad = mid;
    }
  }
  return good;
}

/** Whether JSON text nests arrays/objects deeper than `max` (a linear scan, before anything recurses into it). */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

function classify(status: number, headers: Record<string, string>, text: string, bytes: number, maxDepth: number, meta: Meta): ApiResult {
  const base = baseResult(status, headers, bytes, meta);
  const contentType = base.contentType;
  const kept = text.length > KEPT_TEXT_BYTES ? text.slice(0, KEPT_TEXT_BYTES) : text;
  if (contentType.includes('text/html')) return { ...base, kind: 'html', text: kept };
  if (!contentType.includes('json')) {
    return { ...base, kind: 'malformed', text: kept, error: `expected a JSON answer, got content type "${contentType || 'none'}"` };
  }
  if (nestsDeeperThan(text, maxDepth)) {
    return { ...base, kind: 'malformed', text: kept, error: `the JSON answer nests deeper than ${maxDepth} levels (QTICKETS_MAX_JSON_DEPTH)` };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { ...base, kind: 'malformed', text: kept, error: `the JSON body does not parse: ${(error as Error).message}` };
  }
  const record = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  if (meta.api === 'partners' && record?.status === 'error') {
    return { ...base, body, kind: 'partners-error', code: String(record.code ?? '') };
  }
  if (status >= 400) {
    return { ...base, body, kind: 'rest-error', code: typeof record?.code === 'string' ? record.code : undefined };
  }
  return { ...base, body, kind: 'ok' };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

function retryAfterMs(header: string | undefined, cap: number): number | null {
  if (!header) return null;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), cap) : null;
}

function describeCause(result: ApiResult): string {
  if (result.kind === 'network') return `network: ${result.error}`;
  const retryAfter = result.headers['retry-after'];
  return `HTTP ${result.status}${result.code ? ` ${result.code}` : ''}${retryAfter ? ` (Retry-After: ${retryAfter})` : ''}`;
}

function networkMessage(error: unknown, timeoutMs: number): string {
  const err = error as { code?: string; message?: string };
  if (err.code === 'UND_ERR_HEADERS_TIMEOUT' || err.code === 'UND_ERR_BODY_TIMEOUT') return `no answer within ${timeoutMs} ms (${err.code})`;
  return [err.code, err.message].filter(Boolean).join(': ') || String(error);
}
