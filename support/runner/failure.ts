import type { SpecEntry } from '../catalogue/index.ts';
import type { FailureKind } from '../core/outcome.ts';

/** One reason a spec fails: what it is about, and the line the failure message shows for it. */
export interface Problem {
  kind: FailureKind;
  text: string;
}

/** A spec's answer disagreed with its expectation: Allure shows it as failed, not broken. */
export class SpecFailure extends Error {
  override name = 'SpecAssertionError';

  constructor(message: string, readonly kinds: FailureKind[]) {
    super(message);
  }
}

/** The failure of a spec with its problems, one line each under the spec's id and title. */
export function specFailure(spec: SpecEntry, problems: Problem[]): SpecFailure {
  const kinds = [...new Set(problems.map((p) => p.kind))];
  return new SpecFailure(`${spec.id} ${spec.title}:\n${problems.map((p) => `  - ${p.text}`).join('\n')}`, kinds);
}
