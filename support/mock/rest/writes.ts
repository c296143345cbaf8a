import { asRecord, type RequestContext, type Route } from '../context.ts';
import { CITIES, emptyStock, type EventRecord, type ShowRecord } from '../data/catalog.ts';
import type { PromoCodeRecord } from '../data/marketing.ts';
import { renderEvent, renderPromoCode } from '../data/render.ts';
import { slugify } from '../data/people.ts';
import { SCHEMES } from '../data/schemes.ts';
import { jsonOk, notFound, validationError, type MockResponse } from '../http.ts';
import { phpInt } from '../ids.ts';
import { HOUR, parseInstant, toMskIso } from '../time.ts';

/**
 * Client, event and promo-code writes (§3): `{data: {…}}` bodies, never observed live. Validation
 * failures answer 400 VALIDATION_ERROR in the REST envelope with Laravel-style `info` (assumed).
 */

function dataOf(ctx: RequestContext): Record<string, unknown> {
  const data = asRecord(ctx.body).data;
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw validationError('The data field is required.', { data: ['The data field is required.'] });
  return data as Record<string, unknown>;
}

const required = (field: string) => validationError(`The ${field} field is required.`, { [field]: [`The ${field} field is required.`] });
const invalid = (field: string, what: string) => validationError(`The ${field} field ${what}.`, { [field]: [`The ${field} field ${what}.`] });

function optionalString(data: Record<string, unknown>, key: string, field = `data.${key}`): string | null | undefined {
  const value = data[key];
  if (value === undefined || value === null) return value as null | undefined;
  if (typeof value !== 'string') throw invalid(field, 'must be a string');
  return value;
}

function optionalDate(data: Record<string, unknown>, key: string, field = `data.${key}`): string | null | undefined {
  const value = data[key];
  if (value === undefined || value === null) return value as null | undefined;
  const iso = toMskIso(value);
  if (iso === null) throw invalid(field, 'is not a valid date');
  return iso;
}

const flag = (value: unknown): number => (value === true || value === 1 || value === '1' ? 1 : 0);

/** POST /clients: create, or update the client with this email. An empty body is refused (7.4). */
const upsertClient = (ctx: RequestContext): MockResponse => {
  const data = asRecord(asRecord(ctx.body).data);
  const email = data.email;
  if (typeof email !== 'string' || email.trim() === '') throw required('data.email');
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())) throw invalid('data.email', 'must be a valid email address');
  const raw = asRecord(data.details);
  const details: Record<string, string | null> = {};
  for (const key of ['name', 'surname', 'middlename', 'phone']) {
    const value = optionalString(raw, key, `data.details.${key}`);
    if (value !== undefined) details[key] = value;
  }
  return jsonOk({ data: ctx.tenant.clients.upsert(email, details).client });
};

/** Show fields a write may set; dates as sent, written back in +03:00. */
function applyShow(show: ShowRecord, raw: Record<string, unknown>, field: string, nowMs: number): void {
  const start = optionalDate(raw, 'start_date', `${field}.start_date`);
  if (start) show.startMs = parseInstant(start)!;
  const finish = optionalDate(raw, 'finish_date', `${field}.finish_date`);
  show.finishMs = finish ? parseInstant(finish)! : Math.max(show.finishMs, show.startMs + 2 * HOUR);
  const open = optionalDate(raw, 'open_date', `${field}.open_date`);
  if (open) show.openMs = parseInstant(open)!;
  const saleStart = optionalDate(raw, 'sale_start_date', `${field}.sale_start_date`);
  if (saleStart !== undefined) show.saleStartMs = saleStart === null ? null : parseInstant(saleStart)!;
  const saleFinish = optionalDate(raw, 'sale_finish_date', `${field}.sale_finish_date`);
  if (saleFinish) show.saleFinishMs = parseInstant(saleFinish)!;
  const name = optionalString(raw, 'name', `${field}.name`);
  if (typeof name === 'string') show.name = name;
  if (raw.is_active !== undefined) show.isActive = flag(raw.is_active);
  if (raw.scheme_properties && typeof raw.scheme_properties === 'object') show.customSchemeProperties = raw.scheme_properties;
  if (Array.isArray(raw.prices)) {
    raw.prices.forEach((p, level) => {
      const price = asRecord(p);
      const target = price.id !== undefined ? show.prices.find((x) => x.id === Number(price.id)) : show.prices[level];
      if (!target) throw invalid(`${field}.prices.${level}.id`, 'is not a price of this show');
      if (price.default_price !== undefined) {
        if (typeof price.default_price !== 'number' || price.default_price < 0) throw invalid(`${field}.prices.${level}.default_price`, 'must be a non-negative number');
        target.default_price = price.default_price;
      }
      if (price.color_theme !== undefined) target.color_theme = String(price.color_theme);
    });
  }
  show.updatedMs = nowMs;
}

function newShow(ctx: RequestContext, event: EventRecord, raw: Record<string, unknown>, field: string, nowMs: number): ShowRecord {
  const { catalog } = ctx.tenant;
  if (!optionalDate(raw, 'start_date', `${field}.start_date`)) throw required(`${field}.start_date`);
  const defaults = [1500, 1200, 1000, 800, 1000];
  const show: ShowRecord = {
    index: catalog.shows.length,
    id: catalog.nextIds.show,
    event,
    name: '',
    isActive: 1,
    saleStartMs: null,
    saleFinishMs: 0,
    openMs: 0,
    startMs: 0,
    finishMs: 0,
    prices: Array.from({ length: event.scheme.priceLevels }, (_, level) => ({ id: catalog.nextIds.price++, default_price: defaults[level] ?? 1000, color_theme: String(level + 1) })),
    salePrices: [],
    hidePriceRange: false,
    tariffs: [{ id: 'full', name: 'Полный', factor: 1 }],
    customSchemeProperties: null,
    createdMs: nowMs,
    updatedMs: nowMs,
    deletedMs: null,
    stock: emptyStock(event.scheme),
  };
  catalog.nextIds.show += ctx.tenant.profile.ids.shows.step;
  applyShow(show, raw, field, nowMs);
  show.openMs ||= show.startMs - HOUR;
  show.saleFinishMs ||= show.openMs;
  show.salePrices = show.prices.map((p) => p.default_price);
  event.scheme.seats.forEach((s) => s.admission && (show.stock.max[s.ref] = event.scheme.zones[s.zone].capacity));
  return show;
}

/** Event fields a write may set. */
function applyEvent(event: EventRecord, data: Record<string, unknown>, nowMs: number): void {
  for (const [key, prop] of [['name', 'name'], ['description', 'description'], ['place_name', 'placeName'], ['place_address', 'placeAddress'], ['place_description', 'placeDescription'], ['site_url', 'siteUrl'], ['age', 'age']] as const) {
    const value = optionalString(data, key);
    if (typeof value === 'string') event[prop] = value;
  }
  if (data.is_active !== undefined) event.isActive = flag(data.is_active);
  if (data.city_id !== undefined) {
    const city = CITIES.find((c) => c.id === Number(data.city_id));
    if (!city) throw invalid('data.city_id', 'is not a known city');
    event.city = city;
  }
  event.updatedMs = nowMs;
}

/** Updates shows with an id, adds the others; new shows join the event only when all are valid. */
function applyShows(ctx: RequestContext, event: EventRecord, data: Record<string, unknown>, nowMs: number): void {
  if (data.shows === undefined) return;
  if (!Array.isArray(data.shows)) throw invalid('data.shows', 'must be an array');
  const added: ShowRecord[] = [];
  data.shows.forEach((raw, i) => {
    const show = asRecord(raw);
    const field = `data.shows.${i}`;
    if (show.id !== undefined) {
      const existing = event.shows.find((s) => s.id === Number(show.id));
      if (!existing) throw invalid(`${field}.id`, 'is not a show of this event');
      applyShow(existing, show, field, nowMs);
    } else {
      added.push(newShow(ctx, event, show, field, nowMs));
    }
  });
  for (const show of added) {
    show.index = ctx.tenant.catalog.shows.length;
    ctx.tenant.catalog.shows.push(show);
    event.shows.push(show);
  }
}

/** POST /events: the documented body puts dates on shows[] (3.4); a flat spec body lacks data and is refused. */
const createEvent = (ctx: RequestContext): MockResponse => {
  const data = dataOf(ctx);
  if (typeof data.name !== 'string' || data.name.trim() === '') throw required('data.name');
  if (data.shows !== undefined && !Array.isArray(data.shows)) throw invalid('data.shows', 'must be an array');
  const { catalog } = ctx.tenant;
  const template = catalog.events[catalog.events.length - 1];
  const nowMs = ctx.tenant.clock.now();
  const id = catalog.nextIds.event;
  const event: EventRecord = {
    ...template,
    index: catalog.events.length,
    id,
    kind: 'hall',
    scheme: SCHEMES.hall,
    schemeId: 11_707 + (id % 5000),
    isActive: 1,
    name: '',
    description: '',
    placeDescription: '',
    shows: [],
    payments: [],
    poster: { ...template.poster, id: catalog.nextIds.poster++ },
    slug: '',
    url: '',
    createdMs: nowMs,
    updatedMs: nowMs,
    deletedMs: null,
    upcoming: false,
    partnerSales: false,
    proCultureId: null,
    salesFromMs: nowMs,
    salesToMs: nowMs,
  };
  applyEvent(event, data, nowMs);
  event.slug = slugify(event.name);
  event.url = `https://${event.city.slug}.qtickets.events/${id}-${event.slug}`;
  applyShows(ctx, event, data, nowMs);
  catalog.nextIds.event += ctx.tenant.profile.ids.events.step;
  catalog.events.push(event);
  ctx.tenant.indexEvent(event);
  return jsonOk({ data: renderEvent(event) });
};

const updateEvent = (ctx: RequestContext): MockResponse => {
  const id = phpInt(ctx.params.id);
  const event = ctx.tenant.eventById(id);
  if (!event) throw notFound('Event', id);
  const data = dataOf(ctx);
  const nowMs = ctx.tenant.clock.now();
  applyEvent(event, data, nowMs);
  applyShows(ctx, event, data, nowMs);
  ctx.tenant.indexEvent(event);
  return jsonOk({ data: renderEvent(event) });
};

function applyPromoCode(promo: PromoCodeRecord, data: Record<string, unknown>, now: string): void {
  if (data.code !== undefined) {
    if (typeof data.code !== 'string' || data.code.trim() === '') throw invalid('data.code', 'must be a non-empty string');
    promo.code = data.code;
  }
  if (data.is_active !== undefined) promo.isActive = flag(data.is_active);
  if (data.max_uses_count !== undefined) {
    if (!Number.isInteger(data.max_uses_count) || (data.max_uses_count as number) < 0) throw invalid('data.max_uses_count', 'must be a non-negative integer');
    promo.maxUsesCount = data.max_uses_count as number;
  }
  const from = optionalDate(data, 'active_from');
  if (from !== undefined) promo.activeFrom = from;
  const to = optionalDate(data, 'active_to');
  if (to !== undefined) promo.activeTo = to;
  promo.updatedAt = now;
}

/** POST /promo-codes: code and an existing discount_id are required. */
const createPromoCode = (ctx: RequestContext): MockResponse => {
  const data = dataOf(ctx);
  if (data.code === undefined) throw required('data.code');
  if (data.discount_id === undefined) throw required('data.discount_id');
  const discountIndex = ctx.tenant.discounts.findIndex((d) => d.id === Number(data.discount_id));
  if (discountIndex < 0) throw invalid('data.discount_id', 'is not an existing discount');
  const now = ctx.tenant.clock.nowMsk();
  const promo: PromoCodeRecord = { id: ctx.tenant.takePromoCodeId(), isActive: 1, type: 0, discountIndex, code: '', maxUsesCount: 0, activeFrom: null, activeTo: null, createdAt: now, updatedAt: now, deletedAt: null };
  applyPromoCode(promo, data, now);
  ctx.tenant.promoCodes.push(promo);
  return jsonOk({ data: renderPromoCode(ctx.tenant, promo) });
};

/** PUT /promo-codes/{id}: the documented body has no discount_id; one sent anyway is ignored. */
const updatePromoCode = (ctx: RequestContext): MockResponse => {
  const id = phpInt(ctx.params.id);
  const promo = ctx.tenant.promoCodes.find((p) => p.id === id);
  if (!promo) throw notFound('PromoCode', id);
  applyPromoCode(promo, dataOf(ctx), ctx.tenant.clock.nowMsk());
  return jsonOk({ data: renderPromoCode(ctx.tenant, promo) });
};

export const writeRoutes: Route[] = [
  { methods: ['POST'], path: '/clients', handle: upsertClient },
  { methods: ['POST'], path: '/events', handle: createEvent },
  { methods: ['PUT'], path: '/events/:id', handle: updateEvent },
  { methods: ['POST'], path: '/promo-codes', handle: createPromoCode },
  { methods: ['PUT'], path: '/promo-codes/:id', handle: updatePromoCode },
];
