import type { RuntimeMessage } from 'allure-js-commons/sdk';
import { MessageHolderTestRuntime, getGlobalTestRuntime, setGlobalTestRuntime } from 'allure-js-commons/sdk/runtime';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { DENIED_TAG, FAILURE_CATEGORIES, attachJson, failureClass, labelSpecTest, markDenied, step } from '../../support/allure.ts';

const spec = {
  id: '1.7',
  title: 'Delete a ticket (basket) from an order',
  api: 'rest',
  kind: 'write',
  section: { number: '1', name: 'Orders and baskets' },
  specRef: 'qtickets_api_test_requests.md:133-139',
} as const;

/**
 * Runs `action` with a recording runtime in place of the one allure-vitest's setup installed (if any), and
 * returns what it sent. No expect() inside: allure-vitest reports matchers to the active runtime too.
 */
async function record(action: () => Promise<unknown>): Promise<RuntimeMessage[]> {
  const previous = getGlobalTestRuntime();
  const runtime = new MessageHolderTestRuntime();
  setGlobalTestRuntime(runtime);
  try {
    await action();
  } finally {
    setGlobalTestRuntime(previous);
  }
  return runtime.messages();
}

afterEach(() => vi.restoreAllMocks());

const labelsOf = (messages: RuntimeMessage[]) => messages.flatMap((m) => (m.type === 'metadata' ? (m.data.labels ?? []) : []));
const parametersOf = (messages: RuntimeMessage[]) => messages.flatMap((m) => (m.type === 'metadata' ? (m.data.parameters ?? []) : []));

describe('with allure-vitest active', () => {
  test('labelSpecTest sets epic, feature, story, kind tag, env and endpoint, and the spec reference', async () => {
    const messages = await record(() => labelSpecTest(spec, { env: 'mock', endpoint: 'DELETE /orders/{ORDER_ID}/baskets/{BASKET_ID}' }));
    expect(labelsOf(messages)).toEqual([
      { name: 'epic', value: 'REST API' },
      { name: 'feature', value: '1. Orders and baskets' },
      { name: 'story', value: '1.7 Delete a ticket (basket) from an order' },
      { name: 'tag', value: 'write' },
    ]);
    expect(parametersOf(messages)).toEqual([
      { name: 'env', value: 'mock' },
      { name: 'endpoint', value: 'DELETE /orders/{ORDER_ID}/baskets/{BASKET_ID}' },
    ]);
    const description = messages.find((m) => m.type === 'metadata' && m.data.description);
    expect(description?.type === 'metadata' && description.data.description).toContain('qtickets_api_test_requests.md:133-139');
  });

  test('the Partners API is its own epic', async () => {
    const messages = await record(() => labelSpecTest({ ...spec, id: '6.8', api: 'partners', kind: 'read', section: { number: '6', name: 'Partners API' } }, { env: 'prod', endpoint: 'POST /tickets/check' }));
    expect(labelsOf(messages)).toContainEqual({ name: 'epic', value: 'Partners API' });
  });

  test('a credential in the endpoint never reaches Allure', async () => {
    const messages = await record(() => labelSpecTest(spec, { env: 'prod', endpoint: 'GET /orders?page=2&token=s3cr3t-value&api_key=k3y' }));
    const serialized = JSON.stringify(messages);
    expect(serialized).not.toContain('s3cr3t-value');
    expect(serialized).not.toContain('k3y');
    expect(parametersOf(messages)).toContainEqual({ name: 'endpoint', value: 'GET /orders?page=2&token=***&api_key=***', mode: 'masked' });
  });

  test('step wraps the body in a named step and passes its value and its error through', async () => {
    const failure = new Error('contract orders: data[0].id: expected number');
    let value: number | undefined;
    let rejection: unknown;
    const messages = await record(async () => {
      value = await step('request', async () => 42);
      rejection = await step('contract', async () => Promise.reject(failure)).catch((error: unknown) => error);
    });
    expect(value).toBe(42);
    expect(rejection).toBe(failure);
    const steps = messages.filter((m) => m.type === 'step_start' || m.type === 'step_stop');
    expect(steps.map((m) => (m.type === 'step_start' ? `start ${m.data.name}` : `stop ${m.data.status}`))).toEqual(['start request', 'stop passed', 'start contract', 'stop broken']);
  });

  test('attachJson attaches the value as JSON (bigints as strings)', async () => {
    const messages = await record(() => attachJson('ClickHouse delta', { runRows: { stg_orders: 3 }, ver: 17n }));
    const attachment = messages.find((m) => m.type === 'attachment_content');
    expect(attachment?.type === 'attachment_content' && attachment.data.contentType).toBe('application/json');
    const content = attachment?.type === 'attachment_content' ? Buffer.from(attachment.data.content, attachment.data.encoding).toString('utf8') : '';
    expect(JSON.parse(content)).toEqual({ runRows: { stg_orders: 3 }, ver: '17' });
  });

  test('an attachment that cannot be serialized warns once and does not fail the test', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const messages = await record(() => attachJson('circular', circular));
    expect(messages).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  test('markDenied tags the test as denied-as-expected', async () => {
    const messages = await record(() => markDenied());
    expect(labelsOf(messages)).toEqual([{ name: 'tag', value: DENIED_TAG }]);
  });
});

describe('without allure-vitest', () => {
  test('every call is a silent no-op and step still runs its body', async () => {
    const warn = vi.spyOn(console, 'warn');
    const error = vi.spyOn(console, 'error');
    const previous = getGlobalTestRuntime();
    // What allure-js-commons sees when allure-vitest's setup never ran: no runtime at all.
    setGlobalTestRuntime(undefined as never);
    let loaded: string | undefined;
    let rejection: unknown;
    try {
      await labelSpecTest(spec, { env: 'mock', endpoint: 'GET /orders' });
      await attachJson('answer', { data: [] });
      await markDenied();
      loaded = await step('load', async () => 'loaded');
      rejection = await step('delta', async () => Promise.reject(new Error('delta'))).catch((e: unknown) => e);
    } finally {
      setGlobalTestRuntime(previous);
    }
    expect(loaded).toBe('loaded');
    expect((rejection as Error).message).toBe('delta');
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });
});

describe('failure classes come from the outcome, never from the message', () => {
  test('the first class in category order wins; kinds without a category of their own have none', () => {
    expect(failureClass(['contract', 'no-answer'])).toBe('no-answer');
    expect(failureClass(['answer', 'delta'])).toBe('delta');
    expect(failureClass(['predicate', 'contract'])).toBe('contract');
    expect(failureClass(['predicate', 'invalid-id', 'deep-walk'])).toBeUndefined();
    expect(failureClass(undefined)).toBeUndefined();
  });

  test('each class has a category matching its label, before the catch-all ones', () => {
    const byLabel = FAILURE_CATEGORIES.filter((c) => 'labels' in c.matchers);
    expect(byLabel.map((c) => c.name)).toEqual(['No answer from the API', 'ClickHouse delta mismatch', 'Answer differs from the expectation', 'Contract violation', 'Denied probe not refused']);
    expect(FAILURE_CATEGORIES.slice(byLabel.length).map((c) => c.name)).toEqual(['Other assertion failures', 'Errors in the suite or its environment']);
  });
});
