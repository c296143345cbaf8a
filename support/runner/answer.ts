import type { ApiResult } from '../client.ts';
import type { Expectation } from '../core/types.ts';

/** The answer has the expected status, answer class and error code. */
export function matchesClass(expectation: Expectation, result: ApiResult): boolean {
  const statusOk = expectation.status === '4xx' ? result.status !== null && result.status >= 400 && result.status < 500 : result.status === expectation.status;
  return statusOk && result.kind === expectation.answer && (expectation.code === undefined || result.code === expectation.code);
}

export function describeExpectation(e: Expectation): string {
  const kind = { ok: 'a JSON answer', 'rest-error': 'a JSON error', 'partners-error': 'a Partners status:"error"', html: 'an HTML page' }[e.answer];
  return `${e.status} ${kind}${e.code ? ` ${e.code}` : ''}`;
}

export function describeAnswer(result: ApiResult): string {
  if (result.kind === 'network') return `no answer (${result.error})`;
  if (result.kind === 'refused') return `not sent: the client refused it (${result.error})`;
  const type = result.contentType.split(';')[0] || 'no content type';
  const detail = result.kind === 'partners-error' ? ` status:"error" ${result.code}` : result.code ? ` ${result.code}` : '';
  const malformed = result.kind === 'malformed' ? ` (malformed: ${result.error})` : '';
  return `${result.status} ${type}${detail}${malformed}`;
}
