import { buildCatalog, type Catalog, type EventRecord, type ShowRecord } from './data/catalog.ts';
import { BarcodeCodec } from './data/barcodes.ts';
import { ClientDirectory } from './data/clients.ts';
import { PersonPool } from './data/people.ts';
import { buildDiscounts, buildPromoCodes, type DiscountRecord, type PromoCodeRecord } from './data/marketing.ts';
import { renderClient, renderOrder, type RenderSource } from './data/render.ts';
import { buildSales, type SalesPlan } from './data/sales.ts';
import type { Timeline } from './data/timeline.ts';
import type { MockClock } from './clock.ts';
import type { SeatDef } from './data/schemes.ts';
import type { Order, StoredPartnerTicket } from './data/types.ts';
import { allocateIds, indexOfId } from './ids.ts';
import { Rng } from './random.ts';
import { discountCount, promoCodeCount, tenantProfile, type TenantMode, type TenantProfile, type TenantSize } from './tenant.ts';
import { mskIso } from '../core/moscow.ts';

/**
 * The tenant's state: the generated data (compact plan + records) and everything writes changed
 * (an overlay of materialised orders and clients, mutable event/promo records, seat stock, Partners
 * tickets). Reads always see the writes.
 */
export class Tenant implements RenderSource {
  readonly profile: TenantProfile;
  readonly timeline: Timeline;
  readonly catalog: Catalog;
  readonly plan: SalesPlan;
  readonly clients: ClientDirectory;
  readonly discounts: DiscountRecord[];
  readonly promoCodes: PromoCodeRecord[];
  readonly codec: BarcodeCodec;
  readonly people: PersonPool;
  /** Partners tickets by id, in creation order. */
  readonly tickets = new Map<number, StoredPartnerTicket>();
  private readonly orderOverlay = new Map<number, Order>();
  private readonly eventsById = new Map<number, EventRecord>();
  private readonly showsById = new Map<number, ShowRecord>();
  private nextTicketNumber: number;
  private nextPromoCodeId: number;
  private nextRefundId = 1;

  constructor(
    mode: TenantMode,
    size: TenantSize,
    readonly seed: number,
    /** The one source of the tenant's calendar and of every stamp written at run time. */
    readonly clock: MockClock,
  ) {
    const timeline = clock.timeline;
    this.timeline = timeline;
    this.profile = tenantProfile(mode, size);
    this.codec = new BarcodeCodec(seed);
    this.people = new PersonPool(seed);
    this.catalog = buildCatalog(this.profile, size.events, seed, timeline);
    this.discounts = buildDiscounts(this.profile, discountCount(size.events), this.catalog, seed, timeline);
    this.promoCodes = buildPromoCodes(this.profile, promoCodeCount(size.events), this.discounts, seed, timeline, mskIso);
    const clientIds = allocateIds({ count: size.clients, ...this.profile.ids.clients, pinned: this.profile.clients, rng: Rng.of(seed, 'client-ids') });
    this.clients = new ClientDirectory(clientIds, this.profile.ids.clients.step, (index, id) => renderClient(this, index, id));
    this.plan = buildSales(this.profile, { orders: size.orders, catalog: this.catalog, clientIds, promoCodes: this.promoCodes, seed, time: timeline });
    for (const event of this.catalog.events) this.indexEvent(event);
    this.nextTicketNumber = this.plan.basketIds.length;
    this.nextPromoCodeId = this.promoCodes[this.promoCodes.length - 1].id + this.profile.ids.promoCodes.step;
  }

  indexEvent(event: EventRecord): void {
    this.eventsById.set(event.id, event);
    for (const show of event.shows) this.showsById.set(show.id, show);
  }

  eventById(id: number): EventRecord | undefined {
    return this.eventsById.get(id);
  }

  showById(id: number): ShowRecord | undefined {
    return this.showsById.get(id);
  }

  orderCount(): number {
    return this.plan.orderIds.length;
  }

  orderIndex(id: number): number {
    return indexOfId(this.plan.orderIds, id);
  }

  /** The order as it is now: written orders from the overlay (with their client's current data). */
  order(index: number): Order {
    const written = this.orderOverlay.get(index);
    if (!written) return renderOrder(this, index);
    return { ...written, client: this.clients.get(this.clients.indexOf(written.client_id)) ?? written.client };
  }

  /** A written order, or undefined: filters read it instead of the generated scalars. */
  writtenOrder(index: number): Order | undefined {
    return this.orderOverlay.get(index);
  }

  /** The order to change: materialised into the overlay on the first write. */
  mutableOrder(index: number): Order {
    let order = this.orderOverlay.get(index);
    if (!order) {
      order = renderOrder(this, index);
      this.orderOverlay.set(index, order);
    }
    return order;
  }

  /** Order position and basket position (among all generated baskets) of a basket id. */
  locateBasket(basketId: number): { orderIndex: number; basketNumber: number } | undefined {
    const g = indexOfId(this.plan.basketIds, basketId);
    return g < 0 ? undefined : { orderIndex: this.plan.basketOrder[g], basketNumber: g };
  }

  seat(show: ShowRecord, seatId: string): SeatDef | undefined {
    const ref = show.event.scheme.bySeatId.get(seatId);
    return ref === undefined ? undefined : show.event.scheme.seats[ref];
  }

  freeQuantity(show: ShowRecord, ref: number): number {
    const { stock } = show;
    return Math.max(0, stock.max[ref] - stock.paid[ref] - stock.ordered[ref]);
  }

  /** Moves seat stock: `kind` paid or ordered, by `delta`. */
  changeStock(show: ShowRecord, ref: number, kind: 'paid' | 'ordered', delta: number): void {
    show.stock[kind][ref] += delta;
    show.stock.version += 1;
  }

  takeTicketNumber(): number {
    return this.nextTicketNumber++;
  }

  takeBasketId(): number {
    return this.plan.nextBasketId++;
  }

  takeRefundId(): number {
    return this.nextRefundId++;
  }

  takePromoCodeId(): number {
    const id = this.nextPromoCodeId;
    this.nextPromoCodeId += this.profile.ids.promoCodes.step;
    return id;
  }
}
