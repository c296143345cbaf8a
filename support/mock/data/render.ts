import { mskIso } from '../../core/moscow.ts';
import { Rng } from '../random.ts';
import type { TenantProfile } from '../tenant.ts';
import { DAY, HOUR, MINUTE } from '../time.ts';
import type { BarcodeCodec } from './barcodes.ts';
import type { Catalog, EventRecord, ShowRecord } from './catalog.ts';
import type { ClientDirectory } from './clients.ts';
import type { DiscountRecord, PromoCodeRecord } from './marketing.ts';
import type { PersonPool } from './people.ts';
import type { SalesPlan } from './sales.ts';
import { schemeProperties, type SchemeTemplate, type SeatDef } from './schemes.ts';
import type { Timeline } from './timeline.ts';
import type { Basket, Client, Order, OrderScalars, Utm } from './types.ts';

/**
 * Entities rendered from the compact plan, field by field in the live order (data/live-shapes).
 * Values that depend on randomness are drawn from per-entity streams, so rendering is repeatable.
 */

/** What rendering reads of the tenant (the store's Tenant is one): the generated data and the clients as they are now. */
export interface RenderSource {
  readonly seed: number;
  readonly profile: TenantProfile;
  readonly timeline: Timeline;
  readonly catalog: Catalog;
  readonly plan: SalesPlan;
  readonly clients: ClientDirectory;
  readonly discounts: DiscountRecord[];
  readonly promoCodes: PromoCodeRecord[];
  readonly codec: BarcodeCodec;
  readonly people: PersonPool;
}

const SITES = [
  { id: 1356, host: 'tenant.example.ru' },
  { id: 1357, host: 'билеты.пример.рф' },
];

const UTM_CAMPAIGNS: [string, string[], string[]][] = [
  ['insta', ['dinamika', 'opisanie', 'video', 'lenta_free1'], ['mamy', 'profil', 'roditeli']],
  ['vk', ['posty', 'lenta', 'tomsk'], ['anons2', 'organizovannaya', 'promokod_zaprosy', 'afisha_family']],
];
const nullableIso = (ms: number | null): string | null => (ms === null ? null : mskIso(ms));

const UTM_TERMS = ['выставка кубиков', 'афиша выставки', 'детская одежда', 'куда сходить с детьми', 'билеты на спектакль'];

export function seatName(scheme: SchemeTemplate, seat: SeatDef): string {
  const zone = scheme.zones[seat.zone];
  return seat.admission ? zone.name : `${zone.name}, ряд ${seat.row}, место ${seat.place}`;
}

/** The price of a seat in a show and tariff (0 full, 1 preferential), as sold. */
export function seatPrice(show: ShowRecord, seat: SeatDef, tariff: number, prices: number[] = show.salePrices): number {
  const base = prices[seat.priceLevel] ?? prices[0] ?? 0;
  return Math.round((base * (show.tariffs[tariff]?.factor ?? 1)) / 10) * 10;
}

interface BasketMoney {
  original: number;
  discount: number;
  price: number;
}

function basketMoney(t: RenderSource, g: number, percent: number): BasketMoney {
  const order = t.plan.basketOrder[g];
  const show = t.catalog.shows[t.plan.show[order]];
  const original = seatPrice(show, show.event.scheme.seats[t.plan.basketSeat[g]], t.plan.basketTariff[g]);
  const discount = Math.round((original * percent) / 100);
  return { original, discount, price: original - discount };
}

const discountPercent = (t: RenderSource, i: number): number => (t.plan.promo[i] < 0 ? 0 : t.discounts[t.promoCodes[t.plan.promo[i]].discountIndex].percent);

/** An order's money: sums over its baskets as sold. */
export function orderMoney(t: RenderSource, i: number): { price: number; original: number } {
  const percent = discountPercent(t, i);
  let price = 0;
  let original = 0;
  for (let g = t.plan.basketStart[i]; g < t.plan.basketStart[i + 1]; g++) {
    const money = basketMoney(t, g, percent);
    price += money.price;
    original += money.original;
  }
  return { price, original };
}

export type OrderTimeColumn = 'created_at' | 'payed_at' | 'reserved_to' | 'updated_at' | 'deleted_at';

/** An order's timestamps (ms, null when unset), drawn first from its stream so filters can read them alone. */
export function orderTimes(t: RenderSource, i: number, rng = Rng.of(t.seed, 'order', t.plan.orderIds[i])): Record<OrderTimeColumn, number | null> {
  const createdMs = t.plan.createdMs[i];
  const paid = t.plan.paid[i] === 1;
  const payedMs = createdMs + rng.int(60, 300) * 1000;
  const reservedToMs = createdMs + DAY;
  const deletedMs = reservedToMs + rng.int(1, 20) * MINUTE;
  const updatedMs = paid ? Math.min(Math.max(payedMs, t.timeline.asOfMs - DAY), payedMs + rng.int(0, 10) * DAY) : deletedMs;
  return { created_at: createdMs, payed_at: paid ? payedMs : null, reserved_to: reservedToMs, updated_at: updatedMs, deleted_at: paid ? null : deletedMs };
}

/** An order without its client and baskets (no faker: fast enough to scan 126k orders for a filter). */
export function orderScalars(t: RenderSource, i: number): OrderScalars {
  const { plan } = t;
  const id = plan.orderIds[i];
  const rng = Rng.of(t.seed, 'order', id);
  const times = orderTimes(t, i, rng);
  const event = t.catalog.shows[plan.show[i]].event;
  const paid = plan.paid[i] === 1;
  const money = orderMoney(t, i);
  const uniqid = rng.alphanumeric(10);
  const paymentType = rng.weighted<string>([['card', 88], ['4326371', 10], ['3449832', 2]]);
  const card = `${rng.digits(6)}******${rng.digits(4)}`;
  const withCard = paid && paymentType === 'card' && rng.chance(0.3);
  const payCode = rng.alphanumeric(10);
  const cancelPath = `${rng.alphanumeric(10)}/${rng.alphanumeric(32)}`;
  const promo = plan.promo[i] < 0 ? null : t.promoCodes[plan.promo[i]];
  const site = SITES[event.index % SITES.length];
  return {
    id,
    uniqid,
    payed: paid,
    payed_at: nullableIso(times.payed_at),
    client_id: t.clients.idAt(plan.client[i]),
    site_id: site.id,
    site,
    payment_id: event.payments[0]?.id ?? 12_133,
    payment_type_id: paymentType,
    payment_card_number: withCard ? card : null,
    payment_url: `https://qtickets.ru/pay/${payCode}`,
    cancel_url: `https://qtickets.ru/cancel-order/${cancelPath}`,
    basket_user_id: 5_000_000 + i * 3 + rng.int(0, 2),
    backend_user_id: null,
    access_code_id: null,
    discount_id: promo ? t.discounts[promo.discountIndex].id : null,
    promo_code_id: promo ? promo.id : null,
    reserved: false,
    reserved_to: mskIso(times.reserved_to!),
    reserve_extended: false,
    event_id: event.id,
    price: money.price,
    original_price: money.original,
    currency_id: 'RUB',
    utm: utm(rng),
    custom: '',
    fields: [],
    refunds: [],
    integrations: [],
    created_at: mskIso(times.created_at!),
    updated_at: mskIso(times.updated_at!),
    deleted_at: nullableIso(times.deleted_at),
  };
}

function utm(rng: Rng): Utm {
  const form = rng.weighted<0 | 3 | 5>([[0, 48], [3, 40], [5, 12]]);
  if (form === 0) return [];
  if (form === 5) {
    return { utm_source: 'yandex', utm_medium: 'cpc', utm_campaign: rng.digits(8), utm_content: rng.digits(11), utm_term: rng.pick(UTM_TERMS) };
  }
  const [source, mediums, campaigns] = rng.pick(UTM_CAMPAIGNS);
  return { utm_source: source, utm_medium: rng.pick(mediums), utm_campaign: rng.pick(campaigns) };
}

/** The full order, fields in the live order. */
export function renderOrder(t: RenderSource, i: number): Order {
  const s = orderScalars(t, i);
  return withClientAndBaskets(s, t.clients.get(t.plan.client[i])!, renderBaskets(t, i, s));
}

/** Puts client and baskets in their places among the scalars (spelled out: rest and spread took ~3 µs an order). */
function withClientAndBaskets(s: OrderScalars, client: Client, baskets: Basket[]): Order {
  return {
    id: s.id, uniqid: s.uniqid, payed: s.payed, payed_at: s.payed_at, client_id: s.client_id, client, site_id: s.site_id, site: s.site,
    payment_id: s.payment_id, payment_type_id: s.payment_type_id, payment_card_number: s.payment_card_number, payment_url: s.payment_url,
    cancel_url: s.cancel_url, basket_user_id: s.basket_user_id, backend_user_id: s.backend_user_id, access_code_id: s.access_code_id,
    discount_id: s.discount_id, promo_code_id: s.promo_code_id, reserved: s.reserved, reserved_to: s.reserved_to,
    reserve_extended: s.reserve_extended, event_id: s.event_id, price: s.price, original_price: s.original_price, currency_id: s.currency_id,
    utm: s.utm, custom: s.custom, fields: s.fields, baskets, refunds: s.refunds, integrations: s.integrations, created_at: s.created_at,
    updated_at: s.updated_at, deleted_at: s.deleted_at,
  };
}

function renderBaskets(t: RenderSource, i: number, order: OrderScalars): Basket[] {
  const { plan } = t;
  const show = t.catalog.shows[plan.show[i]];
  const scheme = show.event.scheme;
  const paid = order.payed;
  const percent = discountPercent(t, i);
  const baskets: Basket[] = [];
  const orderCreatedMs = plan.createdMs[i];
  for (let g = plan.basketStart[i]; g < plan.basketStart[i + 1]; g++) {
    const id = plan.basketIds[g];
    const rng = Rng.of(t.seed, 'basket', id);
    const person = t.people.draw(Rng.of(t.seed, 'basket-person', id));
    const seat = scheme.seats[plan.basketSeat[g]];
    const money = basketMoney(t, g, percent);
    const ticketCode = `${rng.alphanumeric(10)}/${rng.alphanumeric(32)}`;
    const passCode = `${rng.alphanumeric(8)}/${rng.alphanumeric(10)}/${rng.alphanumeric(32)}`;
    // Checked at most an hour after the start, and only before the tenant's last day (see Timeline).
    const checked = paid && show.startMs + HOUR <= t.timeline.lastDayMs && rng.chance(0.35);
    const checkedMs = show.startMs - 30 * MINUTE + rng.int(0, 90) * MINUTE;
    baskets.push({
      id,
      series: rng.digits(9),
      barcode: paid ? t.codec.encode(g) : null,
      show_id: show.id,
      seat_id: seat.seatId,
      seat_name: seatName(scheme, seat),
      original_price: money.original,
      ticket_original_price: money.original,
      discount_value: money.discount,
      price: money.price,
      ticket_amount: paid ? money.price : 0,
      service_fee_amount: 0,
      multiprice_code: plan.basketTariff[g] === 1 ? 'preferential' : null,
      quantity: 1,
      client_email: person.email,
      client_phone: person.phone,
      client_name: person.name,
      client_surname: person.surname,
      client_middlename: null,
      organization_name: null,
      legal_name: null,
      work_position: null,
      inn: null,
      kpp: null,
      comment: null,
      pdf_url: paid ? `https://qtickets.ru/ticket/pdf/${ticketCode}` : null,
      passbook_url: paid ? `https://qtickets.ru/ticket/${passCode}` : null,
      related_baskets: [],
      services: [],
      checked_at: checked ? mskIso(checkedMs) : null,
      created_at: mskIso(orderCreatedMs - (plan.basketStart[i + 1] - g) * rng.int(2, 40) * 1000),
      updated_at: paid ? order.payed_at! : order.deleted_at!,
      deleted_at: paid ? null : order.deleted_at,
      refunded_at: null,
      refunded_amount: paid ? null : 0,
      refunded_deduction_amount: paid ? null : 0,
      refunds: [],
    });
  }
  return baskets;
}

/** A generated client: a Russian name, a unique email (tagged with the client id), a +79 phone. */
export function renderClient(t: RenderSource, index: number, id: number): Client {
  const rng = Rng.of(t.seed, 'client', id);
  // Live page 1: 13% of clients have a middle name, 9% no surname.
  const person = t.people.draw(Rng.of(t.seed, 'client-person', id), { uniqueTag: id, surnameChance: 0.91, middlenameChance: 0.13 });
  return {
    id,
    email: person.email,
    details: {
      id: t.profile.ids.clientDetailsBase + index * 7 + rng.int(0, 5),
      name: person.name,
      middlename: person.middlename,
      surname: person.surname,
      phone: person.phone,
      vk_id: '',
      facebook_id: '',
    },
  };
}

function renderShow(show: ShowRecord): Record<string, unknown> {
  const prices = show.prices.map((p) => ({ ...p, modifiers: [] }));
  const byPrice = [...prices].sort((a, b) => a.default_price - b.default_price);
  return {
    id: show.id,
    name: show.name,
    is_active: show.isActive,
    sale_start_date: nullableIso(show.saleStartMs),
    sale_finish_date: mskIso(show.saleFinishMs),
    open_date: mskIso(show.openMs),
    start_date: mskIso(show.startMs),
    finish_date: mskIso(show.finishMs),
    scheme_properties: show.customSchemeProperties ?? schemeProperties(show.event.scheme, show.prices.map((p) => p.id)),
    prices,
    min_price: show.hidePriceRange || byPrice.length === 0 ? null : { ...byPrice[0], modifiers: [] },
    max_price: show.hidePriceRange || byPrice.length === 0 ? null : { ...byPrice[byPrice.length - 1], modifiers: [] },
    created_at: mskIso(show.createdMs),
    updated_at: mskIso(show.updatedMs),
    deleted_at: nullableIso(show.deletedMs),
  };
}

/** The event; `withShows: false` leaves out the heavy shows (for filtering). */
export function renderEvent(event: EventRecord, withShows = true): Record<string, unknown> {
  return {
    id: event.id,
    is_active: event.isActive,
    name: event.name,
    scheme_id: event.schemeId,
    currency_id: 'RUB',
    place_name: event.placeName,
    place_address: event.placeAddress,
    place_description: event.placeDescription,
    city_id: event.city.id,
    description: event.description,
    site_url: event.siteUrl,
    external_id: null,
    ticket_id: 35,
    mail_template_id: 31,
    age: event.age,
    ...(withShows ? { shows: event.shows.map(renderShow) } : {}),
    payments: event.payments.map((p) => ({ ...p })),
    poster: { ...event.poster },
    event_type_id: event.eventTypeId,
    city: { id: event.city.id, name: event.city.name, timezone: event.city.timezone },
    ticket: { id: 35, is_active: 1, name: 'Системный шаблон' },
    mail_template: { id: 31, is_active: 1, name: 'Системный шаблон' },
    slug: event.slug,
    place_coordinates: [...event.coordinates],
    url: event.url,
    created_at: mskIso(event.createdMs),
    updated_at: mskIso(event.updatedMs),
    deleted_at: nullableIso(event.deletedMs),
  };
}

export function renderDiscount(t: RenderSource, d: DiscountRecord): Record<string, unknown> {
  return {
    id: d.id,
    is_active: d.isActive,
    name: d.name,
    active_from: nullableIso(d.activeFromMs),
    active_to: nullableIso(d.activeToMs),
    type: 'P',
    events: d.eventIndexes.map((i) => {
      const e = t.catalog.events[i];
      return { id: e.id, is_active: e.isActive, name: e.name, deleted_at: nullableIso(e.deletedMs) };
    }),
    shows: d.showIndexes.map((i) => {
      const s = t.catalog.shows[i];
      return {
        id: s.id,
        is_active: s.isActive,
        event_id: s.event.id,
        sale_start_date: nullableIso(s.saleStartMs),
        sale_finish_date: mskIso(s.saleFinishMs),
        open_date: mskIso(s.openMs),
        start_date: mskIso(s.startMs),
        finish_date: mskIso(s.finishMs),
        created_at: mskIso(s.createdMs),
        updated_at: mskIso(s.updatedMs),
        deleted_at: nullableIso(s.deletedMs),
      };
    }),
    created_at: mskIso(d.createdMs),
    updated_at: mskIso(d.updatedMs),
    deleted_at: nullableIso(d.deletedMs),
  };
}

export function renderPromoCode(t: RenderSource, p: PromoCodeRecord): Record<string, unknown> {
  return {
    id: p.id,
    is_active: p.isActive,
    type: p.type,
    discount_id: t.discounts[p.discountIndex].id,
    code: p.code,
    max_uses_count: p.maxUsesCount,
    active_from: p.activeFrom,
    active_to: p.activeTo,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
    deleted_at: p.deletedAt,
  };
}
