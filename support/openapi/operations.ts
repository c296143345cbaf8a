import { catalogue, type SpecEntry } from '../catalogue/index.ts';
import type { ContractName } from '../contracts/index.ts';
import { mskIso } from '../core/moscow.ts';
import type { Api, ApiRequest, Expectation, IdKey, Ids } from '../core/types.ts';

/**
 * The operations of the document, found by calling each spec's plan: every method and path the catalogue
 * sends, with its ids as `{param}`s, plus the reads of the suite's id discovery and the spec's literal GETs
 * that are no route at all (the suite probes them; they answer the site's HTML 404 page).
 */

export interface SentBody {
  specId: string;
  title: string;
  body: unknown;
}

export interface Operation {
  api: Api;
  method: string;
  /** The documented path relative to the API's base, ids as `{param}`: `/orders/{order_id}`. */
  template: string;
  /** Specs that send it, in catalogue order. */
  specs: SpecEntry[];
  /** Answers the specs expect: status (or `4XX`) → the contracts that describe it (null: no contract). */
  expected: Map<string, Set<ContractName | null>>;
  /** Bodies the specs send, with this file's example ids. */
  bodies: SentBody[];
  /** A paged list: deep mode follows its `paging` (support/deep). */
  paged: boolean;
  /** Sent by the id discovery (support/harness/discovery.ts) rather than by a spec. */
  lookup?: string;
  /** The spec's literal GET, which is no route: the site's HTML 404 page. */
  notARoute?: true;
}

/** `{param}` names: the same id has the same name wherever it appears. */
const PARAMS: Record<IdKey, string> = {
  orderId: 'order_id',
  writeOrderId: 'order_id',
  cancelledOrderId: 'order_id',
  paidEventId: 'event_id',
  basketId: 'basket_id',
  basketId2: 'basket_id',
  clientEmail: 'email',
  eventId: 'event_id',
  singleShowEventId: 'event_id',
  createdEventId: 'event_id',
  eventShowIds: 'show_id',
  singleShowId: 'show_id',
  showId: 'show_id',
  barcode: 'barcode',
  discountId: 'discount_id',
  promoCodeId: 'promo_code_id',
  partnerEventId: 'event_id',
  partnerShowId: 'show_id',
  freeSeatIds: 'seat_id',
  offerId: 'offer_id',
  partnerTicketId: 'ticket_id',
  partnerBatchTicketIds: 'ticket_id',
  partnerBarcode: 'barcode',
};

/** Ids of the vendor's documentation (docs/api.md §11), for the example bodies. */
const EXAMPLE_IDS: Required<Ids> = {
  orderId: '4360',
  writeOrderId: '4360',
  cancelledOrderId: '11538',
  paidEventId: '33',
  basketId: '63993',
  basketId2: '63994',
  clientEmail: 'client@example.com',
  eventId: '33',
  singleShowEventId: '33',
  createdEventId: '1240',
  eventShowIds: '41',
  singleShowId: '41',
  showId: '41',
  barcode: '123456789012',
  discountId: '45',
  promoCodeId: '13513',
  partnerEventId: '12',
  partnerShowId: '4076',
  freeSeatIds: 'CENTER_PARTERRE-20;5,CENTER_PARTERRE-20;6,CENTER_PARTERRE-20;7,CENTER_PARTERRE-20;8',
  offerId: 'full',
  partnerTicketId: '27061',
  partnerBatchTicketIds: '120299,120300',
  partnerBarcode: '123456789012',
};

/** Reads the id discovery sends besides the catalogue's own paths, and the contract of their answers. */
const LOOKUPS: { api: Api; method: string; template: string; contract: ContractName; why: string }[] = [
  { api: 'partners', method: 'GET', template: '/events/lists', contract: 'partners.eventsList', why: 'finds a partner event and show' },
  { api: 'partners', method: 'GET', template: '/events/offers/{event_id}/{show_id}', contract: 'partners.offers', why: 'finds free seats and an offer' },
];

/** Other forms of an answer that the catalogue's requests do not ask for. */
const OTHER_FORMS: Record<string, ContractName[]> = {
  // Without `flat` the seats come in the zone form, the only one seen live.
  'rest GET /shows/{show_id}/seats': ['seats.zone'],
};

export const operationKey = (api: Api, method: string, template: string): string => `${api} ${method} ${template}`;

/** Placeholders: one number per id key, unlikely in any literal value of a plan. */
const SENTINEL_BASE = 871_240_000;
const sentinels = Object.keys(PARAMS).map((key, i) => [key, String(SENTINEL_BASE + i)] as const);
const sentinelIds = Object.fromEntries(sentinels) as Ids;
const paramOfSentinel = new Map(sentinels.map(([key, value]) => [value, PARAMS[key as IdKey]]));

const templated = (path: string): string =>
  path
    .split('/')
    .map((segment) => (paramOfSentinel.has(segment) ? `{${paramOfSentinel.get(segment)}}` : segment))
    .join('/');

const templatePattern = (template: string): RegExp => new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);

/** The template among `templates` that a concrete path fits (an exact path first), or undefined. */
export function matchTemplate(path: string, templates: readonly string[]): string | undefined {
  return templates.find((t) => t === path) ?? templates.find((t) => t.includes('{') && templatePattern(t).test(path));
}

let documented: Operation[] | undefined;

/**
 * The documented path of a request the suite sent, by the same rule as the document's operations
 * (`/orders/1614202` → `/orders/{order_id}`); the path itself when no operation fits it.
 */
export function documentedPath(api: Api, method: string, path: string): string {
  documented ??= catalogueOperations();
  const templates = documented.filter((op) => op.api === api && op.method === method).map((op) => op.template);
  return matchTemplate(path, templates) ?? path;
}

/** The plans' clock: Moscow-time ISO strings near now become the mock's fixed day, so the document is stable. */
const EXAMPLE_NOW = Date.parse('2025-11-26T12:00:00+03:00');
function withExampleClock(body: unknown): unknown {
  const mskIsoText = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$/;
  const now = Date.now();
  return JSON.parse(JSON.stringify(body), (_key, value) => {
    if (typeof value !== 'string' || !mskIsoText.test(value)) return value;
    const offset = Date.parse(value) - now;
    return Math.abs(offset) < 2 * 24 * 3600_000 ? mskIso(EXAMPLE_NOW + Math.round(offset / 3600_000) * 3600_000) : value;
  });
}

const statusKey = (status: Expectation['status']): string => (status === '4xx' ? '4XX' : String(status));

function addExpected(op: Operation, spec: SpecEntry): void {
  for (const expectation of [spec.plan.expect, ...(spec.plan.alsoAccept ?? [])]) {
    const key = statusKey(expectation.status);
    const contract = (expectation.contract as ContractName | undefined) ?? spec.plan.contract;
    if (!op.expected.has(key)) op.expected.set(key, new Set());
    op.expected.get(key)!.add(contract);
  }
}

const newOperation = (api: Api, method: string, template: string): Operation => ({ api, method, template, specs: [], expected: new Map(), bodies: [], paged: false });

export function catalogueOperations(): Operation[] {
  const byKey = new Map<string, Operation>();
  const sent: { spec: SpecEntry; request: ApiRequest; example: ApiRequest }[] = catalogue.flatMap((spec) => {
    const requests = spec.plan.requests(sentinelIds);
    const examples = spec.plan.requests(EXAMPLE_IDS);
    return requests.map((request, i) => ({ spec, request, example: examples[i] }));
  });
  // Paths with ids first, so that a literal id (7.2's /orders/999999999) finds its template.
  sent.sort((a, b) => Number(templated(b.request.path) !== b.request.path) - Number(templated(a.request.path) !== a.request.path));
  for (const { spec, request, example } of sent) {
    const path = templated(request.path);
    const templates = [...byKey.values()].filter((op) => op.api === request.api && op.method === request.method).map((op) => op.template);
    const template = matchTemplate(path, templates) ?? path;
    const key = operationKey(request.api, request.method, template);
    if (!byKey.has(key)) byKey.set(key, newOperation(request.api, request.method, template));
    const op = byKey.get(key)!;
    if (!op.specs.includes(spec)) {
      op.specs.push(spec);
      addExpected(op, spec);
      op.paged ||= spec.plan.deep === true;
      if (example.body !== undefined && spec.kind !== 'negative') op.bodies.push({ specId: spec.id, title: spec.title, body: withExampleClock(example.body) });
    }
  }
  for (const [key, forms] of Object.entries(OTHER_FORMS)) for (const form of forms) byKey.get(key)?.expected.get('200')?.add(form);
  for (const lookup of LOOKUPS) {
    const op = newOperation(lookup.api, lookup.method, lookup.template);
    op.expected.set('200', new Set([lookup.contract]));
    op.lookup = lookup.why;
    byKey.set(operationKey(lookup.api, lookup.method, lookup.template), op);
  }
  for (const op of literalNonRoutes(byKey)) byKey.set(operationKey(op.api, op.method, op.template), op);
  for (const op of byKey.values()) op.specs.sort((a, b) => catalogue.indexOf(a) - catalogue.indexOf(b));
  // The specs' operations in catalogue order, then the lookups, then the non-routes.
  const group = (op: Operation) => (op.notARoute ? 2 : op.lookup ? 1 : 0);
  const first = (op: Operation) => (op.specs[0] ? catalogue.indexOf(op.specs[0]) : 0);
  return [...byKey.values()].sort((a, b) => group(a) - group(b) || first(a) - first(b));
}

/** The spec's literal GETs whose path is no documented route (`/events/{EVENT_ID}/seats` → `{event_id}`). */
function literalNonRoutes(known: Map<string, Operation>): Operation[] {
  const out = new Map<string, Operation>();
  for (const spec of catalogue) {
    if (spec.literal.method !== 'GET') continue;
    const template = spec.literal.path.replace(/\{([A-Z_]+)\}/g, (_m, name: string) => `{${name.toLowerCase()}}`);
    const routes = [...known.values()].filter((op) => op.api === spec.api && op.method === 'GET').map((op) => op.template);
    if (matchTemplate(template, routes)) continue;
    const key = operationKey(spec.api, 'GET', template);
    if (!out.has(key)) out.set(key, { ...newOperation(spec.api, 'GET', template), notARoute: true });
    out.get(key)!.specs.push(spec);
  }
  return [...out.values()];
}
