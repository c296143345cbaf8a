import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../support/config/load.ts';
import { repoRoot } from '../../support/paths.ts';
import { runsSpecProject, specIdPattern, splitArgs } from '../../support/cli/args.ts';
import { catalogue, specById, SPEC_IDS } from '../../support/catalogue/index.ts';

describe('configuration', () => {
  test('mock needs no credentials; live defaults to the real hosts and a gentle rate', () => {
    expect(loadConfig('mock', {}, {}).mode).toBe('mock');
    const prod = loadConfig('prod', {}, { QTICKETS_TOKEN: 't' });
    expect(prod.rest).toEqual({ baseUrl: 'https://qtickets.ru/api/rest/v1', token: 't' });
    expect(prod.partners).toEqual({ baseUrl: 'https://qtickets.ru/api/partners/v1', token: null });
    expect(prod.http.ratePerSecond).toBe(2);
    expect(prod.clickhouse).toMatchObject({ mode: 'embedded', database: 'qtickets_audit' });
    expect(prod.allowWrites).toBe(false);
  });

  test('every problem is listed in one message, with where it was read from', () => {
    let message = '';
    try {
      loadConfig('prod', {}, { CLICKHOUSE_URL: 'not a url', QTICKETS_TIMEOUT_MS: '-5', CLICKHOUSE_DATABASE: 'drop table' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('--env prod');
    expect(message).toContain('process environment');
    for (const name of ['QTICKETS_TOKEN', 'CLICKHOUSE_URL', 'QTICKETS_TIMEOUT_MS', 'CLICKHOUSE_DATABASE']) expect(message).toContain(name);
  });

  test('the Partners key must not be the REST token', () => {
    expect(() => loadConfig('prod', {}, { QTICKETS_TOKEN: 'same', QTICKETS_PARTNERS_TOKEN: 'same' })).toThrow(/own key/);
  });

  test('CLICKHOUSE_URL selects that server; --clickhouse docker selects a container; both at once is refused', () => {
    expect(loadConfig('mock', {}, { CLICKHOUSE_URL: 'http://ch:8123' }).clickhouse.mode).toBe('url');
    expect(loadConfig('mock', { clickhouseMode: 'docker' }, {}).clickhouse.mode).toBe('docker');
    expect(() => loadConfig('mock', { clickhouseMode: 'docker' }, { CLICKHOUSE_URL: 'http://ch:8123' })).toThrow(/choose one/);
  });

  test('pinned ids and sandbox settings are read; --allow-writes wins over the file', () => {
    const config = loadConfig('prod', { allowWrites: true }, { QTICKETS_TOKEN: 't', AUDIT_ORDER_ID: '42', SANDBOX_BASKET_ID: '7', SANDBOX_CREATE: 'yes' });
    expect(config.idOverrides).toEqual({ orderId: '42' });
    expect(config.sandbox).toEqual({ SANDBOX_BASKET_ID: '7', SANDBOX_CREATE: 'true' });
    expect(config.allowWrites).toBe(true);
  });

  test('MOCK_FAULTS is validated', () => {
    expect(loadConfig('mock', {}, { MOCK_FAULTS: '[{"kind":"reset","times":1}]' }).mock.faults).toEqual([{ kind: 'reset', times: 1 }]);
    expect(() => loadConfig('mock', {}, { MOCK_FAULTS: '{oops' })).toThrow(/MOCK_FAULTS must be JSON/);
  });
});

/** The message of the ConfigError that loading throws (fails the test when it loads). */
function refusal(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('strict configuration', () => {
  const live = { QTICKETS_TOKEN: 't' };

  test('a blank or malformed number is an error, not 0', () => {
    const message = refusal(() => loadConfig('prod', {}, { ...live, QTICKETS_RATE_LIMIT: ' ', QTICKETS_TIMEOUT_MS: ' ', QTICKETS_MAX_RETRIES: '2x', QTICKETS_RETRY_BASE_MS: '-1' }));
    expect(message).toContain('QTICKETS_RATE_LIMIT: must be a number of 0 or more, not " "');
    expect(message).toContain('QTICKETS_TIMEOUT_MS: must be a whole number of 0 or more, not " "');
    expect(message).toContain('QTICKETS_MAX_RETRIES: must be a whole number of 0 or more, not "2x"');
    expect(message).toContain('QTICKETS_RETRY_BASE_MS');
    expect(refusal(() => loadConfig('mock', {}, { MOCK_SEED: ' ' }))).toContain('MOCK_SEED');
    // Empty means unset: the documented default applies.
    expect(loadConfig('prod', {}, { ...live, QTICKETS_RATE_LIMIT: '', QTICKETS_TIMEOUT_MS: '' }).http).toMatchObject({ ratePerSecond: 2, timeoutMs: 30_000 });
    expect(loadConfig('prod', {}, { ...live, QTICKETS_RATE_LIMIT: '0.5', QTICKETS_TIMEOUT_MS: '0' }).http).toMatchObject({ ratePerSecond: 0.5, timeoutMs: 0 });
  });

  test.each([
    ['no', false],
    ['false', false],
    ['0', false],
    ['NO', false],
    ['yes', true],
    ['true', true],
    ['1', true],
    ['True', true],
  ])('SANDBOX_CREATE and AUDIT_ALLOW_WRITES: %s parses to %s', (text, value) => {
    const config = loadConfig('prod', {}, { ...live, SANDBOX_CREATE: text, AUDIT_ALLOW_WRITES: text });
    expect(config.allowWrites).toBe(value);
    expect('SANDBOX_CREATE' in config.sandbox).toBe(value);
  });

  test('any other boolean text is an error', () => {
    const message = refusal(() => loadConfig('prod', {}, { ...live, SANDBOX_CREATE: 'nope', AUDIT_ALLOW_WRITES: ' ' }));
    expect(message).toContain('SANDBOX_CREATE: must be true/false, 1/0 or yes/no, not "nope"');
    expect(message).toContain('AUDIT_ALLOW_WRITES: must be true/false, 1/0 or yes/no, not " "');
  });

  test('a misspelt QTICKETS_/AUDIT_/SANDBOX_ variable in the environment is refused with the nearest setting; other variables are not', () => {
    const message = refusal(() => loadConfig('prod', {}, { ...live, QTICKETS_BASEURL: 'http://x', SANDBOX_CREAT: 'yes', AUDIT_ORDERID: '1' }));
    expect(message).toContain('QTICKETS_BASEURL (process environment) is not a setting of the suite (did you mean QTICKETS_BASE_URL?)');
    expect(message).toContain('did you mean SANDBOX_CREATE?');
    expect(message).toContain('did you mean AUDIT_ORDER_ID?');
    const platform = { PATH: '/bin', CI: 'true', GITHUB_ACTIONS: 'true', CLICKHOUSE_HOST: 'x', MOCK_SOMETHING: 'x', AUDIT_RUN_ID: 'r', AUDIT_REPORTS_DIR: '/tmp' };
    expect(loadConfig('prod', {}, { ...live, ...platform }).mode).toBe('live');
  });

  describe('a .env file', () => {
    const name = `selftest-${process.pid}`;
    const file = join(repoRoot, `.env.${name}`);
    afterEach(() => rmSync(file, { recursive: true, force: true }));

    test('is read line by line: a line that does not parse, an unknown or repeated key is an error naming the file and line', () => {
      writeFileSync(file, ['# comment', '', 'QTICKETS_TOKEN=t', 'this is not a setting', 'QTICKETS_BASEURL=http://x', 'HTTPS_PROXY=http://proxy', 'AUDIT_RUN_DIR=/tmp/x', 'QTICKETS_TOKEN=u'].join('\n'));
      const message = refusal(() => loadConfig(name, {}, {}));
      expect(message).toContain(`.env.${name} line 4 does not parse (expected NAME=value): "this is not a setting"`);
      expect(message).toContain(`.env.${name} line 5: QTICKETS_BASEURL is not a setting of the suite (did you mean QTICKETS_BASE_URL?)`);
      expect(message).toContain(`.env.${name} line 6: HTTPS_PROXY is not a setting of the suite`);
      expect(message).toContain(`.env.${name} line 7: AUDIT_RUN_DIR is read from the process environment only`);
      expect(message).toContain(`.env.${name} line 8: QTICKETS_TOKEN is set again (first on line 3)`);
    });

    test('a clean file is read, and the process environment wins over it', () => {
      writeFileSync(file, ['# comment', 'QTICKETS_TOKEN=from-file', 'export QTICKETS_RATE_LIMIT=5', 'SANDBOX_CREATE="no"  # not yet', ''].join('\n'));
      const config = loadConfig(name, {}, { QTICKETS_RATE_LIMIT: '1' });
      expect(config.rest.token).toBe('from-file');
      expect(config.http.ratePerSecond).toBe(1);
      expect(config.sandbox).toEqual({});
    });

    test('.env.example copied as it is passes, but for the token it leaves empty', () => {
      writeFileSync(file, readFileSync(join(repoRoot, '.env.example')));
      expect(refusal(() => loadConfig(name, {}, {})).split('\n').slice(1)).toEqual([expect.stringMatching(/^  - QTICKETS_TOKEN is missing/)]);
      expect(loadConfig(name, {}, { QTICKETS_TOKEN: 't' }).allowWrites).toBe(false);
    });

    test('one that cannot be read is one message', () => {
      mkdirSync(file);
      expect(refusal(() => loadConfig(name, {}, { QTICKETS_TOKEN: 't' }))).toMatch(new RegExp(`\\.env\\.${name} cannot be read: EISDIR`));
    });

    test('a missing one is named, with the file of the nearest name', () => {
      expect(refusal(() => loadConfig('mokc', {}, {}))).toContain('there is no .env.mokc file (did you mean --env mock? .env.mock exists)');
    });
  });
});

describe('npm test arguments', () => {
  test('our flags are taken out, everything else passes through to vitest', () => {
    expect(splitArgs(['--env', 'prod', '--allow-writes', '-t', '3.7', '--reporter=junit', '--clickhouse=docker', '--all-pages'])).toEqual({
      env: 'prod',
      allowWrites: true,
      clickhouseMode: 'docker',
      allPages: true,
      rest: ['-t', '3.7', '--reporter=junit'],
    });
    expect(splitArgs([]).env).toBe('mock');
    expect(() => splitArgs(['--env'])).toThrow(ConfigError);
    expect(() => splitArgs(['--clickhouse', 'sqlite'])).toThrow(/embedded" or "docker/);
    expect(splitArgs(['--baseline', 'b.json', '--fail-on=any', '-t', '1.1'])).toEqual({ env: 'mock', baseline: 'b.json', failOn: 'any', rest: ['-t', '1.1'] });
    expect(() => splitArgs(['--fail-on', 'new'])).toThrow(/--fail-on needs --baseline/);
    expect(() => splitArgs(['--baseline', 'b.json', '--fail-on', 'all'])).toThrow(/"new" or "any", not "all"/);
  });

  test('-t with a bare spec id selects that spec only', () => {
    const names = catalogue.map((spec) => `${spec.section.number}. ${spec.section.name} ${spec.id} ${spec.title}`);
    const selected = (pattern: string) => names.filter((name) => new RegExp(specIdPattern(pattern)).test(name)).map((name) => name.split(' ').find((w) => SPEC_IDS.includes(w)));
    expect(selected('1.1')).toEqual(['1.1']);
    expect(selected('6.1')).toEqual(['6.1']);
    expect(selected('3.7')).toEqual(['3.7']);
    expect(specIdPattern('Orders')).toBe('Orders');
  });

  test('the wrapper starts ClickHouse early only when the spec project runs', () => {
    expect(runsSpecProject([])).toBe(true);
    expect(runsSpecProject(['--project', 'spec'])).toBe(true);
    expect(runsSpecProject(['--project=unit', '--project=spec'])).toBe(true);
    expect(runsSpecProject(['--project', 'unit'])).toBe(false);
    expect(runsSpecProject(['--project=unit', 'tests/unit/config.test.ts'])).toBe(false);
  });
});

describe('catalogue', () => {
  test('51 spec ids, each once, in spec order, with a plan and its tables', () => {
    expect(SPEC_IDS).toHaveLength(51);
    expect(new Set(SPEC_IDS).size).toBe(51);
    expect(catalogue.filter((s) => s.api === 'partners').map((s) => s.id)).toEqual(Array.from({ length: 15 }, (_, i) => `6.${i + 1}`));
    expect(specById('1.3').feedsTables).toEqual([]);
    expect(specById('7.4').writes).toBe(true);
    expect(() => specById('6.16')).toThrow(/Unknown spec id 6.16/);
  });

  test('every write has the sandbox settings production needs', () => {
    const writesWithoutSandbox = catalogue.filter((s) => s.writes && !(s.plan.sandbox?.length)).map((s) => s.id);
    expect(writesWithoutSandbox).toEqual([]);
  });
});
