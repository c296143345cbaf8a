import { QTicketsClient, bodyHash, type ClientOptions } from '../../support/client.ts';
import { sortedKeysJson } from '../../support/core/json.ts';
import { startMock, type MockServer } from '../../support/mock/server.ts';
import type { RetryRecord } from '../../support/core/outcome.ts';

const REST_TOKEN = 'client-test-rest';
const PARTNERS_KEY = 'client-test-partners';

describe('QTickets client against the mock', () => {
  let mock: MockServer;
  const retries: RetryRecord[] = [];
  const client = (api: 'rest' | 'partners', overrides: Partial<ClientOptions> = {}) =>
    new QTicketsClient({
      api,
      baseUrl: api === 'rest' ? mock.restBaseUrl : mock.partnersBaseUrl,
      token: api === 'rest' ? REST_TOKEN : PARTNERS_KEY,
      timeoutMs: 2000,
      maxRetries: 2,
      retryBaseMs: 5,
      maxRetryAfterMs: 50,
      onRetry: (retry) => retries.push(retry),
      ...overrides,
    });

  beforeAll(async () => {
    mock = await startMock({ restToken: REST_TOKEN, partnersToken: PARTNERS_KEY });
  });
  afterAll(async () => mock.close());
  beforeEach(() => {
    retries.length = 0;
    mock.setFaults([]);
  });

  test('a list answer is ok JSON, sent as a GET with a JSON body', async () => {
    const result = await client('rest').send({ api: 'rest', method: 'GET', path: '/orders', body: { where: [{ column: 'payed', value: 1 }] }, idempotent: true });
    expect(result.kind).toBe('ok');
    expect(result.status).toBe(200);
    expect((result.body as any).data.every((o: any) => o.payed === true)).toBe(true);
    expect(mock.requests.at(-1)?.body).toEqual({ where: [{ column: 'payed', value: 1 }] });
  });

  test('a JSON error envelope, the HTML 404 page and a Partners error with HTTP 200 are told apart', async () => {
    const missing = await client('rest').send({ api: 'rest', method: 'GET', path: '/orders/999999999', idempotent: true });
    expect([missing.kind, missing.status, missing.code]).toEqual(['rest-error', 404, 'RESOURCE_NOT_FOUND']);

    const page = await client('rest').send({ api: 'rest', method: 'GET', path: '/barcodes', idempotent: true });
    expect([page.kind, page.status]).toEqual(['html', 404]);
    expect(page.text).toContain('Страница не найдена');

    const wrongKey = await client('partners', { token: 'wrong' }).send({ api: 'partners', method: 'POST', path: '/tickets/find', body: {}, idempotent: true });
    expect([wrongKey.kind, wrongKey.status, wrongKey.code]).toEqual(['partners-error', 200, 'WRONG_AUTHORIZATION']);

    const forbidden = await client('rest', { token: 'wrong' }).send({ api: 'rest', method: 'GET', path: '/events', idempotent: true });
    expect([forbidden.kind, forbidden.status]).toEqual(['rest-error', 403]);
  });

  test('malformed bodies and lost connections are their own kinds', async () => {
    mock.setFaults([{ path: '^/orders$', kind: 'truncated-json' }]);
    const truncated = await client('rest').send({ api: 'rest', method: 'GET', path: '/orders', idempotent: true });
    expect(truncated.kind).toBe('malformed');
    expect(truncated.error).toMatch(/does not parse/);

    mock.setFaults([{ path: '^/orders$', kind: 'wrong-content-type' }]);
    const plain = await client('rest').send({ api: 'rest', method: 'GET', path: '/orders', idempotent: true });
    expect(plain.kind).toBe('malformed');
    expect(plain.error).toMatch(/content type/);

    mock.setFaults([{ path: '^/orders$', kind: 'reset' }]);
    const reset = await client('rest', { maxRetries: 1 }).send({ api: 'rest', method: 'GET', path: '/orders', idempotent: true });
    expect([reset.kind, reset.status]).toEqual(['network', null]);
    expect(reset.retries.map((r) => [r.status, r.cause.split(':')[0]])).toEqual([[null, 'network']]);
  });

  test('5xx on a read is retried with backoff, within bounds, and each retry is recorded', async () => {
    mock.setFaults([{ path: '^/clients$', kind: 'status', status: 502, times: 2 }]);
    const result = await client('rest').send({ api: 'rest', method: 'GET', path: '/clients', idempotent: true });
    expect(result.kind).toBe('ok');
    expect(result.retries.map((r) => [r.attempt, r.waitMs, r.status, r.cause])).toEqual([
      [1, 5, 502, 'HTTP 502'],
      [2, 10, 502, 'HTTP 502'],
    ]);
    expect(retries).toHaveLength(2);
  });

  test('retries stop at the bound and the last answer is returned', async () => {
    mock.setFaults([{ path: '^/clients$', kind: 'status', status: 503 }]);
    const result = await client('rest').send({ api: 'rest', method: 'GET', path: '/clients', idempotent: true });
    expect(result.status).toBe(503);
    expect(result.retries).toHaveLength(2);
  });

  test('429 honours Retry-After (capped) also for writes; 5xx on a write is not repeated', async () => {
    mock.setFaults([{ path: '^/clients$', kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 }]);
    const limited = await client('rest').send({ api: 'rest', method: 'POST', path: '/clients', body: { data: { email: 'a@example.com', details: {} } } });
    expect(limited.status).toBe(200);
    expect(limited.retries).toEqual([{ attempt: 1, waitMs: 50, status: 429, cause: 'HTTP 429 (Retry-After: 1)' }]);

    const failedWrite = await client('rest').send({ api: 'rest', method: 'POST', path: '/orders', body: {} });
    expect([failedWrite.status, failedWrite.code, failedWrite.retries.length]).toEqual([503, 'UNKNOWN_ERROR', 0]);
  });

  test('a slow answer times out as a network failure', async () => {
    // undici checks its timeouts about once a second, so the delay is well past the timeout.
    mock.setFaults([{ path: '^/events$', kind: 'slow', delayMs: 3000 }]);
    const result = await client('rest', { timeoutMs: 500, maxRetries: 0 }).send({ api: 'rest', method: 'GET', path: '/events', idempotent: true });
    expect(result.kind).toBe('network');
    expect(result.error).toMatch(/no answer within 500 ms/);
  });
});

describe('client helpers', () => {
  test('the body hash is the SHA-256 of canonical JSON, "" without a body', () => {
    expect(bodyHash(undefined)).toBe('');
    expect(bodyHash({ b: 1, a: [{ d: 1, c: 2 }] })).toBe(bodyHash({ a: [{ c: 2, d: 1 }], b: 1 }));
    expect(bodyHash({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
    expect(sortedKeysJson({ b: 'ё', a: 1 })).toBe('{"a":1,"b":"ё"}');
  });

});
