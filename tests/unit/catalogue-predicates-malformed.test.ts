import { beforeEach, vi } from 'vitest';
import type { SpecEntry } from '../../support/catalogue/index.ts';

/**
 * A malformed answer fails its spec with a readable message: no body predicate may throw on an answer that
 * lacks the envelope or the record it reads, whatever else is wrong with it.
 */

// Imported afresh in each test: the predicates are built when the catalogue loads, and `npm run mutation`
// can switch a change to them on only for a load inside a test.
let catalogue: readonly SpecEntry[];
let specById: (id: string) => SpecEntry;
beforeEach(async () => {
  vi.resetModules();
  ({ catalogue, specById } = await import('../../support/catalogue/index.ts'));
});

const MALFORMED: unknown[] = [null, undefined, 'text', {}, { data: null }, { data: {} }, { data: { details: null } }, { paging: null }, { result: null }, { info: null }];

test('every predicate answers a message or null, never an exception, for a malformed answer', () => {
  let checked = 0;
  for (const spec of catalogue) {
    for (const predicate of spec.plan.expect.predicates ?? []) {
      for (const body of MALFORMED) {
        const outcome = predicate.check(body, {});
        expect(outcome === null || typeof outcome === 'string', `${spec.id} "${predicate.text}" on ${JSON.stringify(body)}`).toBe(true);
        checked++;
      }
    }
  }
  expect(checked).toBeGreaterThan(30 * MALFORMED.length);
});

test('a batch of one ticket is an array of tickets, and the batch ids are remembered in order', () => {
  const batch = (specById('6.2').plan.expect.predicates ?? [])[0];
  expect(batch.check({ result: [{ id: 1 }] }, {})).toBeNull();
  expect(specById('6.2').plan.discovers!({ result: [{ id: 7 }, { id: 3 }] }, {})).toEqual({ partnerBatchTicketIds: '7,3' });
});

test('seat quantities that are not numbers are not compared', () => {
  const seats = (specById('3.6').plan.expect.predicates ?? [])[0];
  expect(seats.check({ data: { a: { id: 'a', free_quantity: '5', max_quantity: 2 } } }, {})).toBeNull();
});
