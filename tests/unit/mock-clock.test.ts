import { ConfigError, loadConfig } from '../../support/config/load.ts';
import { MockClock } from '../../support/mock/clock.ts';
import type { MockServer } from '../../support/mock/server.ts';
import { mskIso } from '../../support/core/moscow.ts';
import { DAY, REFERENCE_NOW } from '../../support/mock/time.ts';
import { allPages, partners, rest, startTestMock } from '../helpers/mock-helpers.ts';

/**
 * MOCK_CLOCK: `fixed` keeps the reference calendar (2025-11-26), `now` moves the tenant by whole days so
 * its newest order is from today; every stamp the mock writes comes from that one clock. The real time is
 * injected, so nothing here depends on when the tests run.
 */

const at = (iso: string) => () => Date.parse(iso);
/** A day in 2027, 15:00 Moscow time. */
const LATER = '2027-03-10T15:00:00+03:00';
const STAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00/g;
const mskDate = (iso: string) => iso.slice(0, 10);

describe('MockClock', () => {
  test('fixed: the reference calendar, the clock running on from the reference instant', () => {
    let wall = Date.parse(LATER);
    const clock = new MockClock('fixed', () => wall);
    expect(clock.timeline.asOfMs).toBe(REFERENCE_NOW);
    expect(clock.now()).toBe(REFERENCE_NOW);
    wall += 5_000;
    expect(clock.nowMsk()).toBe('2025-11-26T12:00:05+03:00');
  });

  test('now: real time, the tenant moved by whole days so its last day is today (yesterday before 01:00 Moscow time)', () => {
    const clock = new MockClock('now', at(LATER));
    expect(clock.nowMsk()).toBe(LATER);
    expect(mskIso(clock.timeline.lastDayMs)).toBe('2027-03-10T00:00:00+03:00');
    expect((clock.timeline.asOfMs - REFERENCE_NOW) % DAY).toBe(0);
    expect(mskIso(new MockClock('now', at('2027-03-10T01:00:00+03:00')).timeline.lastDayMs)).toBe('2027-03-10T00:00:00+03:00');
    expect(mskIso(new MockClock('now', at('2027-03-10T00:59:59+03:00')).timeline.lastDayMs)).toBe('2027-03-09T00:00:00+03:00');
  });
});

describe.each([
  ['fixed', '2025-11-26T12:00:00+03:00'],
  ['now', LATER],
] as const)('MOCK_CLOCK=%s: every stamp the mock writes is the clock\'s', (mode, expected) => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startTestMock({ clock: mode, wallClock: at(LATER) });
  });
  afterAll(() => mock.close());

  test('REST: checked_at and updated_at of a barcode check, updated_at of basket, event and promo-code writes', async () => {
    const order = (await rest(mock, 'GET', '/orders')).json.data.find((o: any) => o.payed && o.baskets.some((b: any) => b.checked_at === null));
    const basket = order.baskets.find((b: any) => b.checked_at === null);
    const checked = await rest(mock, 'POST', `/shows/${basket.show_id}/barcode/${basket.barcode}`, { body: {} });
    expect(checked.json.checked_at).toBe(expected);
    const reread = (await rest(mock, 'GET', `/orders/${order.id}`)).json.data.baskets.find((b: any) => b.id === basket.id);
    expect([reread.checked_at, reread.updated_at]).toEqual([expected, expected]);

    const edited = await rest(mock, 'PUT', `/baskets/${basket.id}`, { body: { data: { client_name: 'Часы' } } });
    expect(edited.json.data.updated_at).toBe(expected);
    expect((await rest(mock, 'GET', `/orders/${order.id}`)).json.data.updated_at).toBe(expected);

    const event = (await rest(mock, 'GET', '/events')).json.data[0];
    expect((await rest(mock, 'PUT', `/events/${event.id}`, { body: { data: { name: 'Часы' } } })).json.data.updated_at).toBe(expected);
    const promo = (await rest(mock, 'GET', '/promo-codes')).json.data[0];
    expect((await rest(mock, 'PUT', `/promo-codes/${promo.id}`, { body: { data: { is_active: 1 } } })).json.data.updated_at).toBe(expected);
  });

  test('Partners: a ticket added or updated as paid without paid_at is paid at the clock\'s now', async () => {
    const listed = (await partners(mock, 'GET', '/events/lists')).json.result;
    expect(listed.length).toBeGreaterThan(0);
    for (const item of listed) expect(Date.parse(item.start_date)).toBeGreaterThan(Date.parse(expected));
    const showPath = (method: string) => `/${method}/${listed[0].event_id}/${listed[0].show_id}`;
    const offers = (await partners(mock, 'GET', showPath('events/offers'))).json.offers;
    const [first, second] = Object.entries<any>(offers.full.seats).filter(([, s]) => s.available).map(([id]) => id);
    const paid = await partners(mock, 'POST', showPath('tickets/add'), { body: { seat_id: first, offer_id: 'full', paid: 1 } });
    expect(paid.json.result.paid_at).toBe(expected);
    const reserved = await partners(mock, 'POST', showPath('tickets/add'), { body: { seat_id: second, offer_id: 'full', paid: 0, reserved_to: '2030-01-01T00:00:00+03:00' } });
    expect(reserved.json.result.paid_at).toBeNull();
    const updated = await partners(mock, 'POST', showPath('tickets/update'), { body: { id: reserved.json.result.id, paid: 1 } });
    expect(updated.json.result.paid_at).toBe(expected);
  });
});

describe('MOCK_CLOCK=now: the tenant lives today', () => {
  let fixed: MockServer;
  let now: MockServer;
  beforeAll(async () => {
    [fixed, now] = await Promise.all([startTestMock({ clock: 'fixed' }), startTestMock({ clock: 'now', wallClock: at(LATER) })]);
  });
  afterAll(() => Promise.all([fixed.close(), now.close()]));

  const newest = async (mock: MockServer) => (await rest(mock, 'GET', '/orders', { body: { orderBy: { created_at: 'desc' } } })).json.data[0];

  test('the newest order is from today, and a where for the last 30 days finds orders (it finds none in the fixed tenant)', async () => {
    expect(mskDate((await newest(now)).created_at)).toBe('2027-03-10');
    expect(mskDate((await newest(fixed)).created_at)).toBe('2025-11-26');
    const since = mskIso(Date.parse(LATER) - 30 * DAY);
    const where = { where: [{ column: 'created_at', operator: '>=', value: since }] };
    const recent = await allPages(now, '/orders', where);
    expect(recent.length).toBeGreaterThan(0);
    for (const order of recent) expect(Date.parse(order.created_at)).toBeGreaterThanOrEqual(Date.parse(since));
    expect((await rest(fixed, 'GET', '/orders', { body: where })).json.paging.total).toBe(0);
  });

  test('it is the fixed tenant with every date moved by the same whole number of days (times of day kept)', async () => {
    const shift = Date.parse((await newest(now)).created_at) - Date.parse((await newest(fixed)).created_at);
    expect(shift % DAY).toBe(0);
    expect(shift).toBeGreaterThan(0);
    for (const path of ['/orders', '/events', '/discounts', '/promo-codes']) {
      const moved = (await rest(fixed, 'GET', path, { body: { page: 2 } })).text.replace(STAMP, (stamp) => mskIso(Date.parse(stamp) + shift));
      expect((await rest(now, 'GET', path, { body: { page: 2 } })).text, path).toBe(moved);
    }
  });

  test('nothing the tenant holds as past lies after the clock\'s now', async () => {
    const nowMs = Date.parse(LATER);
    const late: string[] = [];
    const check = (what: string, stamp: string | null) => {
      if (stamp !== null && Date.parse(stamp) > nowMs) late.push(`${what} ${stamp}`);
    };
    for (const order of await allPages(now, '/orders')) {
      for (const key of ['created_at', 'payed_at', 'updated_at', 'deleted_at']) check(`order ${order.id} ${key}`, order[key]);
      for (const b of order.baskets) for (const key of ['checked_at', 'created_at', 'updated_at', 'deleted_at']) check(`basket ${b.id} ${key}`, b[key]);
    }
    for (const path of ['/events', '/discounts', '/promo-codes']) {
      for (const item of await allPages(now, path)) {
        for (const key of ['created_at', 'updated_at', 'deleted_at']) check(`${path} ${item.id} ${key}`, item[key]);
        for (const show of item.shows ?? []) for (const key of ['created_at', 'updated_at', 'deleted_at']) check(`show ${show.id} ${key}`, show[key]);
      }
    }
    expect(late).toEqual([]);
  });
});

describe('MOCK_CLOCK in the run\'s settings', () => {
  const newestDay = async (mock: MockServer) => mskDate((await rest(mock, 'GET', '/orders', { body: { orderBy: { created_at: 'desc' } } })).json.data[0].created_at);

  test('unset, the run\'s mock keeps the reference calendar; now moves it; anything else is a configuration error', async () => {
    const unset = await startTestMock({ ...loadConfig('mock', {}, {}).mock, wallClock: at(LATER) });
    const now = await startTestMock({ ...loadConfig('mock', {}, { MOCK_CLOCK: 'now' }).mock, wallClock: at(LATER) });
    try {
      expect(await newestDay(unset)).toBe('2025-11-26');
      expect(await newestDay(now)).toBe('2027-03-10');
    } finally {
      await Promise.all([unset.close(), now.close()]);
    }
    expect(() => loadConfig('mock', {}, { MOCK_CLOCK: 'tomorrow' })).toThrow(ConfigError);
    expect(() => loadConfig('mock', {}, { MOCK_CLOCK: 'tomorrow' })).toThrow(/MOCK_CLOCK/);
  });
});
