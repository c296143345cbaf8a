import * as allure from 'allure-js-commons';
import { BaseMessageTestRuntime, getGlobalTestRuntime } from 'allure-js-commons/sdk/runtime';
import type { FailureKind } from './core/outcome.ts';

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

/** The label that carries a failed spec's failure class (set by the adapter from the spec's outcome). */
export const FAILURE_LABEL = 'failure';

/** Failure classes with a category of their own, in the order a failure is classed: the first of its kinds wins. */
const FAILURE_CLASSES: { name: string; kind: FailureKind }[] = [
  { name: 'No answer from the API', kind: 'no-answer' },
  { name: 'ClickHouse delta mismatch', kind: 'delta' },
  { name: 'Answer differs from the expectation', kind: 'answer' },
  { name: 'Contract violation', kind: 'contract' },
  { name: 'Denied probe not refused', kind: 'denied-probe-not-refused' },
];

/** The class of a spec failure from its outcome's failure kinds; undefined when none has a category of its own. */
export function failureClass(kinds: readonly FailureKind[] | undefined): FailureKind | undefined {
  return FAILURE_CLASSES.find((c) => kinds?.includes(c.kind))?.kind;
}

const FAILED = [allure.Status.FAILED, allure.Status.BROKEN];

/**
 * Failure categories, matched on the failure label; first match wins. allurerc.ts hands them to Allure 3, and
 * allure-vitest writes them as categories.json. A spec mismatch counts whether Allure calls it failed or broken.
 */
export const FAILURE_CATEGORIES = [
  ...FAILURE_CLASSES.map((c) => ({ name: c.name, matchers: { statuses: FAILED, labels: { [FAILURE_LABEL]: `^${c.kind}$` } } })),
  { name: 'Other assertion failures', matchers: { statuses: [allure.Status.FAILED] } },
  { name: 'Errors in the suite or its environment', matchers: { statuses: [allure.Status.BROKEN] } },
];

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
