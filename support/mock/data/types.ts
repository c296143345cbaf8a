/** Entity shapes as the API serialises them (docs/api.md §7; key order matters and is kept). */

export interface Client {
  id: number;
  email: string;
  details: {
    id: number;
    name: string;
    middlename: string | null;
    surname: string | null;
    phone: string | null;
    vk_id: string;
    facebook_id: string;
  };
}

export interface Refund {
  id: number;
  amount: number;
  deduction_amount: number;
  baskets: number[];
  created_at: string;
}

export interface Basket {
  id: number;
  series: string;
  barcode: string | null;
  show_id: number;
  seat_id: string;
  seat_name: string;
  original_price: number;
  ticket_original_price: number;
  discount_value: number | null;
  price: number;
  ticket_amount: number;
  service_fee_amount: number;
  multiprice_code: string | null;
  quantity: number;
  client_email: string | null;
  client_phone: string | null;
  client_name: string | null;
  client_surname: string | null;
  client_middlename: string | null;
  organization_name: null;
  legal_name: null;
  work_position: null;
  inn: null;
  kpp: null;
  comment: null;
  pdf_url: string | null;
  passbook_url: string | null;
  related_baskets: number[];
  services: [];
  checked_at: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  refunded_at: string | null;
  refunded_amount: number | null;
  refunded_deduction_amount: number | null;
  refunds: Refund[];
}

/** An empty map is serialised as [] (PHP). */
export type Utm = [] | Partial<Record<'utm_source' | 'utm_medium' | 'utm_campaign' | 'utm_content' | 'utm_term', string>>;

/** Everything of an order but its client and baskets: cheap to build, enough to filter on. */
export interface OrderScalars {
  id: number;
  uniqid: string;
  payed: boolean;
  payed_at: string | null;
  client_id: number;
  site_id: number;
  site: { id: number; host: string };
  payment_id: number;
  payment_type_id: string;
  payment_card_number: string | null;
  payment_url: string;
  cancel_url: string;
  basket_user_id: number;
  backend_user_id: null;
  access_code_id: null;
  discount_id: number | null;
  promo_code_id: number | null;
  reserved: boolean;
  reserved_to: string;
  reserve_extended: boolean;
  event_id: number;
  price: number;
  original_price: number;
  currency_id: 'RUB';
  utm: Utm;
  custom: string;
  fields: [];
  refunds: Refund[];
  integrations: [];
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface Order extends OrderScalars {
  client: Client;
  baskets: Basket[];
}

/** The Partners ticket object (§9), plus what the mock needs to keep it in its show. */
export interface PartnerTicket {
  id: number;
  paid: 0 | 1;
  paid_at: string | null;
  seat_id: string;
  offer_id: string | null;
  admission: boolean;
  payment_type_id: string | null;
  reserved_to: string | null;
  external_id: string | null;
  external_order_id: string | null;
  barcode: string | null;
  price: number;
  client_email: string | null;
  client_phone: string | null;
  client_name: string | null;
  client_surname: string | null;
  client_middlename: string | null;
  fanid_card: { id: number; value: string } | null;
  visitor_user_id: number | null;
}

export interface StoredPartnerTicket {
  ticket: PartnerTicket;
  eventId: number;
  showIndex: number;
  seatRef: number;
  /** Ticket number for the barcode codec. */
  number: number;
  deleted: boolean;
  checkedAt: string | null;
}
