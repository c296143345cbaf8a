import { z } from 'zod';
import { issueText, type ContractIssue, type DriftItem } from '../core/outcome.ts';
import { analyse } from './check.ts';
import * as partners from './partners.ts';
import * as rest from './rest.ts';

/** One contract per answer shape; the comment names the endpoint(s) it is for. */
const CONTRACTS = {
  /** GET /orders */
  'orders.list': rest.listEnvelope(rest.order),
  /** GET /orders/{id}; DELETE /orders/{id}/baskets; POST /orders/{id}/restore */
  'orders.one': rest.singleEnvelope(rest.order),
  /** PUT /baskets/{id} */
  'baskets.one': rest.singleEnvelope(rest.basket),
  /** GET /clients */
  'clients.list': rest.listEnvelope(rest.client),
  /** POST /clients (create or update) */
  'clients.one': rest.singleEnvelope(rest.client),
  /** GET /events */
  'events.list': rest.listEnvelope(rest.event),
  /** GET /events/{id}; POST /events; PUT /events/{id} */
  'events.one': rest.singleEnvelope(rest.event),
  /** GET /shows/{id}/seats without `flat` (zone form) */
  'seats.zone': rest.singleEnvelope(rest.seatsZoneForm),
  /** GET /shows/{id}/seats with `flat:true` */
  'seats.flat': rest.singleEnvelope(rest.seatsFlatForm),
  /** GET /color-themes (no paging) */
  'colorThemes.list': z.strictObject({ data: z.array(rest.colorTheme) }),
  /** GET /discounts */
  'discounts.list': rest.listEnvelope(rest.discount),
  /** GET /promo-codes */
  'promoCodes.list': rest.listEnvelope(rest.promoCode),
  /** POST /promo-codes; PUT /promo-codes/{id} */
  'promoCodes.one': rest.singleEnvelope(rest.promoCode),
  /** GET /shows/{id}/barcodes (bare array) */
  'barcodes.list': z.array(rest.barcodeListItem),
  /** GET /shows/{id}/barcode/{barcode} (bare) */
  'barcode.one': rest.barcodeOne,
  /** POST /shows/{id}/barcode/{barcode} (bare) */
  'barcode.checked': rest.barcodeChecked,
  /** Any REST error answer (404 RESOURCE_NOT_FOUND, 503 UNKNOWN_ERROR, …) */
  'rest.error': rest.restError,
  /** Any Partners error answer (HTTP 200, status "error") */
  'partners.error': partners.partnersError,
  /** Partners events/lists */
  'partners.eventsList': partners.eventsList,
  /** Partners events/seatmap/{e}/{s?} */
  'partners.seatmap': partners.seatmap,
  /** Partners events/offers/{e}/{s?} */
  'partners.offers': partners.offers,
  /** Partners tickets/add and tickets/update (one ticket or a batch) */
  'partners.tickets': partners.tickets,
  /** Partners tickets/remove */
  'partners.remove': partners.remove,
  /** Partners tickets/check (one seat or a batch) */
  'partners.check': partners.check,
  /** Partners tickets/find/{e?}/{s?} */
  'partners.find': partners.find,
  /** Partners events/seats/{e}/{s?} (deprecated) */
  'partners.legacySeats': partners.legacySeats,
} satisfies Record<string, z.ZodType>;

export type ContractName = keyof typeof CONTRACTS;
export const contractNames = Object.keys(CONTRACTS) as ContractName[];
/** A contract's zod schema: the OpenAPI document (support/openapi/) describes answers with these. */
export const contractSchema = (name: ContractName): z.ZodType => CONTRACTS[name];

/** A contract check as typed values: the issues listed (at most MAX_ISSUES), how many more there were, the drift. */
export interface ContractFindings {
  name: ContractName;
  ok: boolean;
  issues: ContractIssue[];
  omitted: number;
  drift: DriftItem[];
}

/** The same check with each issue as one line, the last saying how many more there were. */
export interface ContractResult {
  name: ContractName;
  ok: boolean;
  issues: string[];
  drift: DriftItem[];
}

/**
 * Checks an answer body against a contract. Missing or mistyped fields fail it (path-level issues, capped);
 * unknown keys never do: they come back as drift with normalised paths and masked examples.
 */
export function inspectContract(name: ContractName, body: unknown): ContractFindings {
  const schema: z.ZodType = CONTRACTS[name];
  const misdirected = errorAnswerInstead(name, body);
  if (misdirected) return { name, ok: false, issues: [{ path: '(root)', message: misdirected }], omitted: 0, drift: [] };
  const parsed = schema.safeParse(body);
  if (parsed.success) return { name, ok: true, issues: [], omitted: 0, drift: [] };
  const { issues, omitted, drift } = analyse(schema, body, parsed.error.issues);
  return { name, ok: issues.length === 0, issues, omitted, drift };
}

export function checkContract(name: ContractName, body: unknown): ContractResult {
  const findings = inspectContract(name, body);
  return { name, ok: findings.ok, issues: withOmitted(findings).map(issueText), drift: findings.drift };
}

/** An error answer checked against a success contract gets one clear issue instead of a list of missing fields. */
function errorAnswerInstead(name: ContractName, body: unknown): string | null {
  if (name === 'rest.error' || name === 'partners.error' || body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  if (record.status === 'error' && typeof record.code === 'string') {
    return `a Partners error answer (code ${record.code}) where the ${name} answer was expected`;
  }
  if (typeof record.error === 'string' && typeof record.status === 'number' && !('data' in record)) {
    return `a REST error answer (status ${record.status}${typeof record.code === 'string' ? `, code ${record.code}` : ''}) where the ${name} answer was expected`;
  }
  return null;
}

/** The listed issues, then one issue without a path for those past the cap. */
export function withOmitted(findings: { issues: ContractIssue[]; omitted: number }): ContractIssue[] {
  return findings.omitted > 0 ? [...findings.issues, { path: '', message: `… and ${findings.omitted} more` }] : findings.issues;
}

/** Drift of several answers (deep mode): counts add up per path, the first example is kept. */
export function mergeDrift(a: DriftItem[], b: DriftItem[]): DriftItem[] {
  const byPath = new Map<string, DriftItem>(a.map((item) => [item.path, { ...item }]));
  for (const item of b) {
    const known = byPath.get(item.path);
    if (known) known.count += item.count;
    else byPath.set(item.path, { ...item });
  }
  return [...byPath.values()];
}
