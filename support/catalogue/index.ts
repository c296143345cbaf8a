import { SECTION_NAMES, specRecords } from './spec-data.ts';
import { ORDERS_PLANS } from './sections/1-orders.ts';
import { CLIENTS_PLANS } from './sections/2-clients.ts';
import { EVENTS_PLANS } from './sections/3-events.ts';
import { MARKETING_PLANS } from './sections/4-marketing.ts';
import { BARCODES_PLANS } from './sections/5-barcodes.ts';
import { PARTNERS_PLANS } from './sections/6-partners.ts';
import { NEGATIVE_PLANS } from './sections/7-negative.ts';
import type { SectionPlans, SpecEntry } from './types.ts';

/**
 * The one description of the 51 specs. The spec text comes from data/spec-requests.json (spec-data.ts);
 * what the suite sends, expects and loads for each ID is added by the plans of sections/. Tests, the
 * reporter and the Allure labels read this.
 */

export type { FedTable, SandboxKey, SpecEntry } from './types.ts';
export { specSource } from './spec-data.ts';
export { idsFromClients, idsFromEvents, idsFromOffers, idsFromOrders, idsFromPartnerEvents } from './ids-from-answers.ts';

const PLANS: SectionPlans = { ...ORDERS_PLANS, ...CLIENTS_PLANS, ...EVENTS_PLANS, ...MARKETING_PLANS, ...BARCODES_PLANS, ...PARTNERS_PLANS, ...NEGATIVE_PLANS };

export const catalogue: readonly SpecEntry[] = specRecords.map((record) => {
  const plan = PLANS[record.id];
  if (!plan) throw new Error(`catalogue: spec ${record.id} has no plan`);
  const section = record.id.split('.')[0];
  return {
    id: record.id,
    title: record.title,
    titleRu: record.title_ru,
    specRef: record.spec_ref,
    api: record.api,
    kind: record.kind,
    section: { number: section, name: SECTION_NAMES[section] },
    literal: { method: record.method, path: record.path, body: record.body, examples: record.examples, headers: record.headers },
    documented: record.documented_request,
    feedsTables: record.feeds_tables,
    expected: { status: plan.expect.status, text: plan.expectedText },
    expectedRu: record.expected_ru,
    liveObservation: record.live_observation,
    writes: record.kind === 'write' || (record.method !== 'GET' && record.kind === 'negative'),
    plan,
  };
});

const byId = new Map(catalogue.map((spec) => [spec.id, spec]));
for (const id of Object.keys(PLANS)) if (!byId.has(id)) throw new Error(`catalogue: plan for unknown spec ${id}`);

export const SPEC_IDS: readonly string[] = catalogue.map((spec) => spec.id);

export function specById(id: string): SpecEntry {
  const spec = byId.get(id);
  if (!spec) throw new Error(`Unknown spec id ${id}; the specification has ${SPEC_IDS.join(', ')}`);
  return spec;
}

export function specsOfSection(section: string): SpecEntry[] {
  return catalogue.filter((spec) => spec.section.number === section);
}
