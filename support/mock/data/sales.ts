import { allocateIds, indexOfId } from '../ids.ts';
import { Rng } from '../random.ts';
import type { TenantProfile } from '../tenant.ts';
import { MINUTE } from '../time.ts';
import type { Catalog, ShowRecord } from './catalog.ts';
import type { PromoCodeRecord } from './marketing.ts';
import type { Timeline } from './timeline.ts';

/**
 * The compact plan of every generated order and basket (typed arrays: about 40 bytes per order at the
 * live scale of 126k orders), from which an order is rendered on demand. Seats are allocated here, so
 * no seat is sold twice and each show's stock matches its baskets.
 */

export interface SalesPlan {
  orderIds: Int32Array;
  createdMs: Float64Array;
  /** 1 = paid; 0 = cancelled unpaid (deleted, baskets deleted, seats free). */
  paid: Uint8Array;
  show: Int32Array;
  client: Int32Array;
  /** Promo code index, or -1. */
  promo: Int32Array;
  /** Baskets of order i: basketStart[i] … basketStart[i+1]-1. */
  basketStart: Int32Array;
  basketIds: Int32Array;
  basketSeat: Int32Array;
  basketTariff: Uint8Array;
  basketOrder: Int32Array;
  /** Baskets of show s: showBaskets[showBasketStart[s] … showBasketStart[s+1]-1]. */
  showBasketStart: Int32Array;
  showBaskets: Int32Array;
  /** The next free basket id (Partners tickets take ids from here). */
  nextBasketId: number;
}

const BASKETS_PER_ORDER: [number, number][] = [[1, 30], [2, 26], [3, 20], [4, 6], [5, 4], [6, 14]];

export function buildSales(
  profile: TenantProfile,
  options: { orders: number; catalog: Catalog; clientIds: number[]; promoCodes: PromoCodeRecord[]; seed: number; time: Timeline },
): SalesPlan {
  const { orders: count, catalog, clientIds, promoCodes, seed, time } = options;
  const documentedIds = profile.orders.flatMap((o) => (o.id === undefined ? [] : [o.id]));
  const orderIds = Int32Array.from(allocateIds({ count, ...profile.ids.orders, pinned: documentedIds, rng: Rng.of(seed, 'order-ids') }));
  const pinnedAt = new Map(profile.orders.map((o) => [o.id !== undefined ? indexOfId(orderIds, o.id) : (o.position! + count) % count, o]));
  if (pinnedAt.size < profile.orders.length) throw new Error(`tenant: ${count} orders are too few for the ${profile.orders.length} documented ones`);
  const showById = new Map(catalog.shows.map((s) => [s.id, s]));
  const seats = new SeatAllocator(seed);
  for (const { showId, seatIds } of profile.keepFree) seats.reserve(showById.get(showId)!, seatIds);
  for (const order of profile.orders) seats.reserve(showById.get(order.showId)!, order.baskets.map((b) => b.seatId));

  const basketTotalGuess = count * 3 + 16;
  const plan: SalesPlan = {
    orderIds,
    createdMs: new Float64Array(count),
    paid: new Uint8Array(count),
    show: new Int32Array(count),
    client: new Int32Array(count),
    promo: new Int32Array(count),
    basketStart: new Int32Array(count + 1),
    basketIds: new Int32Array(basketTotalGuess),
    basketSeat: new Int32Array(basketTotalGuess),
    basketTariff: new Uint8Array(basketTotalGuess),
    basketOrder: new Int32Array(basketTotalGuess),
    showBasketStart: new Int32Array(0),
    showBaskets: new Int32Array(0),
    nextBasketId: profile.ids.basketBase,
  };
  let baskets = 0;
  const span = time.lastOrderMs - time.firstOrderMs;
  // The newest order comes in the first hour of the tenant's last day, so a shifted tenant has one from today.
  const newestMs = time.lastDayMs + Rng.of(seed, 'newest-order').int(5, 50) * MINUTE;
  const salesEvents = catalog.events.filter((e) => e.shows.some((s) => s.deletedMs === null));
  let cancelledInBlock: number[] = [];

  for (let i = 0; i < count; i++) {
    const rng = Rng.of(seed, 'order-plan', i);
    const spread = time.firstOrderMs + ((i + rng.next() * 0.8) / count) * span;
    const newest = i === count - 1;
    const createdMs = newest ? newestMs : spread;
    if (i % 10 === 0) {
      // Exactly two cancelled orders in every ten: both states on every page, at random positions.
      const block = Rng.of(seed, 'cancelled', i);
      const first = block.int(0, 9);
      cancelledInBlock = [first, (first + block.int(1, 9)) % 10];
    }
    const pinned = pinnedAt.get(i);
    const show = pinned ? showById.get(pinned.showId)! : pickShow(salesEvents, createdMs, rng);
    const seatRefs = pinned
      ? pinned.baskets.map((b) => seatRef(show, b.seatId))
      : Array.from({ length: rng.weighted(BASKETS_PER_ORDER) }, () => seats.take(show, rng));
    plan.createdMs[i] = Math.round(createdMs / 1000) * 1000;
    // The newest order is paid: a cancelled one would be deleted a day later, after the tenant's now.
    plan.paid[i] = pinned ? Number(pinned.paid) : !newest && cancelledInBlock.includes(i % 10) ? 0 : 1;
    plan.show[i] = show.index;
    plan.client[i] = pinned?.clientId !== undefined ? clientIds.indexOf(pinned.clientId) : rng.int(0, clientIds.length - 1);
    if (plan.client[i] < 0) throw new Error(`tenant: client ${pinned?.clientId} of a documented order does not exist`);
    plan.promo[i] = !pinned && promoCodes.length > 0 && rng.chance(0.86) ? rng.int(0, promoCodes.length - 1) : -1;
    plan.basketStart[i] = baskets;
    plan.nextBasketId += rng.int(1, 40);
    seatRefs.forEach((seat, b) => {
      if (baskets >= plan.basketIds.length) grow(plan);
      const pinnedId = pinned?.baskets[b].id;
      if (pinnedId !== undefined && pinnedId < plan.nextBasketId) throw new Error(`tenant: pinned basket ${pinnedId} comes after basket ${plan.nextBasketId}`);
      plan.basketIds[baskets] = pinnedId ?? plan.nextBasketId;
      plan.nextBasketId = plan.basketIds[baskets] + 1;
      plan.basketSeat[baskets] = seat;
      plan.basketTariff[baskets] = show.tariffs.length > 1 && !pinned && rng.chance(0.2) ? 1 : 0;
      plan.basketOrder[baskets] = i;
      if (plan.paid[i]) show.stock.paid[seat] += 1;
      baskets++;
    });
  }
  plan.basketStart[count] = baskets;
  plan.basketIds = plan.basketIds.slice(0, baskets);
  plan.basketSeat = plan.basketSeat.slice(0, baskets);
  plan.basketTariff = plan.basketTariff.slice(0, baskets);
  plan.basketOrder = plan.basketOrder.slice(0, baskets);
  indexByShow(plan, catalog.shows.length);
  setAdmissionCapacity(catalog, seed);
  return plan;
}

function pickShow(events: Catalog['events'], atMs: number, rng: Rng): ShowRecord {
  let candidates = events.filter((e) => e.salesFromMs <= atMs && atMs <= e.salesToMs);
  if (candidates.length === 0) {
    const nearest = events.reduce((best, e) => (Math.abs(e.salesFromMs - atMs) < Math.abs(best.salesFromMs - atMs) ? e : best));
    candidates = [nearest];
  }
  const shows = rng.pick(candidates).shows.filter((s) => s.deletedMs === null);
  const ahead = shows.filter((s) => s.startMs >= atMs);
  return rng.pick(ahead.length > 0 ? ahead : shows);
}

function seatRef(show: ShowRecord, seatId: string): number {
  const ref = show.event.scheme.bySeatId.get(seatId);
  if (ref === undefined) throw new Error(`tenant: seat ${seatId} is not in the scheme of show ${show.id}`);
  return ref;
}

/** Hands out seated seats in a shuffled order per show (each at most once); admission seats any number of times. */
class SeatAllocator {
  private readonly queues = new Map<number, { refs: number[]; next: number }>();
  private readonly reserved = new Map<number, Set<number>>();

  constructor(private readonly seed: number) {}

  reserve(show: ShowRecord, seatIds: string[]): void {
    const set = this.reserved.get(show.index) ?? new Set<number>();
    for (const id of seatIds) set.add(seatRef(show, id));
    this.reserved.set(show.index, set);
  }

  take(show: ShowRecord, rng: Rng): number {
    const scheme = show.event.scheme;
    const queue = this.queue(show);
    if (queue.refs.length > 0 && rng.chance(0.8) && queue.next < queue.refs.length) return queue.refs[queue.next++];
    return rng.pick(scheme.seats.filter((s) => s.admission)).ref;
  }

  private queue(show: ShowRecord): { refs: number[]; next: number } {
    let queue = this.queues.get(show.index);
    if (!queue) {
      const reserved = this.reserved.get(show.index);
      const refs = show.event.scheme.seats.filter((s) => !s.admission && !s.disabled && !s.spreadUsers && !reserved?.has(s.ref)).map((s) => s.ref);
      queue = { refs: Rng.of(this.seed, 'seat-order', show.id).shuffle(refs), next: 0 };
      this.queues.set(show.index, queue);
    }
    return queue;
  }
}

function grow(plan: SalesPlan): void {
  const size = plan.basketIds.length * 2;
  const copy = <T extends Int32Array | Uint8Array>(from: T, to: T): T => (to.set(from), to);
  plan.basketIds = copy(plan.basketIds, new Int32Array(size));
  plan.basketSeat = copy(plan.basketSeat, new Int32Array(size));
  plan.basketTariff = copy(plan.basketTariff, new Uint8Array(size));
  plan.basketOrder = copy(plan.basketOrder, new Int32Array(size));
}

/** A counting sort of baskets by show. */
function indexByShow(plan: SalesPlan, showCount: number): void {
  const start = new Int32Array(showCount + 1);
  for (let i = 0; i < plan.orderIds.length; i++) start[plan.show[i] + 1] += plan.basketStart[i + 1] - plan.basketStart[i];
  for (let s = 0; s < showCount; s++) start[s + 1] += start[s];
  const fill = start.slice(0, showCount);
  const byShow = new Int32Array(plan.basketIds.length);
  for (let g = 0; g < plan.basketIds.length; g++) byShow[fill[plan.show[plan.basketOrder[g]]]++] = g;
  plan.showBasketStart = start;
  plan.showBaskets = byShow;
}

/** Admission seats hold at least their usual capacity, and always more than was sold. */
function setAdmissionCapacity(catalog: Catalog, seed: number): void {
  for (const show of catalog.shows) {
    const rng = Rng.of(seed, 'capacity', show.id);
    for (const seat of show.event.scheme.seats) {
      if (!seat.admission) continue;
      const zone = show.event.scheme.zones[seat.zone];
      show.stock.max[seat.ref] = Math.max(zone.capacity, show.stock.paid[seat.ref] + rng.int(10, 60));
    }
  }
}
