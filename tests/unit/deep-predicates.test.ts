import { specById } from '../../support/catalogue/index.ts';
import { PagePredicates } from '../../support/deep/predicates.ts';

/** Deep mode checks the spec's body predicates on every page it walks, with the catalogue's own predicates. */

const orders = (...ids: number[]) => ids.map((id) => ({ id, payed: true }));

test('1.1 over several pages: ascending pages pass; a descending or empty page fails, named once with its count', () => {
  const pages = new PagePredicates(specById('1.1').plan.expect.predicates ?? [], {});
  pages.check(orders(51, 52, 53), 2);
  expect(pages.failures()).toEqual([]);

  pages.check(orders(110, 105, 120), 3);
  pages.check(orders(130, 125), 4);
  pages.check([], 5);
  expect(pages.failures()).toEqual([
    'ids ascending: broken on 2 page(s) of the walk, first on page 3: ids are not ascending: 110, 105, 120…',
    'at least one order: broken on 1 page(s) of the walk, first on page 5: the answer has no order',
  ]);
});
