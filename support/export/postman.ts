import { catalogue, type SpecEntry } from '../catalogue/index.ts';
import type { ApiRequest, IdKey, Ids } from '../core/types.ts';

/**
 * The 51 specs as a Postman collection (v2.1), for teams who run requests in Postman or Newman. Each request
 * is what the suite itself sends (the catalogue's plan), in one folder per API section, with one test: the
 * HTTP status the suite expects. Base URLs, tokens and ids are collection variables left empty: the file never
 * holds a credential. Ids that a write of the collection creates (3.4's event, 4.4's promo code, 6.1's and
 * 6.2's tickets) are taken from those answers, so the requests that use them follow in the same run.
 */

export const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

export const BASE_URL_VARIABLES = { rest: 'QTICKETS_BASE_URL', partners: 'QTICKETS_PARTNERS_BASE_URL' } as const;
export const TOKEN_VARIABLES = { rest: 'QTICKETS_TOKEN', partners: 'QTICKETS_PARTNERS_TOKEN' } as const;

/**
 * Each id the plans use becomes a variable. The plans build their requests from ids, so they are called
 * with a unique number per variable, and each number is then replaced by `{{variable}}` in the URL and
 * body (unquoted where the plan sends a number). Lists become numbered variables; a per-show spec sends
 * one request, for `{{showId}}`.
 */
export const ID_VARIABLES: Record<IdKey, string[]> = {
  orderId: ['orderId'],
  paidEventId: ['paidEventId'],
  writeOrderId: ['writeOrderId'],
  basketId: ['basketId'],
  basketId2: ['basketId2'],
  cancelledOrderId: ['cancelledOrderId'],
  clientEmail: ['clientEmail'],
  eventId: ['eventId'],
  eventShowIds: ['showId'],
  singleShowEventId: ['singleShowEventId'],
  singleShowId: ['singleShowId'],
  showId: ['showId'],
  barcode: ['barcode'],
  discountId: ['discountId'],
  promoCodeId: ['promoCodeId'],
  createdEventId: ['createdEventId'],
  partnerEventId: ['partnerEventId'],
  partnerShowId: ['partnerShowId'],
  freeSeatIds: ['freeSeatId1', 'freeSeatId2', 'freeSeatId3', 'freeSeatId4'],
  offerId: ['offerId'],
  partnerTicketId: ['partnerTicketId'],
  partnerBatchTicketIds: ['partnerBatchTicketId1', 'partnerBatchTicketId2'],
  partnerBarcode: ['partnerBarcode'],
};

/** Every id variable of the collection, in a stable order. */
export const ID_VARIABLE_NAMES: readonly string[] = [...new Set(Object.values(ID_VARIABLES).flat())];

/** Ids taken from a write's answer by the collection itself (a Postman test script per spec). */
const CAPTURES: Record<string, { sets: string[]; script: string[] }> = {
  '3.4': { sets: ['createdEventId'], script: ["if (json && json.data && json.data.id !== undefined) pm.collectionVariables.set('createdEventId', String(json.data.id));"] },
  '4.4': { sets: ['promoCodeId'], script: ["if (json && json.data && json.data.id !== undefined) pm.collectionVariables.set('promoCodeId', String(json.data.id));"] },
  '6.1': {
    sets: ['partnerTicketId', 'partnerBarcode'],
    script: [
      'const ticket = json && (json.result || json);',
      "if (ticket && ticket.id !== undefined) pm.collectionVariables.set('partnerTicketId', String(ticket.id));",
      "if (ticket && typeof ticket.barcode === 'string') pm.collectionVariables.set('partnerBarcode', ticket.barcode);",
    ],
  },
  '6.2': {
    sets: ['partnerBatchTicketId1', 'partnerBatchTicketId2'],
    script: [
      'const tickets = [].concat((json && (json.result || json)) || []);',
      "tickets.slice(0, 2).forEach((t, i) => t && t.id !== undefined && pm.collectionVariables.set('partnerBatchTicketId' + (i + 1), String(t.id)));",
    ],
  },
};
/** Variables the collection's own writes set; the runner need not provide them. */
export const CAPTURED_VARIABLES: readonly string[] = Object.values(CAPTURES).flatMap((c) => c.sets);

/** Timestamps the plans compute at send time (Moscow time, as the API wants), set before each request. */
const CLOCK_SCRIPT = [
  "const msk = (ms) => new Date(ms + 3 * 3600000).toISOString().slice(0, 19) + '+03:00';",
  "pm.variables.set('nowMsk', msk(Date.now()));",
  "pm.variables.set('inOneDayMsk', msk(Date.now() + 24 * 3600000));",
];

/** Statuses the suite accepts for a spec: its expectation and any alternative it allows. */
export function acceptedStatuses(spec: SpecEntry): (number | '4xx')[] {
  return [spec.plan.expect, ...(spec.plan.alsoAccept ?? [])].map((e) => e.status);
}

export interface PostmanCollection {
  info: { name: string; description: string; schema: string };
  auth: PostmanAuth;
  event: PostmanEvent[];
  variable: { key: string; value: string; type: 'string'; description: string }[];
  item: { name: string; item: PostmanItem[] }[];
}
interface PostmanAuth {
  type: 'bearer';
  bearer: { key: 'token'; value: string; type: 'string' }[];
}
interface PostmanEvent {
  listen: 'prerequest' | 'test';
  script: { type: 'text/javascript'; exec: string[] };
}
export interface PostmanItem {
  name: string;
  description: string;
  request: { method: string; url: string; auth: PostmanAuth; header: { key: string; value: string }[]; body?: { mode: 'raw'; raw: string; options: { raw: { language: 'json' } } } };
  /** GET requests carry bodies (filters, selects); Postman drops them unless told not to. */
  protocolProfileBehavior?: { disableBodyPruning: true };
  event: PostmanEvent[];
}

const bearer = (token: string): PostmanAuth => ({ type: 'bearer', bearer: [{ key: 'token', value: token, type: 'string' }] });

// Sentinels: nine digits, unlikely in any plan's literal values; a leftover one is an error, not a silent id.
const SENTINEL_BASE = 913_570_000;

interface Placeholders {
  ids: Ids;
  variableOf: Map<string, string>;
}

function placeholders(): Placeholders {
  const variableOf = new Map<string, string>();
  const sentinelFor = new Map<string, string>();
  const sentinel = (variable: string): string => {
    if (!sentinelFor.has(variable)) {
      const value = String(SENTINEL_BASE + sentinelFor.size + 1);
      sentinelFor.set(variable, value);
      variableOf.set(value, variable);
    }
    return sentinelFor.get(variable)!;
  };
  const ids: Ids = {};
  for (const [key, variables] of Object.entries(ID_VARIABLES) as [IdKey, string[]][]) ids[key] = variables.map(sentinel).join(',');
  return { ids, variableOf };
}

/** Replaces each sentinel by its variable: `"913570001"` and `913570001` alike become `{{orderId}}`. */
function withVariables(text: string, variableOf: Map<string, string>): string {
  return text.replace(/"?\b(9135\d{5})\b"?/g, (match, sentinel: string) => {
    const variable = variableOf.get(sentinel);
    if (!variable) throw new Error(`postman export: ${sentinel} is not an id placeholder`);
    const quoted = match.startsWith('"') && match.endsWith('"');
    return quoted ? `"{{${variable}}}"` : match.replace(sentinel, `{{${variable}}}`);
  });
}

/** The plans' timestamps, by their shape: Moscow-time ISO strings within a day of now become variables. */
function withClockVariables(request: ApiRequest, sentAt: number): unknown {
  const mskNear = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$/;
  return JSON.parse(JSON.stringify(request.body ?? null), (_key, value) => {
    if (typeof value !== 'string' || !mskNear.test(value)) return value;
    const offset = Date.parse(value) - sentAt;
    if (Math.abs(offset) < 3600_000) return '{{nowMsk}}';
    if (Math.abs(offset - 24 * 3600_000) < 3600_000) return '{{inOneDayMsk}}';
    return value;
  });
}

function statusTest(spec: SpecEntry): string[] {
  const accepted = acceptedStatuses(spec);
  const exact = accepted.filter((s): s is number => typeof s === 'number');
  const anyClientError = accepted.includes('4xx');
  const wording = accepted.map((s) => (s === '4xx' ? 'a 4xx' : String(s))).join(' or ');
  // The Partners API answers its errors with HTTP 200 and status "error": there the envelope is the status.
  const partnersOk = spec.api === 'partners' && spec.plan.expect.answer === 'ok';
  return [
    `pm.test(${JSON.stringify(`${spec.id} answers HTTP ${wording}${partnersOk ? ', status not "error"' : ''}`)}, function () {`,
    '  const code = pm.response.code;',
    `  pm.expect(${JSON.stringify(exact)}.includes(code)${anyClientError ? ' || (code >= 400 && code < 500)' : ''}, 'HTTP ' + code).to.be.true;`,
    ...(partnersOk ? ["  pm.expect(pm.response.json().status, 'Partners status').to.not.equal('error');"] : []),
    '});',
  ];
}

function item(spec: SpecEntry, holders: Placeholders): PostmanItem {
  const sentAt = Date.now();
  // A per-show spec has the same request for every show; with one show variable they are one request.
  const [request] = spec.plan.requests(holders.ids);
  const base = `{{${BASE_URL_VARIABLES[request.api]}}}`;
  const query = request.query ? `?${new URLSearchParams(request.query)}` : '';
  const url = withVariables(`${base}${request.path}${query}`, holders.variableOf);
  const body = request.body === undefined ? undefined : withVariables(JSON.stringify(withClockVariables(request, sentAt), null, 2), holders.variableOf);
  // 7.1 sends the spec's own invalid header; every other request uses the API's token variable.
  const literalAuth = spec.literal.headers?.Authorization?.replace(/^Bearer /, '');
  const capture = CAPTURES[spec.id];
  return {
    name: `${spec.id} ${spec.title}`,
    description: `${spec.specRef}. Expected: ${spec.expected.text}.${spec.writes ? ' Changes the tenant: run it only where writes are allowed.' : ''}`,
    request: {
      method: request.method,
      url,
      auth: bearer(literalAuth ?? `{{${TOKEN_VARIABLES[request.api]}}}`),
      header: [{ key: 'Accept', value: 'application/json' }, ...(body === undefined ? [] : [{ key: 'Content-Type', value: 'application/json' }])],
      ...(body === undefined ? {} : { body: { mode: 'raw' as const, raw: body, options: { raw: { language: 'json' as const } } } }),
    },
    ...(request.method === 'GET' && body !== undefined ? { protocolProfileBehavior: { disableBodyPruning: true as const } } : {}),
    event: [{
      listen: 'test',
      script: { type: 'text/javascript', exec: [...statusTest(spec), ...(capture ? ['let json = null;', 'try { json = pm.response.json(); } catch (e) { json = null; }', ...capture.script] : [])] },
    }],
  };
}

/** The collection of `specs` (default: all 51), grouped by API section in catalogue order. */
export function postmanCollection(specs: readonly SpecEntry[] = catalogue): PostmanCollection {
  const holders = placeholders();
  const sections = new Map<string, { name: string; item: PostmanItem[] }>();
  for (const spec of specs) {
    const name = `${spec.section.number}. ${spec.section.name}`;
    if (!sections.has(name)) sections.set(name, { name, item: [] });
    sections.get(name)!.item.push(item(spec, holders));
  }
  const variable = (key: string, description: string) => ({ key, value: '', type: 'string' as const, description });
  return {
    info: {
      name: 'QTickets API: the 51 specs of qtickets-contract-suite',
      description: [
        'Exported by `npm run export -- postman`. One request per spec, as the suite sends it, with a test of the HTTP status the suite expects (against its mock; a live tenant may differ where the spec says so).',
        'Fill in the base URLs, the tokens and the ids of your tenant. Writes (descriptions say so) change the tenant: run them only against a sandbox. Per-show specs (3.6, 5.2) send one request, for showId.',
        'Only the status is checked here; the suite (`npm test`) also checks contracts, body rules and ClickHouse loads.',
      ].join('\n\n'),
      schema: POSTMAN_SCHEMA,
    },
    auth: bearer(`{{${TOKEN_VARIABLES.rest}}}`),
    event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: CLOCK_SCRIPT } }],
    variable: [
      variable(BASE_URL_VARIABLES.rest, 'REST API base URL, e.g. https://qtickets.ru/api/rest/v1'),
      variable(TOKEN_VARIABLES.rest, 'REST token (never stored in this file)'),
      variable(BASE_URL_VARIABLES.partners, 'Partners API base URL, e.g. https://qtickets.ru/api/partners/v1'),
      variable(TOKEN_VARIABLES.partners, 'Partners key (never stored in this file)'),
      ...ID_VARIABLE_NAMES.map((name) => variable(name, CAPTURED_VARIABLES.includes(name) ? 'set by the write that creates it, earlier in the collection' : 'an id of your tenant')),
    ],
    item: [...sections.values()],
  };
}
