import { QTicketsClient } from '../../support/client.ts';
import { catalogue, specById } from '../../support/catalogue/index.ts';
import { loadConfig } from '../../support/config/load.ts';
import { idProblem, placeholderIds, segment } from '../../support/core/id-forms.ts';
import { sandboxGaps, sandboxIds, sandboxValues } from '../../support/harness/sandbox.ts';
import type { ApiRequest } from '../../support/core/types.ts';
import { startMock, type MockServer } from '../../support/mock/server.ts';
import { SANDBOX_SETTINGS } from '../helpers/sandbox-settings.ts';

/**
 * The write gate inside the HTTP client, the id forms every path segment passes, and what the sandbox
 * settings grant. Against a real mock: a refused request must leave no trace in its request log.
 */

const REST = 'gate-rest-token-0123456789';
const PARTNERS = 'gate-partners-key-0123456789';

describe('the client refuses writes with real credentials against a live API', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startMock({ restToken: REST, partnersToken: PARTNERS });
  });
  afterAll(() => mock.close());

  const client = (api: 'rest' | 'partners', guard: { allowWrites: boolean; sandboxValues: string[] }) =>
    new QTicketsClient({
      api,
      baseUrl: api === 'rest' ? mock.restBaseUrl : mock.partnersBaseUrl,
      token: api === 'rest' ? REST : PARTNERS,
      timeoutMs: 5_000,
      maxRetries: 0,
      retryBaseMs: 1,
      maxRetryAfterMs: 1,
      guard: { credentials: [REST, PARTNERS], ...guard },
    });
  const send = async (c: QTicketsClient, request: ApiRequest, token?: string) => {
    const before = mock.requests.length;
    const result = token === undefined ? await c.send(request) : await c.send(request, token);
    return { result, sent: mock.requests.length - before };
  };

  test('a REST write without --allow-writes is a typed refusal, never a send; a read goes', async () => {
    const rest = client('rest', { allowWrites: false, sandboxValues: [] });
    const write = await send(rest, { api: 'rest', method: 'PUT', path: '/baskets/5', body: { data: {} } });
    expect(write.result.kind).toBe('refused');
    expect(write.result.status).toBeNull();
    expect(write.result.error).toContain('PUT /baskets/5 can write');
    expect(write.sent).toBe(0);
    const read = await send(rest, { api: 'rest', method: 'GET', path: '/events', idempotent: true });
    expect([read.result.kind, read.sent]).toEqual(['ok', 1]);
  });

  test('a Partners read path that climbs to tickets/remove is judged on its normalised path and refused', async () => {
    const partners = client('partners', { allowWrites: false, sandboxValues: [] });
    const traversal = await send(partners, { api: 'partners', method: 'POST', path: '/tickets/find/12/../../remove/12/34', body: {} });
    expect(traversal.result.kind).toBe('refused');
    expect(traversal.result.error).toContain('/tickets/remove/12/34');
    expect(traversal.sent).toBe(0);
    // Percent-encoded dots are dot segments to the URL parser too.
    const encoded = await send(partners, { api: 'partners', method: 'POST', path: '/tickets/find/12/%2e%2e/%2E%2E/update/12/34', body: {} });
    expect([encoded.result.kind, encoded.sent]).toEqual(['refused', 0]);
    const unknown = await send(partners, { api: 'partners', method: 'GET', path: '/orders/list' });
    expect([unknown.result.kind, unknown.sent]).toEqual(['refused', 0]);
    const read = await send(partners, { api: 'partners', method: 'POST', path: '/tickets/find', body: { filter: {} }, idempotent: true });
    expect([read.result.kind, read.sent]).toEqual(['ok', 1]);
  });

  test('with --allow-writes only sandbox ids pass; a path that leaves the API base is refused', async () => {
    const rest = client('rest', { allowWrites: true, sandboxValues: ['777'] });
    const foreign = await send(rest, { api: 'rest', method: 'POST', path: '/orders/778/restore', body: {} });
    expect(foreign.result.error).toContain('"778" is not a sandbox id');
    expect(foreign.sent).toBe(0);
    const sandbox = await send(rest, { api: 'rest', method: 'POST', path: '/orders/777/restore', body: {} });
    expect(sandbox.result.kind).not.toBe('refused');
    expect(sandbox.sent).toBe(1);
    const outside = await send(rest, { api: 'rest', method: 'GET', path: '/../../partners/v1/events/lists' });
    expect([outside.result.kind, outside.sent]).toEqual(['refused', 0]);
  });

  test('an invalid credential (a denied probe) passes the gate: the API must refuse it', async () => {
    const rest = client('rest', { allowWrites: false, sandboxValues: [] });
    const probe = await send(rest, { api: 'rest', method: 'PUT', path: '/baskets/0', body: {} }, 'invalid-credential');
    expect([probe.result.status, probe.sent]).toEqual([403, 1]);
  });
});

describe('ids put into paths', () => {
  test('each id is checked against its form and encoded', () => {
    expect(segment('partnerShowId', '4076')).toBe('4076');
    expect(() => segment('partnerShowId', '../../remove/12/4076')).toThrow('partnerShowId "../../remove/12/4076" is not a numeric id');
    expect(() => segment('orderId', undefined)).toThrow('orderId is missing');
    expect(segment('barcode', '123456789012')).toBe('123456789012');
    expect(idProblem('barcode', '1234/../x')).toContain('is not a barcode');
    expect(idProblem('freeSeatIds', 'CENTER_PARTERRE-20;5,FAN_ZONE-1;1')).toBeNull();
    expect(idProblem('freeSeatIds', 'CENTER_PARTERRE-20;5,../x')).toContain('"../x" is not a seat id');
    expect(idProblem('eventShowIds', '1,2,x')).toContain('"x" is not a numeric id');
    expect(idProblem('clientEmail', 'a@b/../c')).toBe('clientEmail (value withheld) is not an email address');
  });

  test('a plan with a hostile id builds no request', () => {
    expect(() => specById('6.11').plan.requests({ partnerEventId: '12', partnerShowId: '../../remove/12/4076' })).toThrow('is not a numeric id');
    expect(specById('6.11').plan.requests({ partnerEventId: '12', partnerShowId: '4076' })[0].path).toBe('/tickets/find/12/4076');
  });

  test('denied-probe placeholders are well-formed, so every write plan builds its probe from them', () => {
    for (const spec of catalogue.filter((s) => s.writes)) {
      const ids = placeholderIds(spec.plan.needs ?? []);
      for (const [key, value] of Object.entries(ids)) expect(idProblem(key as never, value!), `${spec.id} ${key}`).toBeNull();
      expect(() => spec.plan.requests(ids)).not.toThrow();
    }
  });
});

describe('what sandbox settings grant', () => {
  const all = SANDBOX_SETTINGS;

  test('with every setting, every write spec is complete and needs no discovered id', () => {
    const gaps = catalogue.filter((s) => s.writes).flatMap((s) => sandboxGaps(s, all).map((g) => `${s.id}: ${g}`));
    expect(gaps).toEqual([]);
  });

  test('SANDBOX_CREATE=no or false grants nothing (the settings as the configuration hands them on)', () => {
    const sandboxOf = (create: string) => loadConfig('prod', {}, { QTICKETS_TOKEN: 't', ...all, SANDBOX_CREATE: create }).sandbox;
    expect(sandboxGaps(specById('3.4'), sandboxOf('no'))).toEqual(['SANDBOX_CREATE is not true']);
    expect(sandboxGaps(specById('3.4'), sandboxOf('false'))).toEqual(['SANDBOX_CREATE is not true']);
    expect(sandboxGaps(specById('3.4'), sandboxOf('yes'))).toEqual([]);
  });

  test('6.1 takes its offer from SANDBOX_OFFER_ID and 2.3 writes the sandbox email', () => {
    const { SANDBOX_OFFER_ID: _offer, ...noOffer } = all;
    expect(sandboxGaps(specById('6.1'), noOffer)).toEqual(['SANDBOX_OFFER_ID is not set']);
    expect(sandboxIds(specById('6.1'), all)).toMatchObject({ offerId: 'full', partnerEventId: '77', partnerShowId: '88' });
    const [request] = specById('2.3').plan.requests(sandboxIds(specById('2.3'), all));
    expect((request.body as any).data.email).toBe('sandbox@example.org');
  });

  test('the client gate knows every sandbox id, lists split', () => {
    expect(sandboxValues(all)).toEqual(expect.arrayContaining(['11', '22', 'A-1;4', 'full']));
    expect(sandboxValues({ SANDBOX_CREATE: 'yes' })).toEqual([]);
  });
});
