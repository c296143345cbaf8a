/** The items of an answer, read the same way by the catalogue's predicates, discovery and the expected-delta oracle. */

/** The value when it is an array, else none: an answer may carry anything where a list belongs. */
export const asArray = (value: unknown): any[] => (Array.isArray(value) ? value : []);

/** The items of a REST list answer: its `data` array; none when it has none. */
export const dataItems = (body: any): any[] => asArray(body?.data);

/** The items of a Partners answer: its `result` array; none when it has none. */
export const resultItems = (body: any): any[] => asArray(body?.result);
