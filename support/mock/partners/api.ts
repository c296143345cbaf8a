import type { RequestContext, Route } from '../context.ts';
import type { MockResponse } from '../http.ts';
import { eventsList, legacySeats, offers, seatmap } from './events.ts';
import { add, check, find, remove, update } from './tickets.ts';

/**
 * Partners API v1 (§9; only its auth errors were observed live). GET and POST are the same; parameters
 * come from the query string or a JSON body; errors are HTTP 200 `{status:"error", code, message}`.
 * Per-event answers start with a context block, then `status:"success"`, then the payload.
 */

/** Paths take `/{event_id}/{show_id?}`; a missing event id is answered by the method (after auth, as live). */
function withIds(path: string, handle: (ctx: RequestContext) => MockResponse): Route[] {
  const methods = ['GET', 'POST'];
  return [
    { methods, path, handle },
    { methods, path: `${path}/:event`, handle },
    { methods, path: `${path}/:event/:show`, handle },
  ];
}

export const partnerRoutes: Route[] = [
  { methods: ['GET', 'POST'], path: '/events/lists', handle: eventsList },
  ...withIds('/events/seatmap', seatmap),
  ...withIds('/events/offers', offers),
  ...withIds('/events/seats', legacySeats),
  ...withIds('/tickets/add', add),
  ...withIds('/tickets/update', update),
  ...withIds('/tickets/remove', remove),
  ...withIds('/tickets/check', check),
  ...withIds('/tickets/find', find),
];
