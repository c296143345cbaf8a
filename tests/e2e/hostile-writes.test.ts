import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogue, idsFromOffers, idsFromPartnerEvents } from '../../support/catalogue/index.ts';
import { startClickHouse } from '../../support/clickhouse/connect.ts';
import { startMock, type FaultRule, type MockServer } from '../../support/mock/server.ts';
import { verifyRunDir } from '../../reporters/audit/verify.ts';
import {
  carriesRealCredential,
  describeRequest,
  filesUnder,
  isWrite,
  normalisedPath,
  onlyRunFolder,
  processesWithEnv,
  readReport,
  runSuite,
  standinEnv,
  standinRead,
  STANDIN_TOKENS,
  type SuiteResult,
} from '../helpers/suite-run.ts';
import { runSpecsInProcess, type InProcessResult } from '../helpers/in-process-run.ts';

const { restToken: REAL_TOKEN, partnersToken: REAL_PARTNERS_KEY } = STANDIN_TOKENS;

/**
 * Production mode against a hostile stand-in: an API that accepts any credential (and then applies the
 * write), one whose Partners answers carry traversal ids, and a sandbox that must confine every write.
 * The stand-in's own data is compared before and after; the suite's account of itself is not trusted.
 */

const WRITE_SPECS = catalogue.filter((s) => s.writes).map((s) => s.id);

describe('production mode against a hostile stand-in', { timeout: 300_000 }, () => {
  let mock: MockServer;
  let reportsDir: string;

  /** Specs with --allow-writes through the runner in this process, with an engine of their own. */
  const inProcess = async (specIds: string[], env: Record<string, string>): Promise<Map<string, InProcessResult>> => {
    const clickhouse = await startClickHouse({ mode: 'embedded', database: 'hostile_writes' });
    try {
      return await runSpecsInProcess({ envName: 'standin', env, cli: { allowWrites: true }, clickhouse, database: 'hostile_writes', specIds });
    } finally {
      await clickhouse.stop();
    }
  };
  const start = async (faults: FaultRule[]) => {
    mock = await startMock({ ...STANDIN_TOKENS, faults });
  };
  beforeEach(() => {
    reportsDir = mkdtempSync(join(tmpdir(), 'qta-hostile-'));
  });
  afterEach(async () => {
    await mock?.close();
    rmSync(reportsDir, { recursive: true, force: true });
  });

  /** The run's process tree has exited; its report was written, verifies on its own, and holds no credential. */
  const expectSoundReport = (run: SuiteResult) => {
    expect(processesWithEnv('AUDIT_REPORTS_DIR', reportsDir), 'processes of the run left behind').toEqual([]);
    const runDir = onlyRunFolder(reportsDir, `${run.stdout}\n${run.stderr}`);
    expect(verifyRunDir(runDir, [REAL_TOKEN, REAL_PARTNERS_KEY]).problems).toEqual([]);
    const leaks = filesUnder(runDir).filter((file) => {
      const text = readFileSync(file).toString('latin1');
      return text.includes(REAL_TOKEN) || text.includes(REAL_PARTNERS_KEY);
    });
    expect(leaks).toEqual([]);
    return readReport(runDir);
  };

  /** An API that does not refuse the probe's credential: only the first probe is sent, and it finds nothing to change. */
  const expectOneHarmlessProbe = (specResult: (id: string) => { result: string; reason?: string }, before: string) => {
    expect(mock.dataDigest(), 'no record of the stand-in changed').toBe(before);
    expect(mock.requests.filter((r) => isWrite(r) && carriesRealCredential(r)).map(describeRequest)).toEqual([]);
    const probes = mock.requests.filter((r) => isWrite(r) && !carriesRealCredential(r));
    expect(probes.map(describeRequest), 'the run stopped sending probes after the first was accepted').toHaveLength(1);
    const [first, ...rest] = WRITE_SPECS;
    expect(specResult(first)).toMatchObject({ result: 'failed', reason: expect.stringContaining('denied probe was not refused — this API accepts invalid credentials') });
    for (const id of rest) expect(specResult(id), id).toMatchObject({ result: 'failed', reason: expect.stringContaining(`the probe of ${first} was not refused`) });
  };

  test('an API that accepts any token, with traversal show ids: nothing real is written or changed, and no id steers a path', async () => {
    await start([{ kind: 'traversal-ids', path: '^/events/lists' }, { kind: 'accept-any-token' }]);
    const before = mock.dataDigest();
    const run = await runSuite({ envName: 'standin', reportsDir, env: standinEnv(mock) });
    expect(run.exitCode, 'failed specs fail the run').toBe(1);

    const report = expectSoundReport(run);
    expectOneHarmlessProbe((id) => report.spec(id), before);
    // The hostile show id never reached a path: no request climbed out of its method, none named "remove".
    const partnersWithKey = mock.requests.filter((r) => r.authorization === `Bearer ${REAL_PARTNERS_KEY}`);
    expect(partnersWithKey.length).toBeGreaterThan(0);
    expect(partnersWithKey.filter((r) => normalisedPath(r).includes('/remove')).map(describeRequest)).toEqual([]);
    for (const id of ['6.11', '6.15']) expect(report.spec(id), id).toMatchObject({ result: 'failed', reason: expect.stringContaining('partnerShowId "../../remove/') });
    expect(report.spec('6.11').reason).toContain('is not a numeric id');
  });

  test('with --allow-writes but no sandbox settings, an API that accepts any token still has no record changed', async () => {
    await start([{ kind: 'accept-any-token' }]);
    const before = mock.dataDigest();
    // The write specs through the runner in this process (the test above has the whole run).
    const run = await inProcess(WRITE_SPECS, { ...standinEnv(mock) });
    expectOneHarmlessProbe((id) => ({ result: run.get(id)!.outcome.result, reason: run.get(id)!.error?.message }), before);
  });

  test('with every sandbox setting, writes use only the sandbox ids and values; SANDBOX_CREATE=no creates nothing', async () => {
    await start([]);
    const sandbox = await sandboxOf(mock);
    // The write specs alone, through the runner in this process: a sandboxed write takes only sandbox ids
    // (nothing from the read specs). prod-safety.test.ts runs the same as a whole `npm test`.
    const run = await inProcess(WRITE_SPECS, { ...standinEnv(mock), ...sandbox.env, SANDBOX_CREATE: 'no' });
    const realWrites = mock.requests.filter((r) => isWrite(r) && carriesRealCredential(r));

    const clientWrites = realWrites.filter((r) => normalisedPath(r) === '/api/rest/v1/clients');
    expect(clientWrites.length, '2.3 and 2.4 were sent').toBe(2);
    expect(clientWrites.map((r) => (r.body as any)?.data?.email)).toEqual([sandbox.env.SANDBOX_CLIENT_EMAIL, sandbox.env.SANDBOX_CLIENT_EMAIL]);

    const bookings = realWrites.filter((r) => normalisedPath(r).includes('/tickets/add/'));
    expect(bookings.length, '6.1–6.3 were sent').toBe(3);
    for (const booking of bookings) {
      expect(normalisedPath(booking)).toBe(`/api/partners/v1/tickets/add/${sandbox.env.SANDBOX_PARTNER_EVENT_ID}/${sandbox.env.SANDBOX_PARTNER_SHOW_ID}`);
      const tickets: any[] = (booking.body as any).batch ?? [booking.body];
      for (const ticket of tickets) {
        expect(ticket.offer_id).toBe(sandbox.env.SANDBOX_OFFER_ID);
        expect(sandbox.seats).toContain(ticket.seat_id);
      }
    }
    // The discovered offer was another one: taking it would have failed the check above.
    expect(sandbox.discoveredOffer).not.toBe(sandbox.env.SANDBOX_OFFER_ID);

    const creates = realWrites.filter((r) => r.method === 'POST' && ['/api/rest/v1/events', '/api/rest/v1/promo-codes'].includes(normalisedPath(r)));
    expect(creates.map(describeRequest)).toEqual([]);
    for (const id of ['3.4', '4.4', '7.4']) expect(run.get(id)?.outcome.result, id).toBe('denied');
  });
});

/** Sandbox settings naming real records of the stand-in, with an event and offer other than discovery would pick. */
async function sandboxOf(mock: MockServer) {
  const orders = (await standinRead(mock, 'rest', '/orders')).data as any[];
  const order = orders.find((o) => o.payed && !o.deleted_at && o.baskets.length >= 2);
  const events = (await standinRead(mock, 'rest', '/events')).data as any[];
  const discounts = (await standinRead(mock, 'rest', '/discounts')).data as any[];
  const promoCodes = (await standinRead(mock, 'rest', '/promo-codes')).data as any[];
  let show: { id: string; barcode: string } | undefined;
  for (const s of events.flatMap((e) => e.shows ?? [])) {
    const barcodes = await standinRead(mock, 'rest', `/shows/${s.id}/barcodes`);
    const first = Array.isArray(barcodes) ? barcodes.find((b) => typeof b.barcode === 'string') : undefined;
    if (first) {
      show = { id: String(s.id), barcode: first.barcode };
      break;
    }
  }
  const lists = await standinRead(mock, 'partners', '/events/lists');
  const discovered = idsFromPartnerEvents(lists);
  const discoveredOffer = idsFromOffers(await standinRead(mock, 'partners', `/events/offers/${discovered.partnerEventId}/${discovered.partnerShowId}`)).offerId;
  let partner: { event: string; show: string; offer: string; seats: string[] } | undefined;
  for (const item of (lists.result as any[]).filter((i) => String(i.event_id) !== discovered.partnerEventId)) {
    const offers = (await standinRead(mock, 'partners', `/events/offers/${item.event_id}/${item.show_id}`)).offers ?? {};
    for (const [offerId, offer] of Object.entries<any>(offers)) {
      const free = Object.entries<any>(offer.seats ?? {}).filter(([, seat]) => seat.available === true).map(([id]) => id);
      if (offerId !== discoveredOffer && free.length >= 4) partner = { event: String(item.event_id), show: String(item.show_id), offer: offerId, seats: free.slice(0, 4) };
      if (partner) break;
    }
    if (partner) break;
  }
  expect(order && show && partner && discounts[0] && promoCodes[0], 'the stand-in has records to use as a sandbox').toBeTruthy();
  return {
    discoveredOffer,
    seats: partner!.seats,
    env: {
      SANDBOX_ORDER_ID: String(order.id),
      SANDBOX_BASKET_ID: String(order.baskets[0].id),
      SANDBOX_CLIENT_EMAIL: 'sandbox.client@example.org',
      SANDBOX_EVENT_ID: String(events[0].id),
      SANDBOX_DISCOUNT_ID: String(discounts[0].id),
      SANDBOX_PROMO_CODE_ID: String(promoCodes[0].id),
      SANDBOX_SHOW_ID: show!.id,
      SANDBOX_BARCODE: show!.barcode,
      SANDBOX_PARTNER_EVENT_ID: partner!.event,
      SANDBOX_PARTNER_SHOW_ID: partner!.show,
      SANDBOX_SEAT_ID: partner!.seats.join(','),
      SANDBOX_OFFER_ID: partner!.offer,
    },
  };
}
