import { asArray, dataItems } from '../core/answers.ts';
import { mskIso } from '../core/moscow.ts';
import type { ApiRequest, Expectation, IdKey, Ids, Predicate } from '../core/types.ts';

/** The request builders and body predicates that the plans of several sections share. */

export const rest = (method: string, path: string, body?: unknown): ApiRequest => ({
  api: 'rest',
  method,
  path,
  ...(body === undefined ? {} : { body }),
  idempotent: method === 'GET',
});
export const partners = (method: string, path: string, body?: unknown, idempotent = false): ApiRequest => ({
  api: 'partners',
  method,
  path,
  ...(body === undefined ? {} : { body }),
  idempotent,
});
export const okJson = (predicates: Predicate[] = []): Expectation => ({ status: 200, answer: 'ok', predicates });
export const splitIds = (list: string | undefined): string[] => (list ? list.split(',') : []);
export const nowMsk = (): string => mskIso(Date.now());

export function everyItem(text: string, holds: (item: any, ids: Ids) => boolean): Predicate {
  return {
    text,
    check: (body, ids) => {
      // An item that is not an object breaks every rule (and gives the rule nothing to throw on).
      const bad = dataItems(body).filter((item) => item === null || typeof item !== 'object' || !holds(item, ids));
      return bad.length === 0 ? null : `${bad.length} item(s) break "${text}", e.g. id ${bad[0]?.id}`;
    },
  };
}

export function sortedById(direction: 'asc' | 'desc'): Predicate {
  return {
    text: `ids ${direction}ending`,
    check: (body) => {
      const ids = dataItems(body).map((item) => Number(item.id));
      const sorted = [...ids].sort((a, b) => (direction === 'asc' ? a - b : b - a));
      return ids.every((id, i) => id === sorted[i]) ? null : `ids are not ${direction}ending: ${ids.slice(0, 5).join(', ')}…`;
    },
  };
}

export const nonEmpty = (what: string): Predicate => ({
  text: `at least one ${what}`,
  check: (body) => (asArray(Array.isArray(body) ? body : body?.data).length > 0 ? null : `the answer has no ${what}`),
});

export const dataIdIs = (key: IdKey): Predicate => ({
  text: `data.id equals the requested ${key}`,
  check: (body, ids) => (String(body?.data?.id) === ids[key] ? null : `data.id is ${body?.data?.id}, requested ${ids[key]}`),
});
