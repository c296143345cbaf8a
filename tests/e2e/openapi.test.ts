import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { validate, compileErrors } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { catalogue } from '../../support/catalogue/index.ts';
import { checkContract, type ContractName } from '../../support/contracts/index.ts';
import type { MockServer } from '../../support/mock/server.ts';
import { openApiDocument, openApiText } from '../../support/openapi/document.ts';
import { fixturesDir, repoRoot } from '../../support/paths.ts';
import { verifyRunDir } from '../../reporters/audit/verify.ts';
import { produceRun } from '../helpers/fixtures/reporter/sample-run.ts';
import { DocumentChecker, driveCatalogue, probeNonRoutes, type Answer } from '../helpers/openapi-answers.ts';
import { startTestMock } from '../helpers/mock-helpers.ts';

/**
 * `npm run openapi`: the document passes an OpenAPI validator, and every answer the mock gives to every
 * catalogue request fits it by a JSON Schema validator that is not zod (ajv) — two independent descriptions
 * of the same API that must agree; a planted disagreement must not.
 */

const doc: any = openApiDocument();
/** ajv holding the document as schema `openapi`, so `openapi#/…` refers into it. */
function ajvWithDocument(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, validateSchema: false });
  ajv.addSchema(doc, 'openapi');
  return ajv;
}
const operations = () => Object.entries<any>(doc.paths).flatMap(([path, ops]) => Object.entries<any>(ops).map(([method, op]) => ({ path, method, op })));

describe('the document', () => {
  test('passes @readme/openapi-parser as OpenAPI 3.1, without warnings', async () => {
    const result = await validate(structuredClone(doc));
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    expect(result.warnings).toEqual([]);
    expect(result.specification).toBe('OpenAPI');
    expect(doc.openapi).toBe('3.1.0');
  });

  test('the validator is not vacuous: an undeclared path parameter and a dangling $ref fail it', async () => {
    const broken = structuredClone(doc);
    delete broken.paths['/rest/v1/orders/{order_id}'].get.parameters;
    expect((await validate(broken)).valid).toBe(false);
    const dangling = structuredClone(doc);
    dangling.paths['/rest/v1/orders'].get.responses['200'].content['application/json'].schema = { $ref: '#/components/schemas/Nothing' };
    const result = await validate(dangling);
    expect(result.valid ? '' : compileErrors(result)).toContain('Missing $ref pointer "#/components/schemas/Nothing"');
  });

  test('every spec request is an operation; both APIs have their own bearer scheme', () => {
    const specsOf = operations().flatMap(({ op }) => op['x-qtickets-specs'].map((id: string) => [id, op]));
    expect([...new Set(specsOf.filter(([, op]) => !op.deprecated).map(([id]) => id))].sort()).toEqual(catalogue.map((s) => s.id).sort());
    expect(doc.components.securitySchemes).toEqual({
      restToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      partnersKey: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    for (const { path, op } of operations()) expect(op.security, path).toEqual([{ [path.startsWith('/partners/') ? 'partnersKey' : 'restToken']: [] }]);
  });

  test('it holds the observed errors, the paging and live examples', () => {
    const get = (path: string) => doc.paths[path].get;
    expect(get('/rest/v1/orders/{order_id}').responses['404']).toEqual({ $ref: '#/components/responses/NotFound' });
    expect(get('/rest/v1/orders').responses['503']).toEqual({ $ref: '#/components/responses/UnknownError' });
    expect(get('/rest/v1/events').responses['403']).toEqual({ $ref: '#/components/responses/Forbidden' });
    expect(get('/rest/v1/events/{event_id}/seats').responses).toEqual({ '404': { $ref: '#/components/responses/NotFoundPage' } });
    expect(Object.keys(doc.components.responses.NotFoundPage.content)).toEqual(['text/html']);
    const partnersOk = doc.paths['/partners/v1/tickets/find'].post.responses['200'].content['application/json'];
    expect(partnersOk.schema.anyOf).toContainEqual({ $ref: '#/components/schemas/PartnersError' });
    expect(partnersOk.examples.WRONG_AUTHORIZATION.value).toEqual({ status: 'error', code: 'WRONG_AUTHORIZATION', message: 'Wrong authorization' });
    expect(get('/rest/v1/orders').parameters.map((p: any) => p.name)).toEqual(['page', 'per_page', 'where', 'orderBy']);
    expect(get('/rest/v1/orders').description).toContain('live page size 50');
    expect(doc.components.examples['orders-list'].value.paging).toEqual({ perPage: 50, currentPage: 1, total: 123071 });
  });

  test('whole live pages fit the components of their contracts, as they pass the contracts', () => {
    const ajv = ajvWithDocument();
    const pages: [string, string][] = [['orders', 'OrdersList'], ['clients', 'ClientsList'], ['events', 'EventsList'], ['discounts', 'DiscountsList'], ['promo-codes', 'PromoCodesList']];
    for (const [name, component] of pages) {
      const { _fixture_note: _note, ...page } = JSON.parse(readFileSync(join(fixturesDir(), `${name}-page-1.json`), 'utf8'));
      expect(ajv.validate({ $ref: `openapi#/components/schemas/${component}` }, page) ? [] : ajv.errors, name).toEqual([]);
    }
  });

  test('the examples fit their schemas and hold no raw personal value (the report\'s leak scan)', () => {
    const ajv = ajvWithDocument();
    const schemaOf = (...segments: string[]) => ({ $ref: `openapi#${segments.map((s) => `/${encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))}`).join('')}` });
    const checks: { what: string; schema: object; value: unknown }[] = [];
    for (const { path, method, op } of operations()) {
      const request = op.requestBody?.content['application/json'];
      for (const [name, example] of Object.entries<any>(request?.examples ?? {})) {
        checks.push({ what: `${method} ${path} request ${name}`, schema: schemaOf('paths', path, method, 'requestBody', 'content', 'application/json', 'schema'), value: example.value });
      }
      const ok = op.responses['200']?.content?.['application/json'];
      for (const [name, example] of Object.entries<any>(ok?.examples ?? {})) {
        const value = example.$ref ? doc.components.examples[example.$ref.split('/').pop()].value : example.value;
        checks.push({ what: `${method} ${path} 200 ${name}`, schema: schemaOf('paths', path, method, 'responses', '200', 'content', 'application/json', 'schema'), value });
      }
    }
    expect(checks.length).toBeGreaterThan(40);
    for (const { what, schema, value } of checks) expect(ajv.validate(schema, value) ? [] : ajv.errors, what).toEqual([]);
    expect(openApiText()).not.toMatch(/@[a-z0-9-]+\.[a-z]{2,}|\+7\d{10}/i);
  });
});

describe('every answer the mock gives to every catalogue request fits the document (ajv, not zod)', () => {
  let mock: MockServer;
  let answers: Answer[];
  const checker = new DocumentChecker(doc);
  beforeAll(async () => {
    mock = await startTestMock();
    answers = [...(await driveCatalogue(mock)), ...(await probeNonRoutes(mock, doc))];
  }, 120_000);
  afterAll(() => mock.close());

  test('all 51 specs answered, lookups included, and every answer validates', () => {
    expect(new Set(answers.flatMap((a) => (a.specId ? [a.specId] : []))).size).toBe(catalogue.length);
    expect(answers.filter((a) => !a.specId).length).toBeGreaterThan(0);
    expect(answers.flatMap((a) => checker.problems(a))).toEqual([]);
    // The expected error answers are among them: 7.1's 403, 7.2's 404, 7.4's refusal, the HTML 404 pages.
    const statusOf = (id: string) => answers.filter((a) => a.specId === id).map((a) => `${a.status} ${a.contentType.split(';')[0]}`);
    expect(statusOf('7.1')).toEqual(['403 application/json']);
    expect(statusOf('7.2')).toEqual(['404 application/json']);
    expect(statusOf('3.6')).toContain('404 text/html');
  });

  test('the contracts agree: every answer with a contract passes it in zod too', () => {
    for (const answer of answers.filter((a) => a.specId && a.status === 200)) {
      const spec = catalogue.find((s) => s.id === answer.specId)!;
      if (spec.plan.contract) expect(checkContract(spec.plan.contract as ContractName, answer.body).issues, `${spec.id} ${answer.path}`).toEqual([]);
    }
  });

  test('a planted disagreement fails: a wrong type, a missing field, a Partners payload of the wrong shape', () => {
    const orders = answers.find((a) => a.specId === '1.1')!;
    const wrongType = structuredClone(orders) as Answer & { body: any };
    wrongType.body.data[0].payed = 'yes';
    expect(checker.problems(wrongType)).toEqual(['GET /orders → 200 application/json: /data/0/payed must be boolean']);
    const missing = structuredClone(orders) as Answer & { body: any };
    delete missing.body.paging.total;
    expect(checker.problems(missing)).toEqual(["GET /orders → 200 application/json: /paging must have required property 'total'"]);
    const find = structuredClone(answers.find((a) => a.specId === '6.9')!) as Answer & { body: any };
    find.body.result = 'none';
    expect(checker.problems(find).length).toBeGreaterThan(0);
    expect(checker.problems({ ...orders, status: 500 })).toEqual(['GET /orders → 500 application/json: the document has no response for HTTP 500']);
    expect(checker.problems({ ...orders, path: '/orders/1/nothing' })).toEqual(['GET /orders/1/nothing → 200 application/json: no such operation in the document']);
  });

  test('an unknown key is drift, not a disagreement, as in the contracts', () => {
    const orders = structuredClone(answers.find((a) => a.specId === '1.1')!) as Answer & { body: any };
    orders.body.data[0].new_field = 1;
    expect(checker.problems(orders)).toEqual([]);
    expect(checkContract('orders.list', orders.body).ok).toBe(true);
  });

  test("the mock's own drop-field fault (a required field missing from its answer) fails the check", async () => {
    mock.setFaults([{ kind: 'drop-field', method: 'GET', path: '^/orders$', field: 'data.0.payed', times: 1 }]);
    const [answer] = await driveCatalogue(mock, [catalogue[0]]);
    mock.setFaults([]);
    expect(checker.problems(answer)).toEqual(["GET /orders → 200 application/json: /data/0 must have required property 'payed'"]);
  });
});

describe('npm run openapi', () => {
  const run = promisify(execFile);
  const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'qtickets-openapi-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('[file] writes the document; a second argument is refused with exit code 2', async () => {
    const file = join(dir, 'api.json');
    const { stdout } = await run(tsx, ['scripts/openapi.ts', file], { cwd: repoRoot });
    expect(stdout).toMatch(/^Wrote an OpenAPI 3\.1 document \(\d+ operations on \d+ paths\) to /);
    expect(readFileSync(file, 'utf8')).toBe(openApiText());
    const refused = await run(tsx, ['scripts/openapi.ts', file, 'extra'], { cwd: repoRoot }).catch((error) => error);
    expect([refused.code, refused.stderr.trim()]).toEqual([2, 'openapi: unexpected argument "extra".\nUsage: npm run openapi [file]']);
  });
});

describe('every audit run writes openapi.json', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'qtickets-openapi-run-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('into its folder and its archive; verify-report holds the two copies to each other', async () => {
    const { runDir, result } = await produceRun(root, '20251126_100000');
    expect(result!.problems).toEqual([]);
    const written = readFileSync(join(runDir, 'openapi.json'), 'utf8');
    // The run's copy is the document plus the drift it saw: 1.1's orders carried data[].new_flag.
    const { ['x-observed-drift']: observed, ...document } = JSON.parse(written);
    expect(document).toEqual(JSON.parse(openApiText()));
    expect(observed).toEqual({ 'orders.list': [{ spec: '1.1', path: 'data[].new_flag', records: 50, example: 'true', firstSeen: '20251126_100000' }] });
    appendFileSync(join(runDir, 'openapi.json'), ' ');
    expect(verifyRunDir(runDir).problems).toContain('openapi.json in qtickets_audit_20251126_100000.zip differs from the run folder');
  });
});
