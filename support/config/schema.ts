import { z } from 'zod';
import { decimal, emptyToUndefined, flag, positiveWholeNumber, wholeNumber } from '../settings-values.ts';
import type { SandboxKey } from '../catalogue/index.ts';
import type { IdKey } from '../core/types.ts';
import { mockSettingsShape } from '../mock/settings.ts';
import { ANSWER_LIMITS } from '../client.ts';

/** The suite's settings as text: every name a .env file or the process environment may set, and how each parses. */

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const url = (what: string) => z.string().url(`${what} must be an http(s) URL`).refine((u) => /^https?:/.test(u), `${what} must be an http(s) URL`);

/** Ids a user may pin instead of discovering them (documented in .env.example). */
export const ID_OVERRIDES: Record<string, IdKey> = {
  AUDIT_ORDER_ID: 'orderId',
  AUDIT_EVENT_ID: 'eventId',
  AUDIT_SHOW_ID: 'showId',
  AUDIT_BARCODE: 'barcode',
  AUDIT_CLIENT_EMAIL: 'clientEmail',
  AUDIT_DISCOUNT_ID: 'discountId',
  AUDIT_PROMO_CODE_ID: 'promoCodeId',
  AUDIT_PARTNER_EVENT_ID: 'partnerEventId',
  AUDIT_PARTNER_SHOW_ID: 'partnerShowId',
};

/** Where sandbox settings send a write instead of discovered ids. */
export const SANDBOX_IDS: Partial<Record<SandboxKey, IdKey[]>> = {
  SANDBOX_ORDER_ID: ['writeOrderId', 'cancelledOrderId'],
  SANDBOX_BASKET_ID: ['basketId', 'basketId2'],
  SANDBOX_CLIENT_EMAIL: ['clientEmail'],
  SANDBOX_EVENT_ID: ['createdEventId'],
  SANDBOX_DISCOUNT_ID: ['discountId'],
  SANDBOX_PROMO_CODE_ID: ['promoCodeId'],
  SANDBOX_SHOW_ID: ['showId'],
  SANDBOX_BARCODE: ['barcode'],
  SANDBOX_PARTNER_EVENT_ID: ['partnerEventId'],
  SANDBOX_PARTNER_SHOW_ID: ['partnerShowId'],
  SANDBOX_SEAT_ID: ['freeSeatIds'],
  SANDBOX_OFFER_ID: ['offerId'],
};

export const schema = z
  .object({
    QTICKETS_BASE_URL: z.preprocess(emptyToUndefined, url('QTICKETS_BASE_URL').default('https://qtickets.ru/api/rest/v1')),
    QTICKETS_TOKEN: optionalString,
    QTICKETS_PARTNERS_BASE_URL: z.preprocess(emptyToUndefined, url('QTICKETS_PARTNERS_BASE_URL').default('https://qtickets.ru/api/partners/v1')),
    QTICKETS_PARTNERS_TOKEN: optionalString,
    QTICKETS_TIMEOUT_MS: wholeNumber(30_000),
    QTICKETS_MAX_RETRIES: wholeNumber(2),
    QTICKETS_RETRY_BASE_MS: wholeNumber(1000),
    QTICKETS_MAX_RETRY_AFTER_MS: wholeNumber(60_000),
    QTICKETS_RATE_LIMIT: decimal(),
    QTICKETS_MAX_ANSWER_BYTES: positiveWholeNumber(ANSWER_LIMITS.maxAnswerBytes),
    QTICKETS_MAX_JSON_DEPTH: positiveWholeNumber(ANSWER_LIMITS.maxJsonDepth),
    AUDIT_MAX_ARTIFACT_BYTES: positiveWholeNumber(200 * 2 ** 20),
    CLICKHOUSE_URL: z.preprocess(emptyToUndefined, url('CLICKHOUSE_URL').optional()),
    CLICKHOUSE_USER: z.preprocess(emptyToUndefined, z.string().default('default')),
    CLICKHOUSE_PASSWORD: z.preprocess((v) => v ?? '', z.string()),
    CLICKHOUSE_DATABASE: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'CLICKHOUSE_DATABASE must be a plain identifier').default('qtickets_audit')),
    CLICKHOUSE_MODE: z.preprocess(emptyToUndefined, z.enum(['embedded', 'docker', 'url']).optional()),
    CLICKHOUSE_DATA_DIR: optionalString,
    AUDIT_ALLOW_WRITES: flag,
    SANDBOX_CREATE: flag,
    ...Object.fromEntries([...Object.keys(ID_OVERRIDES), ...Object.keys(SANDBOX_IDS)].map((key) => [key, optionalString])),
    ...mockSettingsShape,
  })
  .passthrough();

/** Variables read from the process environment only, never from a .env file: where the run's report goes (./run.ts), and the standalone mock's own (support/mock/cli.ts). */
export const PROCESS_ONLY = ['AUDIT_RUN_ID', 'AUDIT_RUN_DIR', 'AUDIT_REPORTS_DIR', 'MOCK_TOKEN', 'MOCK_PARTNERS_TOKEN', 'MOCK_HOST', 'MOCK_PORT'];
/** The settings a .env file may hold. */
export const FILE_KEYS = Object.keys(schema.shape);
/** Prefixes of the suite's own names: a misspelt one in the process environment is refused (the platform sets none of these). */
export const OWN_PREFIXES = /^(QTICKETS|AUDIT|SANDBOX)_/;
