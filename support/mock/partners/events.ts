import { type RequestContext } from '../context.ts';
import { EVENT_TYPES } from '../data/catalog.ts';
import type { SeatDef } from '../data/schemes.ts';
import { jsonOk, type MockResponse } from '../http.ts';
import { seatAvailable } from '../rest/seats.ts';
import { contextBlock, intOf, liveShows, offerPrice, requireShowOf, success } from './common.ts';

/** The Partners read methods on events: the list, the seat map, the offers and the deprecated seats. */

/** events/lists: one item per upcoming show of the events with Partners sales. */
export const eventsList = (ctx: RequestContext): MockResponse => {
  const tenant = ctx.tenant;
  const now = tenant.clock.now();
  const result = tenant.catalog.events
    .filter((e) => e.partnerSales)
    .flatMap((event) =>
      liveShows(event)
        .filter((s) => s.startMs > now)
        .map((show) => {
          // The documented item is the context block with the event's details before its hash.
          const { last_update_hash, ...context } = contextBlock(tenant, event, show);
          return {
            ...context,
            event_type: { id: event.eventTypeId, name: EVENT_TYPES[event.eventTypeId] ?? 'Мероприятия' },
            age: event.age,
            fanid_required: false,
            has_document_verification: false,
            integrations: event.proCultureId === null ? [] : [{ source_name: 'pro-culture', source_id: event.proCultureId }],
            last_update_hash,
          };
        }),
    );
  return jsonOk({ status: 'success', result });
};

export const seatmap = (ctx: RequestContext): MockResponse => {
  const { event, show } = requireShowOf(ctx);
  const scheme = event.scheme;
  const zones = Object.fromEntries(
    scheme.zones.map((zone, z) => [
      zone.id,
      {
        name: zone.name,
        description: null,
        width: zone.width,
        height: zone.height,
        offset: [...zone.offset],
        seats: Object.fromEntries(scheme.seats.filter((s) => s.zone === z).map((s) => [s.seatId, { coords: [...s.coords], row: intOf(s.row), place: intOf(s.place) }])),
      },
    ]),
  );
  return success(ctx.tenant, event, show, { seatmap: { width: scheme.width, height: scheme.height, zones } });
};

export const offers = (ctx: RequestContext): MockResponse => {
  const { event, show } = requireShowOf(ctx);
  const result = Object.fromEntries(
    show.tariffs.map((tariff) => [
      tariff.id,
      {
        name: tariff.name,
        seats: Object.fromEntries(event.scheme.seats.map((seat) => [seat.seatId, { available: seatAvailable(ctx.tenant, show, seat), price: offerPrice(show, seat, tariff) }])),
      },
    ]),
  );
  return success(ctx.tenant, event, show, { offers: result });
};

/** events/seats (deprecated): legacy zone numbers and seat ids `<zoneNum>-<row>;<place>`. */
export const legacySeats = (ctx: RequestContext): MockResponse => {
  const { event, show } = requireShowOf(ctx);
  const tenant = ctx.tenant;
  const scheme = event.scheme;
  const legacyId = (seat: SeatDef) => `${scheme.zones[seat.zone].legacyNumber}-${seat.row};${seat.place}`;
  const full = show.tariffs[0];
  const zoneSeats = (z: number) => scheme.seats.filter((s) => s.zone === z);
  const block = contextBlock(tenant, event, show);
  return jsonOk({
    ...block,
    scheme: { ...block.scheme, zones: scheme.zones.map((zone, z) => ({ zone_id: zone.legacyNumber, name: zone.name, description: null, seats: zoneSeats(z).map((s) => ({ seat_id: legacyId(s) })) })) },
    status: 'success',
    zones: scheme.zones.map((zone, z) => ({
      zone_id: zone.legacyNumber,
      name: zone.name,
      seats: zoneSeats(z).map((seat) => {
        const common = { seat_id: legacyId(seat), available: seatAvailable(tenant, show, seat), coords: [...seat.coords] };
        const money = { price: offerPrice(show, seat, full), currency_id: 'RUB' };
        return seat.admission
          ? { ...common, free_quantity: tenant.freeQuantity(show, seat.ref), admission: true, ...money }
          : { ...common, row: intOf(seat.row), place: intOf(seat.place), ...money };
      }),
    })),
  });
};
