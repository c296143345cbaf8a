import { beforeEach, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { issueText } from '../../support/core/outcome.ts';

/**
 * Contract checking on small schemas of its own: every kind of zod issue becomes a readable line with a
 * concrete path, received values are described by type with a bounded snippet, unions report the branch
 * that came closest, and drift paths are normalised along the schema.
 */

// Imported afresh in each test: the type names and the identifier pattern are built when the module loads,
// and `npm run mutation` can switch a change to them on only for a load inside a test.
let analyse: typeof import('../../support/contracts/check.ts').analyse;
let formatPath: typeof import('../../support/contracts/check.ts').formatPath;
let normalisePath: typeof import('../../support/contracts/check.ts').normalisePath;
let maskValue: typeof import('../../support/masking.ts').maskValue;
beforeEach(async () => {
  vi.resetModules();
  ({ analyse, formatPath, normalisePath } = await import('../../support/contracts/check.ts'));
  ({ maskValue } = await import('../../support/masking.ts'));
});

/** What checkContract does after a failed parse, with each issue as the line reports show. */
function check(schema: z.ZodType, body: unknown) {
  const parsed = schema.safeParse(body);
  expect(parsed.success).toBe(false);
  const result = analyse(schema, body, parsed.error!.issues);
  return { ...result, issues: result.issues.map(issueText) };
}

describe('formatPath', () => {
  test('identifiers dotted, indices in brackets, other keys quoted, the empty path is the root', () => {
    expect(formatPath([])).toBe('(root)');
    expect(formatPath(['data', 3, 'baskets', 1, 'price'])).toBe('data[3].baskets[1].price');
    expect(formatPath([0, 'id'])).toBe('[0].id');
    expect(formatPath(['seats', '1;2', 'x'])).toBe('seats["1;2"].x');
    expect(formatPath(['1;2', 'x'])).toBe('["1;2"].x');
    expect(formatPath(['$ref', '_a1', 'b$'])).toBe('$ref._a1.b$');
    expect(formatPath(['2nd', 'a b', ''])).toBe('["2nd"]["a b"][""]');
  });
});

describe('each kind of issue is one readable line', () => {
  test('a missing field, also at the root', () => {
    expect(check(z.strictObject({ a: z.string() }), {}).issues).toEqual(['a: required field missing']);
    expect(check(z.strictObject({ a: z.string() }), undefined).issues).toEqual(['(root): required field missing']);
  });

  test('wrong types, named as the contract means them', () => {
    const schema = z.strictObject({ n: z.int(), m: z.record(z.string(), z.number()), t: z.tuple([z.number()]), s: z.string() });
    expect(check(schema, { n: 'x', m: 1, t: {}, s: [1, 2] }).issues).toEqual([
      // zod names an integer's type "number" for a non-number (a fractional number gives "integer").
      'n: expected number, received string ("x")',
      'm: expected object, received number (1)',
      't: expected array, received object',
      's: expected string, received array (2 items)',
    ]);
  });

  test('a literal that is not one of the allowed values lists them', () => {
    expect(check(z.strictObject({ k: z.literal(['a', 1]) }), { k: true }).issues).toEqual(['k: expected "a" | 1, received boolean (true)']);
  });

  test('a format other than a datetime gives zod\'s message and the received value', () => {
    const schema = z.strictObject({ link: z.url() });
    const parsed = schema.safeParse({ link: 'nope' });
    expect(check(schema, { link: 'nope' }).issues).toEqual([`link: ${parsed.error!.issues[0].message}, received string ("nope")`]);
  });

  test('a record key that breaks its rule names the rule', () => {
    const schema = z.record(z.string().regex(/^\d+$/, 'an id of digits'), z.number());
    expect(check(schema, { x: 1 }).issues).toEqual(['x: invalid key: an id of digits']);
    const twoRules = z.record(z.string().regex(/^\d+$/, 'an id of digits').min(3, 'at least 3 characters'), z.number());
    expect(check(twoRules, { x: 1 }).issues).toEqual(['x: invalid key: an id of digits; at least 3 characters']);
  });

  test('other rules (lengths, sizes) give zod\'s message and the received value', () => {
    const schema = z.strictObject({ code: z.string().min(3, 'at least 3 characters') });
    expect(check(schema, { code: 'ab' }).issues).toEqual(['code: at least 3 characters, received string ("ab")']);
  });
});

test('issues are listed up to the cap, and only more than that is summed up', async () => {
  const { MAX_ISSUES } = await import('../../support/contracts/check.ts');
  const schema = z.array(z.number());
  const full = check(schema, Array.from({ length: MAX_ISSUES }, () => 'x'));
  expect([full.issues.length, full.omitted]).toEqual([MAX_ISSUES, 0]);
  const over = check(schema, Array.from({ length: MAX_ISSUES + 2 }, () => 'x'));
  expect([over.issues.length, over.omitted]).toEqual([MAX_ISSUES, 2]);
});

describe('the received value', () => {
  const schema = z.strictObject({ n: z.number() });

  test('strings are quoted to 40 characters, longer ones cut with an ellipsis', () => {
    const forty = 'x'.repeat(40);
    expect(check(schema, { n: forty }).issues).toEqual([`n: expected number, received string ("${forty}")`]);
    expect(check(schema, { n: `${forty}yz` }).issues).toEqual([`n: expected number, received string ("${forty}…")`]);
  });

  test('markup (also after whitespace) is named as such, with its length and a snippet', () => {
    const page = `  <html>${'p'.repeat(50)}</html>`;
    expect(check(schema, { n: page }).issues).toEqual([`n: expected number, received markup text, not JSON (${page.length} chars: ${JSON.stringify(page.slice(0, 40))}…)`]);
    expect(check(schema, { n: 'a <b>' }).issues).toEqual(['n: expected number, received string ("a <b>")']);
  });

  test('non-strings are shown unquoted; a personal value masked whatever its type', () => {
    expect(check(schema, { n: false }).issues).toEqual(['n: expected number, received boolean (false)']);
    expect(check(z.strictObject({ email: z.string() }), { email: 123456 }).issues).toEqual([`email: expected string, received number (${maskValue('123456')})`]);
    expect(check(z.strictObject({ phone: z.number() }), { phone: '+79001234567' }).issues).toEqual([`phone: expected number, received string ("${maskValue('+79001234567')}")`]);
  });
});

describe('unions', () => {
  const a = z.strictObject({ kind: z.literal('a'), x: z.string() });
  const b = z.strictObject({ kind: z.literal('b'), y: z.number(), z: z.number() });

  test('the branch with the fewest problems is reported', () => {
    expect(check(z.union([a, b]), { kind: 'b', y: 1, z: 'x' }).issues).toEqual(['z: expected number, received string ("x")']);
    expect(check(z.union([b, a]), { kind: 'b', y: 1, z: 'x' }).issues).toEqual(['z: expected number, received string ("x")']);
    expect(check(z.union([a, b]), { kind: 'a', x: 1 }).issues).toEqual(['x: expected string, received number (1)']);
  });

  test('on a tie the first branch is reported', () => {
    const left = z.strictObject({ x: z.string(), y: z.number() });
    const right = z.strictObject({ x: z.number(), y: z.string() });
    expect(check(z.union([left, right]), { x: 1, y: 2 }).issues).toEqual(['x: expected string, received number (1)']);
    expect(check(z.union([right, left]), { x: 1, y: 2 }).issues).toEqual(['y: expected string, received number (2)']);
  });

  test('a branch that rejects the value by a rule (not by its type) comes closer than branches of other types', () => {
    expect(check(z.union([z.iso.datetime({ offset: true }), z.number()]), '2021-05-18 12:19:49').issues).toEqual([
      '(root): expected an ISO-8601 datetime with offset, received string ("2021-05-18 12:19:49")',
    ]);
    const short = z.array(z.number()).max(2, 'at most 2 items');
    expect(check(z.union([short, z.string()]), [1, 2, 3]).issues).toEqual(['(root): at most 2 items, received array (3 items)']);
    expect(check(z.union([z.string().max(2, 'at most 2 characters'), z.number()]), 'abc').issues).toEqual(['(root): at most 2 characters, received string ("abc")']);
    expect(check(z.union([z.array(z.number()).max(1, 'at most 1 item'), z.string()]), [1, 2]).issues).toEqual(['(root): at most 1 item, received array (2 items)']);
  });

  test('a branch that fits up to unknown keys wins: drift only, from that branch', () => {
    const result = analyse(z.union([a, b]), { kind: 'a', x: 's', extra: 1 }, z.union([a, b]).safeParse({ kind: 'a', x: 's', extra: 1 }).error!.issues);
    expect(result).toEqual({ issues: [], omitted: 0, drift: [{ path: 'extra', count: 1, example: `number ${maskValue('1')}` }] });
  });

  test('the closest branch brings its unknown keys along', () => {
    const result = check(z.union([a, b]), { kind: 'a', x: 1, extra: 'e' });
    expect(result).toEqual({ issues: ['x: expected string, received number (1)'], omitted: 0, drift: [{ path: 'extra', count: 1, example: `string ${maskValue('e')}` }] });
  });

  test('when every branch rejects the value itself, the alternatives are listed once each', () => {
    const schema = z.strictObject({ v: z.union([z.string(), z.int(), z.literal(['x', 'y']), z.tuple([]), z.string()]) });
    expect(check(schema, { v: 1.5 }).issues).toEqual(['v: expected string | integer | "x" | "y" | [], received number (1.5)']);
    expect(check(schema, { v: null }).issues).toEqual(['v: expected string | number | "x" | "y" | [], received null']);
  });
});

describe('drift', () => {
  test('examples: the type with a masked value, sizes of lists and objects, plain null/boolean/empty string', () => {
    const schema = z.strictObject({});
    const result = check(schema, { s: 'Иванов', n: 5, l: [1, 2, 3], o: { a: 1, b: 2 }, z: null, t: true, e: '' });
    expect(result).toEqual({
      issues: [],
      omitted: 0,
      drift: [
        { path: 's', count: 1, example: `string ${maskValue('Иванов')}` },
        { path: 'n', count: 1, example: `number ${maskValue('5')}` },
        { path: 'l', count: 1, example: 'array (3 items)' },
        { path: 'o', count: 1, example: 'object (2 keys)' },
        { path: 'z', count: 1, example: 'null' },
        { path: 't', count: 1, example: 'true' },
        { path: 'e', count: 1, example: '""' },
      ],
    });
  });

  test('normalised along wrappers (optional, nullable, default, readonly, lazy, pipe), tuples and records', () => {
    const map = z.record(z.string(), z.strictObject({ k: z.string() }));
    const schema = z.strictObject({
      o: map.optional(),
      n: map.nullable(),
      d: map.default({}),
      r: map.readonly(),
      l: z.lazy(() => map),
      p: map.pipe(z.any()),
      t: z.tuple([z.number(), map]),
      m: map,
      u: z.union([z.string(), z.array(map)]),
      s: z.strictObject({ k: z.string() }),
    });
    for (const [path, expected] of [
      [['o', 'id1', 'x'], 'o.{key}.x'],
      [['n', 'id1', 'x'], 'n.{key}.x'],
      [['d', 'id1', 'x'], 'd.{key}.x'],
      [['r', 'id1', 'x'], 'r.{key}.x'],
      [['l', 'id1', 'x'], 'l.{key}.x'],
      [['p', 'id1', 'x'], 'p.{key}.x'],
      [['t', 1, 'id1', 'x'], 't[*].{key}.x'],
      [['m', 'id1', 'x'], 'm.{key}.x'],
      [['m', 'k'], 'm.{key}'],
      [['u', 0, 'id1', 'x'], 'u[*].{key}.x'],
      [['s', 'x'], 's.x'],
      [['nope', 'x'], 'nope.x'],
      [[0, 'a'], '[*].a'],
    ] as [PropertyKey[], string][]) {
      expect(normalisePath(schema, path), expected).toBe(expected);
    }
  });

  test('a key the object knows is not a record key, even where a record sits beside the object in a union', () => {
    const schema = z.union([z.strictObject({ rows: z.strictObject({ a: z.string() }) }), z.record(z.string(), z.strictObject({ b: z.string() }))]);
    expect(normalisePath(schema, ['rows', 'x'])).toBe('rows.x');
    expect(normalisePath(schema, ['zone7', 'x'])).toBe('{key}.x');
  });
});
