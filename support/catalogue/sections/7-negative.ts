import { dataItems } from '../../core/answers.ts';
import type { Predicate } from '../../core/types.ts';
import { okJson, rest } from '../rules.ts';
import type { SectionPlans } from '../types.ts';

/** Negative cases (7.x): wrong credentials, unknown ids and invalid requests. */

function notFoundInfo(resource: string, id: number): Predicate {
  return {
    text: `info is {id: ${id}, resource: ${resource}}`,
    check: (body) => {
      const info = body?.info;
      return info?.id === id && info.resource === resource ? null : `info is ${JSON.stringify(info)}`;
    },
  };
}

export const NEGATIVE_PLANS: SectionPlans = {
  '7.1': {
    requests: () => [rest('GET', '/events')],
    contract: null,
    expect: { status: 403, answer: 'rest-error' },
    expectedText: '403 (live: not 401, not WRONG_AUTHORIZATION)',
    deviationNotes: ['the spec expects WRONG_AUTHORIZATION (a Partners code); REST answers HTTP 403'],
  },
  '7.2': {
    requests: () => [rest('GET', '/orders/999999999')],
    contract: 'rest.error',
    expect: { status: 404, answer: 'rest-error', code: 'RESOURCE_NOT_FOUND', predicates: [notFoundInfo('Order', 999999999)] },
    expectedText: '404 RESOURCE_NOT_FOUND {id: 999999999, resource: Order}',
    deviationNotes: ['the spec accepts ORDER_NOT_FOUND, which REST never answers; it answers RESOURCE_NOT_FOUND'],
  },
  '7.3': {
    requests: () => [rest('GET', '/events/999999999')],
    contract: 'rest.error',
    expect: { status: 404, answer: 'rest-error', code: 'RESOURCE_NOT_FOUND', predicates: [notFoundInfo('Event', 999999999)] },
    expectedText: '404 RESOURCE_NOT_FOUND Event (not EVENT_NOT_FOUND)',
    deviationNotes: ['the spec expects EVENT_NOT_FOUND (a Partners code); REST answers RESOURCE_NOT_FOUND'],
  },
  '7.4': {
    requests: () => [rest('POST', '/clients', {})],
    contract: 'rest.error',
    expect: { status: '4xx', answer: 'rest-error' },
    expectedText: 'a 4xx refusal, nothing created (never observed live; the mock answers 400 VALIDATION_ERROR)',
    sandbox: ['SANDBOX_CREATE'],
  },
  '7.5': {
    requests: () => [rest('GET', '/orders', { where: [{ column: 'invalid_column', value: 1 }] })],
    contract: 'orders.list',
    expect: okJson([{ text: 'an empty result', check: (body) => (dataItems(body).length === 0 ? null : `${dataItems(body).length} orders came back`) }]),
    alsoAccept: [{ status: '4xx', answer: 'rest-error', contract: 'rest.error' }],
    expectedText: 'an empty result or a 4xx error (never observed live)',
  },
};
