import type { IdKey, Ids } from './types.ts';

/**
 * The expected form of every id the suite puts into a request. Ids come from API answers, and an answer
 * may be wrong or hostile (`../../remove/…` as a show id): an id that breaks its form never reaches a path.
 */

interface IdForm {
  pattern: RegExp;
  /** Read in failure messages: "… is not <what>". */
  what: string;
  /** A well-formed value that cannot exist on any tenant: what denied probes send. */
  placeholder: string;
  /** The value is a comma-separated list of such ids. */
  list?: true;
  /** Personal data: a failure message never quotes the value. */
  personal?: true;
}

const numeric = (list?: true): IdForm => ({ pattern: /^\d{1,19}$/, what: 'a numeric id', placeholder: '0', ...(list ? { list } : {}) });

const FORMS: Record<IdKey, IdForm> = {
  orderId: numeric(),
  paidEventId: numeric(),
  writeOrderId: numeric(),
  basketId: numeric(),
  basketId2: numeric(),
  cancelledOrderId: numeric(),
  clientEmail: { pattern: /^[^\s@/\\?#%]+@[^\s@/\\?#%]+\.[^\s@/\\?#%]+$/, what: 'an email address', placeholder: 'denied-probe@example.invalid', personal: true },
  eventId: numeric(),
  eventShowIds: numeric(true),
  singleShowEventId: numeric(),
  singleShowId: numeric(),
  showId: numeric(),
  barcode: { pattern: /^[0-9A-Za-z]{4,64}$/, what: 'a barcode (4–64 letters and digits)', placeholder: '000000000000' },
  discountId: numeric(),
  promoCodeId: numeric(),
  createdEventId: numeric(),
  partnerEventId: numeric(),
  partnerShowId: numeric(),
  // `<ZONE>-<row>;<place>`, e.g. CENTER_PARTERRE-20;5.
  freeSeatIds: { pattern: /^[\p{L}\p{N}_]{1,64}-[\p{L}\p{N}]{1,16};[\p{L}\p{N}]{1,16}$/u, what: 'a seat id (<ZONE>-<row>;<place>)', placeholder: 'DENIED_PROBE-0;0,DENIED_PROBE-0;1,DENIED_PROBE-0;2,DENIED_PROBE-0;3', list: true },
  offerId: { pattern: /^[A-Za-z0-9_-]{1,64}$/, what: 'an offer id (letters, digits, - and _)', placeholder: 'denied-probe' },
  partnerTicketId: numeric(),
  partnerBatchTicketIds: numeric(true),
  partnerBarcode: { pattern: /^[0-9A-Za-z]{4,64}$/, what: 'a barcode (4–64 letters and digits)', placeholder: '000000000000' },
};

/** An id that breaks its form: the spec that needs it fails with this message, and nothing is sent. */
export class InvalidIdError extends Error {
  override name = 'InvalidIdError';
}

/** Why `value` is not a valid `key`, or null when it is. */
export function idProblem(key: IdKey, value: string): string | null {
  const form = FORMS[key];
  const parts = form.list ? value.split(',') : [value];
  const bad = parts.find((part) => !form.pattern.test(part));
  if (bad === undefined) return null;
  return `${key} ${form.personal ? '(value withheld)' : JSON.stringify(bad)} is not ${form.what}`;
}

/** Every resolved id that breaks its form, with why. */
export function idProblems(ids: Ids): { key: IdKey; problem: string }[] {
  return (Object.entries(ids) as [IdKey, string | undefined][]).flatMap(([key, value]) => {
    const problem = value === undefined ? null : idProblem(key, value);
    return problem ? [{ key, problem }] : [];
  });
}

/** One path segment: the id checked against its form, then percent-encoded. Throws InvalidIdError. */
export function segment(key: IdKey, value: string | undefined): string {
  if (value === undefined) throw new InvalidIdError(`${key} is missing`);
  const problem = idProblem(key, value);
  if (problem) throw new InvalidIdError(problem);
  return encodeURIComponent(value);
}

/** Placeholder ids for a denied probe: well-formed, but no tenant has them. */
export function placeholderIds(keys: IdKey[]): Ids {
  const ids: Ids = {};
  for (const key of keys) ids[key] = FORMS[key].placeholder;
  return ids;
}
