import * as allure from 'allure-js-commons';
import type { Category } from 'allure-js-commons/sdk';
import { BaseMessageTestRuntime, getGlobalTestRuntime } from 'allure-js-commons/sdk/runtime';

/**
 * Allure labels, steps and attachments for the spec tests, on top of allure-vitest's runtime.
 * Every call is a silent no-op when allure-vitest's setup is not active (a run without its reporter,
 * a script), and a labelling error never fails an audit test: Allure is a view of the run, not a check.
 */

export interface AllureSpec {
  id: string;
  title: string;
  api: 'rest' | 'partners';
  kind: 'read' | 'write' | 'negative';
  section: { number: string; name: string };
  specRef: string;
}

/** Where allure-vitest writes, the rendered report and its run history: relative to the working directory, the repository root. */
export const ALLURE_RESULTS_DIR = 'allure-results';
export const ALLURE_REPORT_DIR = 'allure-report';
export const ALLURE_HISTORY_FILE = '.allure-history.jsonl';

/** The tag of a write that was sent only as a denied probe (a live tenant without --allow-writes). */
export const DENIED_TAG = 'denied-as-expected';

const EPICS = { rest: 'REST API', partners: 'Partners API' } as const;

const FAILED = [allure.Status.FAILED, allure.Status.BROKEN];
const anywhere = (text: string) => `[\\s\\S]*${text}[\\s\\S]*`;

/**
 * Failure classes, matched on the harness's messages; first match wins. allure-vitest writes them as
 * categories.json (Allure 2), allurerc.ts hands the same rules to Allure 3. A spec mismatch is thrown
 * as a plain Error, which Allure calls "broken", so both statuses count.
 */
export const FAILURE_CATEGORIES = [
  { name: 'No answer from the API', messageRegex: anywhere('no answer \\('), matchedStatuses: FAILED },
  { name: 'ClickHouse delta mismatch', messageRegex: anywhere('ClickHouse deltas of '), matchedStatuses: FAILED },
  { name: 'Answer differs from the expectation', messageRegex: anywhere('expected .*, got '), matchedStatuses: FAILED },
  { name: 'Contract violation', messageRegex: anywhere('contract [\\w-]+: '), matchedStatuses: FAILED },
  { name: 'Denied probe not refused', messageRegex: anywhere('denied probe .*not refused'), matchedStatuses: FAILED },
  { name: 'Other assertion failures', matchedStatuses: [allure.Status.FAILED] },
  { name: 'Errors in the suite or its environment', matchedStatuses: [allure.Status.BROKEN] },
] satisfies Category[];

/** Query parameters that carry credentials, should an endpoint ever include one. */
const CREDENTIAL_IN_QUERY = /([?&](?:token|access_token|api_key|apikey|key|secret|password)=)[^&#\s]*/gi;

/** allure-vitest's setup installs a message runtime; otherwise allure-js-commons falls back to a warning no-op. */
function allureActive(): boolean {
  return getGlobalTestRuntime() instanceof BaseMessageTestRuntime;
}

let warned = false;
async function report(action: () => PromiseLike<void>): Promise<void> {
  if (!allureActive()) return;
  try {
    await action();
  } catch (error) {
    if (!warned) console.warn(`Allure: could not record test metadata (${(error as Error).message}); the test result is unaffected.`);
    warned = true;
  }
}

/** Labels one spec test: epic (API), feature (section), story (`<id> <title>`), kind tag, env and endpoint. */
export async function labelSpecTest(spec: AllureSpec, params: { env: string; endpoint: string }): Promise<void> {
  const endpoint = params.endpoint.replace(CREDENTIAL_IN_QUERY, '$1***');
  await report(async () => {
    await allure.epic(EPICS[spec.api]);
    await allure.feature(`${spec.section.number}. ${spec.section.name}`);
    await allure.story(`${spec.id} ${spec.title}`);
    await allure.tag(spec.kind);
    await allure.parameter('env', params.env);
    await allure.parameter('endpoint', endpoint, endpoint === params.endpoint ? undefined : { mode: 'masked' });
    await allure.description(`Spec reference: \`${spec.specRef}\` · ${EPICS[spec.api]} · ${spec.kind}`);
  });
}

/** A named step (`request`, `contract`, `load`, `delta`, …); the body's result and errors pass through unchanged. */
export async function step<T>(name: 'request' | 'contract' | 'load' | 'delta' | (string & {}), body: () => Promise<T>): Promise<T> {
  return allureActive() ? allure.step(name, () => body()) : body();
}

/** Attaches a JSON value; the caller passes content that is already masked. */
export async function attachJson(name: string, value: unknown): Promise<void> {
  await report(() => allure.attachment(name, JSON.stringify(value, bigintAsString, 2), { contentType: 'application/json', fileExtension: 'json' }));
}

/** Marks a write that was sent only as a denied probe, so Allure shows this class apart from plain passes. */
export async function markDenied(): Promise<void> {
  await report(() => allure.tag(DENIED_TAG));
}

function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
