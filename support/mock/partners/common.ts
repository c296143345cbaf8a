import { createHash } from 'node:crypto';
import { mskIso } from '../../core/moscow.ts';
import { asRecord, type RequestContext } from '../context.ts';
import type { EventRecord, ShowRecord, Tariff } from '../data/catalog.ts';
import { seatPrice } from '../data/render.ts';
import type { SeatDef } from '../data/schemes.ts';
import { jsonOk, PartnersError, type MockResponse } from '../http.ts';
import { phpInt } from '../ids.ts';
import type { Tenant } from '../store.ts';

/** What every Partners method shares: its parameters, the event and show of its path, and the answer's context block. */

export const fail = (code: PartnersError['code'], message: string) => new PartnersError(code, message);

/** Query and body parameters merged (the body wins); JSON objects and lists in the query are decoded. */
export function paramsOf(ctx: RequestContext): Record<string, unknown> {
  const fromQuery: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(ctx.query)) {
    if (/^[[{]/.test(value)) {
      try {
        fromQuery[key] = JSON.parse(value);
        continue;
      } catch {
        // not JSON: kept as the string it is
      }
    }
    fromQuery[key] = value;
  }
  return { ...fromQuery, ...asRecord(ctx.body) };
}

interface Target {
  event: EventRecord;
  show: ShowRecord | undefined;
}

export const liveShows = (event: EventRecord) => event.shows.filter((s) => s.deletedMs === null && s.isActive === 1);

/**
 * The event and show of a path `/{event_id}/{show_id?}`. Only events with Partners sales exist for a
 * partner (assumed). The show id is required when the event has several shows.
 */
export function target(ctx: RequestContext, requireShow: boolean): Target {
  if (ctx.params.event === undefined) throw fail('VALIDATION_ERROR', 'The event_id is required.');
  const eventId = phpInt(ctx.params.event);
  const event = ctx.tenant.eventById(eventId);
  if (!event || !event.partnerSales) throw fail('EVENT_NOT_FOUND', `Event ${eventId} not found`);
  const shows = liveShows(event);
  if (ctx.params.show !== undefined) {
    const showId = phpInt(ctx.params.show);
    const show = shows.find((s) => s.id === showId);
    if (!show) throw fail('EVENT_NOT_FOUND', `Show ${showId} of event ${eventId} not found`);
    return { event, show };
  }
  if (shows.length === 1) return { event, show: shows[0] };
  if (requireShow) throw fail('VALIDATION_ERROR', `The show_id is required: event ${eventId} has ${shows.length} shows.`);
  return { event, show: undefined };
}

export function requireShowOf(ctx: RequestContext): { event: EventRecord; show: ShowRecord } {
  const { event, show } = target(ctx, true);
  return { event, show: show! };
}

const lastUpdateHash = (tenant: Tenant, show: ShowRecord): string => createHash('sha1').update(`${tenant.seed}:${show.id}:${show.stock.version}`).digest('hex');

function schemeBlock(event: EventRecord) {
  return {
    id: event.schemeId,
    venue_id: event.venueId,
    place_name: event.placeName,
    place_address: event.placeAddress,
    place_description: event.placeDescription,
    width: event.scheme.width,
    height: event.scheme.height,
  };
}

const cityBlock = (event: EventRecord) => ({ id: event.city.id, name: event.city.name, timezone: event.city.timezone, coords: [...event.city.coords] });

export function contextBlock(tenant: Tenant, event: EventRecord, show: ShowRecord) {
  return {
    event_id: event.id,
    show_id: show.id,
    event_name: event.name,
    start_date: mskIso(show.startMs),
    finish_date: mskIso(show.finishMs),
    scheme: schemeBlock(event),
    city: cityBlock(event),
    last_update_hash: lastUpdateHash(tenant, show),
  };
}

export const success = (tenant: Tenant, event: EventRecord, show: ShowRecord, payload: Record<string, unknown>): MockResponse =>
  jsonOk({ ...contextBlock(tenant, event, show), status: 'success', ...payload });

export const intOf = (text: string): number => Number.parseInt(text, 10) || 0;

export function tariffOf(show: ShowRecord, offerId: unknown): Tariff {
  if (offerId === undefined || offerId === null || offerId === '') return show.tariffs[0];
  const tariff = show.tariffs.find((t) => t.id === String(offerId));
  if (!tariff) throw fail('VALIDATION_ERROR', `Offer "${offerId}" not found`);
  return tariff;
}

export function seatOf(tenant: Tenant, show: ShowRecord, seatId: unknown): SeatDef {
  const seat = typeof seatId === 'string' || typeof seatId === 'number' ? tenant.seat(show, String(seatId)) : undefined;
  if (!seat) throw fail('SEAT_NOT_FOUND', `Seat "${seatId ?? ''}" not found`);
  return seat;
}

export const offerPrice = (show: ShowRecord, seat: SeatDef, tariff: Tariff) => seatPrice(show, seat, show.tariffs.indexOf(tariff), show.prices.map((p) => p.default_price));
