import type { ExchangeRecord, RetryRecord } from '../../support/core/outcome.ts';
import { documentedPath } from '../../support/openapi/operations.ts';
import { latencyByEndpoint, nearestRank } from '../../support/latency.ts';

/** The latency figures on hand-worked values: the percentile rule, the grouping by documented path, the counts. */

describe('nearestRank', () => {
  test('the value at rank ⌈p·n/100⌉ of the sorted values', () => {
    // n = 5: p30 → rank 2, p40 → rank 2, p50 → rank 3, p95 → rank 5, p100 → rank 5.
    const values = [35, 20, 50, 15, 40];
    expect([30, 40, 50, 95, 100].map((p) => nearestRank(values, p))).toEqual([20, 20, 35, 50, 50]);
  });

  test('ranks that land exactly on a value: 1…20 has p50 = 10 and p95 = 19', () => {
    const values = Array.from({ length: 20 }, (_, i) => 20 - i);
    expect([nearestRank(values, 50), nearestRank(values, 95)]).toEqual([10, 19]);
  });

  test('one value is every percentile; equal values stay equal', () => {
    expect([nearestRank([7], 50), nearestRank([7], 95), nearestRank([7], 100)]).toEqual([7, 7, 7]);
    expect([nearestRank([4, 4, 9], 50), nearestRank([4, 4, 9], 95)]).toEqual([4, 9]);
  });

  test('no values, or a percentile outside (0, 100], is an error rather than a figure', () => {
    expect(() => nearestRank([], 50)).toThrow(RangeError);
    expect(() => nearestRank([1], 0)).toThrow(RangeError);
    expect(() => nearestRank([1], 101)).toThrow(RangeError);
  });

  test('the input is not reordered', () => {
    const values = [3, 1, 2];
    nearestRank(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('documentedPath', () => {
  test('literal ids become the documented path parameters; exact paths stay as they are', () => {
    expect(documentedPath('rest', 'GET', '/orders')).toBe('/orders');
    expect(documentedPath('rest', 'GET', '/orders/1614202')).toBe('/orders/{order_id}');
    expect(documentedPath('rest', 'GET', '/orders/999999999')).toBe('/orders/{order_id}');
    expect(documentedPath('rest', 'GET', '/shows/41/seats')).toBe('/shows/{show_id}/seats');
    expect(documentedPath('partners', 'GET', '/events/lists')).toBe('/events/lists');
    expect(documentedPath('partners', 'GET', '/events/offers/12/4076')).toBe('/events/offers/{event_id}/{show_id}');
    expect(documentedPath('partners', 'POST', '/tickets/find/12')).toBe('/tickets/find/{event_id}');
  });

  test("the spec's literal GETs that are no route keep their own path form", () => {
    expect(documentedPath('rest', 'GET', '/events/33/seats')).toBe('/events/{event_id}/seats');
  });

  test('the method and the API are part of the endpoint; an unknown path is its own endpoint', () => {
    expect(documentedPath('rest', 'DELETE', '/orders/77/baskets')).toBe('/orders/{order_id}/baskets');
    expect(documentedPath('rest', 'POST', '/orders/77')).toBe('/orders/77');
    expect(documentedPath('partners', 'GET', '/orders/77')).toBe('/orders/77');
    expect(documentedPath('rest', 'GET', '/nowhere/5')).toBe('/nowhere/5');
  });
});

const retry = (attempt: number, status: number | null): RetryRecord => ({ attempt, waitMs: 1000 * attempt, status, cause: status === null ? 'network: ECONNRESET' : `HTTP ${status}` });

function exchange(x: Pick<ExchangeRecord, 'api' | 'method' | 'path' | 'latencyMs'> & Partial<ExchangeRecord>): ExchangeRecord {
  return { role: 'spec', ts: '2025-11-26T09:00:00.000Z', requestBodyHash: '', status: 200, contentType: 'application/json', kind: 'ok', bytes: 10, retries: [], ...x };
}

describe('latencyByEndpoint', () => {
  const rows = [
    {
      exchanges: [
        exchange({ role: 'discovery', api: 'partners', method: 'GET', path: '/events/offers/12/4076', latencyMs: 50 }),
        exchange({ api: 'rest', method: 'GET', path: '/orders', latencyMs: 100 }),
        exchange({ role: 'discovery', api: 'rest', method: 'GET', path: '/orders/1614202', latencyMs: 30, retries: [retry(1, 429), retry(2, 503)] }),
      ],
    },
    { exchanges: [] },
    {
      exchanges: [
        exchange({ api: 'rest', method: 'GET', path: '/orders', latencyMs: 300, status: 429, kind: 'rest-error', retries: [retry(1, 429), retry(2, 429)] }),
        exchange({ api: 'rest', method: 'GET', path: '/orders/999999999', latencyMs: 20, status: 404, kind: 'rest-error' }),
        exchange({ role: 'deviation', api: 'rest', method: 'GET', path: '/events/33/seats', latencyMs: 12, status: 404, contentType: 'text/html', kind: 'html' }),
        exchange({ api: 'rest', method: 'GET', path: '/orders', latencyMs: 200, status: null, kind: 'network', retries: [retry(1, null)] }),
        exchange({ role: 'denied-probe', api: 'rest', method: 'POST', path: '/orders', latencyMs: 0, status: null, kind: 'refused', error: 'the write gate refused it' }),
      ],
    },
  ];

  test('one figure per documented endpoint, REST first, each API in order of first appearance', () => {
    expect(latencyByEndpoint(rows)).toEqual([
      // [100, 300, 200] sorted [100, 200, 300]: p50 rank 2, p95 rank 3. Retries 2 + 1; 429s: two retried, one kept.
      { api: 'rest', method: 'GET', path: '/orders', requests: 3, p50Ms: 200, p95Ms: 300, maxMs: 300, retries: 3, status429: 3 },
      // [30, 20]: p50 rank 1, p95 rank 2.
      { api: 'rest', method: 'GET', path: '/orders/{order_id}', requests: 2, p50Ms: 20, p95Ms: 30, maxMs: 30, retries: 2, status429: 1 },
      { api: 'rest', method: 'GET', path: '/events/{event_id}/seats', requests: 1, p50Ms: 12, p95Ms: 12, maxMs: 12, retries: 0, status429: 0 },
      { api: 'partners', method: 'GET', path: '/events/offers/{event_id}/{show_id}', requests: 1, p50Ms: 50, p95Ms: 50, maxMs: 50, retries: 0, status429: 0 },
    ]);
  });

  test('a request the client refused to send is no request; a run without requests has no figures', () => {
    expect(latencyByEndpoint(rows).some((e) => e.method === 'POST')).toBe(false);
    expect(latencyByEndpoint([{ exchanges: [] }])).toEqual([]);
  });
});
