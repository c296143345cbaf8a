import type { SchemeKind } from './data/schemes.ts';

/**
 * The two tenant modes (docs/api.md §11). `live`: live-like id ranges, where the documented example
 * ids do not exist. `doc`: the documentation's example ids exist, with the documented contents.
 */

export type TenantMode = 'live' | 'doc';

export interface TenantSize {
  orders: number;
  clients: number;
  events: number;
}

/** Small, but more than one page of each list (pages: orders 50, clients 100, events 10). */
export const DEFAULT_SIZE: TenantSize = { orders: 180, clients: 250, events: 23 };
/** The live tenant's size, for scale tests. */
export const LIVE_SIZE: TenantSize = { orders: 126_213, clients: 93_256, events: 223 };
export const DEFAULT_SEED = 20_240_518;

/** Live ratios: 65 discounts and 490 promo codes for 223 events. */
export const discountCount = (events: number): number => Math.max(12, Math.round((events * 65) / 223));
export const promoCodeCount = (events: number): number => Math.max(40, Math.round((events * 490) / 223));

interface IdRange {
  base: number;
  step: number;
}

export interface PinnedEvent {
  id: number;
  kind: SchemeKind;
  showIds: number[];
  upcoming: boolean;
  /** Default price per price level of the scheme. */
  prices?: number[];
}

export interface PinnedOrder {
  /** A documented id; or, for an order that only needs to exist, its position (negative: from the end). */
  id?: number;
  position?: number;
  clientId?: number;
  eventId: number;
  showId: number;
  paid: boolean;
  baskets: { id?: number; seatId: string }[];
}

export interface TenantProfile {
  mode: TenantMode;
  ids: {
    events: IdRange;
    shows: IdRange;
    orders: IdRange;
    clients: IdRange;
    discounts: IdRange;
    promoCodes: IdRange;
    /** First basket id; later baskets follow with small gaps. */
    basketBase: number;
    priceBase: number;
    clientDetailsBase: number;
  };
  events: PinnedEvent[];
  orders: PinnedOrder[];
  clients: number[];
  discounts: number[];
  promoCodes: number[];
  /** Seats no generated order may take, so documented Partners examples find them free. */
  keepFree: { showId: number; seatIds: string[] }[];
}

export function tenantProfile(mode: TenantMode, size: TenantSize): TenantProfile {
  if (mode === 'live') {
    return {
      mode,
      ids: {
        events: { base: 24_089, step: 30 },
        shows: { base: 152_887, step: 48 },
        orders: { base: 1_614_202, step: 9 },
        clients: { base: 1_265, step: 11 },
        discounts: { base: 6_840, step: 21 },
        promoCodes: { base: 187_162, step: 41 },
        basketBase: 12_361_332,
        priceBase: 541_247,
        clientDetailsBase: 798_806,
      },
      events: [],
      orders: [],
      clients: [],
      discounts: [],
      promoCodes: [],
      keepFree: [],
    };
  }
  // Steps stretch so the documented ids (up to order 11538) fall inside the generated ranges.
  return {
    mode,
    ids: {
      events: { base: 100, step: 47 },
      shows: { base: 5_000, step: 3 },
      orders: { base: 1, step: Math.max(2, Math.ceil(13_000 / size.orders)) },
      clients: { base: 1, step: Math.max(2, Math.ceil(1_000 / size.clients)) },
      discounts: { base: 10, step: 3 },
      promoCodes: { base: 13_000, step: 7 },
      basketBase: 1_000,
      priceBase: 30_000,
      clientDetailsBase: 500,
    },
    events: [
      { id: 12, kind: 'hall', showIds: [20, 21, 4076], upcoming: true },
      { id: 33, kind: 'hall', showIds: [41], upcoming: true, prices: [300, 200, 150, 500, 250] },
      { id: 1240, kind: 'chamber', showIds: [1241], upcoming: false },
    ],
    orders: [
      {
        id: 4360,
        clientId: 235,
        eventId: 33,
        showId: 41,
        paid: true,
        baskets: [
          { id: 63_993, seatId: 'CENTER_PARTERRE-21;12' },
          { id: 63_994, seatId: 'CENTER_PARTERRE-21;11' },
          { id: 63_995, seatId: 'CENTER_BALCONY-1;14' },
        ],
      },
      // The documented restore example: a cancelled order; its basket is the documented PUT example.
      { id: 11_538, clientId: 235, eventId: 12, showId: 20, paid: false, baskets: [{ id: 140_844, seatId: 'CENTER_PARTERRE-5;5' }] },
      // Sold tickets on show 20, the first show of the first event: barcode discovery starts there.
      { position: -1, eventId: 12, showId: 20, paid: true, baskets: [{ seatId: 'CENTER_PARTERRE-10;7' }, { seatId: 'CENTER_PARTERRE-10;8' }] },
    ],
    clients: [235],
    discounts: [45],
    promoCodes: [13_513],
    keepFree: [
      { showId: 4076, seatIds: ['CENTER_PARTERRE-20;5', 'CENTER_PARTERRE-20;6'] },
      { showId: 41, seatIds: ['CENTER_PARTERRE-20;5', 'CENTER_PARTERRE-20;6'] },
    ],
  };
}
