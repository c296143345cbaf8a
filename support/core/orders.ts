/**
 * What makes an order count: the catalogue's predicates, the loader and the expected-delta oracle read these
 * rules, so the three never disagree on which orders and baskets are live.
 */

const TRUE_VALUES: unknown[] = [1, true, '1', 'true'];

/** A flag the API may send as 1, true, "1" or "true". */
export function isTrue(value: unknown): boolean {
  return TRUE_VALUES.includes(value);
}

/** A paid order, in every form the API has used for `payed` (or `paid`, where `payed` is absent). */
export function isPaid(order: { payed?: unknown; paid?: unknown }): boolean {
  return isTrue(order.payed ?? order.paid);
}

/** Baskets that still count: not deleted and not refunded (defect 5 of docs/clickhouse-model.md §6). */
export function liveBaskets<T extends { deleted_at?: unknown; refunded_at?: unknown }>(order: { baskets?: T[] | null }): T[] {
  return (Array.isArray(order.baskets) ? order.baskets : []).filter((b) => !b.deleted_at && !b.refunded_at);
}
