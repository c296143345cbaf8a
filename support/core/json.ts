/** JSON with the keys of every object sorted (by UTF-16 code units), so equal values give equal text. */
export function sortedKeysJson(value: unknown): string {
  return JSON.stringify(value, sortingReplacer);
}

function sortingReplacer(_key: string, value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value;
}
