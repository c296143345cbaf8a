import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContractName } from '../contracts/index.ts';
import { maskPayload } from '../masking.ts';
import { fixturesDir } from '../paths.ts';

/**
 * Examples from the anonymized live answers (data/live-shapes/): page 1 of each list cut to its first item,
 * its first item as the single answer, and the error answers seen. Masked by the rule of every output of the
 * suite (docs/report-format.md §4), so the document passes the report's leak scan.
 */

export interface Example {
  summary: string;
  value: unknown;
}

const shape = (file: string): any => JSON.parse(readFileSync(join(fixturesDir(), file), 'utf8'));
const firstOfPage = (page: any): unknown => ({ data: page.data.slice(0, 1), paging: page.paging });
const LIVE = 'live (anonymized, masked)';

/** Success examples by contract, named `<contract>`; each needs only the live page it is cut from. */
const SUCCESS: Partial<Record<ContractName, () => Example>> = {
  'orders.list': () => ({ summary: `page 1 of GET /orders, first order: ${LIVE}`, value: firstOfPage(shape('orders-page-1.json')) }),
  'orders.one': () => ({ summary: `an order: ${LIVE}`, value: { data: shape('orders-page-1.json').data[0] } }),
  'baskets.one': () => ({ summary: `a basket of a live order: ${LIVE}`, value: { data: shape('orders-page-1.json').data[0].baskets[0] } }),
  'clients.list': () => ({ summary: `page 1 of GET /clients, first client: ${LIVE}`, value: firstOfPage(shape('clients-page-1.json')) }),
  'clients.one': () => ({ summary: `a client: ${LIVE}`, value: { data: shape('clients-page-1.json').data[0] } }),
  'events.list': () => ({ summary: `page 1 of GET /events, first event: ${LIVE}`, value: firstOfPage(shape('events-page-1.json')) }),
  'events.one': () => ({ summary: `an event: ${LIVE}`, value: { data: shape('events-page-1.json').data[0] } }),
  'discounts.list': () => ({ summary: `page 1 of GET /discounts, first discount: ${LIVE}`, value: firstOfPage(shape('discounts-page-1.json')) }),
  'promoCodes.list': () => ({ summary: `page 1 of GET /promo-codes, first promo code: ${LIVE}`, value: firstOfPage(shape('promo-codes-page-1.json')) }),
  'promoCodes.one': () => ({ summary: `a promo code: ${LIVE}`, value: { data: shape('promo-codes-page-1.json').data[0] } }),
};

/** The live page size of a paged list contract, from its live page. */
export function livePerPage(contract: ContractName): number | undefined {
  const value = SUCCESS[contract]?.().value as { paging?: { perPage?: number } } | undefined;
  return value?.paging?.perPage;
}

export const exampleName = (contract: ContractName): string => contract.replace('.', '-');

export function successExamples(): Partial<Record<ContractName, Example>> {
  return Object.fromEntries(Object.entries(SUCCESS).map(([contract, make]) => [contract, masked(make!())]));
}

const observed = (): Record<string, { status: number; body: unknown }> => shape('errors-observed.json').answers;

/** The JSON 404s seen live, one per resource. */
export function notFoundExamples(): Record<string, Example> {
  const out: Record<string, Example> = {};
  for (const [request, answer] of Object.entries(observed())) {
    const resource = (answer.body as { info?: { resource?: string } }).info?.resource;
    if (answer.status === 404 && resource && !out[resource]) out[resource] = masked({ summary: `${request}: live`, value: answer.body });
  }
  return out;
}

/** The Partners errors seen live (HTTP 200). */
export function partnersErrorExamples(): Record<string, Example> {
  const out: Record<string, Example> = {};
  for (const [request, answer] of Object.entries(observed())) {
    const code = (answer.body as { status?: string; code?: string }).code;
    if (request.includes('partners/') && code && !out[code]) out[code] = masked({ summary: `${request}: live, HTTP ${answer.status}`, value: answer.body });
  }
  return out;
}

/** The two 503 answers of docs/api.md §8 (POST /orders, and a query-string `where` on GET /orders). */
export const UNKNOWN_ERROR_EXAMPLES: Record<string, Example> = {
  'with-info': { summary: 'POST /orders: live', value: { error: 'Unknown error', status: 503, code: 'UNKNOWN_ERROR', info: [] } },
  'query-where': { summary: 'GET /orders?where=…&orderBy=…: live (lower-case message, no info)', value: { error: 'unknown error', status: 503, code: 'UNKNOWN_ERROR' } },
};

export function masked(example: Example): Example {
  return { summary: example.summary, value: maskPayload(example.value) };
}
