import { z } from 'zod';
import { coords, flag01, idMap, int, money, phpMap, str, timestamp, unknownList } from './primitives.ts';

/**
 * REST v1 entities (docs/api.md §7) in response order. Keys come from the documentation and the live
 * fixtures; live-only keys are required (every live answer has them), doc-only keys are optional.
 */

const nullableStr = str.nullable();
const nullableTime = timestamp.nullable();

// ---- 7.3 Client ---------------------------------------------------------------------------------

const telegramUser = z.strictObject({
  id: z.union([int, str]),
  first_name: nullableStr,
  last_name: nullableStr,
  username: nullableStr,
});

export const client = z.strictObject({
  id: int,
  email: str,
  details: z.strictObject({
    id: int,
    name: str,
    middlename: nullableStr,
    surname: nullableStr,
    phone: nullableStr,
    vk_id: str,
    facebook_id: str,
    /** Documented for webhooks only. */
    telegram_user: telegramUser.optional(),
  }),
});

// ---- 7.2 Basket ---------------------------------------------------------------------------------

export const basket = z.strictObject({
  id: int,
  series: str,
  barcode: nullableStr,
  show_id: int,
  seat_id: str,
  seat_name: str,
  original_price: money,
  ticket_original_price: money,
  discount_value: money.nullable(),
  price: money,
  ticket_amount: money,
  service_fee_amount: money,
  multiprice_code: nullableStr,
  quantity: int,
  client_email: nullableStr,
  client_phone: nullableStr,
  client_name: nullableStr,
  client_surname: nullableStr,
  client_middlename: nullableStr,
  organization_name: nullableStr,
  legal_name: nullableStr,
  work_position: nullableStr,
  inn: nullableStr,
  kpp: nullableStr,
  comment: nullableStr,
  pdf_url: nullableStr,
  passbook_url: nullableStr,
  /** Documented, never seen live. */
  gpass_url: nullableStr.optional(),
  related_baskets: z.array(int),
  services: unknownList,
  checked_at: nullableTime,
  created_at: timestamp,
  updated_at: timestamp,
  deleted_at: nullableTime,
  refunded_at: nullableTime,
  refunded_amount: money.nullable(),
  refunded_deduction_amount: money.nullable(),
  refunds: unknownList,
});

// ---- 7.1 Order ----------------------------------------------------------------------------------

const utm = z.strictObject({
  utm_source: str.optional(),
  utm_medium: str.optional(),
  utm_campaign: str.optional(),
  utm_content: str.optional(),
  utm_term: str.optional(),
});

export const order = z.strictObject({
  id: int,
  uniqid: str,
  payed: z.boolean(),
  payed_at: nullableTime,
  client_id: int,
  client,
  site_id: int,
  site: z.strictObject({ id: int, host: str }),
  payment_id: int,
  payment_type_id: str,
  payment_card_number: nullableStr,
  payment_url: str,
  cancel_url: str,
  basket_user_id: int,
  backend_user_id: int.nullable(),
  access_code_id: int.nullable(),
  discount_id: int.nullable(),
  promo_code_id: int.nullable(),
  reserved: z.boolean(),
  reserved_to: timestamp,
  reserve_extended: z.boolean(),
  event_id: int,
  price: money,
  original_price: money,
  currency_id: str,
  utm: phpMap(utm),
  // `custom` and `fields` are free-form maps (documented `{var1:…}`, `{organization_name:…}`).
  custom: phpMap(z.record(z.string(), z.unknown())),
  fields: phpMap(z.record(z.string(), z.unknown())),
  baskets: z.array(basket),
  refunds: unknownList,
  integrations: phpMap(z.record(z.string(), z.unknown())),
  created_at: timestamp,
  updated_at: timestamp,
  deleted_at: nullableTime,
});

// ---- 7.4 Event and 7.5 Show ---------------------------------------------------------------------

const price = z.strictObject({
  id: int,
  default_price: money,
  color_theme: str,
  modifiers: unknownList,
});

/** scheme_properties: every leaf is a string; every level may be missing, null or an empty PHP map. */
const spread = phpMap(z.strictObject({ enabled: str.optional(), users: z.array(str).optional() })).nullable();
const adminZone = z.strictObject({
  opened: str.optional(),
  was_opened: str.optional(),
  rows: idMap(z.strictObject({ opened: str.optional(), was_opened: str.optional() })).optional(),
});
const zoneRow = z.strictObject({ disabled: str.optional(), price_id: str.optional(), spread: spread.optional() });
const zone = z.strictObject({
  disabled: str.optional(),
  shared: str.optional(),
  spread: spread.optional(),
  price_id: str.optional(),
  label: str.optional(),
  // Keyed by row number, or a list such as [""], or null.
  rows: z.union([idMap(zoneRow), z.array(str)]).nullable().optional(),
});
const seatProperties = z.strictObject({
  hot: str.optional(),
  max_quantity: str.optional(),
  shared_max_quantity: str.optional(),
  show_free_quantity: str.optional(),
  disabled: str.optional(),
  price_id: str.optional(),
  spread: spread.optional(),
});
const schemeProperties = phpMap(
  z.strictObject({
    admin: phpMap(z.strictObject({ zones: idMap(adminZone).optional() })).optional(),
    zones: idMap(zone).optional(),
    seats: idMap(seatProperties).optional(),
  }),
);

export const show = z.strictObject({
  id: int,
  name: str,
  is_active: flag01,
  sale_start_date: nullableTime,
  sale_finish_date: nullableTime,
  open_date: timestamp,
  start_date: timestamp,
  finish_date: timestamp,
  scheme_properties: schemeProperties,
  prices: z.array(price),
  min_price: price.nullable(),
  max_price: price.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
  deleted_at: nullableTime,
});

const template = z.strictObject({ id: int, is_active: flag01, name: str });

export const event = z.strictObject({
  id: int,
  is_active: flag01,
  name: str,
  scheme_id: int,
  currency_id: str,
  place_name: str,
  place_address: str,
  place_description: str,
  city_id: int,
  description: str,
  site_url: str,
  external_id: z.union([str, int]).nullable(),
  ticket_id: int,
  mail_template_id: int,
  age: str,
  shows: z.array(show),
  payments: z.array(z.strictObject({ id: int, is_active: z.boolean(), name: str, handler: str, agree_url: str })),
  poster: z.strictObject({ id: int, content_type: str, file_size: int, url: str }),
  event_type_id: int,
  city: z.strictObject({ id: int, name: str, timezone: str }),
  ticket: template,
  mail_template: template,
  slug: str,
  place_coordinates: coords,
  url: str,
  created_at: timestamp,
  updated_at: timestamp,
  deleted_at: nullableTime,
});

// ---- 7.7 Seats ----------------------------------------------------------------------------------

/** Zone form (observed): data keyed by zone id; no availability data. */
export const seatsZoneForm = idMap(
  z.strictObject({
    zone_id: str,
    name: str,
    description: nullableStr,
    seats: idMap(z.strictObject({ seat_id: str, admission: z.boolean() })),
  }),
);

/** Flat form (never observed): every field is selectable, so every field is optional. */
const flatSeat = z.strictObject({
  id: str.optional(),
  root_id: str.optional(),
  name: str.optional(),
  zone_id: str.optional(),
  zone_root_id: str.optional(),
  short_seat_id: str.optional(),
  row: str.optional(),
  place: str.optional(),
  currency_id: str.optional(),
  admission: z.boolean().optional(),
  available: z.boolean().optional(),
  disabled: z.boolean().optional(),
  ordered: z.boolean().optional(),
  max_quantity: int.optional(),
  free_quantity: int.optional(),
  ordered_quantity: int.optional(),
  payed_quantity: int.optional(),
  in_basket_quantity: int.optional(),
  color_theme_id: int.nullable().optional(),
  price: money.optional(),
  multiprice_name: nullableStr.optional(),
  multiprice_code: nullableStr.optional(),
  related_seats: z.array(str).optional(),
  coords: coords.optional(),
  spread: phpMap(
    z.strictObject({
      agents: z.boolean().optional(),
      partner_id: int.nullable().optional(),
      users: z.array(z.union([str, int])).nullable().optional(),
      client_groups: z.array(z.union([str, int])).nullable().optional(),
      client_emails: z.array(str).nullable().optional(),
    }),
  )
    .nullable()
    .optional(),
});
/** Flat keys are seat keys (`[tariff_]ZONE-row;place`); zone ids never contain ";", which tells the zone form apart. */
const seatKey = z.string().regex(/;/, 'a flat-form key is a seat key ("…row;place"); this looks like a zone id (zone form?)');
export const seatsFlatForm = phpMap(z.record(seatKey, flatSeat));

// ---- 7.6 ColorTheme, 7.8 Discount, PromoCode, Barcode ----------------------------------------------

export const colorTheme = z.strictObject({ id: int, color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a "#rrggbb" colour') });

export const discount = z.strictObject({
  id: int,
  is_active: flag01,
  name: str,
  active_from: nullableTime,
  active_to: nullableTime,
  type: str,
  events: z.array(z.strictObject({ id: int, is_active: flag01, name: str, deleted_at: nullableTime })),
  shows: z.array(
    z.strictObject({
      id: int,
      is_active: flag01,
      event_id: int,
      sale_start_date: nullableTime,
      sale_finish_date: nullableTime,
      open_date: timestamp,
      start_date: timestamp,
      finish_date: timestamp,
      created_at: timestamp,
      updated_at: timestamp,
      deleted_at: nullableTime,
    }),
  ),
  created_at: timestamp,
  updated_at: timestamp,
  deleted_at: nullableTime,
});

export const promoCode = z.strictObject({
  id: int,
  is_active: flag01,
  type: int,
  discount_id: int,
  code: str,
  max_uses_count: int,
  active_from: nullableTime,
  active_to: nullableTime,
  created_at: timestamp,
  updated_at: timestamp,
  deleted_at: nullableTime,
});

/** A list item carries only the `select`ed fields, so every field is optional. */
export const barcodeListItem = z.strictObject({
  barcode: str.optional(),
  admission: z.boolean().optional(),
  price: money.optional(),
  seat_name: str.optional(),
  zone_name: str.optional(),
  row: str.optional(),
  place: str.optional(),
  client_name: nullableStr.optional(),
  client_surname: nullableStr.optional(),
  client_middlename: nullableStr.optional(),
});

export const barcodeOne = z.strictObject({ barcode: str, checked_at: nullableTime });
export const barcodeChecked = z.strictObject({ success: z.boolean(), barcode: str, checked_at: nullableTime });

// ---- §4 envelopes and §8 errors -----------------------------------------------------------------

const paging = z.strictObject({ perPage: int, currentPage: int, total: int });
export const listEnvelope = <T extends z.ZodType>(item: T) => z.strictObject({ data: z.array(item), paging });
export const singleEnvelope = <T extends z.ZodType>(item: T) => z.strictObject({ data: item });

export const restError = z.strictObject({
  error: str,
  status: int,
  code: str.optional(),
  info: phpMap(z.record(z.string(), z.unknown())).optional(),
});
