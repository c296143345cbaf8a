import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Router from 'find-my-way';
import { CLOCK_MODES, MockClock, type ClockMode } from './clock.ts';
import type { Handler, RequestContext, Route } from './context.ts';
import { tenantDigest } from './digest.ts';
import { FaultInjector, addField, dropField, traversalIds, type FaultRule } from './faults.ts';
import { deeplyNested, echoAuthorization, hostileNames, invalidUtf8, sendHuge } from './hostile.ts';
import { forbidden, htmlNotFound, jsonError, jsonOk, PartnersError, RestError, send, type MockResponse } from './http.ts';
import { partnerRoutes } from './partners/api.ts';
import { barcodeRoutes } from './rest/barcodes.ts';
import { listRoutes } from './rest/lists.ts';
import { orderRoutes } from './rest/orders.ts';
import { seatRoutes } from './rest/seats.ts';
import { writeRoutes } from './rest/writes.ts';
import { Tenant } from './store.ts';
import { DEFAULT_SEED, DEFAULT_SIZE, type TenantMode } from './tenant.ts';

/**
 * The faithful QTickets mock (docs/api.md): REST v1 under /api/rest/v1 and Partners v1 under
 * /api/partners/v1 on one port, with deterministic Russian test data, writes that later reads see,
 * a filter-mode and a tenant-mode switch, and opt-in fault injection.
 */

export type { FaultRule } from './faults.ts';

export interface MockOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** The accepted REST bearer token. */
  restToken: string;
  /** The accepted Partners bearer key (a separate credential: the REST token is refused there). */
  partnersToken: string;
  /** `live` (default): live-like ids, the documented ids answer 404. `doc`: the documented example ids exist. */
  tenant?: TenantMode;
  /** `honour` (default) applies where/orderBy; `ignore` answers unfiltered; `503` answers 503 where live did (a query-string where on /orders) and honours the rest. */
  filterMode?: 'honour' | 'ignore' | '503';
  /** `fixed` (default): the tenant as of 2025-11-26 12:00 MSK, the clock running on from there. `now`: real time, the tenant moved so its newest order is from today. */
  clock?: ClockMode;
  /** The real time source of the clock (default Date.now; tests pass a fixed one). */
  wallClock?: () => number;
  /** Default 180 orders, 250 clients, 23 events (more than one page of each). */
  size?: { orders?: number; clients?: number; events?: number };
  seed?: number;
  faults?: FaultRule[];
}

export interface LoggedRequest {
  ts: string;
  method: string;
  /** The full path without the query string, e.g. /api/rest/v1/orders/123. */
  path: string;
  query: Record<string, string>;
  authorization: string | undefined;
  /** The parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  /** 0 when the connection was dropped (fault `reset`). */
  status: number;
}

export interface MockServer {
  restBaseUrl: string;
  partnersBaseUrl: string;
  port: number;
  /** In-memory request log (never written to disk). */
  requests: LoggedRequest[];
  setFaults(rules: FaultRule[]): void;
  /** SHA-256 of the tenant's data as reads see it: equal before and after means no record changed. */
  dataDigest(): string;
  close(): Promise<void>;
}

const REST_BASE = '/api/rest/v1';
const PARTNERS_BASE = '/api/partners/v1';

interface Entry {
  api: 'rest' | 'partners';
  handle: Handler;
}

function buildRouter(): Router.Instance<Router.HTTPVersion.V1> {
  const router = Router();
  const add = (api: Entry['api'], base: string, routes: Route[]) => {
    for (const route of routes) router.on(route.methods as Router.HTTPMethod[], base + route.path, () => undefined, { api, handle: route.handle } satisfies Entry);
  };
  add('rest', REST_BASE, [...listRoutes, ...orderRoutes, ...writeRoutes, ...seatRoutes, ...barcodeRoutes]);
  add('partners', PARTNERS_BASE, partnerRoutes);
  return router;
}

function validate(options: MockOptions) {
  const positive = (name: string, value: number | undefined, fallback: number) => {
    const n = value ?? fallback;
    if (!Number.isInteger(n) || n < 1) throw new Error(`startMock: size.${name} must be a positive integer, got ${value}`);
    return n;
  };
  if (!options.restToken || !options.partnersToken) throw new Error('startMock: restToken and partnersToken are required');
  if (options.restToken === options.partnersToken) throw new Error('startMock: the Partners key must differ from the REST token (live refuses the REST token on Partners)');
  const tenant = options.tenant ?? 'live';
  const filterMode = options.filterMode ?? 'honour';
  if (tenant !== 'live' && tenant !== 'doc') throw new Error(`startMock: tenant must be live or doc, got ${tenant}`);
  if (!['honour', 'ignore', '503'].includes(filterMode)) throw new Error(`startMock: filterMode must be honour, ignore or 503, got ${filterMode}`);
  const clock = options.clock ?? 'fixed';
  if (!CLOCK_MODES.includes(clock)) throw new Error(`startMock: clock must be fixed or now, got ${clock}`);
  const size = {
    orders: positive('orders', options.size?.orders, DEFAULT_SIZE.orders),
    clients: positive('clients', options.size?.clients, DEFAULT_SIZE.clients),
    events: positive('events', options.size?.events, DEFAULT_SIZE.events),
  };
  if (tenant === 'doc' && size.events < 4) throw new Error('startMock: the doc tenant needs at least 4 events (3 are the documented ones)');
  return { tenant, filterMode, clock, size, seed: options.seed ?? DEFAULT_SEED };
}

async function readBody(req: IncomingMessage): Promise<{ text: string; json: unknown }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { text, json: undefined };
  try {
    return { text, json: JSON.parse(text) };
  } catch {
    return { text, json: undefined };
  }
}

/** An injected status, with the documented error body `{error, status}` (no code: no live answer to copy). */
function faultStatus(rule: FaultRule): MockResponse {
  const status = rule.status!;
  const answer = jsonError(status, { error: status === 429 ? 'Too Many Requests' : 'Injected fault', status });
  if (rule.retryAfterSeconds !== undefined) answer.headers['retry-after'] = String(rule.retryAfterSeconds);
  return answer;
}

const MAINTENANCE_PAGE = '<!DOCTYPE html><html lang="ru"><head><meta charset="UTF-8"><title>Технические работы – Qtickets</title></head><body><h1>Сайт временно недоступен</h1><p>Идут технические работы. Попробуйте позже.</p></body></html>';

export async function startMock(options: MockOptions): Promise<MockServer> {
  const settings = validate(options);
  const tenant = new Tenant(settings.tenant, settings.size, settings.seed, new MockClock(settings.clock, options.wallClock));
  const router = buildRouter();
  const faults = new FaultInjector(options.faults);
  const requests: LoggedRequest[] = [];

  /** Routing, then auth (REST: 403; Partners: HTTP 200 WRONG_AUTHORIZATION, before any parameter check), then the handler. */
  const answer = (method: string, path: string, ctx: Omit<RequestContext, 'params'>, authorization: string | undefined, anyToken: boolean): MockResponse => {
    const found = router.find(method as Router.HTTPMethod, path);
    // An empty segment (`/orders/`) is no route either.
    if (!found || Object.values(found.params).some((value) => value === '')) return htmlNotFound();
    const entry = found.store as Entry;
    const token = entry.api === 'rest' ? options.restToken : options.partnersToken;
    if (!anyToken && authorization !== `Bearer ${token}`) {
      return entry.api === 'rest' ? forbidden() : new PartnersError('WRONG_AUTHORIZATION', 'Wrong authorization').toResponse();
    }
    try {
      return entry.handle({ ...ctx, params: found.params });
    } catch (error) {
      if (error instanceof RestError || error instanceof PartnersError) return error.toResponse();
      const message = error instanceof Error ? error.message : String(error);
      return entry.api === 'rest'
        ? jsonError(500, { error: message, status: 500, code: 'UNKNOWN_ERROR', info: [] })
        : jsonOk({ status: 'error', code: 'UNKNOWN_ERROR', message });
    }
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://mock.local');
    const method = (req.method ?? 'GET').toUpperCase();
    const query = Object.fromEntries(url.searchParams);
    const { text, json } = await readBody(req);
    const entry: LoggedRequest = {
      ts: new Date().toISOString(),
      method,
      path: url.pathname,
      query,
      authorization: req.headers.authorization,
      body: json ?? (text === '' ? undefined : text),
      status: 0,
    };
    requests.push(entry);
    const base = [REST_BASE, PARTNERS_BASE].find((b) => url.pathname.startsWith(`${b}/`));
    const rule = faults.take(method, base ? url.pathname.slice(base.length) : url.pathname);
    if (rule?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (rule?.kind === 'slow') await sleep(rule.delayMs!);
    let response: MockResponse;
    if (rule?.kind === 'status') response = faultStatus(rule);
    else if (rule?.kind === 'html-200') response = { status: 200, headers: { ...htmlNotFound().headers }, body: MAINTENANCE_PAGE };
    else response = answer(method, url.pathname, { method, query, body: json, tenant, filterMode: settings.filterMode }, req.headers.authorization, rule?.kind === 'accept-any-token');
    if (rule?.kind === 'traversal-ids') response = { ...response, body: traversalIds(response.body) };
    if (rule?.kind === 'truncated-json') response = { status: 200, headers: { ...response.headers, 'content-type': 'application/json' }, body: response.body.slice(0, Math.max(1, Math.floor(response.body.length / 2))) };
    if (rule?.kind === 'drop-field') response = { ...response, body: dropField(response.body, rule.field!) };
    if (rule?.kind === 'add-field') response = { ...response, body: addField(response.body, rule.field!) };
    if (rule?.kind === 'wrong-content-type') response = { ...response, headers: { ...response.headers, 'content-type': 'text/plain; charset=UTF-8' } };
    if (rule?.kind === 'echo-authorization') response = echoAuthorization(response, req.headers.authorization);
    if (rule?.kind === 'hostile-names') response = hostileNames(response);
    if (rule?.kind === 'deep-nesting') response = deeplyNested(rule.depth ?? 10_000);
    entry.status = response.status;
    if (rule?.kind === 'huge-answer') return sendHuge(res, rule.bytes ?? 50 * 2 ** 20);
    if (rule?.kind === 'invalid-utf8') {
      const broken = invalidUtf8(response);
      res.writeHead(broken.status, broken.headers).end(broken.body);
      return;
    }
    send(res, response, req.headers['accept-encoding']);
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const origin = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  return {
    restBaseUrl: origin + REST_BASE,
    partnersBaseUrl: origin + PARTNERS_BASE,
    port,
    requests,
    setFaults: (rules) => faults.set(rules),
    dataDigest: () => tenantDigest(tenant),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
