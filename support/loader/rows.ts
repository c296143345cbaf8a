/**
 * Row types: exactly the columns of docs/clickhouse-model.md §2 that the loader writes. Every row carries
 * `_ver` as a decimal string (UInt64 exceeds JS numbers).
 */

export interface Versioned {
  /** UInt64 as a decimal string. */
  _ver: string;
}

export interface CatalogueColumns extends Versioned {
  payload_json: string;
  /** DateTime, naive Moscow time. */
  _ingest_ts: string;
}

export interface UtmColumns {
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  utm_content: string;
  utm_term: string;
}

export interface OrdersRawRow extends UtmColumns, Versioned {
  order_id: string;
  event_id: string;
  city: string;
  sale_ts: string;
  tickets_sold: number;
  revenue: number;
  currency: string;
  payload_json: string;
  /** FixedString(32): md5 hex. */
  _dedup_key: string;
}

export interface DimEventsRow extends Versioned {
  event_id: string;
  event_name: string;
  city: string;
  /** Date `YYYY-MM-DD`, null when the event has no live show. */
  start_date: string | null;
  end_date: string | null;
  _loaded_at: string;
}

export interface InventoryLatestRow extends Versioned {
  snapshot_ts: string;
  event_id: string;
  event_name: string;
  city: string;
  /** Null only when the answer did not say (zone form, no seats); 0 is a real 0. */
  tickets_total: number | null;
  tickets_left: number | null;
}

export interface InventoryRow extends InventoryLatestRow {
  _dedup_key: string;
}

export interface ClientsRow extends CatalogueColumns {
  client_id: string;
  email: string;
  phone: string;
  first_name: string;
  last_name: string;
  middle_name: string;
}

export interface PriceShadesRow extends CatalogueColumns {
  shade_id: string;
  name: string;
  color: string;
}

export interface DiscountsRow extends CatalogueColumns {
  discount_id: string;
  name: string;
  discount_type: string;
  discount_value: null;
}

export interface PromoCodesRow extends CatalogueColumns {
  promo_code_id: string;
  code: string;
  discount_type: string;
  discount_value: null;
  valid_from: string | null;
  valid_to: string | null;
}

export type BarcodeStatus = 'checked' | 'not_checked' | 'unknown';

export interface BarcodesRow extends CatalogueColumns {
  barcode: string;
  event_id: string;
  show_id: string;
  status: BarcodeStatus;
  checked_at: string | null;
}

export interface PartnerTicketsRow extends CatalogueColumns {
  ticket_id: string;
  event_id: string;
  show_id: string;
  external_order_id: string;
  external_id: string;
  barcode: string;
  paid: 0 | 1;
  price: number | null;
}
