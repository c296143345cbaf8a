import { allocateIds } from '../ids.ts';
import { Rng } from '../random.ts';
import type { PinnedEvent, TenantProfile } from '../tenant.ts';
import { DAY, HOUR, MINUTE } from '../time.ts';
import { seededFaker, slugify } from './people.ts';
import { SCHEMES, type SchemeKind, type SchemeTemplate } from './schemes.ts';
import type { Timeline } from './timeline.ts';

/**
 * Events and shows: small in number (223 live), so they are built at start-up and kept as mutable
 * records. Each show carries its seat stock (sold, reserved, capacity), the shared truth behind REST
 * seats, barcodes and the Partners offers.
 */

export const CITIES = [
  { id: 24, name: 'Томск', timezone: 'Asia/Krasnoyarsk', slug: 'tomsk', coords: [56.469463, 84.947568] },
  { id: 279, name: 'Прокопьевск', timezone: 'Asia/Novosibirsk', slug: 'prokopevsk', coords: [53.920709, 86.795411] },
  { id: 68, name: 'Барнаул', timezone: 'Asia/Novokuznetsk', slug: 'barnaul', coords: [53.38314, 83.711989] },
  { id: 205, name: 'Междуреченск', timezone: 'Asia/Novokuznetsk', slug: 'mezhdurechensk', coords: [53.6861, 88.072888] },
  { id: 1, name: 'Москва', timezone: 'Europe/Moscow', slug: 'msk', coords: [55.755826, 37.617299] },
  { id: 2, name: 'Санкт-Петербург', timezone: 'Europe/Moscow', slug: 'spb', coords: [59.93428, 30.335099] },
  { id: 61, name: 'Новосибирск', timezone: 'Asia/Novosibirsk', slug: 'nsk', coords: [55.030204, 82.92043] },
] as const;
export type City = (typeof CITIES)[number];

export const EVENT_TYPES: Record<number, string> = { 3: 'Спектакли', 7: 'Стендап', 10: 'Концерты', 11: 'Выставки' };

/** Colour themes 1–15 in the live, non-monotonic order (…8, 15, 9…). */
export const COLOR_THEME_ORDER = [1, 2, 3, 4, 5, 6, 7, 8, 15, 9, 10, 11, 12, 13, 14];

export interface Tariff {
  /** Offer id (Partners) and prefix of flat seat keys (REST). */
  id: 'full' | 'preferential';
  name: string;
  factor: number;
}
const FULL: Tariff = { id: 'full', name: 'Полный', factor: 1 };
const PREFERENTIAL: Tariff = { id: 'preferential', name: 'Льготный', factor: 0.7 };

export interface SeatStock {
  paid: Int32Array;
  ordered: Int32Array;
  max: Int32Array;
  /** Grows on every change of the stock: Partners' last_update_hash follows it. */
  version: number;
}

export interface Price {
  id: number;
  default_price: number;
  color_theme: string;
}

export interface ShowRecord {
  /** Position in Catalog.shows. */
  index: number;
  id: number;
  event: EventRecord;
  name: string;
  isActive: number;
  saleStartMs: number | null;
  saleFinishMs: number;
  openMs: number;
  startMs: number;
  finishMs: number;
  /** One price per price level of the scheme. */
  prices: Price[];
  /** The prices generated orders were sold at (edits of `prices` do not re-price past sales). */
  salePrices: number[];
  hidePriceRange: boolean;
  tariffs: Tariff[];
  /** scheme_properties written by a client (PUT/POST events), else derived from the scheme. */
  customSchemeProperties: unknown;
  createdMs: number;
  updatedMs: number;
  deletedMs: number | null;
  stock: SeatStock;
}

export interface EventRecord {
  index: number;
  id: number;
  kind: SchemeKind;
  scheme: SchemeTemplate;
  schemeId: number;
  venueId: number;
  isActive: number;
  name: string;
  placeName: string;
  placeAddress: string;
  placeDescription: string;
  city: City;
  description: string;
  siteUrl: string;
  age: string;
  shows: ShowRecord[];
  payments: { id: number; is_active: boolean; name: string; handler: string; agree_url: string }[];
  poster: { id: number; content_type: string; file_size: number; url: string };
  eventTypeId: number;
  slug: string;
  coordinates: [number, number];
  url: string;
  createdMs: number;
  updatedMs: number;
  deletedMs: number | null;
  upcoming: boolean;
  /** Listed by Partners events/lists and open to Partners ticket calls. */
  partnerSales: boolean;
  proCultureId: number | null;
  /** When generated orders may pick this event. */
  salesFromMs: number;
  salesToMs: number;
}

/** Shows per event and the deleted / inactive events follow the live page 1 (ids 24089…30926). */
const SHOWS_PATTERN = [1, 1, 1, 1, 13, 7, 5, 7, 1, 3];
const KIND_PATTERN: SchemeKind[] = ['exhibition', 'workshops', 'exhibition', 'exhibition', 'hall', 'hall', 'chamber', 'hall', 'chamber', 'hall'];
const isDeletedPosition = (k: number) => k % 10 === 1 || k % 10 === 9;
const isInactivePosition = (k: number) => k % 10 === 0 || k % 10 === 9;

const DEFAULT_PRICES: Record<SchemeKind, number[]> = {
  exhibition: [590, 490, 490, 390],
  workshops: [500, 700, 900],
  hall: [2500, 2000, 1500, 1200, 1800],
  chamber: [1500, 1200, 1000, 3000],
};

export interface Catalog {
  events: EventRecord[];
  shows: ShowRecord[];
  nextIds: { event: number; show: number; price: number; poster: number };
}

export function emptyStock(scheme: SchemeTemplate): SeatStock {
  const max = new Int32Array(scheme.seats.length);
  scheme.seats.forEach((s, i) => (max[i] = s.admission ? 0 : 1));
  return { paid: new Int32Array(scheme.seats.length), ordered: new Int32Array(scheme.seats.length), max, version: 0 };
}

export function buildCatalog(profile: TenantProfile, eventCount: number, seed: number, time: Timeline): Catalog {
  const pinnedById = new Map(profile.events.map((e) => [e.id, e]));
  const eventIds = allocateIds({ count: eventCount, ...profile.ids.events, pinned: [...pinnedById.keys()], rng: Rng.of(seed, 'event-ids') });
  const upcomingCount = Math.max(1, Math.round(eventCount * 0.25));
  const pastCount = eventCount - upcomingCount;

  const showCounts = eventIds.map((id, k) => pinnedById.get(id)?.showIds.length ?? SHOWS_PATTERN[k % 10]);
  const pinnedShowIds = profile.events.flatMap((e) => e.showIds);
  const generatedShowCount = showCounts.reduce((a, b) => a + b, 0) - pinnedShowIds.length;
  const allShowIds = allocateIds({ count: generatedShowCount + pinnedShowIds.length, ...profile.ids.shows, pinned: pinnedShowIds, rng: Rng.of(seed, 'show-ids') });
  const pinnedShowSet = new Set(pinnedShowIds);
  const generatedShowIds = allShowIds.filter((id) => !pinnedShowSet.has(id));

  const catalog: Catalog = { events: [], shows: [], nextIds: { event: 0, show: 0, price: profile.ids.priceBase, poster: 80_915 } };
  let pastPosition = 0;
  let upcomingPosition = 0;
  eventIds.forEach((id, k) => {
    const pinned = pinnedById.get(id);
    const upcoming = pinned ? pinned.upcoming : k >= pastCount;
    const showIds = pinned ? pinned.showIds : generatedShowIds.splice(0, showCounts[k]);
    const window = upcoming
      ? upcomingWindow(time, upcomingPosition++, upcomingCount)
      : pastWindow(time, pastPosition++, Math.max(1, pastCount));
    const event = generateEvent(catalog, { id, k, seed, pinned, upcoming, showIds, window, time });
    catalog.events.push(event);
  });
  catalog.nextIds.event = Math.max(...eventIds) + profile.ids.events.step;
  catalog.nextIds.show = Math.max(...allShowIds) + profile.ids.shows.step;
  return catalog;
}

interface Window {
  createdMs: number;
  firstShowMs: number;
}

function pastWindow(time: Timeline, position: number, pastCount: number): Window {
  const span = time.lastOrderMs - 60 * DAY - time.firstEventMs;
  const spacing = span / pastCount;
  const createdMs = time.firstEventMs + position * spacing;
  // Sales run long enough that two or three events are on sale at any time.
  return { createdMs, firstShowMs: createdMs + Math.max(25 * DAY, 2.2 * spacing) };
}

function upcomingWindow(time: Timeline, position: number, upcomingCount: number): Window {
  const createdMs = time.lastOrderMs - 60 * DAY + (position * 50 * DAY) / upcomingCount;
  return { createdMs, firstShowMs: time.asOfMs + 10 * DAY + position * 7 * DAY };
}

function generateEvent(
  catalog: Catalog,
  spec: { id: number; k: number; seed: number; pinned?: PinnedEvent; upcoming: boolean; showIds: number[]; window: Window; time: Timeline },
): EventRecord {
  const { id, k, seed, pinned, upcoming, showIds, window, time } = spec;
  const rng = Rng.of(seed, 'event', id);
  const f = seededFaker(seed, 'event-text', id);
  const kind = pinned?.kind ?? KIND_PATTERN[k % 10];
  const scheme = SCHEMES[kind];
  const title = f.book.title();
  const name = eventName(kind, title, f.person.fullName(), rng);
  const city = CITIES[pinned ? 4 : rng.int(0, CITIES.length - 1)];
  const slug = slugify(title) + (rng.chance(0.5) ? `-${city.slug}` : '');
  const deleted = !pinned && isDeletedPosition(k);
  const eventTypeId = { exhibition: 11, workshops: 11, hall: rng.pick([3, 10]), chamber: 7 }[kind];
  const posterId = catalog.nextIds.poster;
  catalog.nextIds.poster += rng.int(3, 400);
  const event: EventRecord = {
    index: catalog.events.length,
    id,
    kind,
    scheme,
    schemeId: 11_707 + id % 5000,
    venueId: 900 + CITIES.indexOf(city) * 10 + ['exhibition', 'workshops', 'hall', 'chamber'].indexOf(kind),
    isActive: pinned || !isInactivePosition(k) ? 1 : 0,
    name,
    placeName: placeName(kind, rng),
    placeAddress: f.location.streetAddress(),
    placeDescription: '',
    city,
    description: rng.chance(0.3) ? '' : f.lorem.paragraphs(rng.int(1, 3), '\r\n'),
    siteUrl: rng.pick(['http://корпорация-кубиков.рф/', 'https://irs-show.ru/', 'https://teatr-example.ru/afisha/']),
    age: rng.pick(['0+', '0+', '6+', '12+', '16+', '18+']),
    shows: [],
    payments: deleted
      ? []
      : [{ id: 41_000 + rng.int(0, 999), is_active: true, name: `ИП ${f.person.lastName()} ${f.person.firstName().charAt(0)}.${f.person.firstName().charAt(0)}.`, handler: rng.pick(['payanyway', 'payanyway', 'yookassa', 'cloudpayments']), agree_url: '' }],
    poster: { id: posterId, content_type: 'image/jpeg', file_size: rng.int(40_000, 400_000), url: `https://qtickets.ru/storage/app/uploads/public/${hex(rng, 3)}/${hex(rng, 3)}/${hex(rng, 3)}/${rng.alphanumeric(26)}.jpg` },
    eventTypeId,
    slug,
    coordinates: [round6(city.coords[0] + rng.next() * 0.02 - 0.01), round6(city.coords[1] + rng.next() * 0.02 - 0.01)],
    url: `https://${city.slug}.qtickets.events/${id}-${slug}`,
    createdMs: window.createdMs + rng.int(0, 3600) * 1000,
    updatedMs: 0,
    deletedMs: null,
    upcoming,
    partnerSales: false,
    proCultureId: rng.chance(0.5) ? rng.int(100_000, 999_999) : null,
    salesFromMs: window.createdMs,
    salesToMs: 0,
  };
  for (const payment of event.payments) payment.agree_url = `https://qtickets.ru/legal/${slug.slice(0, 12)}/${rng.int(10_000, 19_999)}?event=${id}`;

  const basePrices = pinned?.prices ?? DEFAULT_PRICES[kind].map((p) => Math.max(100, p + rng.int(-3, 3) * 100));
  const themeOffset = rng.int(0, COLOR_THEME_ORDER.length - 1);
  const hasPreferential = kind === 'hall' || kind === 'chamber';
  showIds.forEach((showId, s) => {
    const startMs = showStart(kind, window.firstShowMs, s);
    const finishMs = kind === 'exhibition' || kind === 'workshops' ? startMs + 39 * DAY - 5 * MINUTE : startMs + 90 * MINUTE;
    const openMs = kind === 'exhibition' || kind === 'workshops' ? startMs : startMs - HOUR;
    const prices = basePrices.map((price, level) => ({
      id: catalog.nextIds.price++,
      default_price: price,
      color_theme: String(COLOR_THEME_ORDER[(themeOffset + level) % COLOR_THEME_ORDER.length]),
    }));
    const show: ShowRecord = {
      index: catalog.shows.length,
      id: showId,
      event,
      name: '',
      isActive: 1,
      saleStartMs: showIds.length >= 5 && s === showIds.length - 1 ? startMs - 2 * DAY : null,
      saleFinishMs: kind === 'exhibition' || kind === 'workshops' ? finishMs : openMs,
      openMs,
      startMs,
      finishMs,
      prices,
      salePrices: prices.map((p) => p.default_price),
      hidePriceRange: showIds.length > 1 && rng.chance(0.25),
      tariffs: hasPreferential ? [FULL, PREFERENTIAL] : [FULL],
      customSchemeProperties: null,
      createdMs: event.createdMs - rng.int(1, 60) * 1000,
      updatedMs: Math.min(event.createdMs + rng.int(1, 50) * DAY, Math.max(event.createdMs, time.asOfMs - DAY)),
      // The 13-show events lose their last show, as happens live when a show is cancelled.
      deletedMs: showIds.length >= 13 && s === showIds.length - 1 ? event.createdMs + 20 * DAY : null,
      stock: emptyStock(scheme),
    };
    event.shows.push(show);
    catalog.shows.push(show);
  });
  const lastShow = Math.max(...event.shows.map((s) => s.startMs));
  event.salesToMs = upcoming ? Number.POSITIVE_INFINITY : lastShow;
  if (upcoming) event.salesFromMs = Math.min(event.salesFromMs, time.lastOrderMs - 60 * DAY);
  event.updatedMs = Math.max(event.createdMs, ...event.shows.map((s) => s.updatedMs));
  if (deleted) {
    event.deletedMs = Math.min(time.asOfMs - DAY, upcoming ? event.createdMs + 10 * DAY : lastShow + 30 * DAY);
    event.updatedMs = event.deletedMs;
  }
  event.partnerSales = upcoming && event.deletedMs === null && event.isActive === 1;
  return event;
}

function showStart(kind: SchemeKind, firstShowMs: number, s: number): number {
  const day = Math.floor(firstShowMs / DAY) * DAY;
  if (kind === 'exhibition' || kind === 'workshops') return day + s * 7 * DAY + 17 * HOUR; // 20:00 MSK
  if (kind === 'chamber') return day + s * DAY + 16 * HOUR; // 19:00 MSK
  return day + Math.floor(s / 3) * DAY + [8 * HOUR, 10.5 * HOUR, 13 * HOUR][s % 3]; // 11:00, 13:30, 16:00 MSK
}

function eventName(kind: SchemeKind, title: string, person: string, rng: Rng): string {
  switch (kind) {
    case 'exhibition':
      return `Детская интерактивная выставка «${title}»`;
    case 'workshops':
      return `Мастер-классы «${title}»`;
    case 'hall':
      return `${rng.pick(['Спектакль', 'Балет', 'Концерт'])} «${title}»`;
    case 'chamber':
      return rng.chance(0.5) ? `Стендап: ${person}` : `Камерный концерт «${title}»`;
  }
}

function placeName(kind: SchemeKind, rng: Rng): string {
  if (kind === 'exhibition' || kind === 'workshops') return `ТЦ "${rng.pick(['Смайл Сити', 'Европа', 'Гранд Парк', 'Аура', 'Планета', 'Галерея'])}"`;
  if (kind === 'hall') return `Дворец культуры «${rng.pick(['Юбилейный', 'Октябрь', 'Русь', 'Современник', 'Победа', 'Строитель'])}»`;
  return `Арт-пространство «${rng.pick(['Квартира', 'Подвал', 'Точка', 'Чердак', 'Ангар'])}»`;
}

const hex = (rng: Rng, length: number): string => Array.from({ length }, () => '0123456789abcdef'[rng.int(0, 15)]).join('');
const round6 = (value: number): number => {
  const rounded = Math.round(value * 1e6) / 1e6;
  // Coordinates are floats live; a whole number would serialise as an int.
  return Number.isInteger(rounded) ? rounded + 0.000001 : rounded;
};
