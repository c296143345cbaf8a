import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkContract, contractNames, type ContractName } from '../../support/contracts/index.ts';
import { fixturesDir } from '../../support/paths.ts';

/** A live fixture as the API sent it: the fixture's own `_fixture_note` annotation is not part of the answer. */
function liveAnswer(file: string): any {
  const { _fixture_note: _note, ...answer } = JSON.parse(readFileSync(join(fixturesDir(), file), 'utf8'));
  return answer;
}

const PAGES: [string, ContractName][] = [
  ['orders-page-1.json', 'orders.list'],
  ['clients-page-1.json', 'clients.list'],
  ['events-page-1.json', 'events.list'],
  ['discounts-page-1.json', 'discounts.list'],
  ['promo-codes-page-1.json', 'promoCodes.list'],
];

describe('live-shapes fixtures pass their contracts', () => {
  test.each(PAGES)('%s passes %s with no issues and no drift', (file, name) => {
    const result = checkContract(name, liveAnswer(file));
    expect(result).toEqual({ name, ok: true, issues: [], drift: [] });
  });

  test('each item of a page passes the single-item contract', () => {
    const singles: [string, ContractName][] = [
      ['orders-page-1.json', 'orders.one'],
      ['clients-page-1.json', 'clients.one'],
      ['events-page-1.json', 'events.one'],
      ['promo-codes-page-1.json', 'promoCodes.one'],
    ];
    for (const [file, name] of singles) {
      for (const item of liveAnswer(file).data) expect(checkContract(name, { data: item }).issues).toEqual([]);
    }
    for (const order of liveAnswer('orders-page-1.json').data) {
      for (const basket of order.baskets) expect(checkContract('baskets.one', { data: basket }).issues).toEqual([]);
    }
  });

  test('every observed error answer passes rest.error or partners.error', () => {
    const answers = Object.entries<{ status: number; body: any }>(liveAnswer('errors-observed.json').answers);
    expect(answers.length).toBeGreaterThan(0);
    for (const [request, answer] of answers) {
      const name: ContractName = request.includes('partners/') ? 'partners.error' : 'rest.error';
      expect(checkContract(name, answer.body), request).toEqual({ name, ok: true, issues: [], drift: [] });
    }
  });

  test('the 503 answers of §8 pass rest.error (info as [] and absent)', () => {
    expect(checkContract('rest.error', { error: 'Unknown error', status: 503, code: 'UNKNOWN_ERROR', info: [] }).ok).toBe(true);
    expect(checkContract('rest.error', { error: 'unknown error', status: 503, code: 'UNKNOWN_ERROR' }).ok).toBe(true);
    expect(checkContract('rest.error', { error: 'Some error', status: 403 }).ok).toBe(true);
  });

  test('the live answers fail every unrelated contract', () => {
    const orders = liveAnswer('orders-page-1.json');
    for (const name of contractNames.filter((n) => n !== 'orders.list')) {
      expect(checkContract(name, orders).ok, name).toBe(false);
    }
  });
});
