import { beforeEach, vi } from 'vitest';
import type { Ids } from '../../support/core/types.ts';

/**
 * Every body predicate of the catalogue, fed an answer that keeps it and one that breaks it: a predicate
 * that never fails (or always fails) would pass or fail specs whatever the API answers.
 */

// Imported afresh in each test: the plans and their predicates are built when the catalogue loads, and
// `npm run mutation` can switch a change to them on only for a load inside a test.
let specById: typeof import('../../support/catalogue/index.ts').specById;
beforeEach(async () => {
  vi.resetModules();
  ({ specById } = await import('../../support/catalogue/index.ts'));
});

function predicate(specId: string, text: string) {
  const found = (specById(specId).plan.expect.predicates ?? []).find((p) => p.text === text);
  if (!found) throw new Error(`spec ${specId} has no predicate "${text}"`);
  return (body: unknown, ids: Ids = {}) => found.check(body, ids);
}

describe('list predicates', () => {
  test('"at least one" holds for a list with an item, in a data envelope or bare, and fails on an empty one', () => {
    const order = predicate('1.1', 'at least one order');
    expect(order({ data: [{ id: 1 }] })).toBeNull();
    expect(order({ data: [] })).toBe('the answer has no order');
    expect(order({})).toBe('the answer has no order');
    expect(order(null)).toBe('the answer has no order');
    const theme = predicate('4.1', 'at least one colour theme');
    expect(theme([{ id: 1, color: '#fff' }])).toBeNull();
    expect(theme([])).toBe('the answer has no colour theme');
  });

  test('ascending ids compare as numbers, equal neighbours are in order, and the first five are quoted', () => {
    const asc = predicate('1.1', 'ids ascending');
    expect(asc({ data: [{ id: 2 }, { id: 10 }, { id: 10 }, { id: 100 }] })).toBeNull();
    expect(asc({ data: [] })).toBeNull();
    expect(asc({ data: [{ id: 1 }, { id: 3 }, { id: 2 }, { id: 4 }, { id: 5 }, { id: 6 }] })).toBe('ids are not ascending: 1, 3, 2, 4, 5…');
  });

  test('descending ids', () => {
    const desc = predicate('1.3', 'ids descending');
    expect(desc({ data: [{ id: 100 }, { id: 10 }, { id: 2 }] })).toBeNull();
    expect(desc({ data: [{ id: 2 }, { id: 10 }] })).toBe('ids are not descending: 2, 10…');
  });

  test('paid orders: every form of payed the API uses counts as paid, and nothing else', () => {
    const paid = predicate('1.2', 'every order has payed=true');
    const unpaid = predicate('1.3', 'every order has payed=false');
    for (const payed of [true, 1, '1', 'true']) {
      expect(paid({ data: [{ id: 1, payed }] })).toBeNull();
      expect(unpaid({ data: [{ id: 1, payed }] })).toBe('1 item(s) break "every order has payed=false", e.g. id 1');
    }
    for (const payed of [false, 0, '0', 'false', null, undefined, 2]) {
      expect(unpaid({ data: [{ id: 2, payed }] })).toBeNull();
      expect(paid({ data: [{ id: 2, payed }] })).toBe('1 item(s) break "every order has payed=true", e.g. id 2');
    }
    expect(paid({ data: [{ id: 3, payed: 0 }, { id: 4, payed: 1 }, { id: 5, payed: 0 }] })).toBe('2 item(s) break "every order has payed=true", e.g. id 3');
    // An item that is not an object breaks the rule; even the negated one.
    expect(unpaid({ data: [null, 7] })).toBe('2 item(s) break "every order has payed=false", e.g. id undefined');
  });

  test('created on or after 2025-01-01 MSK: the boundary instant is in, a second before is out, offsets are honoured', () => {
    const since = predicate('1.4', 'every order created on or after 2025-01-01 MSK');
    expect(since({ data: [{ id: 1, created_at: '2025-01-01T00:00:00+03:00' }] })).toBeNull();
    expect(since({ data: [{ id: 1, created_at: '2024-12-31T21:00:00Z' }] })).toBeNull();
    expect(since({ data: [{ id: 2, created_at: '2024-12-31T23:59:59+03:00' }] })).toBe(
      '1 item(s) break "every order created on or after 2025-01-01 MSK", e.g. id 2',
    );
  });

  test('orders of the requested event', () => {
    const ofEvent = predicate('1.5', 'every order belongs to the requested event');
    expect(ofEvent({ data: [{ id: 1, event_id: 7 }] }, { paidEventId: '7' })).toBeNull();
    expect(ofEvent({ data: [{ id: 1, event_id: 8 }] }, { paidEventId: '7' })).toBe('1 item(s) break "every order belongs to the requested event", e.g. id 1');
  });

  test('active events are those with is_active exactly 1', () => {
    const active = predicate('3.2', 'every event has is_active=1');
    expect(active({ data: [{ id: 1, is_active: 1 }] })).toBeNull();
    expect(active({ data: [{ id: 1, is_active: 0 }] })).toBe('1 item(s) break "every event has is_active=1", e.g. id 1');
  });

  test('an empty result for an unknown column', () => {
    const empty = predicate('7.5', 'an empty result');
    expect(empty({ data: [] })).toBeNull();
    expect(empty({})).toBeNull();
    expect(empty({ data: [{ id: 1 }, { id: 2 }] })).toBe('2 orders came back');
  });
});

describe('single-record predicates', () => {
  test('data.id equals the requested id, compared as text', () => {
    const same = predicate('1.6', 'data.id equals the requested orderId');
    expect(same({ data: { id: 42 } }, { orderId: '42' })).toBeNull();
    expect(same({ data: { id: 43 } }, { orderId: '42' })).toBe('data.id is 43, requested 42');
    expect(predicate('3.3', 'data.id equals the requested eventId')({ data: { id: 5 } }, { eventId: '6' })).toBe('data.id is 5, requested 6');
  });

  test('the deleted and the refunded basket are the ones requested', () => {
    const deleted = predicate('1.7', 'the basket has deleted_at set');
    const baskets = { data: { baskets: [{ id: 1, deleted_at: null, refunded_at: '2025-02-01T10:00:00+03:00' }, { id: 2, deleted_at: '2025-02-01T10:00:00+03:00', refunded_at: null }] } };
    expect(deleted(baskets, { basketId: '2' })).toBeNull();
    expect(deleted(baskets, { basketId: '1' })).toBe('basket 1 has no deleted_at');
    expect(deleted({ data: {} }, { basketId: '2' })).toBe('basket 2 has no deleted_at');
    const refunded = predicate('1.9', 'the basket has refunded_at set');
    expect(refunded(baskets, { basketId2: '1' })).toBeNull();
    expect(refunded(baskets, { basketId2: '2' })).toBe('basket 2 has no refunded_at');
  });

  test('the basket carries both new names', () => {
    const renamed = predicate('1.8', 'client_name and client_surname are updated');
    expect(renamed({ data: { client_name: 'Новое Имя', client_surname: 'Новая Фамилия' } })).toBeNull();
    expect(renamed({ data: { client_name: 'Новое Имя', client_surname: 'Старая' } })).toBe('the basket does not carry the new name');
    expect(renamed({ data: { client_name: 'Старое', client_surname: 'Новая Фамилия' } })).toBe('the basket does not carry the new name');
  });

  test('a restored order has deleted_at null, not merely absent', () => {
    const restored = predicate('1.10', 'deleted_at is null');
    expect(restored({ data: { deleted_at: null } })).toBeNull();
    expect(restored({ data: {} })).toBe('deleted_at is undefined');
    expect(restored({ data: { deleted_at: '2025-02-01' } })).toBe('deleted_at is 2025-02-01');
  });

  test('clients: page 1, the email sent, the updated name', () => {
    expect(predicate('2.2', 'paging.currentPage is 1')({ paging: { currentPage: 1 } })).toBeNull();
    expect(predicate('2.2', 'paging.currentPage is 1')({ paging: { currentPage: 2 } })).toBe('currentPage is 2');
    const email = predicate('2.3', 'the client carries the email sent');
    expect(email({ data: { email: 'test@example.com' } })).toBeNull();
    expect(email({ data: { email: 'other@example.com' } })).toBe('the answer has another email');
    const name = predicate('2.4', 'details.name is updated');
    expect(name({ data: { details: { name: 'Обновлённое Имя' } } })).toBeNull();
    expect(name({ data: { details: { name: 'Тест' } } })).toBe('the name was not updated');
  });

  test('events: one show when created, the new name when updated', () => {
    const oneShow = predicate('3.4', 'the event has one show');
    expect(oneShow({ data: { shows: [{ id: 1 }] } })).toBeNull();
    expect(oneShow({ data: { shows: [] } })).toBe('the created event has no show');
    expect(oneShow({ data: { shows: [{ id: 1 }, { id: 2 }] } })).toBe('the created event has no show');
    const renamed = predicate('3.5', 'the name is updated');
    expect(renamed({ data: { name: 'Обновлённое название' } })).toBeNull();
    expect(renamed({ data: { name: 'Тестовое мероприятие' } })).toBe('the name was not updated');
  });

  test('free seats never exceed the maximum; equal is allowed and seats without numbers are not judged', () => {
    for (const spec of ['3.6', '3.7']) {
      const seats = predicate(spec, 'free_quantity ≤ max_quantity for every seat');
      expect(seats({ data: { a: { id: 'a', free_quantity: 2, max_quantity: 2 }, b: { id: 'b', free_quantity: null, max_quantity: 1 } } })).toBeNull();
      expect(seats({ data: { c: { id: 'c', free_quantity: 1, max_quantity: '0' } } })).toBeNull();
      expect(seats({})).toBeNull();
      expect(seats({ data: { a: { id: 'a', free_quantity: 1, max_quantity: 2 }, b: { id: 'b', free_quantity: 3, max_quantity: 2 }, c: { id: 'c', free_quantity: 9, max_quantity: 1 } } })).toBe(
        '2 seat(s) have free_quantity > max_quantity, e.g. b',
      );
    }
  });

  test('promo codes: the code sent, then two uses', () => {
    const code = predicate('4.4', 'the promo code carries the code sent');
    expect(code({ data: { code: 'TESTPROMO2025' } })).toBeNull();
    expect(code({ data: { code: 'OTHER' } })).toBe('code is OTHER');
    const uses = predicate('4.5', 'max_uses_count is 2');
    expect(uses({ data: { max_uses_count: 2 } })).toBeNull();
    expect(uses({ data: { max_uses_count: '2' } })).toBe('max_uses_count is 2');
    expect(uses({ data: { max_uses_count: 1 } })).toBe('max_uses_count is 1');
  });
});

describe('barcode predicates', () => {
  test('barcode lists are bare arrays', () => {
    expect(predicate('5.1', 'the answer is a bare array')([])).toBeNull();
    expect(predicate('5.1', 'the answer is a bare array')({ data: [] })).toBe('the answer is not a bare array');
    expect(predicate('5.2', 'each answer is a bare array')([{ barcode: 'x' }])).toBeNull();
    expect(predicate('5.2', 'each answer is a bare array')({ data: [] })).toBe('the answer is not a bare array');
  });

  test('the requested barcode, and a successful check', () => {
    const same = predicate('5.3', 'the answer is the requested barcode');
    expect(same({ barcode: '123' }, { barcode: '123' })).toBeNull();
    expect(same({ barcode: '124' }, { barcode: '123' })).toBe('barcode is 124');
    expect(same(null, { barcode: '123' })).toBe('barcode is undefined');
    const success = predicate('5.4', 'success is true');
    expect(success({ success: true })).toBeNull();
    expect(success({ success: 'true' })).toBe('success is not true');
  });
});

describe('partner predicates', () => {
  test('one ticket with an id, in a result envelope or bare', () => {
    const one = predicate('6.1', 'one ticket with an id');
    expect(one({ result: { id: 1 } })).toBeNull();
    expect(one({ id: 0 })).toBeNull();
    expect(one({ result: [{ id: 1 }] })).toBeNull();
    expect(one({ result: [{ id: 1 }, { id: 2 }] })).toBe('no ticket id in the answer');
    expect(one({ result: { barcode: 'x' } })).toBe('no ticket id in the answer');
    expect(one({ result: null })).toBe('no ticket id in the answer');
  });

  test('a batch answer holds at least one ticket', () => {
    const batch = predicate('6.2', 'an array of tickets');
    expect(batch({ result: [{ id: 1 }, { id: 2 }] })).toBeNull();
    expect(batch({ result: [] })).toBe('no tickets in the answer');
    expect(batch({ result: [{ seat_id: 'a' }] })).toBe('no tickets in the answer');
  });

  test('a reservation is an unpaid ticket without a barcode', () => {
    const reserved = predicate('6.3', 'an unpaid ticket without a barcode');
    expect(reserved({ result: { id: 1, paid: 0, barcode: null } })).toBeNull();
    expect(reserved({ id: 1, paid: '0', barcode: null })).toBeNull();
    expect(reserved({ result: { paid: 0, barcode: null } })).toBe('no ticket in the answer');
    expect(reserved(null)).toBe('no ticket in the answer');
    expect(reserved({ result: { id: 1, paid: 1, barcode: null } })).toBe('paid is 1');
    expect(reserved({ result: { id: 1, paid: 0, barcode: '123' } })).toBe('an unpaid ticket carries a barcode');
    expect(reserved({ result: { id: 1, paid: 0 } })).toBe('an unpaid ticket carries a barcode');
  });

  test('removal answers result: true', () => {
    for (const spec of ['6.6', '6.7']) {
      const removed = predicate(spec, 'result is true');
      expect(removed({ result: true })).toBeNull();
      expect(removed({ result: 1 })).toBe('result is not true');
    }
  });

  test('a seat check answers once per seat asked', () => {
    const perSeat = predicate('6.8', 'one answer per checked seat');
    expect(perSeat({ result: [{}, {}] })).toBeNull();
    expect(perSeat([{}, {}])).toBeNull();
    expect(perSeat({ result: [{}] })).toBe('not one answer per seat');
    expect(perSeat({ result: [{}, {}, {}] })).toBe('not one answer per seat');
  });

  test('find: every ticket found matches the filter; none found is fine unless the ticket must be found', () => {
    for (const spec of ['6.9', '6.10', '6.11']) {
      const found = predicate(spec, 'every ticket has external_order_id order67890');
      expect(found({ result: [{ id: 1, external_order_id: 'order67890' }] })).toBeNull();
      expect(found({ result: [] })).toBeNull();
      expect(found({ result: [{ id: 1, external_order_id: 'order67890' }, { id: 2, external_order_id: 'x' }, { id: 3 }] })).toBe(
        '2 ticket(s) do not match the filter, e.g. id 2',
      );
    }
    const byBarcode = predicate('6.12', 'the ticket with that barcode is found');
    expect(byBarcode({ result: [{ id: 1, barcode: 'B1' }] }, { partnerBarcode: 'B1' })).toBeNull();
    expect(byBarcode({ result: [] }, { partnerBarcode: 'B1' })).toBe('no ticket was found');
    expect(byBarcode({ result: [{ id: 4, barcode: 'B2' }] }, { partnerBarcode: 'B1' })).toBe('1 ticket(s) do not match the filter, e.g. id 4');
    const both = predicate('6.13', 'every ticket matches both filters');
    expect(both({ result: [{ id: 1, external_order_id: 'order67890', external_id: 'ticket12345' }] })).toBeNull();
    expect(both({ result: [{ id: 5, external_order_id: 'order67890', external_id: 'other' }] })).toBe('1 ticket(s) do not match the filter, e.g. id 5');
    expect(both({ result: [{ id: 6, external_order_id: 'other', external_id: 'ticket12345' }] })).toBe('1 ticket(s) do not match the filter, e.g. id 6');
  });
});

describe('error predicates', () => {
  test('404 info names the resource and the id asked for', () => {
    const order = predicate('7.2', 'info is {id: 999999999, resource: Order}');
    expect(order({ info: { id: 999999999, resource: 'Order' } })).toBeNull();
    expect(order({ info: { id: 999999999, resource: 'Event' } })).toBe('info is {"id":999999999,"resource":"Event"}');
    expect(order({ info: { id: '999999999', resource: 'Order' } })).toBe('info is {"id":"999999999","resource":"Order"}');
    expect(order({})).toBe('info is undefined');
    expect(predicate('7.3', 'info is {id: 999999999, resource: Event}')({ info: { id: 999999999, resource: 'Event' } })).toBeNull();
  });
});
