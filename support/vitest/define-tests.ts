import { describe, expect, test } from 'vitest';
import { specsOfSection } from '../catalogue/index.ts';
import { runtime } from '../harness/runtime.ts';
import { runSpec, startOutcome, type SpecContext } from '../runner/run-spec.ts';

/** A deep walk of a whole live tenant takes minutes (2,525 pages of orders at 2 requests/s: about 21 min). */
const DEEP_TIMEOUT_MS = 3 * 3600_000;

/**
 * One vitest test per spec ID of a section. The runner fills the spec's outcome, which vitest hands to the
 * reporters as `task.meta.audit`.
 */
export function defineSectionTests(section: string): void {
  const specs = specsOfSection(section);
  const deepTimeout = runtime().allPages ? DEEP_TIMEOUT_MS : undefined;
  describe(`${section}. ${specs[0].section.name}`, () => {
    for (const spec of specs) {
      test(`${spec.id} ${spec.title}`, { timeout: spec.plan.deep ? deepTimeout : undefined }, async (context) => {
        const rt = runtime();
        const outcome = startOutcome(spec, rt);
        context.task.meta.audit = outcome;
        const specContext: SpecContext = {
          signal: context.signal,
          skip: (note) => context.skip(note),
          // vitest's comparison with no problems: its diff shows each one.
          assertNoDeltaProblems: (problems, label) => expect(problems, label).toEqual([]),
        };
        const work = runSpec(spec, rt, specContext, outcome);
        // A cancelled run (Ctrl-C, SIGTERM) abandons the test at once, but its worker lives until this hook
        // has run: the spec in flight finishes its requests and ClickHouse writes instead of leaving a half load.
        context.onTestFinished(() => work.then(() => undefined, () => undefined));
        await work;
      });
    }
  });
}
