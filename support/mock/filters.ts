import { validationError, type RestError } from './http.ts';
import { COMPACT_OFFSET, parseInstant } from './time.ts';

/**
 * The documented filter language (§5): `where` conditions ANDed, `orderBy`, `page`; from a JSON body
 * (GET with a body) or from query parameters (`where`/`orderBy` as JSON strings).
 */

const OPERATORS = ['=', '!=', '<>', '<', '>', '<=', '>=', 'in', 'not in', 'in array', 'not in array', 'null'] as const;
type Operator = (typeof OPERATORS)[number];

export interface Condition {
  column: string;
  operator: Operator;
  value: unknown;
}

export interface ListQuery {
  where: Condition[];
  orderBy: [string, 'asc' | 'desc'][];
  page: number;
}

const record = (value: unknown): Record<string, unknown> | null => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null);

/** A query parameter holding JSON; a plain string stays a string. */
function fromQuery(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function parseConditions(raw: unknown, what = 'where'): Condition[] | RestError {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return validationError(`The ${what} parameter must be an array of conditions.`);
  const conditions: Condition[] = [];
  for (const item of raw) {
    const condition = record(item);
    if (!condition || typeof condition.column !== 'string' || condition.column === '') {
      return validationError(`Every ${what} condition needs a column.`, { condition: item });
    }
    const operator = String(condition.operator ?? '=').toLowerCase() as Operator;
    if (!OPERATORS.includes(operator)) return validationError(`Unknown operator "${condition.operator}".`, { condition: item });
    conditions.push({ column: condition.column, operator, value: condition.value ?? null });
  }
  return conditions;
}

/** Reads where / orderBy / page from the body, else from the query string; per_page is ignored everywhere (live). */
export function readListQuery(body: unknown, query: Record<string, string>): ListQuery | RestError {
  const fromBody = record(body) ?? {};
  const rawWhere = fromBody.where ?? fromQuery(query.where);
  const rawOrder = fromBody.orderBy ?? fromQuery(query.orderBy);
  const where = parseConditions(rawWhere);
  if (!Array.isArray(where)) return where;
  const orderBy: [string, 'asc' | 'desc'][] = [];
  if (rawOrder !== undefined && rawOrder !== null) {
    const order = record(rawOrder);
    if (!order) return validationError('The orderBy parameter must be an object {column: "asc"|"desc"}.');
    for (const [column, direction] of Object.entries(order)) orderBy.push([column, String(direction).toLowerCase() === 'desc' ? 'desc' : 'asc']);
  }
  return { where, orderBy, page: readPage(body, query) };
}

/** `page` from the body, else the query string; anything but a positive integer is page 1. */
export function readPage(body: unknown, query: Record<string, string>): number {
  const page = Number(record(body)?.page ?? query.page ?? 1);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

type Comparable = { n: number } | { s: string };

function comparable(value: unknown): Comparable | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return { n: value ? 1 : 0 };
  if (typeof value === 'number') return { n: value };
  if (typeof value === 'string') {
    if (/^-?\d+(\.\d+)?$/.test(value)) return { n: Number(value) };
    const instant = /^\d{4}-\d{2}-\d{2}/.test(value) ? parseInstant(value) : null;
    return instant === null ? { s: value.toLowerCase() } : { n: instant };
  }
  return { s: JSON.stringify(value) };
}

function compare(a: Comparable, b: Comparable): number {
  if ('n' in a && 'n' in b) return a.n - b.n;
  const x = 'n' in a ? String(a.n) : a.s;
  const y = 'n' in b ? String(b.n) : b.s;
  return x < y ? -1 : x > y ? 1 : 0;
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/**
 * A condition as a predicate on a column value, with SQL semantics: NULL never compares, `= null` means
 * IS NULL (Laravel), `!= null` IS NOT NULL; datetimes compare as instants; `in array` tests membership
 * when the column is a list, else acts like `in` (assumed: its semantics are undocumented).
 */
export function predicate(condition: Condition): (columnValue: unknown) => boolean {
  const { operator, value } = condition;
  const isNull = (v: unknown) => v === null || v === undefined;
  if (operator === 'null') return isNull;
  if (value === null && (operator === '=' || operator === '!=' || operator === '<>')) return operator === '=' ? isNull : (v) => !isNull(v);
  const wanted = asList(value).map(comparable);
  const equalsAny = (v: unknown) => {
    const a = comparable(v);
    return a !== null && wanted.some((b) => b !== null && compare(a, b) === 0);
  };
  const test = ((): ((v: unknown) => boolean) => {
    switch (operator) {
      case '=':
      case 'in':
        return equalsAny;
      case '!=':
      case '<>':
      case 'not in':
        return (v) => !equalsAny(v);
      case 'in array':
      case 'not in array':
        return (v) => (Array.isArray(v) ? v : [v]).some(equalsAny) === (operator === 'in array');
      default: {
        const b = comparable(value);
        return (v) => {
          const a = comparable(v);
          if (a === null || b === null) return false;
          const order = compare(a, b);
          return operator === '<' ? order < 0 : operator === '>' ? order > 0 : operator === '<=' ? order <= 0 : order >= 0;
        };
      }
    }
  })();
  return (v) => !isNull(v) && test(v);
}

/** Conditions whose value is a datetime with a compact offset (`+0300`) are ignored, as reported live. */
export const effectiveConditions = (where: Condition[]): Condition[] =>
  where.filter((c) => !(typeof c.value === 'string' && COMPACT_OFFSET.test(c.value)));

/** A value by dotted path (`spread.users`). */
export function valueAt(item: Record<string, unknown>, path: string): unknown {
  let current: unknown = item;
  for (const key of path.split('.')) {
    const next = record(current);
    if (!next || !(key in next)) return undefined;
    current = next[key];
  }
  return current;
}

/** The list source of one REST collection. */
export interface ListSource {
  perPage: number;
  size(): number;
  /** Top-level keys of an item: the columns a filter may name. */
  columns: ReadonlySet<string>;
  /** Columns `row` leaves out (heavy nested values): filtering on them renders the whole item. */
  heavy: ReadonlySet<string>;
  /** The item without its heavy columns (cheap: used to scan for filters). */
  row(index: number): Record<string, unknown>;
  /** Faster getters of single columns; a filter on these columns only never builds rows. */
  fast?: Readonly<Record<string, (index: number) => unknown>>;
  item(index: number): unknown;
}

export interface Page {
  data: unknown[];
  paging: { perPage: number; currentPage: number; total: number };
}

/**
 * One page of a list. Without filters, items come straight by position (ids ascending); with filters
 * the source is scanned. A `where` on a column the entity does not have gives an empty list (assumed:
 * never observed live; the spec accepts an error or an empty result).
 */
export function listPage(source: ListSource, query: ListQuery): Page {
  const { perPage } = source;
  const offset = (query.page - 1) * perPage;
  const page = (indexes: ArrayLike<number> | null, total: number): Page => {
    const data: unknown[] = [];
    for (let k = offset; k < Math.min(total, offset + perPage); k++) data.push(source.item(indexes ? indexes[k] : k));
    return { data, paging: { perPage, currentPage: query.page, total } };
  };
  const where = effectiveConditions(query.where);
  const orderBy = query.orderBy.filter(([column]) => source.columns.has(column));
  if (where.length === 0 && orderBy.length === 0) return page(null, source.size());
  if (where.some((c) => !source.columns.has(c.column))) return page([], 0);

  const used = [...where.map((c) => c.column), ...orderBy.map(([c]) => c)];
  const full = used.some((c) => source.heavy.has(c));
  const fast = source.fast;
  const rowOf = (i: number): ((column: string) => unknown) => {
    if (fast && used.every((c) => c in fast)) return (column) => fast[column](i);
    const row = full ? (source.item(i) as Record<string, unknown>) : source.row(i);
    return (column) => row[column];
  };
  const tests = where.map((c) => ({ column: c.column, test: predicate(c) }));
  const matched: number[] = [];
  const keys: unknown[][] = [];
  for (let i = 0; i < source.size(); i++) {
    const value = rowOf(i);
    if (tests.every((t) => t.test(value(t.column)))) {
      matched.push(i);
      if (orderBy.length > 0) keys.push(orderBy.map(([column]) => value(column)));
    }
  }
  if (orderBy.length > 0) {
    const order = matched.map((_, k) => k);
    order.sort((x, y) => {
      for (let c = 0; c < orderBy.length; c++) {
        const diff = sortCompare(keys[x][c], keys[y][c]);
        if (diff !== 0) return orderBy[c][1] === 'desc' ? -diff : diff;
      }
      return matched[x] - matched[y];
    });
    return page(order.map((k) => matched[k]), matched.length);
  }
  return page(matched, matched.length);
}

/** NULLs first on ascending order, as MySQL sorts them. */
function sortCompare(a: unknown, b: unknown): number {
  const x = comparable(a);
  const y = comparable(b);
  if (x === null || y === null) return x === null ? (y === null ? 0 : -1) : 1;
  return compare(x, y);
}
