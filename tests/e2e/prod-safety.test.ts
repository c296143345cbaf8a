import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { request } from 'undici';
import { catalogue } from '../../support/catalogue.ts';
import { startMock, type MockServer } from '../../support/mock/server.ts';
import { carriesRealCredential, filesUnder, isWrite, onlyRunFolder, runSuite, standinEnv, STANDIN_TOKENS } from '../helpers/suite-run.ts';

const { restToken: REAL_TOKEN, partnersToken: REAL_PARTNERS_KEY } = STANDIN_TOKENS;

/**
 * Production safety, proven end to end: the whole spec suite runs with --env pointing at a mock that
 * stands in for production (its own token and a separate Partners key), and the mock's request log
 * shows what reached it with the real credentials.
 */

async function firstOrdersPage(mock: MockServer): Promise<any[]> {
  const response = await request(`${mock.restBaseUrl}/orders`, { headers: { authorization: `Bearer ${REAL_TOKEN}` } });
  return ((await response.body.json()) as { data: any[] }).data;
}

async function firstPaidOrder(mock: MockServer): Promise<{ orderId: string; basketId: string }> {
  const order = (await firstOrdersPage(mock)).find((o) => o.payed && !o.deleted_at && o.baskets.length >= 2)!;
  return { orderId: String(order.id), basketId: String(order.baskets[0].id) };
}

// Each test runs the whole spec suite in a child process, next to other self-tests on two cores.
describe('production mode against a stand-in production', { timeout: 300_000 }, () => {
  let mock: MockServer;
  let reportsDir: string;

  beforeEach(async () => {
    mock = await startMock(STANDIN_TOKENS);
    reportsDir = mkdtempSync(join(tmpdir(), 'qta-standin-'));
  });
  afterEach(async () => {
    await mock.close();
    rmSync(reportsDir, { recursive: true, force: true });
  });

  test('without --allow-writes no write carries the real credentials; ids come from discovery; no token in any output file', async () => {
    const run = await runSuite({ envName: 'standin', reportsDir, env: standinEnv(mock) });

    const writes = mock.requests.filter(isWrite);
    expect(writes.length, 'the write specs were sent as denied probes').toBeGreaterThan(0);
    expect(writes.filter(carriesRealCredential).map((r) => `${r.method} ${r.path}`)).toEqual([]);

    // 1.6 asked for the first order of 1.1's answer, not the spec's example 4360 (which this tenant lacks).
    const firstOrderId = String((await firstOrdersPage(mock))[0].id);
    const singleOrderReads = mock.requests.filter((r) => r.method === 'GET' && /\/orders\/\d+$/.test(r.path) && carriesRealCredential(r));
    expect(singleOrderReads.map((r) => r.path.split('/').pop())).toContain(firstOrderId);

    const runDir = onlyRunFolder(reportsDir, `${run.stdout}\n${run.stderr}`);
    // The archive is searched inside: its compressed bytes could not show a token even if one were there.
    const texts = filesUnder(runDir).flatMap((file) =>
      file.endsWith('.zip')
        ? Object.entries(unzipSync(readFileSync(file))).map(([entry, bytes]) => ({ name: `${file}:${entry}`, text: strFromU8(bytes) }))
        : [{ name: file, text: readFileSync(file).toString('latin1') }],
    );
    const archived = texts.filter((t) => t.name.includes('.zip:'));
    expect(archived.map((t) => t.name.split(':').pop())).toEqual(expect.arrayContaining(['audit.md', 'run.jsonl', 'summary.json']));
    expect(texts.filter((t) => t.text.includes(REAL_TOKEN) || t.text.includes(REAL_PARTNERS_KEY)).map((t) => t.name)).toEqual([]);

    // Every write spec, and nothing else, ended as a denied probe.
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    const denied = summary.specs.filter((s: { result: string }) => s.result === 'denied').map((s: { id: string }) => s.id);
    expect(denied).toEqual(catalogue.filter((spec) => spec.writes).map((spec) => spec.id));
  });

  test('with --allow-writes and sandbox ids the writes are sent with the real credentials', async () => {
    const { orderId, basketId } = await firstPaidOrder(mock);
    await runSuite({ envName: 'standin', reportsDir, args: ['--allow-writes'], env: { ...standinEnv(mock), SANDBOX_ORDER_ID: orderId, SANDBOX_BASKET_ID: basketId } });

    const realWrites = mock.requests.filter((r) => isWrite(r) && carriesRealCredential(r)).map((r) => `${r.method} ${r.path}`);
    expect(realWrites).toContain(`DELETE /api/rest/v1/orders/${orderId}/baskets`);
    expect(realWrites).toContain(`PUT /api/rest/v1/baskets/${basketId}`);
    // Writes without their sandbox settings stay denied probes even with --allow-writes.
    expect(realWrites.some((w) => w.startsWith('POST /api/rest/v1/events'))).toBe(false);
  });
});
