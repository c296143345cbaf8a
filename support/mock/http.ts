import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { NOT_FOUND_PAGE } from './not-found-page.ts';

/** Answers as values: handlers return them, the fault injector may alter them, the server sends them. */
export interface MockResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers of a live 200 JSON answer (§2); Transfer-Encoding: chunked and keep-alive come from Node. */
const OBSERVED_JSON_HEADERS = {
  server: 'nginx/1.14.1',
  'content-type': 'application/json',
  vary: 'Accept-Encoding',
  'cache-control': 'no-cache, private',
  'x-cache-status': 'MISS',
  'strict-transport-security': 'max-age=31536000',
};

export function jsonOk(value: unknown): MockResponse {
  return { status: 200, headers: { ...OBSERVED_JSON_HEADERS }, body: JSON.stringify(value) };
}

/** Error answers have no X-Cache-Status; the 503 also has no Vary (§2). */
export function jsonError(status: number, value: unknown): MockResponse {
  const { 'x-cache-status': _cache, vary, ...rest } = OBSERVED_JSON_HEADERS;
  return { status, headers: status === 503 ? rest : { ...rest, vary }, body: JSON.stringify(value) };
}

/** The site's HTML 404 page, answered for every path that is not an API route. */
export function htmlNotFound(): MockResponse {
  const { 'x-cache-status': _cache, ...rest } = OBSERVED_JSON_HEADERS;
  return { status: 404, headers: { ...rest, 'content-type': 'text/html; charset=UTF-8' }, body: NOT_FOUND_PAGE };
}

/** A REST error in the observed envelope `{error, status, code, info}`. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly info: unknown = [],
  ) {
    super(message);
  }

  toResponse(): MockResponse {
    return jsonError(this.status, { error: this.message, status: this.status, code: this.code, info: this.info });
  }
}

export const notFound = (resource: string, id: number): RestError =>
  new RestError(404, 'RESOURCE_NOT_FOUND', `Resource "${resource}" not found`, { id, resource });

/** Assumed (the live 403 body was not captured): the documented `{"error":"…","status":403}`. */
export const forbidden = (): MockResponse => jsonError(403, { error: 'Forbidden', status: 403 });

/** The observed answer of POST /orders. */
export const unknownError = (): MockResponse => jsonError(503, { error: 'Unknown error', status: 503, code: 'UNKNOWN_ERROR', info: [] });

/** The observed answer of a query `where` on orders (note: lower-case message, no info). */
export const filterUnknownError = (): MockResponse => jsonError(503, { error: 'unknown error', status: 503, code: 'UNKNOWN_ERROR' });

export const validationError = (message: string, info: unknown = []): RestError => new RestError(400, 'VALIDATION_ERROR', message, info);

/** A Partners error: HTTP 200 with `status: "error"` (§9). */
export class PartnersError extends Error {
  constructor(
    readonly code: 'UNKNOWN_ERROR' | 'WRONG_AUTHORIZATION' | 'EVENT_NOT_FOUND' | 'SEAT_NOT_FOUND' | 'SEAT_NOT_AVAILABLE' | 'TICKET_NOT_FOUND' | 'VALIDATION_ERROR',
    message: string,
  ) {
    super(message);
  }

  toResponse(): MockResponse {
    return jsonOk({ status: 'error', code: this.code, message: this.message });
  }
}

/** Writes the answer chunked (as live), gzipped when the client asks for it. */
export function send(res: ServerResponse, answer: MockResponse, acceptEncoding: string | undefined): void {
  const headers = { ...answer.headers };
  const gzip = answer.body.length > 0 && /\bgzip\b/.test(acceptEncoding ?? '');
  if (gzip) headers['content-encoding'] = 'gzip';
  res.writeHead(answer.status, headers);
  if (answer.body.length > 0) res.write(gzip ? gzipSync(answer.body) : utf8(answer.body));
  res.end();
}

/** Encoded into room for the worst case (3 bytes a UTF-16 unit): Buffer.from measures the UTF-8 length first, a pass as slow as the encoding. */
function utf8(text: string): Buffer {
  const buffer = Buffer.allocUnsafeSlow(text.length * 3);
  return buffer.subarray(0, buffer.write(text, 'utf8'));
}
