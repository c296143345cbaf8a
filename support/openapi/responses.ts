import type { ContractName } from '../contracts/index.ts';
import { exampleName, notFoundExamples, partnersErrorExamples, UNKNOWN_ERROR_EXAMPLES, type Example } from './examples.ts';
import type { Operation } from './operations.ts';
import { contractRef, schemaRef, type JsonSchema } from './schemas.ts';

/**
 * The answers of one operation: what its specs expect (status → contract), and the error answers observed
 * live (docs/api.md §8, §9): 403 for a refused REST token, 404 RESOURCE_NOT_FOUND with `info` where a path
 * names a resource, 503 UNKNOWN_ERROR on GET /orders, the site's HTML 404 page for a path that is no route,
 * and Partners errors, which come with HTTP 200 and `status: "error"`.
 */

const JSON_TYPE = 'application/json';
const HTML_TYPE = 'text/html';
const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });
const exampleRefs = (names: string[]) => Object.fromEntries(names.map((name) => [name, { $ref: `#/components/examples/${name}` }]));
const inlineExamples = (examples: Record<string, Example>) => Object.fromEntries(Object.entries(examples).map(([name, e]) => [name, { summary: e.summary, value: e.value }]));

/** RESOURCE_NOT_FOUND as seen live: the error envelope with `code` and `info: {id, resource}`. */
const resourceNotFound: JsonSchema = {
  allOf: [
    schemaRef('RestError'),
    {
      type: 'object',
      required: ['code', 'info'],
      properties: {
        code: { const: 'RESOURCE_NOT_FOUND' },
        info: { type: 'object', required: ['id', 'resource'], properties: { id: { type: 'integer', description: 'a non-numeric id is read as 0' }, resource: { type: 'string' } } },
      },
    },
  ],
};

const unknownError: JsonSchema = { allOf: [schemaRef('RestError'), { type: 'object', required: ['code'], properties: { code: { const: 'UNKNOWN_ERROR' } } }] };

/** The shared error answers: components/responses. */
export function errorResponses(): Record<string, unknown> {
  return {
    Forbidden: {
      description: 'The REST token is missing or refused (live: 403, never 401 and never WRONG_AUTHORIZATION). The live body was never captured; the documented form is `{error, status}`.',
      content: { [JSON_TYPE]: { schema: schemaRef('RestError') } },
    },
    NotFound: {
      description: 'The resource the path names does not exist: `RESOURCE_NOT_FOUND` with `info: {id, resource}` (live). REST never answers ORDER_NOT_FOUND or EVENT_NOT_FOUND.',
      content: { [JSON_TYPE]: { schema: resourceNotFound, examples: inlineExamples(notFoundExamples()) } },
    },
    NotFoundPage: {
      description: 'No such route: the website\'s HTML 404 page (`text/html; charset=UTF-8`, title «Страница не найдена 404 – Qtickets», about 12.7 k characters), answered before the token is looked at.',
      content: { [HTML_TYPE]: { schema: { type: 'string', pattern: 'Страница не найдена' } } },
    },
    UnknownError: {
      description: 'UNKNOWN_ERROR (live: a query-string `where` on GET /orders, three times in a row; POST /orders always).',
      content: { [JSON_TYPE]: { schema: unknownError, examples: inlineExamples(UNKNOWN_ERROR_EXAMPLES) } },
    },
    Refused: {
      description: 'A refusal of the request (never observed live; the mock answers 400 VALIDATION_ERROR).',
      content: { [JSON_TYPE]: { schema: schemaRef('RestError') } },
    },
  };
}

function successSchema(contracts: (ContractName | null)[], partners: boolean): JsonSchema {
  if (contracts.includes(null)) return { description: 'no contract: the answer was never observed live and is not documented' };
  const refs = [...contracts.map((c) => contractRef(c!)), ...(partners ? [schemaRef('PartnersError')] : [])];
  return refs.length === 1 ? refs[0] : { anyOf: refs };
}

function success(op: Operation, contracts: (ContractName | null)[], examples: ReadonlySet<ContractName>): unknown {
  const partners = op.api === 'partners';
  const named = contracts.filter((c): c is ContractName => c !== null && examples.has(c)).map(exampleName);
  const media: Record<string, unknown> = { schema: successSchema(contracts, partners) };
  if (named.length > 0 || partners) media.examples = { ...exampleRefs(named), ...(partners ? inlineExamples(partnersErrorExamples()) : {}) };
  return {
    description: partners ? 'The answer, or a Partners error: `status: "error"` with a code, always with HTTP 200.' : 'The answer.',
    content: { [JSON_TYPE]: media },
  };
}

const ERROR_OF_STATUS: Record<string, string> = { '403': 'Forbidden', '404': 'NotFound', '4XX': 'Refused' };

/** The responses object of an operation. `examples`: the contracts that have a live example in components. */
export function operationResponses(op: Operation, examples: ReadonlySet<ContractName>): Record<string, unknown> {
  if (op.notARoute) return { '404': responseRef('NotFoundPage') };
  const responses: Record<string, unknown> = {};
  for (const [status, contracts] of [...op.expected.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (status === '200') responses[status] = success(op, [...contracts], examples);
    else if (ERROR_OF_STATUS[status]) responses[status] = responseRef(ERROR_OF_STATUS[status]);
    else throw new Error(`openapi: ${op.method} ${op.template} expects HTTP ${status}, which has no response here`);
  }
  if (op.api === 'rest') {
    responses['403'] = responseRef('Forbidden');
    if (op.template.includes('{')) responses['404'] = responseRef('NotFound');
    if (op.method === 'GET' && op.template === '/orders') responses['503'] = responseRef('UnknownError');
  }
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}
