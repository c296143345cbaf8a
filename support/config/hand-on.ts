import type { RunSettings } from './run.ts';

/**
 * How the run's settings travel, in memory only (they hold the tokens): the wrapper puts them here before it
 * creates vitest; vitest.config.ts, loaded by vitest in the same process but as its own module copy, takes them
 * from here (hence globalThis) and provides them to the spec project's global setup; the workers get what
 * global setup provides in turn (support/harness/runtime.ts).
 */

declare module 'vitest' {
  export interface ProvidedContext {
    settings: RunSettings;
  }
}

const KEY = Symbol.for('qtickets-audit.run-settings');
const slot = globalThis as { [KEY]?: RunSettings };

export function handOn(settings: RunSettings): void {
  slot[KEY] = settings;
}

/** The settings `npm test` handed on, or undefined when vitest was started directly. */
export function handedOnSettings(): RunSettings | undefined {
  return slot[KEY];
}

/** Why the spec project cannot run without them: said once, by global setup. */
export const NOT_HANDED_ON =
  'The spec tests run through `npm test`, which reads and checks the configuration once and hands it on; vitest started directly (npx vitest) has none. Use `npm test -- <vitest options>`, or `npx vitest --project unit` for the self-tests alone.';
