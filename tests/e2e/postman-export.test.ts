import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { catalogue, specById } from '../../support/catalogue/index.ts';
import { collectionVariables, newmanArgs, NEWMAN_BIN, readNewmanReport, type NewmanReport } from '../../support/export/newman.ts';
import { acceptedStatuses, postmanCollection, type PostmanCollection, type PostmanItem } from '../../support/export/postman.ts';
import type { MockServer } from '../../support/mock/server.ts';
import { repoRoot } from '../../support/paths.ts';
import { PARTNERS_KEY, REST_TOKEN, startTestMock } from '../helpers/mock-helpers.ts';

/** `npm run export -- postman`: the collection's shape, its CLI, and Newman running it against the mock. */

const run = promisify(execFile);
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const exportCli = (...args: string[]) =>
  run(tsx, ['scripts/export.ts', ...args], { cwd: repoRoot }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error) => ({ code: error.code as number, stdout: String(error.stdout), stderr: String(error.stderr) }),
  );

const items = (collection: PostmanCollection): PostmanItem[] => collection.item.flatMap((folder) => folder.item);
const specIdOf = (name: string) => name.split(' ')[0];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qtickets-postman-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the exported collection', () => {
  const collection = postmanCollection();

  test('holds the 51 specs in catalogue order, one folder per API section, with a status test each', () => {
    expect(collection.info.schema).toBe('https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
    expect(items(collection).map((item) => specIdOf(item.name))).toEqual(catalogue.map((spec) => spec.id));
    expect(collection.item.map((folder) => folder.name.split('.')[0])).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    for (const item of items(collection)) {
      const script = item.event.find((e) => e.listen === 'test')!.script.exec.join('\n');
      expect(script, item.name).toMatch(/pm\.test\(.*answers HTTP/);
    }
  });

  test('sends what the suite sends: method, path and body of the plan, ids as variables', () => {
    const spec = specById('1.5');
    const item = items(collection).find((i) => specIdOf(i.name) === '1.5')!;
    const [sent] = spec.plan.requests({ paidEventId: '4242' });
    expect(item.request.method).toBe(sent.method);
    expect(item.request.url).toBe(`{{QTICKETS_BASE_URL}}${sent.path}`);
    expect(JSON.parse(item.request.body!.raw.replace('{{paidEventId}}', '4242'))).toEqual(sent.body);
    expect(item.protocolProfileBehavior).toEqual({ disableBodyPruning: true });
    const partners = items(collection).find((i) => specIdOf(i.name) === '6.4')!;
    expect(partners.request.url).toBe('{{QTICKETS_PARTNERS_BASE_URL}}/tickets/update/{{partnerEventId}}/{{partnerShowId}}');
    expect(partners.request.auth.bearer[0].value).toBe('{{QTICKETS_PARTNERS_TOKEN}}');
    expect(JSON.parse(partners.request.body!.raw)).toMatchObject({ id: '{{partnerTicketId}}', paid_at: '{{nowMsk}}' });
  });

  test('every {{variable}} it uses is declared or set by its scripts; every body is JSON once filled in; no value is stored', () => {
    const declared = new Set(collection.variable.map((v) => v.key));
    const setByScripts = new Set(['nowMsk', 'inOneDayMsk']);
    for (const item of items(collection)) {
      const text = [item.request.url, item.request.body?.raw ?? '', item.request.auth.bearer[0].value].join('\n');
      for (const [, name] of text.matchAll(/\{\{(\w+)\}\}/g)) expect(declared.has(name) || setByScripts.has(name), `${item.name}: {{${name}}}`).toBe(true);
      expect(text, item.name).not.toMatch(/9135\d{5}/);
      if (item.request.body) expect(() => JSON.parse(item.request.body!.raw.replace(/"\{\{\w+\}\}"/g, '"x"').replace(/\{\{\w+\}\}/g, '1')), item.name).not.toThrow();
    }
    expect(collection.variable.filter((v) => v.value !== '')).toEqual([]);
    // Only 7.1 carries a literal credential: the spec's own invalid one.
    const literal = items(collection).filter((item) => !/^\{\{\w+\}\}$/.test(item.request.auth.bearer[0].value));
    expect(literal.map((item) => [specIdOf(item.name), item.request.auth.bearer[0].value])).toEqual([['7.1', 'INVALID_TOKEN_12345']]);
  });
});

describe('npm run export', () => {
  test('postman [file] writes the collection', async () => {
    const file = join(dir, 'cli.json');
    const result = await exportCli('postman', file);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Wrote 51 requests in 7 folders');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(postmanCollection())));
  });

  test.each([
    [[], 'export: name a format.'],
    [['insomnia'], 'export: unknown format "insomnia" (known: postman).'],
    [['postman', 'a.json', 'b.json'], 'export: unexpected argument "b.json".'],
    [['postman', '--out'], 'export: unknown option "--out".'],
  ])('%j: exit code 2 and one readable message', async (args, message) => {
    const result = await exportCli(...args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`${message}\nUsage: npm run export -- postman [file]`);
  });
});

describe('Newman runs the exported collection against the mock', () => {
  let mock: MockServer;
  beforeAll(async () => {
    mock = await startTestMock();
  });
  afterAll(() => mock.close());

  async function newman(collection: PostmanCollection, tokens: { restToken: string; partnersToken: string }, name: string): Promise<NewmanReport> {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(collection));
    const variables = await collectionVariables({ restBaseUrl: mock.restBaseUrl, partnersBaseUrl: mock.partnersBaseUrl, restToken: REST_TOKEN, partnersToken: PARTNERS_KEY });
    Object.assign(variables, { QTICKETS_TOKEN: tokens.restToken, QTICKETS_PARTNERS_TOKEN: tokens.partnersToken });
    const report = join(dir, `${name}-newman.json`);
    // Newman exits 1 when an assertion fails; its JSON report says which.
    await run(NEWMAN_BIN, newmanArgs(file, variables, report), { cwd: repoRoot }).catch(() => undefined);
    return readNewmanReport(report);
  }

  test('every one of the 51 requests gets the status the suite expects, and its assertion passes', async () => {
    const report = await newman(postmanCollection(), { restToken: REST_TOKEN, partnersToken: PARTNERS_KEY }, 'all');
    expect(report.executions.map((e) => specIdOf(e.name))).toEqual(catalogue.map((spec) => spec.id));
    expect(report.requests).toEqual({ total: catalogue.length, failed: 0 });
    for (const execution of report.executions) {
      const spec = specById(specIdOf(execution.name));
      const accepted = acceptedStatuses(spec).some((s) => s === execution.status || (s === '4xx' && execution.status! >= 400 && execution.status! < 500));
      expect(accepted, `${spec.id}: HTTP ${execution.status}, expected ${acceptedStatuses(spec).join(' or ')}`).toBe(true);
      expect(execution.assertions.length, spec.id).toBe(1);
      expect(execution.assertions.filter((a) => !a.passed), spec.id).toEqual([]);
    }
  }, 300_000);

  test('with wrong tokens the status tests fail, including a Partners error sent with HTTP 200', async () => {
    const report = await newman(postmanCollection(['1.1', '6.9', '7.1'].map(specById)), { restToken: 'wrong', partnersToken: 'wrong' }, 'wrong-tokens');
    const outcome = Object.fromEntries(report.executions.map((e) => [specIdOf(e.name), [e.status, e.assertions.every((a) => a.passed)]]));
    expect(outcome).toEqual({ '1.1': [403, false], '6.9': [200, false], '7.1': [403, true] });
  }, 300_000);
});
