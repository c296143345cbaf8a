import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { checkContract, mergeDrift } from '../../support/contracts/index.ts';
import { analyse } from '../../support/contracts/check.ts';
import { maskValue } from '../../support/masking.ts';
import { fixturesDir } from '../../support/paths.ts';

const liveAnswer = (file: string): any => {
  const { _fixture_note: _note, ...answer } = JSON.parse(readFileSync(join(fixturesDir(), file), 'utf8'));
  return answer;
};

describe('unknown keys are drift, not failures', () => {
  test('counted per normalised path, with a masked example, in nested arrays', () => {
    const body = liveAnswer('orders-page-1.json');
    body.data[0].baskets[0].client_birthday = '1990-01-01';
    body.data[1].baskets[0].client_birthday = '1991-02-02';
    body.data[2].baskets[0].client_birthday = '1992-03-03';
    body.data[4].loyalty = { level: 2 };
    body.data[4].client.details.passport = 4510123456;
    body.paging.lastPage = 2462;
    const result = checkContract('orders.list', body);
    expect(result.ok).toBe(true);
    expect(result.issues).toEqual([]);
    expect(result.drift).toEqual([
      { path: 'data[*].baskets[*].client_birthday', count: 3, example: `string ${maskValue('1990-01-01')}` },
      { path: 'data[*].client.details.passport', count: 1, example: `number ${maskValue('4510123456')}` },
      { path: 'data[*].loyalty', count: 1, example: 'object (1 keys)' },
      { path: 'paging.lastPage', count: 1, example: `number ${maskValue('2462')}` },
    ]);
    expect(JSON.stringify(result.drift)).not.toMatch(/1990|4510123456/);
  });

  test('booleans, null and empty strings are shown as they are', () => {
    const body = liveAnswer('clients-page-1.json');
    body.data[0].is_blocked = false;
    body.data[1].note = null;
    body.data[2].tag = '';
    expect(checkContract('clients.list', body).drift).toEqual([
      { path: 'data[*].is_blocked', count: 1, example: 'false' },
      { path: 'data[*].note', count: 1, example: 'null' },
      { path: 'data[*].tag', count: 1, example: '""' },
    ]);
  });

  test('inside record maps the keys become {key}', () => {
    const body = liveAnswer('events-page-1.json');
    const props = body.data[0].shows[0].scheme_properties;
    for (const zone of Object.values<any>(props.zones)) zone.color = '1';
    const zoneCount = Object.keys(props.zones).length;
    Object.values<any>(body.data[1].shows[0].scheme_properties.seats)[0].vip = '1';
    const adminZone = body.data
      .flatMap((e: any) => e.shows)
      .flatMap((s: any) => Object.values<any>(s.scheme_properties.admin.zones))
      .find((z: any) => z.rows && Object.keys(z.rows).length > 0);
    Object.values<any>(adminZone.rows)[0].locked = '0';
    const result = checkContract('events.list', body);
    expect(result).toMatchObject({ ok: true, issues: [] });
    expect(result.drift).toEqual([
      { path: 'data[*].shows[*].scheme_properties.admin.zones.{key}.rows.{key}.locked', count: 1, example: `string ${maskValue('0')}` },
      { path: 'data[*].shows[*].scheme_properties.zones.{key}.color', count: zoneCount, example: `string ${maskValue('1')}` },
      { path: 'data[*].shows[*].scheme_properties.seats.{key}.vip', count: 1, example: `string ${maskValue('1')}` },
    ]);
  });

  test('inside a union branch: the utm object', () => {
    const orders = liveAnswer('orders-page-1.json');
    const i = orders.data.findIndex((o: any) => !Array.isArray(o.utm));
    orders.data[i].utm.utm_referrer = 'yandex';
    expect(checkContract('orders.list', orders)).toMatchObject({ ok: true, drift: [{ path: 'data[*].utm.utm_referrer', count: 1 }] });
  });

  test('drift and a failure in the same union branch are both reported', () => {
    const body = liveAnswer('orders-page-1.json');
    body.data[0].utm = { utm_source: 5, utm_referrer: 'yandex' };
    expect(checkContract('orders.list', body)).toMatchObject({
      ok: false,
      issues: ['data[0].utm.utm_source: expected string, received number (5)'],
      drift: [{ path: 'data[*].utm.utm_referrer', count: 1 }],
    });
  });

  test('a union whose branches all match except for unknown keys is not an invalid_union failure', () => {
    // Both strict branches accept the value up to unknown keys, so zod answers invalid_union.
    const schema = z.union([z.strictObject({ a: z.string() }), z.strictObject({ b: z.string() })]);
    const body = { a: 'x', b: 'y', c: 1 };
    const parsed = schema.safeParse(body);
    expect(parsed.error?.issues.map((i) => i.code)).toEqual(['invalid_union']);
    const result = analyse(schema, body, parsed.error!.issues);
    expect(result.issues).toEqual([]);
    expect(result.drift.map((d) => d.path)).toEqual(['b', 'c']);
  });

  test('the drift of fixtures is empty (the contracts know every key)', () => {
    for (const [file, name] of [
      ['orders-page-1.json', 'orders.list'],
      ['events-page-1.json', 'events.list'],
    ] as const) {
      expect(checkContract(name, liveAnswer(file)).drift).toEqual([]);
    }
  });
});

describe('PHP quirks of map-typed fields', () => {
  const withOrder = (patch: Record<string, unknown>) => {
    const body = liveAnswer('orders-page-1.json');
    Object.assign(body.data[0], patch);
    return checkContract('orders.list', body);
  };

  test.each([
    ['utm []', { utm: [] }],
    ['utm ""', { utm: '' }],
    ['utm with 3 keys', { utm: { utm_source: 'insta', utm_medium: 'dinamika', utm_campaign: 'mamy' } }],
    ['utm with 5 keys', { utm: { utm_source: 's', utm_medium: 'm', utm_campaign: 'c', utm_content: '1', utm_term: 't' } }],
    ['utm with 1 key', { utm: { utm_term: 't' } }],
    ['custom ""', { custom: '' }],
    ['custom object', { custom: { var1: 'value' } }],
    ['custom []', { custom: [] }],
    ['fields []', { fields: [] }],
    ['fields object', { fields: { organization_name: 'ООО Ромашка' } }],
    ['integrations []', { integrations: [] }],
    ['integrations object', { integrations: { roistat: { roistat_visit: '100018' } } }],
  ])('%s passes', (_label, patch) => {
    expect(withOrder(patch)).toMatchObject({ ok: true, issues: [], drift: [] });
  });

  test('a non-empty list or a number is not an empty map', () => {
    expect(withOrder({ custom: ['a'] }).issues).toEqual(['data[0].custom: expected [] | "" | object, received array (1 items)']);
    expect(withOrder({ fields: 0 }).issues).toEqual(['data[0].fields: expected [] | "" | object, received number (0)']);
  });

  test('scheme_properties: zones rows as a map, a list, null or absent; empty maps as []', () => {
    const body = liveAnswer('events-page-1.json');
    const props = body.data[0].shows[0].scheme_properties;
    props.zones.EXTRA_ROWS_NULL = { disabled: '0', rows: null, spread: null };
    props.zones.EXTRA_ROWS_LIST = { rows: [''] };
    props.zones.EXTRA_NO_ROWS = { disabled: '1', price_id: '#0' };
    body.data[1].shows[0].scheme_properties.seats = [];
    body.data[2].shows[0].scheme_properties.admin = { zones: [] };
    body.data[3].shows[0].scheme_properties = [];
    expect(checkContract('events.list', body)).toMatchObject({ ok: true, issues: [], drift: [] });
  });
});

describe('mergeDrift', () => {
  test('sums counts per path and keeps the first example', () => {
    const a = [{ path: 'data[*].x', count: 2, example: 'string masked:00000001' }];
    const b = [
      { path: 'data[*].y', count: 1, example: 'null' },
      { path: 'data[*].x', count: 3, example: 'string masked:00000002' },
    ];
    expect(mergeDrift(a, b)).toEqual([
      { path: 'data[*].x', count: 5, example: 'string masked:00000001' },
      { path: 'data[*].y', count: 1, example: 'null' },
    ]);
    expect(a[0].count).toBe(2);
    expect(mergeDrift([], [])).toEqual([]);
  });

  test('merges page results of deep mode', () => {
    const pages = [0, 1, 2].map(() => {
      const body = liveAnswer('promo-codes-page-1.json');
      body.data[0].usage = 1;
      body.data[1].usage = 2;
      return checkContract('promoCodes.list', body).drift;
    });
    expect(pages.reduce(mergeDrift, [])).toEqual([{ path: 'data[*].usage', count: 6, example: `number ${maskValue('1')}` }]);
  });
});
