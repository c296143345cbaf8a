import { asArray, dataItems, resultItems } from '../core/answers.ts';
import { isPaid, liveBaskets } from '../core/orders.ts';
import type { Ids } from '../core/types.ts';


/** Ids that list answers contribute to later specs: read by the plans' `discovers` and by lazy discovery. */

/** Ids found on a page of orders: used by 1.1 and by lazy discovery. */
export function idsFromOrders(body: any): Ids {
  const orders = dataItems(body);
  const ids: Ids = {};
  if (orders[0]) ids.orderId = String(orders[0].id);
  const paid = orders.find(isPaid);
  if (paid) ids.paidEventId = String(paid.event_id);
  const writable = orders.find((o) => isPaid(o) && !o.deleted_at && liveBaskets(o).length >= 2);
  if (writable) {
    ids.writeOrderId = String(writable.id);
    ids.basketId = String(liveBaskets<any>(writable)[0].id);
    ids.basketId2 = String(liveBaskets<any>(writable)[1].id);
  }
  const cancelled = orders.find((o) => o.deleted_at && asArray(o.refunds).length === 0);
  if (cancelled) ids.cancelledOrderId = String(cancelled.id);
  return ids;
}

export function idsFromClients(body: any): Ids {
  const client = dataItems(body).find((c) => typeof c.email === 'string' && c.email.includes('@'));
  return client ? { clientEmail: client.email } : {};
}

const liveShows = (event: any): any[] => asArray(event.shows).filter((s) => !s.deleted_at);

export function idsFromEvents(body: any): Ids {
  const events = dataItems(body);
  const ids: Ids = {};
  const withShows = events.find((e) => !e.deleted_at && liveShows(e).length > 0);
  if (withShows) {
    ids.eventId = String(withShows.id);
    ids.eventShowIds = liveShows(withShows).map((s) => String(s.id)).join(',');
    ids.showId = String(liveShows(withShows)[0].id);
  }
  const single = events.find((e) => !e.deleted_at && liveShows(e).length === 1);
  if (single) {
    ids.singleShowEventId = String(single.id);
    ids.singleShowId = String(liveShows(single)[0].id);
  }
  return ids;
}

export function idsFromPartnerEvents(body: any): Ids {
  const items = resultItems(body);
  const showsPerEvent = new Map<string, number>();
  for (const item of items) showsPerEvent.set(String(item.event_id), (showsPerEvent.get(String(item.event_id)) ?? 0) + 1);
  // Prefer an event with one show: the deprecated events/seats (6.14) needs no show id for it.
  const chosen = items.find((item) => showsPerEvent.get(String(item.event_id)) === 1) ?? items[0];
  return chosen ? { partnerEventId: String(chosen.event_id), partnerShowId: String(chosen.show_id) } : {};
}

export function idsFromOffers(body: any): Ids {
  const offers = body?.offers && typeof body.offers === 'object' ? body.offers : {};
  for (const [offerId, offer] of Object.entries<any>(offers)) {
    const free = Object.entries<any>(offer?.seats ?? {}).filter(([, seat]) => seat?.available === true);
    // 6.1 books one seat, 6.2 two, 6.3 reserves a fourth.
    if (free.length >= 4) return { offerId, freeSeatIds: free.slice(0, 4).map(([seatId]) => seatId).join(',') };
  }
  return {};
}
