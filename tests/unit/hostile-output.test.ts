import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { QTicketsClient, type ApiResult } from '../../support/client.ts';
import { ConfigError, loadConfig } from '../../support/config/load.ts';
import { exchangeArtifact, writeArtifact } from '../../support/harness/artifacts.ts';
import { leakFinder } from '../../support/masking.ts';
import { redactHeaders, redactText, secretsOf, withoutCredentials } from '../../support/secrets.ts';
import { PLANTED_TOKEN, produceRun, sampleCases } from '../helpers/fixtures/reporter/sample-run.ts';
import { verifyRunDir } from '../../reporters/audit/verify.ts';
import { repoRoot } from '../../support/paths.ts';

/**
 * The pieces that keep a hostile API's answers from breaking or leaking into the report: bounded reading,
 * secrets from the configuration, redaction, the artifact budget, the windowed leak scan, escaped Markdown
 * and a reporter whose own failures become run errors of a report that is still written.
 */

let root: string;
let savedExitCode: typeof process.exitCode;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'qta-hostile-unit-'));
  savedExitCode = process.exitCode;
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  process.exitCode = savedExitCode;
});

describe('bounded answers', () => {
  let server: Server;
  let base: string;
  const answers: Record<string, (res: import('node:http').ServerResponse) => void> = {
    '/big': (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 8 * 2 ** 20 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.write('{"data":"');
      pump();
    },
    '/deep-ok': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('['.repeat(8) + ']'.repeat(8)),
    '/deep': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('['.repeat(9) + ']'.repeat(9)),
    '/deep-in-string': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: '[[[[[[[[[[[[[[[["\\' })),
    '/utf8': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.concat([Buffer.from('{"name":"ab'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])),
  };
  beforeAll(async () => {
    server = createServer((req, res) => answers[req.url!.replace('/api', '')](res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const client = () => new QTicketsClient({ api: 'rest', baseUrl: base, token: 't', timeoutMs: 10_000, maxRetries: 0, retryBaseMs: 1, maxRetryAfterMs: 1, maxAnswerBytes: 2 ** 20, maxJsonDepth: 8 });
  const get = (path: string) => client().send({ api: 'rest', method: 'GET', path, idempotent: true });

  test('an answer over the size bound stops being read there: malformed, truncated, the bound named', async () => {
    const result = await get('/big');
    expect(result).toMatchObject({ kind: 'malformed', truncated: true, bytes: 2 ** 20, body: null });
    expect(result.error).toBe(`the answer is larger than ${2 ** 20} bytes (QTICKETS_MAX_ANSWER_BYTES): reading stopped after ${2 ** 20} bytes`);
    expect(result.text.length).toBeLessThanOrEqual(64 * 1024);
  });

  test('nesting up to the bound parses; one level more is malformed, brackets inside strings do not count', async () => {
    expect(await get('/deep-ok')).toMatchObject({ kind: 'ok' });
    expect(await get('/deep')).toMatchObject({ kind: 'malformed', error: 'the JSON answer nests deeper than 8 levels (QTICKETS_MAX_JSON_DEPTH)' });
    expect(await get('/deep-in-string')).toMatchObject({ kind: 'ok', body: { text: '[[[[[[[[[[[[[[[["\\' } });
  });

  test('invalid UTF-8 is malformed, naming the offset of the first bad byte', async () => {
    expect(await get('/utf8')).toMatchObject({ kind: 'malformed', error: 'the answer is not valid UTF-8 (first invalid byte at offset 11)' });
  });
});

describe('secrets from the resolved configuration', () => {
  test('tokens of .env.<name>, the ClickHouse password and URL passwords are secrets; user names alone are not', () => {
    const name = `hostile-unit-${process.pid}`;
    const file = join(repoRoot, `.env.${name}`);
    writeFileSync(file, 'QTICKETS_TOKEN=file-token-123456\nQTICKETS_PARTNERS_TOKEN=file-partners-654321\nQTICKETS_BASE_URL=https://me:p%40ss-word@api.example/v1\nCLICKHOUSE_PASSWORD=ch-pass-42\n');
    try {
      const config = loadConfig(name, {}, {});
      expect(new Set(secretsOf(config))).toEqual(new Set(['file-token-123456', 'file-partners-654321', 'ch-pass-42', 'p%40ss-word', 'p@ss-word', 'me:p%40ss-word', 'me:p@ss-word']));
    } finally {
      rmSync(file);
    }
  });

  test('URLs lose their credentials; credential headers and echoed secrets are redacted', () => {
    expect(withoutCredentials('https://me:secret@api.example/v1?x=1')).toBe('https://api.example/v1?x=1');
    expect(withoutCredentials('not a url')).toBe('not a url');
    const headers = redactHeaders({ Authorization: 'Bearer abc', 'set-cookie': 'sid=1', 'x-echo': 'token tok-123 and "tok-123"', server: 'nginx' }, ['tok-123']);
    expect(headers).toEqual({ Authorization: '<redacted>', 'set-cookie': '<redacted>', 'x-echo': 'token <redacted> and "<redacted>"', server: 'nginx' });
    expect(redactText(JSON.stringify({ k: 'a"b\\c' }), ['a"b\\c'])).toBe('{"k":"<redacted>"}');
  });
});

describe('bounds of the configuration', () => {
  test.each(['20MB', '0', '1e6', '-5', '2.5'])('QTICKETS_MAX_ANSWER_BYTES=%s is refused with a readable message', (value) => {
    expect(() => loadConfig('mock', {}, { QTICKETS_MAX_ANSWER_BYTES: value })).toThrow(ConfigError);
    expect(() => loadConfig('mock', {}, { QTICKETS_MAX_ANSWER_BYTES: value })).toThrow(/QTICKETS_MAX_ANSWER_BYTES: must be a whole number of 1 or more/);
  });

  test('defaults: 20 MiB answers, 64 levels, 200 MiB of artifacts; values as given otherwise', () => {
    expect(loadConfig('mock', {}, {})).toMatchObject({ http: { maxAnswerBytes: 20 * 2 ** 20, maxJsonDepth: 64 }, maxArtifactBytes: 200 * 2 ** 20 });
    expect(loadConfig('mock', {}, { QTICKETS_MAX_ANSWER_BYTES: '1000', QTICKETS_MAX_JSON_DEPTH: '5', AUDIT_MAX_ARTIFACT_BYTES: '999' })).toMatchObject({ http: { maxAnswerBytes: 1000, maxJsonDepth: 5 }, maxArtifactBytes: 999 });
  });
});

test('the run artifact budget: past it an exchange is a marked stub, and the budget is shared through the ledger', () => {
  const runDir = join(root, 'run');
  const budget = { ledger: join(root, 'ledger.txt'), maxBytes: 8000 };
  const result: ApiResult = { kind: 'ok', status: 200, contentType: 'application/json', headers: {}, body: { data: 'x'.repeat(5000) }, text: '', latencyMs: 1, bytes: 5010, retries: [], startedAt: '' };
  const big = exchangeArtifact('1.1', 'spec', 'http://h/orders', { api: 'rest', method: 'GET', path: '/orders' }, 'configured', result, []);
  const first = writeArtifact(runDir, '1.1', 1, 'spec', big, budget);
  expect(first.stored).toBe(big);
  const second = writeArtifact(runDir, '1.1', 2, 'spec', big, budget);
  // The facts the report checks stay; the body goes.
  expect(second.stored).toMatchObject({ test_id: '1.1', role: 'spec', response: { status: 200, content_type: 'application/json', body: null }, omitted: expect.stringMatching(/AUDIT_MAX_ARTIFACT_BYTES \(8000 bytes; \d+ used\)/) });
  expect(JSON.parse(readFileSync(join(runDir, second.path), 'utf8'))).toEqual(second.stored);
  expect(readFileSync(budget.ledger, 'utf8').trim().split('\n')).toHaveLength(2);
});

describe('the leak scan on huge texts', () => {
  test('50 MB of one Cyrillic word: no stack overflow, and a planted secret and email at the end are found', () => {
    const find = leakFinder({ secrets: ['tok-xyz-987'], personal: ['ivan.petrov@example.com'] });
    const leaks = find(`${'я'.repeat(50 * 2 ** 20)} tok-xyz-987 ivan.petrov@example.com`);
    expect(leaks.map((l) => l.kind)).toEqual(['secret', 'personal']);
  });

  test('letters before "@" over and over: every run of them is tried once (this took minutes before)', () => {
    const find = leakFinder({ secrets: [], personal: [] });
    expect(find(`${`${'a'.repeat(1000)}@`.repeat(20_000)} x@y.ru`).map((l) => l.kind)).toEqual(['email']);
  });

  test('a hit across a window border is found once', () => {
    const find = leakFinder({ secrets: ['border-secret'], personal: [] });
    const text = `${'a '.repeat(2 ** 19 - 3)}border-secret ${'b '.repeat(10)}`;
    expect(find(text)).toHaveLength(1);
  });
});

describe('the reporter with hostile text', () => {
  const HOSTILE = `got "x | y\r| 9.9 | forged |\n\`\`\`\n</pre><script>alert(1)</script> ${PLANTED_TOKEN}"`;

  test('a failure message with a fence, CR, HTML and an echoed secret: redacted before writing, fenced, the report verifies', async () => {
    const { runDir, result } = await produceRun(root, '20251126_100000', {
      cases: (dir) =>
        sampleCases(dir).map((c) => (c.name.startsWith('3.7 ') ? { ...c, errors: [`3.7 Seats: ${HOSTILE}`], evidence: c.evidence && { ...c.evidence, error: HOSTILE } } : c)),
    });
    const md = readFileSync(join(runDir, 'audit.md'), 'utf8');
    expect(md).not.toContain(PLANTED_TOKEN);
    expect(md).not.toContain('\r');
    expect(result!.summary.leakScan.findings).toEqual([]);
    // The message's own ``` cannot close the block: the fence is longer.
    const block = md.split('- **3.7**:')[1].split('\n````\n')[0];
    expect(block).toContain('\n````text\n');
    expect(block).toContain('<script>alert(1)</script> <redacted>');
    const matrix = md.split('## 3. Test Matrix')[1].split('\n## ')[0];
    expect(matrix.split('\n').filter((line) => line.startsWith('|'))).toHaveLength(2 + 51);
    expect(matrix).toContain('&lt;script&gt;');
    expect(result!.summary.violations).toEqual([]);
    expect(verifyRunDir(runDir, [PLANTED_TOKEN]).problems).toEqual([]);
  });

  test('a step of the reporter that throws becomes a run error of the report, which is still written', async () => {
    const scratch = join(root, 'scratch');
    // The personal-values file is a folder: reading it throws inside the leak scan.
    mkdirSync(join(scratch, 'personal-values.txt'), { recursive: true });
    const { runDir, result } = await produceRun(root, '20251126_100000', {
      cases: (dir) => {
        const runtime = JSON.parse(readFileSync(join(dir, 'runtime.json'), 'utf8'));
        writeFileSync(join(dir, 'runtime.json'), JSON.stringify({ ...runtime, scratchDir: scratch }));
        return sampleCases(dir);
      },
    });
    expect(result!.summary.runErrors).toEqual([{ source: 'audit reporter', message: expect.stringMatching(/^the leak scan failed: Error: EISDIR/) }]);
    expect(result!.summary.status).not.toBe('OK');
    expect(process.exitCode).toBe(1);
    for (const name of ['audit.md', 'summary.json', 'run.jsonl', 'DONE.txt']) expect(existsSync(join(runDir, name)), name).toBe(true);
    expect(readFileSync(join(runDir, 'audit.md'), 'utf8')).toContain('- audit reporter: the leak scan failed: Error: EISDIR');
  });
});
