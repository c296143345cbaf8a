import { ConfigError, loadConfig } from '../../support/config.ts';
import { runsSpecProject, specIdPattern, splitArgs } from '../../support/cli/args.ts';
import { catalogue, specById, SPEC_IDS } from '../../support/catalogue.ts';

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
    expect(config.sandbox).toEqual({ SANDBOX_BASKET_ID: '7', SANDBOX_CREATE: 'yes' });
    expect(config.allowWrites).toBe(true);
  });

  test('MOCK_FAULTS is validated', () => {
    expect(loadConfig('mock', {}, { MOCK_FAULTS: '[{"kind":"reset","times":1}]' }).mock.faults).toEqual([{ kind: 'reset', times: 1 }]);
    expect(() => loadConfig('mock', {}, { MOCK_FAULTS: '{oops' })).toThrow(/MOCK_FAULTS must be JSON/);
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
