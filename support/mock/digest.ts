import { createHash } from 'node:crypto';
import type { Tenant } from './store.ts';

/**
 * A fingerprint of everything a write can change: every order and client as reads render them, the events
 * with their shows and seat stock, discounts, promo codes and Partners tickets. The production-safety
 * self-tests compare it before and after a run instead of trusting the suite's own account of what it sent.
 */
export function tenantDigest(tenant: Tenant): string {
  const hash = createHash('sha256');
  const add = (value: unknown) => hash.update(`${JSON.stringify(value, acyclic())}\n`);
  for (let i = 0; i < tenant.orderCount(); i++) add(tenant.order(i));
  for (let i = 0; i < tenant.clients.size(); i++) add(tenant.clients.get(i));
  for (const event of tenant.catalog.events) add(event);
  add(tenant.discounts);
  add(tenant.promoCodes);
  add([...tenant.tickets.entries()]);
  return hash.digest('hex');
}

/** Typed arrays (seat stock) as plain arrays; an object met again (a show's link to its event) is left out. */
function acyclic(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (_key, value) => {
    if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
    if (value && typeof value === 'object') {
      if (seen.has(value)) return undefined;
      seen.add(value);
    }
    return value;
  };
}
