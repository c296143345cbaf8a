/**
 * The last line of production safety, inside the HTTP client: every request passes here before it is
 * sent. With a real credential against a live API, a request that can write is refused unless writes are
 * allowed and every id in its path is a sandbox id. It judges the final URL, after the URL parser has
 * resolved `.`/`..` segments, so an id like `../../remove/1/2` cannot turn a read into a write.
 */

export interface WriteGuard {
  /** The real credentials of this run (REST token, Partners key): the gate applies when one is sent. */
  credentials: string[];
  allowWrites: boolean;
  /** Ids that writes may touch (the SANDBOX_* values). */
  sandboxValues: string[];
}

/** Partners methods that only read (qtickets-api.md §9); anything else there may write. */
const PARTNERS_READS = /^\/(events\/(lists|offers|seats|seatmap)|tickets\/(find|check))(\/|$)/;

/** Fixed words of the API's paths; any other segment is an id. */
const PATH_WORDS = new Set([
  'orders', 'baskets', 'restore', 'clients', 'events', 'shows', 'seats', 'barcode', 'barcodes', 'discounts', 'promo-codes',
  'color-themes', 'tickets', 'add', 'update', 'remove', 'find', 'check', 'lists', 'offers', 'seatmap',
]);

export interface GateInput {
  api: 'rest' | 'partners';
  method: string;
  /** The URL exactly as it will be requested. */
  url: URL;
  baseUrl: string;
  token: string | null;
}

/** Why the request must not be sent, or null when it may go. */
export function gateRefusal(input: GateInput, guard: WriteGuard | undefined): string | null {
  if (!guard || input.token === null || !guard.credentials.includes(input.token)) return null;
  const basePath = new URL(input.baseUrl).pathname.replace(/\/+$/, '');
  const path = input.url.pathname;
  if (!path.startsWith(`${basePath}/`)) return `${path} lies outside the API base ${basePath}/ once normalised`;
  const relative = path.slice(basePath.length);
  const writes = input.api === 'rest' ? input.method.toUpperCase() !== 'GET' : !PARTNERS_READS.test(relative);
  if (!writes) return null;
  const what = `${input.method.toUpperCase()} ${relative} can write`;
  if (!guard.allowWrites) return `${what}, and writes are not allowed (--allow-writes)`;
  const ids = relative.split('/').filter((s) => s !== '' && !PATH_WORDS.has(s)).map(decodeSegment);
  const foreign = ids.filter((id) => !guard.sandboxValues.includes(id));
  if (foreign.length > 0) return `${what}, and ${foreign.map((id) => JSON.stringify(id)).join(', ')} ${foreign.length === 1 ? 'is not a sandbox id' : 'are not sandbox ids'}`;
  return null;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
