export type Api = 'rest' | 'partners';

/** One HTTP request as the suite sends it: path relative to the API's base URL. */
export interface ApiRequest {
  api: Api;
  method: string;
  path: string;
  body?: unknown;
  query?: Record<string, string>;
  /** Safe to retry on 5xx (reads). 429 is retried for every request: the server did not process it. */
  idempotent?: boolean;
}

/** Ids a spec may need, found in earlier answers of the same run (or overridden by env). */
export type IdKey =
  | 'orderId'
  | 'paidEventId'
  | 'writeOrderId'
  | 'basketId'
  | 'basketId2'
  | 'cancelledOrderId'
  | 'clientEmail'
  | 'eventId'
  | 'eventShowIds'
  | 'singleShowEventId'
  | 'singleShowId'
  | 'showId'
  | 'barcode'
  | 'discountId'
  | 'promoCodeId'
  | 'createdEventId'
  | 'partnerEventId'
  | 'partnerShowId'
  | 'freeSeatIds'
  | 'offerId'
  | 'partnerTicketId'
  | 'partnerBatchTicketIds'
  | 'partnerBarcode';

export type Ids = Partial<Record<IdKey, string>>;

/** A body check beyond the status and contract: returns a failure message, or null when it holds. */
export interface Predicate {
  text: string;
  check: (body: any, ids: Ids) => string | null;
}

export type AnswerClass = 'ok' | 'rest-error' | 'partners-error' | 'html';

export interface Expectation {
  /** An exact status, or '4xx' for any refusal by the client-error class. */
  status: number | '4xx';
  answer: AnswerClass;
  /** Contract of this answer; the plan's contract applies when absent. */
  contract?: string;
  /** REST `code` / Partners `code` of an expected error answer. */
  code?: string;
  predicates?: Predicate[];
}

export type Dataset =
  | 'orders'
  | 'events'
  | 'inventory'
  | 'clients'
  | 'colorThemes'
  | 'discounts'
  | 'promoCodes'
  | 'barcodes'
  | 'partnerTickets';
