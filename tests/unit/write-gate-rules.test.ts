import { gateRefusal, type GateInput, type WriteGuard } from '../../support/write-gate.ts';

/**
 * The write gate's rule on its own, request by request: which requests count as writes, which path
 * segments are ids, and the exact refusal each gives. (write-gate.test.ts shows the client applying it.)
 */

const REAL = 'real-token-0123456789';
const REST_BASE = 'https://tenant.example/api/rest/v1';
const PARTNERS_BASE = 'https://tenant.example/api/partners/v1/';

const guard = (over: Partial<WriteGuard> = {}): WriteGuard => ({ credentials: [REAL], allowWrites: false, sandboxValues: [], ...over });

function input(api: 'rest' | 'partners', method: string, path: string, token: string | null = REAL): GateInput {
  const baseUrl = api === 'rest' ? REST_BASE : PARTNERS_BASE;
  return { api, method, url: new URL(`${baseUrl.replace(/\/$/, '')}${path}`), baseUrl, token };
}

describe('when the gate applies', () => {
  test('without a guard, without a token or with a token that is not a real credential, anything goes', () => {
    expect(gateRefusal(input('rest', 'DELETE', '/orders/1'), undefined)).toBeNull();
    expect(gateRefusal(input('rest', 'DELETE', '/orders/1', null), guard())).toBeNull();
    expect(gateRefusal(input('rest', 'DELETE', '/orders/1', 'invalid-probe-token'), guard())).toBeNull();
  });

  test('with the real credential a write is refused, and says why', () => {
    expect(gateRefusal(input('rest', 'DELETE', '/orders/1'), guard())).toBe('DELETE /orders/1 can write, and writes are not allowed (--allow-writes)');
    expect(gateRefusal(input('rest', 'delete', '/orders/1'), guard())).toBe('DELETE /orders/1 can write, and writes are not allowed (--allow-writes)');
  });
});

describe('what writes', () => {
  test('on REST every method but GET, in any case', () => {
    for (const method of ['GET', 'get']) expect(gateRefusal(input('rest', method, '/orders/1'), guard())).toBeNull();
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']) expect(gateRefusal(input('rest', method, '/orders'), guard()), method).not.toBeNull();
  });

  test('on Partners only the listed read methods read, whatever the HTTP method', () => {
    const reads = ['/events/lists', '/events/offers/12', '/events/seats/12', '/events/seatmap/12/3', '/tickets/find', '/tickets/check/5'];
    for (const path of reads) expect(gateRefusal(input('partners', 'POST', path), guard()), path).toBeNull();
    const writes = ['/tickets/add/12/3', '/tickets/update/12/3', '/tickets/remove/12/3', '/events/listsX', '/tickets/findall', '/x/events/lists', '/events', '/'];
    for (const path of writes) expect(gateRefusal(input('partners', 'GET', path), guard()), path).not.toBeNull();
  });

  test('a path outside the API base is refused even for a read', () => {
    expect(gateRefusal({ ...input('rest', 'GET', '/orders'), url: new URL('https://tenant.example/api/rest/v2/orders') }, guard())).toBe(
      '/api/rest/v2/orders lies outside the API base /api/rest/v1/ once normalised',
    );
    // The base itself, without a method under it, is outside too; trailing slashes of the base do not count.
    expect(gateRefusal({ ...input('partners', 'POST', ''), url: new URL('https://tenant.example/api/partners/v1') }, guard())).toBe(
      '/api/partners/v1 lies outside the API base /api/partners/v1/ once normalised',
    );
    expect(gateRefusal({ ...input('partners', 'POST', ''), baseUrl: 'https://tenant.example/api/partners/v1///', url: new URL('https://tenant.example/api/partners/v1/tickets/find') }, guard())).toBeNull();
  });
});

describe('with --allow-writes, sandbox ids only', () => {
  const allowed = (...sandboxValues: string[]) => guard({ allowWrites: true, sandboxValues });

  test('a write whose every id is a sandbox id goes; the API words are not ids', () => {
    expect(gateRefusal(input('rest', 'POST', '/orders/77/restore'), allowed('77'))).toBeNull();
    expect(gateRefusal(input('partners', 'POST', '/tickets/remove/12/34'), allowed('12', '34'))).toBeNull();
    const words = ['orders', 'baskets', 'restore', 'clients', 'events', 'shows', 'seats', 'barcode', 'barcodes', 'discounts', 'promo-codes', 'color-themes', 'tickets', 'add', 'update', 'remove', 'find', 'check', 'lists', 'offers', 'seatmap'];
    for (const word of words) expect(gateRefusal(input('rest', 'PUT', `/${word}/5//`), allowed('5')), word).toBeNull();
  });

  test('one foreign id, or several, named in the refusal', () => {
    expect(gateRefusal(input('rest', 'PUT', '/baskets/8'), allowed('7'))).toBe('PUT /baskets/8 can write, and "8" is not a sandbox id');
    expect(gateRefusal(input('partners', 'POST', '/tickets/add/12/34'), allowed('99'))).toBe('POST /tickets/add/12/34 can write, and "12", "34" are not sandbox ids');
    expect(gateRefusal(input('rest', 'PUT', '/baskets/8'), allowed())).toBe('PUT /baskets/8 can write, and "8" is not a sandbox id');
  });

  test('ids are compared decoded, and a segment that does not decode is compared as it stands', () => {
    expect(gateRefusal(input('rest', 'PUT', '/clients/a%40b.example'), allowed('a@b.example'))).toBeNull();
    expect(gateRefusal(input('rest', 'PUT', '/clients/a%40b.example'), allowed('a%40b.example'))).toBe('PUT /clients/a%40b.example can write, and "a@b.example" is not a sandbox id');
    expect(gateRefusal(input('rest', 'PUT', '/clients/%E0%A4%A'), allowed('%E0%A4%A'))).toBeNull();
  });
});
