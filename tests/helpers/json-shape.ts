/**
 * Structural shape of JSON values, to compare generated answers with the live fixtures
 * (data/live-shapes): per path, the value types seen and the key order of objects.
 * Used by the mock's self-tests; paths look like `.baskets[].seat_id`.
 */

export type JsonType = 'null' | 'bool' | 'int' | 'float' | 'string' | 'array' | 'empty-array' | 'object' | 'empty-object';

export interface Shape {
  types: Map<string, Set<JsonType>>;
  /** Key order of the objects at a path (each distinct order, joined by ","). */
  keyOrders: Map<string, Set<string>>;
}

export function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'string';
  if (Array.isArray(value)) return value.length === 0 ? 'empty-array' : 'array';
  return Object.keys(value as object).length === 0 ? 'empty-object' : 'object';
}

/** The shape of a list of items; subtrees under `opaque` paths (free-form maps) are not descended into. */
export function shapeOf(items: unknown[], opaque: string[] = []): Shape {
  const shape: Shape = { types: new Map(), keyOrders: new Map() };
  const add = <T>(map: Map<string, Set<T>>, path: string, value: T) => (map.get(path) ?? map.set(path, new Set()).get(path)!).add(value);
  const walk = (value: unknown, path: string) => {
    add(shape.types, path, jsonType(value));
    if (opaque.includes(path) || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, `${path}[]`);
      return;
    }
    add(shape.keyOrders, path, Object.keys(value).join(','));
    for (const [key, item] of Object.entries(value)) walk(item, `${path}.${key}`);
  };
  for (const item of items) walk(item, '');
  return shape;
}

export interface ShapeDifferences {
  /** Objects whose key order is not one the fixture has. */
  keyOrder: string[];
  /** Types the fixture never has at that path. */
  unexpectedTypes: string[];
  /** Types the fixture has at that path that the generated data never produced. */
  missingTypes: string[];
}

/**
 * Compares generated items with fixture items. `allow` lists `path:type` pairs the fixture lacks but
 * the documentation permits (e.g. a nullable field the fixture page happens to have only null in).
 * `subsetKeys` paths (partial objects like utm) may hold any in-order subset of the fixture keys.
 */
export function compareShapes(generated: Shape, fixture: Shape, options: { allow?: string[]; subsetKeys?: string[] } = {}): ShapeDifferences {
  const allow = new Set(options.allow ?? []);
  const differences: ShapeDifferences = { keyOrder: [], unexpectedTypes: [], missingTypes: [] };
  for (const [path, orders] of generated.keyOrders) {
    const expected = fixture.keyOrders.get(path);
    if (!expected) continue; // a path the fixture never reached (e.g. an object where the fixture has only [])
    for (const order of orders) {
      const fits = options.subsetKeys?.includes(path) ? [...expected].some((e) => isOrderedSubset(order.split(','), e.split(','))) : expected.has(order);
      if (!fits) differences.keyOrder.push(`${path || '(item)'}: {${order}} vs fixture {${[...expected].join('} | {')}}`);
    }
  }
  for (const [path, types] of generated.types) {
    const expected = fixture.types.get(path);
    if (!expected) {
      if (![...types].every((t) => allow.has(`${path}:${t}`))) differences.unexpectedTypes.push(`${path}: not in the fixture`);
      continue;
    }
    for (const type of types) if (!expected.has(type) && !allow.has(`${path}:${type}`)) differences.unexpectedTypes.push(`${path}: ${type} (fixture: ${[...expected].join('|')})`);
  }
  for (const [path, types] of fixture.types) {
    const seen = generated.types.get(path);
    for (const type of types) if (!seen?.has(type)) differences.missingTypes.push(`${path}: ${type}`);
  }
  return differences;
}

function isOrderedSubset(keys: string[], of: string[]): boolean {
  let position = 0;
  for (const key of keys) {
    position = of.indexOf(key, position);
    if (position < 0) return false;
    position += 1;
  }
  return true;
}
