import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { idsFromClients, idsFromEvents, idsFromOffers, idsFromOrders, idsFromPartnerEvents } from '../catalogue/index.ts';
import { ID_OVERRIDES } from '../config/schema.ts';
import { dataItems } from '../core/answers.ts';
import { InvalidIdError, segment } from '../core/id-forms.ts';
import type { ApiRequest, IdKey, Ids } from '../core/types.ts';

/**
 * Ids found in answers of this run, shared by the spec files through the run's scratch folder (files
 * run one after another; the folder is private and removed at the end, since ids include an email). A missing id is looked up with a read request of its own, so one spec run alone
 * (`-t 3.7`) still finds its ids; each such request is recorded as a discovery exchange.
 */

interface Found {
  value: string;
  source: string;
}

export interface EventFacts {
  name: string;
  city: string;
  showIds: string[];
}

interface Store {
  ids: Partial<Record<IdKey, Found>>;
  events: Record<string, EventFacts>;
}

/** Sends a read request for discovery and returns its JSON body, or null when it did not answer OK. */
export type DiscoveryFetch = (request: ApiRequest) => Promise<unknown | null>;

const rest = (path: string, body?: unknown): ApiRequest => ({ api: 'rest', method: 'GET', path, body, idempotent: true });
const partners = (path: string): ApiRequest => ({ api: 'partners', method: 'GET', path, idempotent: true });

/** A path built from ids found in answers, or null when one breaks its form: then nothing is asked. */
function idPath(build: () => string): string | null {
  try {
    return build();
  } catch (error) {
    if (error instanceof InvalidIdError) return null;
    throw error;
  }
}

export class Discovery {
  private readonly file: string;

  constructor(scratchDir: string, private readonly overrides: Record<string, string>) {
    this.file = join(scratchDir, 'discovery.json');
  }

  private read(): Store {
    return existsSync(this.file) ? JSON.parse(readFileSync(this.file, 'utf8')) : { ids: {}, events: {} };
  }

  private write(store: Store): void {
    writeFileSync(this.file, JSON.stringify(store, null, 2));
  }

  /** Records ids an answer revealed; the first source of an id wins. */
  remember(ids: Ids, source: string): void {
    const store = this.read();
    for (const [key, value] of Object.entries(ids) as [IdKey, string | undefined][]) {
      if (value && !store.ids[key]) store.ids[key] = { value, source };
    }
    this.write(store);
  }

  /** Records what an events answer says about each event (city for the loader, shows for barcodes). */
  rememberEvents(events: any[]): void {
    const store = this.read();
    for (const event of events) {
      store.events[String(event.id)] = {
        name: String(event.name ?? '').trim(),
        city: String(event.city?.name ?? '').trim().toLowerCase(),
        showIds: (Array.isArray(event.shows) ? event.shows : []).map((s: any) => String(s.id)),
      };
    }
    this.write(store);
  }

  event(eventId: string): EventFacts | undefined {
    return this.read().events[eventId];
  }

  eventOfShow(showId: string): string | undefined {
    return Object.entries(this.read().events).find(([, facts]) => facts.showIds.includes(showId))?.[0];
  }

  /** Looks an event up with GET /events/{id} when no answer of the run has described it yet. */
  async ensureEvent(eventId: string, fetch: DiscoveryFetch): Promise<EventFacts | undefined> {
    const known = this.event(eventId);
    if (known) return known;
    const path = idPath(() => `/events/${segment('eventId', eventId)}`);
    if (path === null) return undefined;
    const body: any = await fetch(rest(path));
    if (body?.data) this.rememberEvents([body.data]);
    return this.event(eventId);
  }

  /** The value and source of each needed id, discovering what is missing; lists what could not be found. */
  async resolve(keys: IdKey[], fetch: DiscoveryFetch, pinned: Ids = {}): Promise<{ ids: Ids; sources: Record<string, string>; missing: IdKey[] }> {
    const ids: Ids = {};
    const sources: Record<string, string> = {};
    const missing: IdKey[] = [];
    for (const key of keys) {
      const found = pinned[key] !== undefined ? { value: pinned[key]!, source: 'sandbox setting' } : (this.override(key) ?? this.read().ids[key] ?? (await this.discover(key, fetch)));
      if (found) {
        ids[key] = found.value;
        sources[key] = found.source;
      } else {
        missing.push(key);
      }
    }
    return { ids, sources, missing };
  }

  private override(key: IdKey): Found | undefined {
    const name = Object.entries(ID_OVERRIDES).find(([, k]) => k === key)?.[0];
    return name && this.overrides[key] ? { value: this.overrides[key], source: `${name} setting` } : undefined;
  }

  private async discover(key: IdKey, fetch: DiscoveryFetch): Promise<Found | undefined> {
    const provider = PROVIDERS[key];
    if (!provider) return undefined;
    await provider(fetch, this);
    return this.read().ids[key];
  }
}

type Provider = (fetch: DiscoveryFetch, discovery: Discovery) => Promise<void>;

const fromOrders: Provider = async (fetch, d) => d.remember(idsFromOrders(await fetch(rest('/orders'))), 'discovery: GET /orders');
const fromEvents: Provider = async (fetch, d) => {
  const body: any = await fetch(rest('/events'));
  d.rememberEvents(dataItems(body));
  d.remember(idsFromEvents(body), 'discovery: GET /events');
};

const PROVIDERS: Partial<Record<IdKey, Provider>> = {
  orderId: fromOrders,
  paidEventId: fromOrders,
  writeOrderId: fromOrders,
  basketId: fromOrders,
  basketId2: fromOrders,
  cancelledOrderId: fromOrders,
  clientEmail: async (fetch, d) => d.remember(idsFromClients(await fetch(rest('/clients'))), 'discovery: GET /clients'),
  eventId: fromEvents,
  eventShowIds: fromEvents,
  showId: fromEvents,
  singleShowEventId: fromEvents,
  singleShowId: fromEvents,
  barcode: async (fetch, d) => {
    // A barcode and its show: the first show of the first events page that has sold tickets.
    const events = dataItems(await fetch(rest('/events')));
    d.rememberEvents(events);
    for (const show of events.flatMap((e) => (Array.isArray(e.shows) ? e.shows : []))) {
      const path = idPath(() => `/shows/${segment('showId', String(show.id))}/barcodes`);
      if (path === null) continue;
      const items = await fetch(rest(path, { select: ['barcode'] }));
      const first = Array.isArray(items) ? items.find((b: any) => typeof b.barcode === 'string') : undefined;
      if (first) {
        d.remember({ barcode: first.barcode, showId: String(show.id) }, `discovery: GET ${path}`);
        return;
      }
    }
  },
  discountId: async (fetch, d) => {
    const first = dataItems(await fetch(rest('/discounts'))).find((x) => !x.deleted_at);
    if (first) d.remember({ discountId: String(first.id) }, 'discovery: GET /discounts');
  },
  promoCodeId: async (fetch, d) => {
    const first = dataItems(await fetch(rest('/promo-codes'))).find((x) => !x.deleted_at);
    if (first) d.remember({ promoCodeId: String(first.id) }, 'discovery: GET /promo-codes');
  },
  partnerEventId: async (fetch, d) => d.remember(idsFromPartnerEvents(await fetch(partners('/events/lists'))), 'discovery: Partners events/lists'),
  partnerShowId: async (fetch, d) => d.remember(idsFromPartnerEvents(await fetch(partners('/events/lists'))), 'discovery: Partners events/lists'),
  freeSeatIds: async (fetch, d) => offers(fetch, d),
  offerId: async (fetch, d) => offers(fetch, d),
};

async function offers(fetch: DiscoveryFetch, d: Discovery): Promise<void> {
  const { ids } = await d.resolve(['partnerEventId', 'partnerShowId'], fetch);
  const path = idPath(() => `/events/offers/${segment('partnerEventId', ids.partnerEventId)}/${segment('partnerShowId', ids.partnerShowId)}`);
  if (path === null) return;
  d.remember(idsFromOffers(await fetch(partners(path))), `discovery: Partners ${path.slice(1)}`);
}
