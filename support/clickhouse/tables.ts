/** The 11 tables every audit verifies (docs/clickhouse-model.md §2), in report order. */
export const VERIFIED_TABLES = [
  'stg_qtickets_api_orders_raw',
  'stg_qtickets_api_inventory_raw',
  'stg_qtickets_api_clients_raw',
  'stg_qtickets_api_price_shades_raw',
  'stg_qtickets_api_discounts_raw',
  'stg_qtickets_api_promo_codes_raw',
  'stg_qtickets_api_barcodes_raw',
  'stg_qtickets_api_partner_tickets_raw',
  'fact_qtickets_sales_daily',
  'fact_qtickets_inventory_latest',
  'meta_job_runs',
] as const;

export type VerifiedTable = (typeof VERIFIED_TABLES)[number];

/** The tables of inventory snapshots: the only ones with a `snapshot_ts`. */
export const INVENTORY_TABLES: readonly VerifiedTable[] = ['stg_qtickets_api_inventory_raw', 'fact_qtickets_inventory_latest'];

/** Per-table row counts, keyed by table name. */
export type TableCounts = Record<VerifiedTable, number>;
