import { allocateIds } from '../ids.ts';
import { Rng } from '../random.ts';
import type { TenantProfile } from '../tenant.ts';
import { DAY } from '../time.ts';
import type { Catalog } from './catalog.ts';
import type { Timeline } from './timeline.ts';

/** Discounts, promo codes and colour themes: few, built at start-up, kept as mutable records. */

export interface DiscountRecord {
  id: number;
  isActive: number;
  name: string;
  percent: number;
  activeFromMs: number | null;
  activeToMs: number | null;
  eventIndexes: number[];
  showIndexes: number[];
  createdMs: number;
  updatedMs: number;
  deletedMs: number | null;
}

export interface PromoCodeRecord {
  id: number;
  isActive: number;
  type: number;
  discountIndex: number;
  code: string;
  maxUsesCount: number;
  activeFrom: string | null;
  activeTo: string | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

const DISCOUNT_NAMES: [string, number][] = [
  ['СКИДКА - 100%', 100],
  ['Скидка 10%', 10],
  ['Скидка 30% по промокоду', 30],
  ['Пушкинская карта - 20%', 20],
  ['Многодетным - 50%', 50],
  ['Скидка 15%', 15],
  ['Именинникам - 25%', 25],
];

/** The 15 colour themes, ids 1–15 in the live non-monotonic order. */
export const COLOR_THEMES: { id: number; color: string }[] = [
  [1, '#f44336'], [2, '#e91e63'], [3, '#9c27b0'], [4, '#673ab7'], [5, '#3f51b5'], [6, '#2196f3'], [7, '#03a9f4'], [8, '#00bcd4'],
  [15, '#795548'], [9, '#009688'], [10, '#4caf50'], [11, '#8bc34a'], [12, '#cddc39'], [13, '#ffc107'], [14, '#ff5722'],
].map(([id, color]) => ({ id: id as number, color: color as string }));

export function buildDiscounts(profile: TenantProfile, count: number, catalog: Catalog, seed: number, time: Timeline): DiscountRecord[] {
  const ids = allocateIds({ count, ...profile.ids.discounts, pinned: profile.discounts, rng: Rng.of(seed, 'discount-ids') });
  const span = time.lastOrderMs - time.firstEventMs;
  return ids.map((id, j) => {
    const rng = Rng.of(seed, 'discount', id);
    const [name, percent] = j === 0 ? DISCOUNT_NAMES[0] : rng.pick(DISCOUNT_NAMES.slice(1));
    const createdMs = time.firstEventMs + 5 * DAY + (j / count) * span + rng.int(0, 86_400) * 1000;
    const events = catalog.events.filter((e) => Math.abs(e.createdMs - createdMs) < 120 * DAY);
    const eventIndexes = j % 3 === 0 && events.length > 0 ? rng.shuffle(events.map((e) => e.index)).slice(0, rng.int(1, 3)).sort((a, b) => a - b) : [];
    const showIndexes = j % 8 === 2 && events.length > 0 ? rng.pick(events).shows.slice(0, 2).map((s) => s.index) : [];
    const deleted = j % 8 === 0 || j % 8 === 3 || j % 8 === 5;
    const updatedMs = Math.min(time.asOfMs - DAY, createdMs + rng.int(1, 400) * DAY);
    return {
      id,
      isActive: deleted || j % 4 === 2 ? 0 : 1,
      name,
      percent,
      activeFromMs: j % 4 === 1 ? createdMs + DAY : null,
      activeToMs: j % 3 === 1 ? createdMs + rng.int(30, 200) * DAY : null,
      eventIndexes,
      showIndexes,
      createdMs,
      updatedMs,
      deletedMs: deleted ? updatedMs : null,
    };
  });
}

export function buildPromoCodes(profile: TenantProfile, count: number, discounts: DiscountRecord[], seed: number, time: Timeline, iso: (ms: number) => string): PromoCodeRecord[] {
  const ids = allocateIds({ count, ...profile.ids.promoCodes, pinned: profile.promoCodes, rng: Rng.of(seed, 'promo-ids') });
  return ids.map((id, j) => {
    const rng = Rng.of(seed, 'promo', id);
    // Codes are created for discounts in the order the discounts were made.
    const discountIndex = Math.min(discounts.length - 1, Math.floor((j / count) * discounts.length + rng.int(0, 2)));
    const discount = discounts[discountIndex];
    const createdMs = discount.createdMs + rng.int(0, 30) * DAY + rng.int(0, 86_400) * 1000;
    const deleted = rng.chance(0.19);
    const created = iso(Math.min(createdMs, time.asOfMs - DAY));
    return {
      id,
      isActive: rng.chance(0.9) ? 1 : 0,
      type: 0,
      discountIndex,
      code: rng.alphanumeric(8),
      maxUsesCount: 0,
      activeFrom: rng.chance(0.28) ? created : null,
      activeTo: rng.chance(0.7) ? iso(createdMs + rng.int(7, 120) * DAY) : null,
      createdAt: created,
      updatedAt: created,
      deletedAt: deleted ? iso(Math.min(createdMs + rng.int(1, 90) * DAY, time.asOfMs - DAY)) : null,
    };
  });
}
