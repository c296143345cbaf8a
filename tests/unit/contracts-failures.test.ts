import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkContract } from '../../support/contracts/index.ts';
import { MAX_ISSUES } from '../../support/contracts/check.ts';
import { fixturesDir } from '../../support/paths.ts';

const liveAnswer = (file: string): any => {
  const { _fixture_note: _note, ...answer } = JSON.parse(readFileSync(join(fixturesDir(), file), 'utf8'));
  return answer;
};
const orders = () => liveAnswer('orders-page-1.json');

describe('broken answers fail with readable path-level issues', () => {
  test('a required field removed', () => {
    const body = orders();
    const i = body.data.findIndex((order: any) => order.baskets.length >= 2);
    delete body.data[i].baskets[1].price;
    expect(checkContract('orders.list', body)).toMatchObject({ ok: false, issues: [`data[${i}].baskets[1].price: required field missing`] });
  });

  test('payed "1" instead of a boolean', () => {
    const body = orders();
    body.data[3].payed = '1';
    expect(checkContract('orders.list', body).issues).toEqual(['data[3].payed: expected boolean, received string ("1")']);
  });

  test('an id as a string', () => {
    const body = orders();
    body.data[1].id = '1614203';
    expect(checkContract('orders.list', body).issues).toEqual(['data[1].id: expected number, received string ("1614203")']);
  });

  test('a fractional id', () => {
    const body = orders();
    body.data[1].id = 1.5;
    expect(checkContract('orders.list', body).issues).toEqual(['data[1].id: expected integer, received number (1.5)']);
  });

  test('paging.total missing', () => {
    const body = orders();
    delete body.paging.total;
    expect(checkContract('orders.list', body).issues).toEqual(['paging.total: required field missing']);
  });

  test('null where the contract is not nullable', () => {
    const body = orders();
    body.data[2].client.email = null;
    body.data[2].reserved_to = null;
    expect(checkContract('orders.list', body).issues).toEqual(['data[2].client.email: expected string, received null', 'data[2].reserved_to: expected string, received null']);
  });

  test('a timestamp without an offset', () => {
    const body = orders();
    body.data[0].created_at = '2021-05-18 12:19:49';
    expect(checkContract('orders.list', body).issues).toEqual(['data[0].created_at: expected an ISO-8601 datetime with offset, received string ("2021-05-18 12:19:49")']);
  });

  test('a wrong envelope ({results:[…]})', () => {
    const result = checkContract('orders.list', { results: orders().data });
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual(['data: required field missing', 'paging: required field missing']);
    expect(result.drift).toEqual([{ path: 'results', count: 1, example: 'array (50 items)' }]);
  });

  test('a list where a single item is expected, and the reverse', () => {
    expect(checkContract('orders.one', orders())).toMatchObject({ ok: false, issues: ['data: expected object, received array (50 items)'], drift: [{ path: 'paging', count: 1 }] });
    expect(checkContract('barcodes.list', { data: [] }).issues).toEqual(['(root): expected array, received object']);
  });

  test('an HTML page instead of JSON', () => {
    const html = '<!DOCTYPE html><html><head><title>Страница не найдена 404 – Qtickets</title></head></html>';
    const [issue] = checkContract('events.list', html).issues;
    expect(issue).toMatch(/^\(root\): expected object, received markup text, not JSON \(\d+ chars: "<!DOCTYPE html>/);
    expect(checkContract('events.list', null).issues).toEqual(['(root): expected object, received null']);
  });

  test('a Partners error passed to a success contract', () => {
    const error = { status: 'error', code: 'WRONG_AUTHORIZATION', message: 'Wrong authorization' };
    for (const name of ['partners.find', 'partners.tickets', 'partners.check', 'partners.remove', 'partners.eventsList'] as const) {
      expect(checkContract(name, error)).toEqual({
        name,
        ok: false,
        issues: [`(root): a Partners error answer (code WRONG_AUTHORIZATION) where the ${name} answer was expected`],
        drift: [],
      });
    }
  });

  test('a REST error passed to a success contract', () => {
    const error = { error: 'Resource "Order" not found', status: 404, code: 'RESOURCE_NOT_FOUND', info: { id: 4360, resource: 'Order' } };
    expect(checkContract('orders.one', error).issues).toEqual(['(root): a REST error answer (status 404, code RESOURCE_NOT_FOUND) where the orders.one answer was expected']);
  });

  test('a union where no branch fits lists what it accepts', () => {
    const body = orders();
    body.data[0].utm = 'insta';
    body.data[1].utm = [1];
    body.data[2].utm = { utm_source: 5 };
    expect(checkContract('orders.list', body).issues).toEqual([
      'data[0].utm: expected [] | "" | object, received string ("insta")',
      'data[1].utm: expected [] | "" | object, received array (1 items)',
      'data[2].utm.utm_source: expected string, received number (5)',
    ]);
  });

  test('a nested union lists the alternatives of every level', () => {
    const body = liveAnswer('events-page-1.json');
    body.data[0].shows[0].scheme_properties.zones['vzroslyj-bilet-v-budni'].rows = 5;
    expect(checkContract('events.list', body).issues).toEqual([
      'data[0].shows[0].scheme_properties.zones["vzroslyj-bilet-v-budni"].rows: expected [] | "" | object | array, received number (5)',
    ]);
  });

  test('received values of personal fields are quoted masked', () => {
    const body = orders();
    const email = body.data[0].baskets[0].client_email;
    body.data[0].baskets[0].client_email = 42;
    body.data[0].client.details.phone = { number: body.data[0].client.details.phone };
    body.data[0].payed_at = email;
    const issues = checkContract('orders.list', body).issues;
    expect(issues).toEqual([
      // payed_at is not a personal field: its value is quoted as it is.
      `data[0].payed_at: expected an ISO-8601 datetime with offset, received string (${JSON.stringify(email)})`,
      'data[0].client.details.phone: expected string, received object',
      expect.stringMatching(/^data\[0\]\.baskets\[0\]\.client_email: expected string, received number \(masked:[0-9a-f]{8}\)$/),
    ]);
    expect(issues[2]).not.toContain('42');
  });

  test('the list of issues is capped', () => {
    const body = orders();
    for (const order of body.data) order.payed = 'yes';
    const { issues } = checkContract('orders.list', body);
    expect(issues).toHaveLength(MAX_ISSUES + 1);
    expect(issues[MAX_ISSUES]).toBe(`… and ${body.data.length - MAX_ISSUES} more`);
  });

  test('events: scheme_properties leaves must be strings, prices color_theme a string', () => {
    const body = liveAnswer('events-page-1.json');
    const show = body.data[0].shows[0];
    const zoneId = 'vzroslyj-bilet-v-budni';
    show.scheme_properties.zones[zoneId].disabled = 0;
    show.prices[0].color_theme = 1;
    body.data[1].is_active = true;
    expect(checkContract('events.list', body).issues).toEqual([
      // A key that is not an identifier is quoted.
      'data[0].shows[0].scheme_properties.zones["vzroslyj-bilet-v-budni"].disabled: expected string, received number (0)',
      'data[0].shows[0].prices[0].color_theme: expected string, received number (1)',
      'data[1].is_active: expected 0 | 1, received boolean (true)',
    ]);
  });
});
