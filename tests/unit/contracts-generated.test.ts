import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkContract, type ContractName } from '../../support/contracts/index.ts';
import { fixturesDir } from '../../support/paths.ts';

/**
 * Contracts against every key of every live fixture record, generated: each required key deleted and each
 * changed to another JSON type must fail naming exactly that path; each optional key deleted must pass.
 * Which keys are optional is written down here, from the contracts' rule (live keys are required,
 * doc-only keys optional) and qtickets-api.md, not read from the contracts under test.
 */

const PAGES: [file: string, contract: ContractName][] = [
  ['orders-page-1.json', 'orders.list'],
  ['clients-page-1.json', 'clients.list'],
  ['events-page-1.json', 'events.list'],
  ['discounts-page-1.json', 'discounts.list'],
  ['promo-codes-page-1.json', 'promoCodes.list'],
];

/** Keys a record may lack, as patterns of the key's path (`[]` for any array index, `.*` for any key). */
const OPTIONAL = [
  // Order UTM labels: each only when the order came with it.
  /^utm\.utm_(source|medium|campaign|content|term)$/,
  // Show seating overrides: every level may be missing (qtickets-api.md §7.5).
  /^shows\[\]\.scheme_properties\./,
];
/** Free-form maps and lists of undocumented shape: their keys and values are not the contract's business. */
const FREE_FORM = [/^(custom|fields|integrations)\./, /^(refunds|baskets\[\]\.services|baskets\[\]\.refunds|shows\[\]\.prices\[\]\.modifiers|shows\[\]\.(min|max)_price\.modifiers)\[\]/];

type Key = { path: (string | number)[]; pattern: string };

/** Every key of a record, once per distinct pattern (array items and map entries of the same shape repeat it). */
function keysOf(record: unknown): Key[] {
  const seen = new Set<string>();
  const out: Key[] = [];
  const walk = (value: unknown, path: (string | number)[], pattern: string, isOptionalMap: boolean) => {
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i], `${pattern}[]`, false));
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        // Inside scheme_properties the maps are keyed by zone, row and seat ids: one pattern for all.
        const name = isOptionalMap || /^\d+$/.test(key) ? '*' : key;
        const childPattern = pattern ? `${pattern}.${name}` : name;
        if (FREE_FORM.some((p) => p.test(childPattern))) continue;
        if (!seen.has(childPattern)) {
          seen.add(childPattern);
          out.push({ path: [...path, key], pattern: childPattern });
        }
        walk(child, [...path, key], childPattern, /\.(zones|seats|rows)$/.test(childPattern) && childPattern.includes('scheme_properties'));
      }
    }
  };
  walk(record, [], '', false);
  return out;
}

/** The path as the contract check prints it: `data[0].baskets[1].price`, `["odd key"]` for other keys. */
const printed = (path: (string | number)[]): string =>
  path.map((key, i) => (typeof key === 'number' ? `[${key}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${i ? '.' : ''}${key}` : `[${JSON.stringify(key)}]`)).join('');

/** Another JSON type than the value's own: a boolean for anything but a boolean, which becomes a string. */
const otherType = (value: unknown): unknown => (typeof value === 'boolean' ? String(value) : true);

/** Sets or deletes the key at `path`, runs `check`, restores the record. */
function withChange<T>(record: any, path: (string | number)[], change: { delete: true } | { value: unknown }, check: () => T): T {
  const parent = path.slice(0, -1).reduce((node, key) => node[key], record);
  const key = path.at(-1)!;
  const original = parent[key];
  if ('delete' in change) delete parent[key];
  else parent[key] = change.value;
  try {
    return check();
  } finally {
    parent[key] = original;
  }
}

describe.each(PAGES)('%s against %s, key by key', (file, contract) => {
  const page = JSON.parse(readFileSync(join(fixturesDir(), file), 'utf8'));
  const records: any[] = page.data;
  const issuesOf = (record: unknown) => checkContract(contract, { paging: page.paging, data: [record] }).issues;
  const cases = records.flatMap((record, index) => keysOf(record).map((key) => ({ record, index, ...key, optional: OPTIONAL.some((p) => p.test(key.pattern)) })));

  test('the fixture has required keys to try, and every record passes untouched', () => {
    expect(cases.filter((c) => !c.optional).length).toBeGreaterThan(records.length);
    expect(records.map((r) => issuesOf(r)).filter((issues) => issues.length > 0)).toEqual([]);
  });

  test('every required key, deleted: a failure naming that path', () => {
    const wrong = cases
      .filter((c) => !c.optional)
      .map((c) => ({ at: `record ${c.index}: ${c.pattern}`, want: `data[0].${printed(c.path)}: required field missing`, issues: withChange(c.record, c.path, { delete: true }, () => issuesOf(c.record)) }))
      .filter(({ want, issues }) => !issues.includes(want));
    expect(wrong).toEqual([]);
  });

  test('every required key, changed to another type: a failure naming that path', () => {
    const wrong = cases
      .filter((c) => !c.optional)
      .map((c) => {
        const prefix = `data[0].${printed(c.path)}: `;
        const value = otherType(c.path.reduce((node: any, key) => node[key], c.record));
        const issues = withChange(c.record, c.path, { value }, () => issuesOf(c.record));
        return { at: `record ${c.index}: ${c.pattern}`, value, issues, named: issues.some((issue) => issue.startsWith(prefix)) };
      })
      .filter((c) => !c.named);
    expect(wrong).toEqual([]);
  });

  test('every optional key, deleted: still a pass', () => {
    const wrong = cases
      .filter((c) => c.optional)
      .map((c) => ({ at: `record ${c.index}: ${c.pattern}`, issues: withChange(c.record, c.path, { delete: true }, () => issuesOf(c.record)) }))
      .filter(({ issues }) => issues.length > 0);
    expect(wrong).toEqual([]);
  });
});
