import { asRecord, type RequestContext, type Route } from '../context.ts';
import type { ShowRecord, Tariff } from '../data/catalog.ts';
import { seatPrice } from '../data/render.ts';
import type { SeatDef } from '../data/schemes.ts';
import { effectiveConditions, parseConditions, predicate, valueAt } from '../filters.ts';
import { jsonOk, notFound, RestError, type MockResponse } from '../http.ts';
import { phpInt } from '../ids.ts';
import type { Tenant } from '../store.ts';

/**
 * GET /shows/{id}/seats (§7.7). Without `flat` (observed): zones with their seats and no availability.
 * With `flat: true` (never observed): one entry per tariff and seat, keyed `<tariff>_<seat id>`,
 * with `select` (dotted paths), `where` on any field or `root_zone_id`, and a `context` quota holder.
 */

interface SeatContext {
  client_email?: string;
  user_id?: string | number;
  partner_id?: string | number;
}

/** Who may buy a seat: quota seats (spread.users) only their holders, given in `context`. */
function quotaAllows(seat: SeatDef, context: SeatContext): boolean {
  return !seat.spreadUsers || (context.user_id !== undefined && seat.spreadUsers.includes(String(context.user_id)));
}

function seatLabel(show: ShowRecord, seat: SeatDef): string {
  return seat.admission ? show.event.scheme.zones[seat.zone].name : `Ряд ${seat.row}, место ${seat.place}`;
}

/** Whether a seat is on sale now for whoever `context` names (free, enabled, not someone else's quota). */
export function seatAvailable(tenant: Tenant, show: ShowRecord, seat: SeatDef, context: SeatContext = {}): boolean {
  return tenant.freeQuantity(show, seat.ref) > 0 && !seat.disabled && quotaAllows(seat, context);
}

function flatSeat(tenant: Tenant, show: ShowRecord, seat: SeatDef, tariff: Tariff, context: SeatContext): Record<string, unknown> {
  const zone = show.event.scheme.zones[seat.zone];
  const { stock } = show;
  const multiprice = show.tariffs.length > 1;
  const price = show.prices[seat.priceLevel] ?? show.prices[0];
  return {
    id: `${tariff.id}_${seat.seatId}`,
    root_id: seat.seatId,
    name: seatLabel(show, seat),
    zone_id: zone.id,
    zone_root_id: zone.id,
    short_seat_id: `${seat.row};${seat.place}`,
    row: seat.row,
    place: seat.place,
    admission: seat.admission,
    available: seatAvailable(tenant, show, seat, context),
    disabled: seat.disabled,
    ordered: stock.paid[seat.ref] + stock.ordered[seat.ref] > 0,
    max_quantity: stock.max[seat.ref],
    free_quantity: tenant.freeQuantity(show, seat.ref),
    ordered_quantity: stock.ordered[seat.ref],
    payed_quantity: stock.paid[seat.ref],
    in_basket_quantity: 0,
    price: seatPrice(show, seat, show.tariffs.indexOf(tariff), show.prices.map((p) => p.default_price)),
    currency_id: 'RUB',
    color_theme_id: price ? Number(price.color_theme) : null,
    multiprice_name: multiprice ? tariff.name : null,
    multiprice_code: multiprice ? tariff.id : null,
    related_seats: [],
    coords: [...seat.coords],
    spread: { agents: false, partner_id: null, users: seat.spreadUsers ? [...seat.spreadUsers] : null, client_groups: null, client_emails: null },
  };
}

const FLAT_COLUMNS = new Set([
  'id', 'root_id', 'name', 'zone_id', 'zone_root_id', 'short_seat_id', 'row', 'place', 'admission', 'available', 'disabled', 'ordered',
  'max_quantity', 'free_quantity', 'ordered_quantity', 'payed_quantity', 'in_basket_quantity', 'price', 'currency_id', 'color_theme_id',
  'multiprice_name', 'multiprice_code', 'related_seats', 'coords', 'spread', 'spread.agents', 'spread.partner_id', 'spread.users',
  'spread.client_groups', 'spread.client_emails',
]);

/** The selected paths of an entry, nested again (`spread.users` → {spread: {users}}); unknown paths are left out. */
export function project(entry: Record<string, unknown>, select: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of select) {
    const value = valueAt(entry, path);
    if (value === undefined) continue;
    const keys = path.split('.');
    let target = out;
    for (const key of keys.slice(0, -1)) target = (target[key] ??= {}) as Record<string, unknown>;
    target[keys[keys.length - 1]] = value;
  }
  return out;
}

/** A parameter from the JSON body, else from the query string (JSON-decoded when it parses). */
export function param(ctx: RequestContext, name: string): unknown {
  const fromBody = asRecord(ctx.body)[name];
  if (fromBody !== undefined) return fromBody;
  const raw = ctx.query[name];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export const selectList = (raw: unknown): string[] => (Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : []);

export function showOf(ctx: RequestContext): ShowRecord {
  const id = phpInt(ctx.params.id);
  const show = ctx.tenant.showById(id);
  if (!show) throw notFound('Show', id);
  return show;
}

const seats = (ctx: RequestContext): MockResponse => {
  const show = showOf(ctx);
  const scheme = show.event.scheme;
  const flat = param(ctx, 'flat');
  if (!(flat === true || flat === 1 || flat === '1' || flat === 'true')) {
    const data: Record<string, unknown> = {};
    scheme.zones.forEach((zone, z) => {
      const zoneSeats = scheme.seats.filter((s) => s.zone === z);
      data[zone.id] = {
        zone_id: zone.id,
        name: zone.name,
        description: '',
        seats: Object.fromEntries(zoneSeats.map((s) => [`${s.row};${s.place}`, { seat_id: s.seatId, admission: s.admission }])),
      };
    });
    return jsonOk({ data });
  }
  const where = parseConditions(param(ctx, 'where'));
  if (where instanceof RestError) throw where;
  const conditions = effectiveConditions(where).map((c) => ({ ...c, column: c.column === 'root_zone_id' ? 'zone_root_id' : c.column, test: predicate(c) }));
  const select = selectList(param(ctx, 'select'));
  const context = asRecord(param(ctx, 'context')) as SeatContext;
  const data: Record<string, unknown> = {};
  if (conditions.every((c) => FLAT_COLUMNS.has(c.column))) {
    for (const tariff of show.tariffs) {
      for (const seat of scheme.seats) {
        const entry = flatSeat(ctx.tenant, show, seat, tariff, context);
        if (!conditions.every((c) => c.test(valueAt(entry, c.column)))) continue;
        data[entry.id as string] = select.length > 0 ? project(entry, select) : entry;
      }
    }
  }
  // An empty map is serialised as [] (PHP).
  return jsonOk({ data: Object.keys(data).length > 0 ? data : [] });
};

export const seatRoutes: Route[] = [{ methods: ['GET'], path: '/shows/:id/seats', handle: seats }];
