import type { UtmColumns } from './rows.ts';

/**
 * The API items the loader reads, typed loosely on purpose: the zod contracts validate answers before
 * anything is loaded, and a transform must survive what they let through as drift.
 */

type Id = string | number;
type Loose = { [key: string]: unknown };

export interface ApiBasket extends Loose {
  price?: number | string | null;
  quantity?: number | string | null;
  deleted_at?: string | null;
  refunded_at?: string | null;
}

export type Utm = Partial<Record<keyof UtmColumns, string | null>>;

export interface ApiOrder extends Loose {
  id: Id;
  payed?: unknown;
  paid?: unknown;
  payed_at?: string | null;
  paid_at?: string | null;
  created_at?: string | null;
  event_id?: Id | null;
  currency_id?: string | null;
  /** `[]` when empty (PHP). */
  utm?: Utm | unknown[] | null;
  baskets?: ApiBasket[] | null;
}

export interface ApiShow extends Loose {
  start_date?: string | null;
  finish_date?: string | null;
  deleted_at?: string | null;
}

export interface ApiEvent extends Loose {
  id: Id;
  name?: string | null;
  city?: { name?: string | null } | unknown[] | null;
  shows?: ApiShow[] | null;
}

/** One seat of the flat seats form (`flat:true`). */
export interface FlatSeat extends Loose {
  max_quantity?: number | null;
  free_quantity?: number | null;
}

/** The `data` of one show's seats answer, keyed by seat key (`[]` when empty). */
export type FlatSeats = Record<string, FlatSeat> | FlatSeat[];

export interface ApiClient extends Loose {
  id: Id;
  email?: string | null;
  details?: { name?: string | null; surname?: string | null; middlename?: string | null; phone?: string | null } | unknown[] | null;
}

export interface ApiColorTheme extends Loose {
  id: Id;
  color?: string | null;
}

export interface ApiDiscount extends Loose {
  id: Id;
  name?: string | null;
  type?: string | null;
}

export interface ApiPromoCode extends Loose {
  id: Id;
  code?: string | null;
  discount_id?: Id | null;
  active_from?: string | null;
  active_to?: string | null;
}

export interface ApiBarcode extends Loose {
  barcode?: string | null;
  checked_at?: string | null;
}

export interface ApiPartnerTicket extends Loose {
  id: Id;
  paid?: unknown;
  price?: number | string | null;
  barcode?: string | null;
  external_id?: string | null;
  external_order_id?: string | null;
}

/** Where a barcode or partner ticket belongs: from the request path or the show's event (defect 14). */
export interface ShowScope {
  eventId: string;
  showId: string;
}
