import { asArray, resultItems } from '../../core/answers.ts';
import { mskIso } from '../../core/moscow.ts';
import { segment } from '../../core/id-forms.ts';
import type { Ids } from '../../core/types.ts';
import { nowMsk, okJson, partners, splitIds } from '../rules.ts';
import type { SectionPlans } from '../types.ts';

/** The Partners API (6.x): tickets add, update, remove, check and find, and the deprecated seats. */

const partnerTicketIds = (body: any): string[] => {
  const result = body?.result ?? body;
  return (Array.isArray(result) ? result : [result]).filter((t) => t && t.id !== undefined).map((t) => String(t.id));
};

const partnerPath = (method: string, ids: Ids): string => `/${method}/${segment('partnerEventId', ids.partnerEventId)}/${segment('partnerShowId', ids.partnerShowId)}`;

// Partner request bodies keep the spec's values, with the seat and offer of this tenant and the
// fields the documentation requires (paid or reserved_to).
const ticketClient = { client_email: 'test@example.com', client_phone: '+79001234567', client_name: 'Тест', client_surname: 'Тестов' };
const seat = (ids: Ids, index: number): string | undefined => splitIds(ids.freeSeatIds)[index];
const addTicketBody = (ids: Ids) => ({ seat_id: seat(ids, 0), offer_id: ids.offerId, external_id: 'ticket12345', external_order_id: 'order67890', price: 1500.5, paid: 1, ...ticketClient, client_middlename: 'Тестович' });

const inOneDayMsk = (): string => mskIso(Date.now() + 24 * 3600_000);

function reservationHolds(ticket: any): string | null {
  if (!ticket || ticket.id === undefined) return 'no ticket in the answer';
  if (Number(ticket.paid) !== 0) return `paid is ${ticket.paid}`;
  return ticket.barcode === null ? null : 'an unpaid ticket carries a barcode';
}

function findFilterHolds(body: any, holds: (ticket: any) => boolean, mustFind = false): string | null {
  const tickets = resultItems(body);
  if (mustFind && tickets.length === 0) return 'no ticket was found';
  const bad = tickets.filter((t) => !holds(t));
  return bad.length === 0 ? null : `${bad.length} ticket(s) do not match the filter, e.g. id ${bad[0].id}`;
}

export const PARTNERS_PLANS: SectionPlans = {
  '6.1': {
    needs: ['partnerEventId', 'partnerShowId', 'freeSeatIds', 'offerId'],
    requests: (ids) => [partners('POST', partnerPath('tickets/add', ids), addTicketBody(ids))],
    contract: 'partners.tickets',
    expect: okJson([{ text: 'one ticket with an id', check: (body) => (partnerTicketIds(body).length === 1 ? null : 'no ticket id in the answer') }]),
    expectedText: '200 status:success, one ticket (never observed live)',
    sandbox: ['SANDBOX_PARTNER_EVENT_ID', 'SANDBOX_PARTNER_SHOW_ID', 'SANDBOX_SEAT_ID', 'SANDBOX_OFFER_ID'],
    discovers: (body) => {
      const ticket = body?.result ?? body;
      const out: Ids = {};
      if (ticket?.id !== undefined) out.partnerTicketId = String(ticket.id);
      if (typeof ticket?.barcode === 'string') out.partnerBarcode = ticket.barcode;
      return out;
    },
    deviationNotes: ['the spec body has neither paid nor reserved_to, one of which the documentation requires; paid:1 is sent'],
  },
  '6.2': {
    needs: ['partnerEventId', 'partnerShowId', 'freeSeatIds', 'offerId'],
    requests: (ids) => [partners('POST', partnerPath('tickets/add', ids), {
      batch: ['ticket001', 'ticket002'].map((externalId, i) => ({ seat_id: seat(ids, 1 + i), offer_id: ids.offerId, external_id: externalId, external_order_id: 'order123', price: 1500.5, paid: 1, ...ticketClient, client_email: 'user1@example.com', client_name: 'Иван', client_surname: 'Иванов' })),
    })],
    contract: 'partners.tickets',
    expect: okJson([{ text: 'an array of tickets', check: (body) => (partnerTicketIds(body).length >= 1 ? null : 'no tickets in the answer') }]),
    expectedText: '200 status:success, an array of tickets (never observed live)',
    sandbox: ['SANDBOX_PARTNER_EVENT_ID', 'SANDBOX_PARTNER_SHOW_ID', 'SANDBOX_SEAT_ID', 'SANDBOX_OFFER_ID'],
    discovers: (body) => ({ partnerBatchTicketIds: partnerTicketIds(body).join(',') }),
    deviationNotes: ['the spec seats CENTER_PARTERRE-20;5/6 belong to another tenant; two free seats of this run are booked'],
  },
  '6.3': {
    needs: ['partnerEventId', 'partnerShowId', 'freeSeatIds', 'offerId'],
    requests: (ids) => [partners('POST', partnerPath('tickets/add', ids), { ...addTicketBody(ids), seat_id: seat(ids, 3), paid: 0, external_id: 'ticket12346', reserved_to: inOneDayMsk() })],
    contract: 'partners.tickets',
    expect: okJson([{ text: 'an unpaid ticket without a barcode', check: (body) => reservationHolds(body?.result ?? body) }]),
    expectedText: '200 status:success, an unpaid reserved ticket (never observed live)',
    sandbox: ['SANDBOX_PARTNER_EVENT_ID', 'SANDBOX_PARTNER_SHOW_ID', 'SANDBOX_SEAT_ID', 'SANDBOX_OFFER_ID'],
    deviationNotes: ['the spec reserves the seat of 6.1; another free seat is reserved so both can succeed'],
  },
  '6.4': {
    needs: ['partnerEventId', 'partnerShowId', 'partnerTicketId'],
    requests: (ids) => [partners('POST', partnerPath('tickets/update', ids), { id: ids.partnerTicketId, paid: 1, paid_at: nowMsk(), client_email: 'updated@example.com', client_phone: '+79009999999' })],
    contract: 'partners.tickets',
    expect: okJson(),
    expectedText: '200 status:success, the ticket (never observed live)',
    sandbox: ['SANDBOX_PARTNER_EVENT_ID', 'SANDBOX_PARTNER_SHOW_ID'],
  },
  '6.5': {
    needs: ['partnerEventId', 'partnerShowId', 'partnerBatchTicketIds'],
    requests: (ids) => [partners('POST', partnerPath('tickets/update', ids), { batch: splitIds(ids.partnerBatchTicketIds).map((id) => ({ id, paid: 1, paid_at: nowMsk() })) })],
    contract: 'partners.tickets',
    expect: okJson(),
    expectedText: '200 status:success, the tickets (never observed live)',
    sandbox: ['SANDBOX_PARTNER_EVENT_ID', 'SANDBOX_PARTNER_SHOW_ID'],
  },
  '6.6': {
    needs: ['partnerEventId', 'partnerShowId', 'partnerTicketId'],
    requests: (ids) => [partners('POST', partnerPath('tickets/remove', ids), { id: ids.partnerTicketId })],
    contract: 'partners.remove',
    expect: okJson([{ text: 'result is true', check: (body) => (body?.result === true ? null : 'result is not true') }]),
    expectedText: '200 status:success, result:true (never observed live)',
    sandbox: ['SANDBOX_PARTNER_EVENT_ID', 'SANDBOX_PARTNER_SHOW_ID'],
  },
  '6.7': {
    needs: ['partnerEventId', 'partnerShowId', 'partnerBatchTicketIds'],
    requests: (ids) => [partners('POST', partnerPath('tickets/remove', ids), { batch: splitIds(ids.partnerBatchTicketIds).map((id) => ({ id })) })],
    contract: 'partners.remove',
    expect: okJson([{ text: 'result is true', check: (body) => (body?.result === true ? null : 'result is not true') }]),
    expectedText: '200 status:success, result:true (never observed live)',
    sandbox: ['SANDBOX_PARTNER_EVENT_ID', 'SANDBOX_PARTNER_SHOW_ID'],
  },
  '6.8': {
    needs: ['partnerEventId', 'partnerShowId', 'freeSeatIds', 'offerId'],
    requests: (ids) => [partners('POST', partnerPath('tickets/check', ids), { batch: [{ seat_id: seat(ids, 0), offer_id: ids.offerId }, { seat_id: seat(ids, 1), offer_id: ids.offerId }] }, true)],
    contract: 'partners.check',
    expect: okJson([{ text: 'one answer per checked seat', check: (body) => (asArray(body?.result ?? body).length === 2 ? null : 'not one answer per seat') }]),
    expectedText: '200 status:success, availability per seat (live with a wrong key: WRONG_AUTHORIZATION)',
  },
  '6.9': {
    requests: () => [partners('POST', '/tickets/find', { filter: { external_order_id: 'order67890' } }, true)],
    contract: 'partners.find',
    expect: okJson([{ text: 'every ticket has external_order_id order67890', check: (body) => findFilterHolds(body, (t) => t.external_order_id === 'order67890') }]),
    expectedText: '200 status:success, result[] (live with a wrong key: WRONG_AUTHORIZATION)',
    load: 'partnerTickets',
  },
  '6.10': {
    needs: ['partnerEventId'],
    requests: (ids) => [partners('POST', `/tickets/find/${segment('partnerEventId', ids.partnerEventId)}`, { filter: { external_order_id: 'order67890' } }, true)],
    contract: 'partners.find',
    expect: okJson([{ text: 'every ticket has external_order_id order67890', check: (body) => findFilterHolds(body, (t) => t.external_order_id === 'order67890') }]),
    expectedText: '200 status:success, result[] of one event',
    load: 'partnerTickets',
  },
  '6.11': {
    needs: ['partnerEventId', 'partnerShowId'],
    requests: (ids) => [partners('POST', `/tickets/find/${segment('partnerEventId', ids.partnerEventId)}/${segment('partnerShowId', ids.partnerShowId)}`, { filter: { external_order_id: 'order67890' } }, true)],
    contract: 'partners.find',
    expect: okJson([{ text: 'every ticket has external_order_id order67890', check: (body) => findFilterHolds(body, (t) => t.external_order_id === 'order67890') }]),
    expectedText: '200 status:success, result[] of one show',
    load: 'partnerTickets',
  },
  '6.12': {
    needs: ['partnerBarcode'],
    requests: (ids) => [partners('POST', '/tickets/find', { filter: { barcode: ids.partnerBarcode } }, true)],
    contract: 'partners.find',
    expect: okJson([{ text: 'the ticket with that barcode is found', check: (body, ids) => findFilterHolds(body, (t) => t.barcode === ids.partnerBarcode, true) }]),
    expectedText: '200 status:success, the ticket with that barcode',
    load: 'partnerTickets',
  },
  '6.13': {
    requests: () => [partners('POST', '/tickets/find', { filter: { external_order_id: 'order67890', external_id: ['ticket12345'] } }, true)],
    contract: 'partners.find',
    expect: okJson([{ text: 'every ticket matches both filters', check: (body) => findFilterHolds(body, (t) => t.external_order_id === 'order67890' && t.external_id === 'ticket12345') }]),
    expectedText: '200 status:success, result[] matching every filter (live with a wrong key: WRONG_AUTHORIZATION)',
    load: 'partnerTickets',
    deviationNotes: ['the spec combines literal barcodes and ticket ids of another tenant; the filters that this run can satisfy are sent'],
  },
  '6.14': {
    needs: ['partnerEventId'],
    requests: (ids) => [partners('GET', `/events/seats/${segment('partnerEventId', ids.partnerEventId)}`, undefined, true)],
    contract: 'partners.legacySeats',
    expect: okJson(),
    expectedText: '200 status:success, legacy zones (deprecated method; event with one show)',
  },
  '6.15': {
    needs: ['partnerEventId', 'partnerShowId'],
    requests: (ids) => [partners('GET', `/events/seats/${segment('partnerEventId', ids.partnerEventId)}/${segment('partnerShowId', ids.partnerShowId)}`, undefined, true)],
    contract: 'partners.legacySeats',
    expect: okJson(),
    expectedText: '200 status:success, legacy zones of one show (deprecated method)',
  },
};
