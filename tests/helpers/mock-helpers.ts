import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { startMock, type MockOptions, type MockServer } from '../../support/mock/server.ts';
import { dataPath, fixturesDir } from '../../support/paths.ts';

/** Shared by the mock's self-tests: start a mock in-process and talk to it with undici (GET with a body works). */

export const REST_TOKEN = 'unit-rest-token';
export const PARTNERS_KEY = 'unit-partners-key';

export function startTestMock(options: Partial<MockOptions> = {}): Promise<MockServer> {
  return startMock({ restToken: REST_TOKEN, partnersToken: PARTNERS_KEY, ...options });
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

interface CallOptions {
  body?: unknown;
  query?: Record<string, string>;
  /** null: no Authorization header. */
  token?: string | null;
  headers?: Record<string, string>;
}

async function call(baseUrl: string, defaultToken: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const url = new URL(baseUrl + path);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  const token = options.token === undefined ? defaultToken : options.token;
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await request(url, { method: method as 'GET', headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await response.body.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON (HTML pages, injected faults)
  }
  return { status: response.statusCode, headers: response.headers, text, json };
}

export const rest = (mock: MockServer, method: string, path: string, options?: CallOptions) => call(mock.restBaseUrl, REST_TOKEN, method, path, options);
export const partners = (mock: MockServer, method: string, path: string, options?: CallOptions) => call(mock.partnersBaseUrl, PARTNERS_KEY, method, path, options);

export const fixture = (name: string): any => JSON.parse(readFileSync(join(fixturesDir(), name), 'utf8'));
export const specRequests = (): any[] => JSON.parse(readFileSync(dataPath('spec-requests.json'), 'utf8')).specs;

/** All items of a list, page by page. */
export async function allPages(mock: MockServer, path: string, body: Record<string, unknown> = {}): Promise<any[]> {
  const items: any[] = [];
  for (let page = 1; ; page++) {
    const answer = await rest(mock, 'GET', path, { body: { ...body, page } });
    items.push(...answer.json.data);
    if (page * answer.json.paging.perPage >= answer.json.paging.total) return items;
  }
}
