import type { MockServer } from '../../support/mock/server.ts';
import { fixture, PARTNERS_KEY, partners, rest, specRequests, startTestMock } from '../helpers/mock-helpers.ts';

/** Errors (§8, §3): 403, JSON 404 with info, the HTML 404 page for every non-route, POST /orders 503. */

/** A spec path with its placeholders filled: the spec's first example when it has one. */
function literalPath(spec: any): string {
  return spec.examples[0] ?? spec.path.replace(/\{[A-Z_]+\}/g, '1');
}

/** REST specs whose literal method or path is not the documented one: live answers the HTML 404 page for those. */
const wrongRoutes = specRequests().filter(
  (s) => s.api === 'rest' && s.documented_request && (s.documented_request.method !== s.method || s.documented_request.path !== s.path),
);

describe('mock errors', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startTestMock();
  });
  afterAll(() => mock.close());

  test('a wrong, missing or Partners credential on REST gets 403 with the documented body (not 401, not WRONG_AUTHORIZATION)', async () => {
    for (const token of ['INVALID_TOKEN_12345', null, PARTNERS_KEY]) {
      const answer = await rest(mock, 'GET', '/events', { token });
      expect(answer.status, String(token)).toBe(403);
      expect(answer.headers['content-type']).toBe('application/json');
      expect(answer.json).toEqual({ error: 'Forbidden', status: 403 });
    }
    expect((await rest(mock, 'POST', '/clients', { token: 'nope', body: { data: { email: 'x@example.com' } } })).status).toBe(403);
  });

  test('the observed error answers are reproduced exactly (errors-observed.json)', async () => {
    const observed = fixture('errors-observed.json').answers as Record<string, { status: number; body: unknown }>;
    for (const [request, expected] of Object.entries(observed)) {
      const [method, path] = request.split(' ');
      const [api, ...rest_] = path.split('/');
      const route = `/${rest_.slice(1).join('/')}`;
      // The Partners answers were captured with a wrong key.
      const answer = api === 'rest' ? await rest(mock, method, route) : await partners(mock, method, route, { token: 'wrong-key' });
      expect({ status: answer.status, body: answer.json }, request).toEqual(expected);
    }
  });

  test('JSON 404 RESOURCE_NOT_FOUND with info for every single-item route; a non-numeric id is looked up as 0', async () => {
    for (const [path, resource] of [['/clients', 'Client'], ['/discounts', 'Discount'], ['/promo-codes', 'PromoCode'], ['/events', 'Event'], ['/orders', 'Order']]) {
      const missing = await rest(mock, 'GET', `${path}/999999999`);
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual({ error: `Resource "${resource}" not found`, status: 404, code: 'RESOURCE_NOT_FOUND', info: { id: 999999999, resource } });
      expect((await rest(mock, 'GET', `${path}/colors`)).json.info).toEqual({ id: 0, resource });
      expect((await rest(mock, 'GET', `${path}/12abc`)).json.info).toEqual({ id: 12, resource });
    }
    const show = await rest(mock, 'GET', '/shows/abc/seats');
    expect(show.json).toMatchObject({ code: 'RESOURCE_NOT_FOUND', info: { id: 0, resource: 'Show' } });
  });

  test.each(wrongRoutes.map((s) => [s.id, s.method, literalPath(s)]))('spec %s literal %s %s answers the HTML 404 page', async (_id, method, path) => {
    const answer = await rest(mock, method, path, { body: method === 'GET' ? undefined : {} });
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toBe('text/html; charset=UTF-8');
    expect(answer.text).toContain('<title>Страница не найдена 404 – Qtickets</title>');
  });

  test('the spec list covers the wrong paths named in the reference', () => {
    const paths = wrongRoutes.map((s) => `${s.method} ${s.path}`);
    for (const expected of ['GET /events/{EVENT_ID}/seats', 'GET /events/{EVENT_ID}/seats/{SHOW_ID}', 'GET /barcodes', 'GET /scanning/info', 'GET /price-shades', 'DELETE /orders/{ORDER_ID}/baskets/{BASKET_ID}', 'PATCH /orders/{ORDER_ID}/baskets/{BASKET_ID}']) {
      expect(paths).toContain(expected);
    }
  });

  test('other non-routes answer the HTML 404 page too: PATCH anywhere, /price_shades, /barcodes/scan, POST /orders/filter, trailing slash', async () => {
    const cases: [string, string][] = [
      ['PATCH', '/orders'], ['PATCH', '/events/1'], ['GET', '/price_shades'], ['GET', '/barcodes/scan/877076325904'], ['POST', '/orders/filter'],
      ['GET', '/promo_codes'], ['GET', '/orders/'], ['DELETE', '/orders/1'], ['GET', '/shows/1'], ['GET', '/nothing/here'],
    ];
    for (const [method, path] of cases) {
      const answer = await rest(mock, method, path, { token: null });
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.headers['content-type'], `${method} ${path}`).toBe('text/html; charset=UTF-8');
    }
  });

  test('the HTML 404 page: title, about 12.7k characters, no X-Cache-Status', async () => {
    const answer = await rest(mock, 'GET', '/events/33/seats');
    expect(answer.text.length).toBeGreaterThan(12_000);
    expect(answer.text.length).toBeLessThan(13_500);
    expect(answer.text).toMatch(/^<!DOCTYPE html>/);
    expect(answer.headers['x-cache-status']).toBeUndefined();
    expect(answer.headers.server).toBe('nginx/1.14.1');
  });

  test('paths outside both APIs answer the HTML 404 page', async () => {
    const answer = await rest(mock, 'GET', '/../../robots.txt');
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toBe('text/html; charset=UTF-8');
  });

  test('POST /orders always answers the observed 503 (no X-Cache-Status, no Vary)', async () => {
    for (const body of [{}, { data: { event_id: 1 } }, undefined]) {
      const answer = await rest(mock, 'POST', '/orders', { body });
      expect(answer.status).toBe(503);
      expect(answer.json).toEqual({ error: 'Unknown error', status: 503, code: 'UNKNOWN_ERROR', info: [] });
      expect(answer.headers.vary).toBeUndefined();
      expect(answer.headers['x-cache-status']).toBeUndefined();
    }
  });

  test('the spec literal write bodies without the {data} wrapper are refused with 400 VALIDATION_ERROR and create nothing', async () => {
    const before = await Promise.all(['/clients', '/events', '/promo-codes'].map((p) => rest(mock, 'GET', p)));
    for (const id of ['2.3', '3.4', '4.4', '7.4']) {
      const spec = specRequests().find((s) => s.id === id);
      const answer = await rest(mock, spec.method, spec.path, { body: spec.body });
      expect(answer.status, id).toBe(400);
      expect(answer.json).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
      expect(Object.keys(answer.json)).toEqual(['error', 'status', 'code', 'info']);
    }
    const after = await Promise.all(['/clients', '/events', '/promo-codes'].map((p) => rest(mock, 'GET', p)));
    expect(after.map((a) => a.json.paging.total)).toEqual(before.map((b) => b.json.paging.total));
  });
});
