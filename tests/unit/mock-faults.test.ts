import { request } from 'undici';
import type { MockServer } from '../../support/mock/server.ts';
import { partners, REST_TOKEN, rest, startTestMock } from '../helpers/mock-helpers.ts';

/** Opt-in fault injection per endpoint (§10, §14 Limits), and the in-memory request log. */

describe('mock faults', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startTestMock();
  });
  afterEach(() => mock.setFaults([]));
  afterAll(() => mock.close());

  test('off by default: a burst of requests never gets 429 or rate-limit headers', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, () => rest(mock, 'GET', '/discounts')));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(answers.flatMap((a) => Object.keys(a.headers)).filter((h) => /rate|retry/i.test(h))).toEqual([]);
  });

  test('status 429 with Retry-After for the first N matching requests, then the normal answer', async () => {
    mock.setFaults([{ method: 'GET', path: '^/orders$', kind: 'status', status: 429, retryAfterSeconds: 2, times: 2 }]);
    const first = await rest(mock, 'GET', '/orders');
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('2');
    expect(first.json).toEqual({ error: 'Too Many Requests', status: 429 });
    expect((await rest(mock, 'GET', '/clients')).status).toBe(200); // another path
    expect((await rest(mock, 'POST', '/orders', { body: {} })).status).toBe(503); // another method: the normal 503
    expect((await rest(mock, 'GET', '/orders')).status).toBe(429);
    expect((await rest(mock, 'GET', '/orders')).status).toBe(200);
  });

  test.each([500, 502, 503, 504])('status %i without Retry-After, with the documented error body', async (status) => {
    mock.setFaults([{ path: '^/events', kind: 'status', status }]);
    const answer = await rest(mock, 'GET', '/events/24089');
    expect(answer.status).toBe(status);
    expect(answer.headers['retry-after']).toBeUndefined();
    expect(answer.json).toEqual({ error: 'Injected fault', status });
    expect((await rest(mock, 'GET', '/events/24089')).status).toBe(status); // no `times`: always
  });

  test('the path is matched after the base, for Partners too', async () => {
    mock.setFaults([{ path: '^/tickets/find', kind: 'status', status: 502, times: 1 }]);
    expect((await partners(mock, 'POST', '/tickets/find', { body: { filter: {} } })).status).toBe(502);
    expect((await partners(mock, 'POST', '/tickets/find', { body: { filter: {} } })).json.status).toBe('success');
  });

  test('slow delays the answer (a client with a short timeout gives up), then answers normally', async () => {
    mock.setFaults([{ path: '^/clients$', kind: 'slow', delayMs: 3_000, times: 1 }]);
    const impatient = request(`${mock.restBaseUrl}/clients`, { headers: { authorization: `Bearer ${REST_TOKEN}` }, headersTimeout: 200 });
    await expect(impatient).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect((await rest(mock, 'GET', '/clients')).status).toBe(200);
  });

  test('drop-field removes one key from one record of the answer, the rest unchanged', async () => {
    const normal = (await rest(mock, 'GET', '/promo-codes')).json;
    mock.setFaults([{ method: 'GET', path: '^/promo-codes$', kind: 'drop-field', field: 'data.1.code', times: 1 }]);
    const faulty = (await rest(mock, 'GET', '/promo-codes')).json;
    expect(Object.hasOwn(normal.data[1], 'code')).toBe(true);
    const { code: _code, ...rest1 } = normal.data[1];
    expect(faulty).toEqual({ ...normal, data: normal.data.map((item: any, i: number) => (i === 1 ? rest1 : item)) });
    expect((await rest(mock, 'GET', '/promo-codes')).json).toEqual(normal);
  });

  test('add-field adds one key to one record of the answer, the rest unchanged', async () => {
    const normal = (await rest(mock, 'GET', '/promo-codes')).json;
    mock.setFaults([{ method: 'GET', path: '^/promo-codes$', kind: 'add-field', field: 'data.0.grown_field', times: 1 }]);
    const faulty = (await rest(mock, 'GET', '/promo-codes')).json;
    expect(faulty).toEqual({ ...normal, data: normal.data.map((item: any, i: number) => (i === 0 ? { ...item, grown_field: 'added by the mock' } : item)) });
    expect((await rest(mock, 'GET', '/promo-codes')).json).toEqual(normal);
  });

  test('slow still gives the normal answer', async () => {
    mock.setFaults([{ path: '^/discounts$', kind: 'slow', delayMs: 50 }]);
    const answer = await rest(mock, 'GET', '/discounts');
    expect(answer.status).toBe(200);
    expect(answer.json.paging.perPage).toBe(100);
  });

  test('reset drops the connection without an answer (logged with status 0)', async () => {
    mock.setFaults([{ path: '^/events$', kind: 'reset', times: 1 }]);
    await expect(rest(mock, 'GET', '/events')).rejects.toThrow();
    expect(mock.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/rest/v1/events', status: 0 });
    expect((await rest(mock, 'GET', '/events')).status).toBe(200);
  });

  test('truncated-json: 200, labelled JSON, a cut-off prefix of the real body', async () => {
    const normal = await rest(mock, 'GET', '/promo-codes');
    mock.setFaults([{ path: '^/promo-codes$', kind: 'truncated-json' }]);
    const answer = await rest(mock, 'GET', '/promo-codes');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(() => JSON.parse(answer.text)).toThrow();
    expect(normal.text.startsWith(answer.text)).toBe(true);
    expect(answer.text.length).toBeGreaterThan(0);
  });

  test('html-200: an HTML page with status 200', async () => {
    mock.setFaults([{ path: '^/orders$', kind: 'html-200' }]);
    const answer = await rest(mock, 'GET', '/orders');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=UTF-8');
    expect(answer.text).toMatch(/^<!DOCTYPE html>/);
  });

  test('wrong-content-type: valid JSON labelled text/plain', async () => {
    const normal = await rest(mock, 'GET', '/color-themes');
    mock.setFaults([{ kind: 'wrong-content-type' }]);
    const answer = await rest(mock, 'GET', '/color-themes');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(answer.text).toBe(normal.text);
  });

  test('setFaults replaces the rules and their counters; faults can be given at start; bad rules are refused', async () => {
    mock.setFaults([{ kind: 'status', status: 500, times: 1 }]);
    mock.setFaults([{ kind: 'status', status: 504, times: 1 }]);
    expect((await rest(mock, 'GET', '/clients')).status).toBe(504);
    expect((await rest(mock, 'GET', '/clients')).status).toBe(200);
    expect(() => mock.setFaults([{ kind: 'status' }])).toThrow(/status/);
    expect(() => mock.setFaults([{ kind: 'slow' }])).toThrow(/delayMs/);
    const faulty = await startTestMock({ faults: [{ path: '^/orders$', kind: 'status', status: 503, times: 1 }] });
    try {
      expect((await rest(faulty, 'GET', '/orders')).status).toBe(503);
      expect((await rest(faulty, 'GET', '/orders')).status).toBe(200);
    } finally {
      await faulty.close();
    }
  });

  test('the request log records method, path, query, authorization, body (also of a GET) and status', async () => {
    const before = mock.requests.length;
    await rest(mock, 'GET', '/orders', { query: { per_page: '200' }, body: { where: [{ column: 'payed', value: 1 }] } });
    await partners(mock, 'POST', '/tickets/check', { token: 'wrong-key' });
    const [list, check] = mock.requests.slice(before);
    expect(list).toMatchObject({ method: 'GET', path: '/api/rest/v1/orders', query: { per_page: '200' }, authorization: `Bearer ${REST_TOKEN}`, body: { where: [{ column: 'payed', value: 1 }] }, status: 200 });
    expect(Date.parse(list.ts)).not.toBeNaN();
    expect(check).toMatchObject({ method: 'POST', path: '/api/partners/v1/tickets/check', authorization: 'Bearer wrong-key', body: undefined, status: 200 });
  });
});

describe('mock options', () => {
  test('the Partners key must differ from the REST token; sizes must be positive integers', async () => {
    await expect(startTestMock({ partnersToken: 'same', restToken: 'same' })).rejects.toThrow(/differ/);
    await expect(startTestMock({ size: { orders: 0 } })).rejects.toThrow(/orders/);
    await expect(startTestMock({ tenant: 'doc', size: { events: 3 } })).rejects.toThrow(/doc tenant/);
  });

  test('host and port: a fixed port is used, and base URLs name both APIs', async () => {
    const probe = await startTestMock();
    const port = probe.port;
    await probe.close();
    const mock = await startTestMock({ port, host: '127.0.0.1' });
    try {
      expect(mock.port).toBe(port);
      expect(mock.restBaseUrl).toBe(`http://127.0.0.1:${port}/api/rest/v1`);
      expect(mock.partnersBaseUrl).toBe(`http://127.0.0.1:${port}/api/partners/v1`);
    } finally {
      await mock.close();
    }
  });
});
