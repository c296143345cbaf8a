import type { SandboxKey } from '../../support/catalogue/index.ts';

/** A value of the right form for every sandbox setting: together they make every write spec complete. */
export const SANDBOX_SETTINGS: Record<SandboxKey, string> = {
  SANDBOX_ORDER_ID: '11',
  SANDBOX_BASKET_ID: '22',
  SANDBOX_CLIENT_EMAIL: 'sandbox@example.org',
  SANDBOX_EVENT_ID: '33',
  SANDBOX_DISCOUNT_ID: '44',
  SANDBOX_PROMO_CODE_ID: '55',
  SANDBOX_SHOW_ID: '66',
  SANDBOX_BARCODE: '123456789012',
  SANDBOX_PARTNER_EVENT_ID: '77',
  SANDBOX_PARTNER_SHOW_ID: '88',
  SANDBOX_SEAT_ID: 'A-1;1,A-1;2,A-1;3,A-1;4',
  SANDBOX_OFFER_ID: 'full',
  SANDBOX_CREATE: 'yes',
};
