import { z } from 'zod';
import { coords, flag01, idMap, int, money, str, timestamp } from './primitives.ts';

/**
 * Partners API v1 answers (docs/api.md §9; documented, only errors observed). Per-event answers are
 * the context block, then `status:"success"`, then the payload. Payloads without a documented key (the
 * tickets of add/update, the seats of check) are taken to be under `result`, like every other list.
 */

const nullableStr = str.nullable();

export const partnersErrorCodes = [
  'UNKNOWN_ERROR',
  'WRONG_AUTHORIZATION',
  'EVENT_NOT_FOUND',
  'SEAT_NOT_FOUND',
  'SEAT_NOT_AVAILABLE',
  'TICKET_NOT_FOUND',
  'VALIDATION_ERROR',
] as const;

/** Errors come with HTTP 200. */
export const partnersError = z.strictObject({
  status: z.literal('error'),
  code: z.enum(partnersErrorCodes),
  message: str,
});

const scheme = {
  id: int,
  venue_id: int,
  place_name: str,
  place_address: str,
  place_description: nullableStr,
  width: z.number(),
  height: z.number(),
};
const city = z.strictObject({ id: int, name: str, timezone: str, coords });

const context = {
  event_id: int,
  show_id: int,
  event_name: str,
  start_date: timestamp,
  finish_date: timestamp,
  scheme: z.strictObject(scheme),
  city,
  last_update_hash: z.string().regex(/^[0-9a-f]{40}$/, 'expected a 40-hex sha1'),
};
const success = { status: z.literal('success') };
/** A per-event answer: context block + status + payload. */
const perEvent = <T extends z.ZodRawShape>(payload: T) => z.strictObject({ ...context, ...success, ...payload });

export const eventsList = z.strictObject({
  ...success,
  result: z.array(
    z.strictObject({
      ...context,
      event_type: z.strictObject({ id: int, name: str }),
      age: str,
      fanid_required: z.boolean(),
      has_document_verification: z.boolean(),
      integrations: z.array(z.strictObject({ source_name: str, source_id: int })),
    }),
  ),
});

export const seatmap = perEvent({
  seatmap: z.strictObject({
    width: z.number(),
    height: z.number(),
    zones: idMap(
      z.strictObject({
        name: str,
        description: nullableStr,
        width: z.number(),
        height: z.number(),
        offset: coords,
        seats: idMap(z.strictObject({ coords, row: int, place: int })),
      }),
    ),
  }),
});

/** An offer id may be "" (the default tariff). */
export const offers = perEvent({
  offers: idMap(z.strictObject({ name: str, seats: idMap(z.strictObject({ available: z.boolean(), price: money })) })),
});

const ticketShape = {
  id: z.union([str, int]),
  paid: flag01,
  paid_at: timestamp.nullable(),
  seat_id: str,
  offer_id: nullableStr,
  admission: z.boolean(),
  payment_type_id: nullableStr,
  reserved_to: timestamp.nullable(),
  external_id: nullableStr,
  external_order_id: nullableStr,
  barcode: nullableStr,
  price: money,
  client_email: nullableStr,
  client_phone: nullableStr,
  client_name: nullableStr,
  client_surname: nullableStr,
  client_middlename: nullableStr,
  fanid_card: z.strictObject({ id: z.union([str, int]), value: str }).nullable(),
  visitor_user_id: z.union([str, int]).nullable(),
};
export const ticket = z.strictObject(ticketShape);

/** tickets/add and tickets/update: one ticket, or an array of tickets for a batch. */
export const tickets = perEvent({ result: z.union([ticket, z.array(ticket)]) });

export const remove = perEvent({ result: z.literal(true) });

const checkedSeat = z.strictObject({
  seat_id: str,
  offer_id: nullableStr,
  available: z.boolean(),
  coords,
  row: int,
  place: int,
  price: money,
  currency_id: str,
});
export const check = perEvent({ result: z.union([checkedSeat, z.array(checkedSeat)]) });

/** tickets/find may be called without an event, so the context block is optional. */
export const find = z.strictObject({
  ...z.strictObject(context).partial().shape,
  ...success,
  result: z.array(z.strictObject({ ...ticketShape, deleted: flag01 })),
});

/** Deprecated events/seats: admission seats carry free_quantity and admission instead of row and place. */
const legacySeat = z.strictObject({
  seat_id: str,
  available: z.boolean(),
  coords,
  row: int.optional(),
  place: int.optional(),
  free_quantity: int.optional(),
  admission: z.boolean().optional(),
  price: money,
  currency_id: str,
});
export const legacySeats = z.strictObject({
  ...context,
  scheme: z.strictObject({
    ...scheme,
    zones: z.array(z.strictObject({ zone_id: int, name: str, description: nullableStr, seats: z.array(z.strictObject({ seat_id: str })) })),
  }),
  ...success,
  zones: z.array(z.strictObject({ zone_id: int, name: str, seats: z.array(legacySeat) })),
});
