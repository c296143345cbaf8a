import type { Ids, Predicate } from '../core/types.ts';

/**
 * A deep walk checks the spec's body predicates ("at least one order", "ids ascending") on every page, not
 * only on page 1, which the spec test checks with the answer. Each broken predicate is reported once: on how
 * many pages it broke, and the first case.
 */
export class PagePredicates {
  private readonly broken = new Map<string, { pages: number; first: string }>();

  constructor(private readonly predicates: readonly Predicate[], private readonly ids: Ids) {}

  /** One page's records, as the list answer `{data: [...]}` the predicates read. */
  check(items: unknown[], page: number): void {
    for (const predicate of this.predicates) {
      const problem = predicate.check({ data: items }, this.ids);
      if (!problem) continue;
      const seen = this.broken.get(predicate.text);
      if (seen) seen.pages++;
      else this.broken.set(predicate.text, { pages: 1, first: `page ${page}: ${problem}` });
    }
  }

  failures(): string[] {
    return [...this.broken].map(([text, { pages, first }]) => `${text}: broken on ${pages} page(s) of the walk, first on ${first}`);
  }
}
