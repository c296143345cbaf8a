import { Rng } from './random.ts';

/**
 * Ascending ids with live-like gaps: slot i covers [base + i·step, base + (i+1)·step), one id per slot.
 * Pinned ids (the documented example ids of the doc tenant) are added as they are; the result stays sorted.
 */
export function allocateIds(options: { count: number; base: number; step: number; pinned?: readonly number[]; rng: Rng }): number[] {
  const { count, base, step, rng } = options;
  const pinned = new Set(options.pinned ?? []);
  if (step < 2) throw new Error('allocateIds: step must be at least 2');
  if (pinned.size > count) throw new Error(`allocateIds: ${pinned.size} pinned ids do not fit in ${count}`);
  const ids = [...pinned];
  for (let i = 0; ids.length < count; i++) {
    let id = base + i * step + (i === 0 ? 0 : rng.int(0, step - 2));
    if (pinned.has(id)) id += 1;
    ids.push(id);
  }
  ids.sort((a, b) => a - b);
  for (let i = 1; i < ids.length; i++) if (ids[i] === ids[i - 1]) throw new Error(`allocateIds: id ${ids[i]} allocated twice`);
  return ids;
}

/** Position of `id` in an ascending list, or -1. */
export function indexOfId(ids: ArrayLike<number>, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] === id) return mid;
    if (ids[mid] < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** PHP's (int) cast of a path segment: leading digits, else 0 (`/discounts/colors` looks up Discount 0). */
export function phpInt(value: string | undefined): number {
  const match = /^\s*([+-]?\d+)/.exec(value ?? '');
  return match ? Number(match[1]) : 0;
}
