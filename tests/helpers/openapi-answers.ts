import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { catalogue, type SpecEntry } from '../../support/catalogue/index.ts';
import { QTicketsClient, type ApiResult } from '../../support/client.ts';
import type { Api, ApiRequest } from '../../support/core/types.ts';
import { Discovery } from '../../support/harness/discovery.ts';
import type { MockServer } from '../../support/mock/server.ts';
import { API_BASE } from '../../support/openapi/document.ts';
import { matchTemplate } from '../../support/openapi/operations.ts';
import { PARTNERS_KEY, REST_TOKEN } from './mock-helpers.ts';

/**
 * The OpenAPI self-test's two halves: an answer checked against the document with ajv (not zod), and a drive
 * that sends every request of the 51 specs to the mock, as the spec runner does (ids from discovery and from
 * earlier answers; 7.1 with its own invalid token), recording each answer.
 */

export interface Answer {
  api: Api;
  method: string;
  path: string;
  status: number;
  contentType: string;
  /** Parsed JSON, or the text of an HTML answer. */
  body: unknown;
  /** The spec whose request it was; undefined for a discovery lookup. */
  specId?: string;
}

const pointer = (...segments: string[]): string => segments.map((s) => `/${encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))}`).join('');

/** Checks answers against the document: the operation, the response for the status, its media type and schema. */
export class DocumentChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, validateSchema: false });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly doc: any) {
    this.ajv.addSchema(doc, 'openapi');
  }

  /** Why the answer disagrees with the document; [] when it fits. */
  problems(answer: Answer): string[] {
    const request = `${answer.method} ${answer.path} → ${answer.status} ${answer.contentType}`;
    const path = matchTemplate(API_BASE[answer.api] + answer.path, Object.keys(this.doc.paths));
    const method = answer.method.toLowerCase();
    if (!path || !this.doc.paths[path][method]) return [`${request}: no such operation in the document`];
    const responses = this.doc.paths[path][method].responses;
    const status = [String(answer.status), `${String(answer.status)[0]}XX`].find((key) => responses[key]);
    if (!status) return [`${request}: the document has no response for HTTP ${answer.status}`];
    let at = pointer('paths', path, method, 'responses', status);
    let response = responses[status];
    if (response.$ref) {
      at = pointer(...response.$ref.slice(2).split('/'));
      response = this.doc.components.responses[response.$ref.split('/').pop()];
    }
    const type = answer.contentType.split(';')[0].trim();
    if (!response.content?.[type]) return [`${request}: the document's ${status} answer has no ${type} content`];
    const validate = this.validator(`${at}${pointer('content', type, 'schema')}`);
    if (validate(answer.body)) return [];
    return (validate.errors ?? []).slice(0, 5).map((e) => `${request}: ${e.instancePath || '(root)'} ${e.message}`);
  }

  private validator(at: string): ValidateFunction {
    if (!this.validators.has(at)) this.validators.set(at, this.ajv.compile({ $ref: `openapi#${at}` }));
    return this.validators.get(at)!;
  }
}

const answerOf = (request: ApiRequest, result: ApiResult, specId?: string): Answer => ({
  api: request.api,
  method: request.method,
  path: request.path,
  status: result.status ?? 0,
  contentType: result.contentType,
  body: result.kind === 'html' ? result.text : result.body,
  ...(specId ? { specId } : {}),
});

function mockClients(mock: MockServer): Record<Api, QTicketsClient> {
  const client = (api: Api, baseUrl: string, token: string) => new QTicketsClient({ api, baseUrl, token, timeoutMs: 30_000, maxRetries: 0, retryBaseMs: 0, maxRetryAfterMs: 0 });
  return { rest: client('rest', mock.restBaseUrl, REST_TOKEN), partners: client('partners', mock.partnersBaseUrl, PARTNERS_KEY) };
}

/** Every request of the 51 specs and of their id lookups sent to the mock, in catalogue order, with the answers. */
export async function driveCatalogue(mock: MockServer, specs: readonly SpecEntry[] = catalogue): Promise<Answer[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'qtickets-openapi-'));
  const answers: Answer[] = [];
  const clients = mockClients(mock);
  const send = async (request: ApiRequest, specId?: string, token?: string): Promise<ApiResult> => {
    const result = token === undefined ? await clients[request.api].send(request) : await clients[request.api].send(request, token);
    answers.push(answerOf(request, result, specId));
    return result;
  };
  try {
    const discovery = new Discovery(scratch, {});
    for (const spec of specs) {
      const { ids, missing } = await discovery.resolve(spec.plan.needs ?? [], async (request) => {
        const result = await send(request);
        return result.kind === 'ok' ? result.body : null;
      });
      if (missing.length > 0) throw new Error(`${spec.id}: the mock revealed no ${missing.join(', ')}`);
      const token = spec.literal.headers?.Authorization?.replace(/^Bearer\s+/i, '');
      for (const request of spec.plan.requests(ids)) {
        const result = await send(request, spec.id, token);
        if (result.kind === 'ok' && spec.plan.discovers) discovery.remember(spec.plan.discovers(result.body, ids), `${spec.id} answer`);
      }
    }
    return answers;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The spec's literal GETs that are no route, sent with the spec's own example path (what the runner probes). */
export async function probeNonRoutes(mock: MockServer, doc: any): Promise<Answer[]> {
  const clients = mockClients(mock);
  const answers: Answer[] = [];
  for (const [path, ops] of Object.entries<any>(doc.paths)) {
    if (!ops.get?.deprecated) continue;
    const spec = catalogue.find((s) => s.id === ops.get['x-qtickets-specs'][0])!;
    const request: ApiRequest = { api: spec.api, method: 'GET', path: spec.literal.examples[0] ?? spec.literal.path, idempotent: true };
    if (request.path.includes('{')) throw new Error(`${path}: spec ${spec.id} has no example of its literal path`);
    answers.push(answerOf(request, await clients[spec.api].send(request), spec.id));
  }
  return answers;
}
