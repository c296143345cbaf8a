import { z } from 'zod';
import type { JsonSchema } from './schemas.ts';

/**
 * The documented request bodies (docs/api.md §3, §5 and §9), by operation: `<api> <METHOD> <path template>`.
 * No contract describes a request, so these follow the documentation; the self-test checks that every body
 * the catalogue sends fits its schema.
 */

const str = z.string();
const time = z.iso.datetime({ offset: true }).describe('ISO-8601 with an offset; the API wants YYYY-MM-DDTHH:MM:SS+03:00');
const flag = z.literal([0, 1]);
const nullableStr = str.nullable();

// ---- REST -----------------------------------------------------------------------------------------

const OPERATORS = ['=', '!=', '<', '>', '<=', '>=', 'in', 'not in', 'in array', 'not in array', 'null'] as const;
const condition = z.object({
  column: str,
  operator: z.enum(OPERATORS).optional().describe('"=" when left out; "null" (without a value) tests IS NULL'),
  value: z.unknown().optional(),
});
const where = z.array(condition).describe('conditions that must all hold (AND)');
const orderBy = z.record(str, z.enum(['asc', 'desc']));
const select = z.array(str).describe('field names, dotted paths allowed');

const listFilter = z.object({
  where: where.optional(),
  orderBy: orderBy.optional(),
  page: z.int().min(1).optional().describe('the page (1 when left out)'),
  per_page: z.int().optional().describe('undocumented; ignored live in the query string, never tried in a body'),
});

const seats = z.object({
  select: select.optional(),
  where: where.optional(),
  context: z.object({ client_email: str.optional(), user_id: z.int().optional(), partner_id: z.int().optional() }).optional().describe('applies a personal quota'),
  flat: z.boolean().optional().describe('true: data keyed by seat, with availability; false or left out: the zone form'),
});

const basketMap = z.record(str, z.array(z.int())).describe('basket id → related basket ids ([] for the whole ticket)');
const deleteOrRefund = z.union([
  z.object({ delete: z.object({ baskets: basketMap }) }),
  z.object({ refund: z.union([z.object({ amount: z.number(), baskets: basketMap }), z.object({ deduction_amount: z.number(), baskets: basketMap })]) }),
]);

const basketUpdate = z.object({
  data: z.object({
    client_email: str.optional(),
    client_name: str.optional(),
    client_surname: str.optional(),
    client_middlename: str.optional(),
    multiprice_code: str.optional(),
    ticket_original_price: z.number().optional().describe('only while the order is unpaid'),
    discount_value: z.number().optional().describe('only while the order is unpaid'),
  }),
});

const clientUpsert = z.object({
  data: z.object({
    email: str.describe('creates the client, or updates the one with this email'),
    details: z.object({ name: str.optional(), surname: str.optional(), middlename: str.optional(), phone: str.optional() }).optional(),
  }),
});

const eventData = z.object({
  data: z.object({
    name: str.optional(),
    description: str.optional(),
    shows: z.array(z.object({ start_date: time.optional(), finish_date: time.optional() })).optional().describe('dates live on the shows, not on the event'),
  }),
});

const promoCodeData = z.object({
  data: z.object({
    is_active: flag.optional(),
    discount_id: z.int().optional().describe('left out by PUT'),
    code: str.optional(),
    max_uses_count: z.int().optional(),
    active_from: time.optional(),
    active_to: time.optional(),
  }),
});

// ---- Partners -------------------------------------------------------------------------------------

const client = {
  client_email: nullableStr.optional(),
  client_phone: nullableStr.optional(),
  client_name: nullableStr.optional(),
  client_surname: nullableStr.optional(),
  client_middlename: nullableStr.optional(),
};
const newTicket = z.object({
  seat_id: str,
  offer_id: nullableStr.optional(),
  paid: flag.optional().describe('paid or paid_at; an unpaid ticket needs reserved_to'),
  paid_at: time.optional(),
  payment_type_id: nullableStr.optional(),
  reserved_to: time.optional(),
  external_id: str.optional(),
  external_order_id: str.optional(),
  user_session: str.max(40).optional(),
  price: z.number().optional(),
  ...client,
  fanid: str.optional().describe('required when the event has fanid_required'),
  visitor_user_id: z.union([str, z.int()]).optional(),
});
const ticketRef = { id: z.union([str, z.int()]).optional(), external_id: str.optional() };
const ticketUpdate = z.object({
  ...ticketRef,
  paid: flag.optional(),
  paid_at: time.optional(),
  reserved_to: time.optional(),
  external_order_id: str.optional(),
  price: z.number().optional(),
  ...client,
});
const seatCheck = z.object({ seat_id: str, offer_id: nullableStr.optional() });
/** One item, or `{batch: [items]}`. */
const oneOrBatch = <T extends z.ZodType>(item: T) => z.union([item, z.object({ batch: z.array(item) })]);
const oneOrMany = z.union([str, z.array(str)]);
const find = z.object({
  filter: z.object({ external_order_id: oneOrMany.optional(), external_id: oneOrMany.optional(), barcode: oneOrMany.optional(), id: oneOrMany.optional() }),
});

const REQUEST_BODIES: Record<string, z.ZodType> = {
  'rest GET /orders': listFilter,
  'rest GET /clients': listFilter,
  'rest GET /events': listFilter,
  'rest GET /discounts': listFilter,
  'rest GET /promo-codes': listFilter,
  'rest GET /shows/{show_id}/seats': seats,
  'rest GET /shows/{show_id}/barcodes': z.object({ select: select.optional() }),
  'rest DELETE /orders/{order_id}/baskets': deleteOrRefund,
  'rest PUT /baskets/{basket_id}': basketUpdate,
  'rest POST /orders/{order_id}/restore': z.object({}),
  'rest POST /clients': clientUpsert,
  'rest POST /events': eventData,
  'rest PUT /events/{event_id}': eventData,
  'rest POST /promo-codes': promoCodeData,
  'rest PUT /promo-codes/{promo_code_id}': promoCodeData,
  'rest POST /shows/{show_id}/barcodes': z.array(z.object({ barcode: str, checked_at: time })),
  'rest POST /shows/{show_id}/barcode/{barcode}': z.object({ checked_at: time }),
  'partners POST /tickets/add/{event_id}/{show_id}': oneOrBatch(newTicket),
  'partners POST /tickets/update/{event_id}/{show_id}': oneOrBatch(ticketUpdate),
  'partners POST /tickets/remove/{event_id}/{show_id}': oneOrBatch(z.object(ticketRef)),
  'partners POST /tickets/check/{event_id}/{show_id}': oneOrBatch(seatCheck),
  'partners POST /tickets/find': find,
  'partners POST /tickets/find/{event_id}': find,
  'partners POST /tickets/find/{event_id}/{show_id}': find,
};

/** The JSON Schema of the body of `<api> <METHOD> <template>`, or undefined when none is documented. */
export function requestBodySchema(operationKey: string): JsonSchema | undefined {
  const schema = REQUEST_BODIES[operationKey];
  if (!schema) return undefined;
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input' }) as JsonSchema;
  return json;
}
