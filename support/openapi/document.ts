import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContractName } from '../contracts/index.ts';
import type { Api } from '../core/types.ts';
import { repoRoot } from '../paths.ts';
import { exampleName, livePerPage, masked, successExamples } from './examples.ts';
import { catalogueOperations, operationKey, type Operation } from './operations.ts';
import { requestBodySchema } from './requests.ts';
import { errorResponses, operationResponses } from './responses.ts';
import { componentSchemas, type JsonSchema } from './schemas.ts';

/**
 * The OpenAPI 3.1 document of REST v1 and Partners v1 as this suite knows them (`npm run openapi`, and
 * openapi.json in every report folder): the catalogue's operations, answers described by the zod contracts,
 * the error answers observed live, and examples from the anonymized live answers.
 */

/** Both APIs under one server, each under its own base path (docs/api.md §1). */
export const API_BASE: Record<Api, string> = { rest: '/rest/v1', partners: '/partners/v1' };
const SECURITY: Record<Api, string> = { rest: 'restToken', partners: 'partnersKey' };
const TAGS: Record<Api, string> = { rest: 'REST v1', partners: 'Partners v1' };
const NOT_A_ROUTE_TAG = 'Not routes';

const DESCRIPTION = [
  'Built by qtickets-contract-suite from what it knows of the live API: its catalogue of the 51 spec requests, its zod contracts (support/contracts/) and the answers observed live (docs/api.md). The vendor publishes no OpenAPI document.',
  'Answer schemas are generated from the contracts. A key that a contract does not know is reported by the suite as drift, never as a failure, so the schemas allow unknown keys. Every timestamp carries an offset (live: always +03:00).',
  'REST reads take their filters as a JSON body on GET (docs/api.md §5, §6); the mock also reads `where`, `orderBy` and `page` from the query string, where live ignores simple parameters and answered a `where` on /orders with 503.',
  'Partners: GET and POST are interchangeable, parameters travel in the query string or a JSON body, and every error comes with HTTP 200 as `{status: "error", code, message}`. `show_id` is required when the event has more than one show.',
  'Operations tagged "Not routes" are the spec\'s literal requests that the live API does not have: the suite sends them read-only to record the deviation, and they answer the website\'s HTML 404 page.',
  'Answer examples come from data/live-shapes/; request examples are the specs\' own bodies with the documentation\'s example ids. Both are masked as every output of the suite is (docs/report-format.md §4). Partners answers were never observed live except the authorization error.',
].join('\n\n');

const packageVersion = (): string => (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

const INTEGER_PARAMS = new Set(['order_id', 'event_id', 'show_id', 'basket_id', 'promo_code_id', 'ticket_id']);

function pathParameters(template: string): unknown[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: INTEGER_PARAMS.has(name) ? { type: 'integer' } : { type: 'string' },
  }));
}

const jsonQuery = (name: string, schema: JsonSchema, description: string) => ({ name, in: 'query', required: false, description, content: { 'application/json': { schema } } });

/** The paging of a list: `page` in the body or the query string; the server fixes the page size. */
function pagingParameters(): unknown[] {
  return [
    { name: 'page', in: 'query', required: false, schema: { type: 'integer', minimum: 1 }, description: 'the page; the body\'s `page` is the documented form' },
    { name: 'per_page', in: 'query', required: false, deprecated: true, schema: { type: 'integer' }, description: 'ignored live: the page size is the server\'s' },
    jsonQuery('where', { type: 'array', items: { type: 'object' } }, 'the body\'s `where` as JSON (unverified live; on /orders live answered 503)'),
    jsonQuery('orderBy', { type: 'object' }, 'the body\'s `orderBy` as JSON (unverified live)'),
  ];
}

function pagingText(op: Operation): string {
  const contracts = [...(op.expected.get('200') ?? [])].filter((c): c is ContractName => c !== null);
  const perPage = contracts.map(livePerPage).find((n) => n !== undefined);
  return `Paged: \`paging {perPage, currentPage, total}\`, the last page is ceil(total / perPage)${perPage ? `; live page size ${perPage}` : ''}. Without \`orderBy\` the items come by id ascending; deleted and unpaid items are included.`;
}

function describe(op: Operation): string {
  const lines = op.specs.map((spec) => `- **${spec.id}** ${spec.title}: ${op.notARoute ? `the spec's literal request (${spec.literal.method} ${spec.literal.path})` : spec.expected.text}`);
  if (op.lookup) lines.push(`- sent by the suite's id discovery: ${op.lookup}`);
  if (op.paged) lines.push('', pagingText(op));
  return lines.join('\n');
}

const operationId = (op: Operation): string => `${op.api}_${op.method.toLowerCase()}${op.template.replace(/[^A-Za-z0-9]+/g, '_').replace(/_$/, '')}`;

function requestBody(op: Operation): unknown {
  const key = operationKey(op.api, op.method, op.template);
  const schema = requestBodySchema(key);
  if (op.bodies.length === 0) return undefined;
  if (!schema) throw new Error(`openapi: ${key} is sent with a body that no request schema describes`);
  const examples = Object.fromEntries(op.bodies.map((b) => [b.specId, masked({ summary: `${b.specId} ${b.title}`, value: b.body })]));
  return { required: op.method !== 'GET', content: { 'application/json': { schema, examples } } };
}

function operation(op: Operation, examples: ReadonlySet<ContractName>): Record<string, unknown> {
  const body = requestBody(op);
  return {
    operationId: operationId(op),
    summary: op.specs[0] ? `${op.specs.map((s) => s.id).join(', ')}: ${op.specs[0].title}` : `id discovery: ${op.lookup}`,
    description: describe(op),
    tags: [op.notARoute ? NOT_A_ROUTE_TAG : TAGS[op.api]],
    ...(op.notARoute ? { deprecated: true } : {}),
    security: [{ [SECURITY[op.api]]: [] }],
    ...(op.template.includes('{') || op.paged ? { parameters: [...pathParameters(op.template), ...(op.paged ? pagingParameters() : [])] } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: operationResponses(op, examples),
    'x-qtickets-specs': op.specs.map((s) => s.id),
  };
}

export function openApiDocument(): Record<string, unknown> {
  const examples = successExamples();
  const withExample = new Set(Object.keys(examples) as ContractName[]);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of catalogueOperations()) {
    const path = API_BASE[op.api] + op.template;
    paths[path] ??= {};
    paths[path][op.method.toLowerCase()] = operation(op, withExample);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'QTickets REST v1 and Partners v1, as qtickets-contract-suite knows them', version: packageVersion(), description: DESCRIPTION },
    servers: [{ url: 'https://qtickets.ru/api', description: 'production; REST under /rest/v1, Partners under /partners/v1 (`npm run mock` serves the same paths under http://127.0.0.1:<port>/api)' }],
    tags: [
      { name: TAGS.rest, description: 'REST v1: the seller\'s token («Настройки – Основное»)' },
      { name: TAGS.partners, description: 'Partners v1: a separate partner key, issued by QTickets support; the REST token is refused there' },
      { name: NOT_A_ROUTE_TAG, description: 'the spec\'s literal paths that the API does not have (HTML 404 page)' },
    ],
    security: [],
    paths,
    components: {
      schemas: componentSchemas(),
      responses: errorResponses(),
      examples: Object.fromEntries(Object.entries(examples).map(([contract, e]) => [exampleName(contract as ContractName), e])),
      securitySchemes: {
        [SECURITY.rest]: { type: 'http', scheme: 'bearer', description: 'the REST token; a missing or wrong one answers 403' },
        [SECURITY.partners]: { type: 'http', scheme: 'bearer', description: 'the Partners key (not the REST token); a wrong one answers HTTP 200 WRONG_AUTHORIZATION' },
      },
    },
  };
}

/** The document as written to a file. */
/** A field an answer carried that its contract does not know, as one run saw it (a deep walk: on any page). */
export interface ObservedDrift {
  contract: string;
  spec: string;
  /** JSON path in the answer, e.g. `data[].grown_field`. */
  path: string;
  records: number;
  /** Masked; a deep walk adds the id of the first record that had it. */
  example: string;
  /** The run in which the field was first seen. */
  firstSeen: string;
}

/**
 * The document as text. A run's copy adds `x-observed-drift`: per contract, the fields the API sent that the
 * schemas above do not name, so the description says what the live API does beyond the contracts.
 */
export function openApiText(observed: readonly ObservedDrift[] = []): string {
  const document = openApiDocument();
  if (observed.length > 0) {
    const byContract: Record<string, Omit<ObservedDrift, 'contract'>[]> = {};
    for (const { contract, ...field } of observed) (byContract[contract] ??= []).push(field);
    document['x-observed-drift'] = byContract;
  }
  return `${JSON.stringify(document, null, 2)}\n`;
}
