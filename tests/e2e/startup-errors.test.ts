import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { embeddedEngineMissing } from '../../support/clickhouse/embedded.ts';
import { repoRoot } from '../../support/paths.ts';

/** Start-up failures of `npm test` and `npm run mock`: one readable message, never a stack trace. */

const run = promisify(execFile);
const RUN_VARIABLES = /^(VITEST|AUDIT_|QTICKETS_|CLICKHOUSE_|MOCK_|SANDBOX_)/;
const STACK_FRAME = /\n\s+at /;

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !RUN_VARIABLES.test(name))), NO_COLOR: '1', ...extra };
}

async function wrapper(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, ['support/cli/entry.mjs', ...args], { cwd: repoRoot, env: childEnv(env) }).then(
    (done) => ({ code: 0, ...done }),
    (error) => error,
  );
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qta-startup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the embedded engine on a platform chdb has no engine for', () => {
  test('is named, with CLICKHOUSE_URL and --clickhouse docker as the way out', () => {
    for (const [platform, arch] of [['win32', 'x64'], ['freebsd', 'x64'], ['linux', 'ppc64']]) {
      const message = embeddedEngineMissing(platform, arch);
      expect(message).toContain(`no engine for ${platform}-${arch}`);
      expect(message).toContain('CLICKHOUSE_URL');
      expect(message).toContain('--clickhouse docker');
    }
  });

  test('this machine has its engine', () => {
    expect(embeddedEngineMissing()).toBeNull();
  });
});

describe('npm test', () => {
  test('a reports folder that cannot be written: exit 2, one message, nothing run', async () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const result = await wrapper(['--project', 'spec'], { AUDIT_REPORTS_DIR: join(blocker, 'reports') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`The reports folder ${join(blocker, 'reports')} cannot be written (ENOTDIR)`);
    expect(result.stderr).toContain('AUDIT_REPORTS_DIR');
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stdout).not.toContain('Test Files');
  });

  test('a .env file that cannot be read: exit 2, one message naming it', async () => {
    const name = `unreadable-${process.pid}`;
    const envFile = join(repoRoot, `.env.${name}`);
    mkdirSync(envFile);
    try {
      const result = await wrapper(['--env', name], { AUDIT_REPORTS_DIR: join(dir, 'reports') });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`.env.${name} cannot be read: EISDIR`);
      expect(result.stderr).not.toMatch(STACK_FRAME);
    } finally {
      rmSync(envFile, { recursive: true, force: true });
    }
  });
});

describe('--baseline and --fail-on', () => {
  const baseline = (env: string) => ({ format: 'qtickets-audit-baseline/1', env, runId: '20260101_000000', createdAt: '2026-01-01T00:00:00Z', drift: [], deviations: [], failures: [], skips: [] });
  const startsNothing = (result: { code: number; stdout: string; stderr: string }) => {
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Nothing was run.');
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stdout).not.toContain('Test Files');
  };

  test('a baseline that does not parse: exit 2, one message naming the file', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"format": ');
    const result = await wrapper(['--baseline', file], { AUDIT_REPORTS_DIR: join(dir, 'reports') });
    startsNothing(result);
    expect(result.stderr).toContain(`--baseline ${file} does not parse as JSON`);
  });

  test('a baseline of another env: exit 2, both envs named', async () => {
    const file = join(dir, 'prod-baseline.json');
    writeFileSync(file, JSON.stringify(baseline('prod')));
    const result = await wrapper(['--baseline', file, '--fail-on', 'new'], { AUDIT_REPORTS_DIR: join(dir, 'reports') });
    startsNothing(result);
    expect(result.stderr).toContain(`--baseline ${file} belongs to --env prod (run 20260101_000000), not --env mock`);
  });

  test('a JSON file that is not a baseline, a missing one: named', async () => {
    const file = join(dir, 'other.json');
    writeFileSync(file, JSON.stringify({ ...baseline('mock'), format: 'something-else' }));
    startsNothing(await wrapper(['--baseline', file], { AUDIT_REPORTS_DIR: join(dir, 'reports') }));
    expect((await wrapper(['--baseline', file], { AUDIT_REPORTS_DIR: join(dir, 'reports') })).stderr).toContain('is not an audit baseline (qtickets-audit-baseline/1)');
    expect((await wrapper(['--baseline', join(dir, 'none.json')], { AUDIT_REPORTS_DIR: join(dir, 'reports') })).stderr).toContain('cannot be read (ENOENT)');
  });

  test('--fail-on without --baseline, or with an unknown value: exit 2', async () => {
    const alone = await wrapper(['--fail-on', 'new'], { AUDIT_REPORTS_DIR: join(dir, 'reports') });
    startsNothing(alone);
    expect(alone.stderr).toContain('--fail-on needs --baseline <file>');
    const wrong = await wrapper(['--fail-on', 'some'], { AUDIT_REPORTS_DIR: join(dir, 'reports') });
    startsNothing(wrong);
    expect(wrong.stderr).toContain('--fail-on takes "new" or "any", not "some"');
  });
});

describe('npm run mock', () => {
  test('a port in use: one message naming the address and MOCK_PORT', async () => {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    try {
      const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
      const result = await run(tsx, ['support/mock/cli.ts'], { cwd: repoRoot, env: childEnv({ MOCK_PORT: String(port) }) }).catch((error) => error);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`The mock could not start: 127.0.0.1:${port} is in use`);
      expect(result.stderr).toContain('MOCK_PORT');
      expect(result.stderr).not.toMatch(STACK_FRAME);
    } finally {
      server.close();
    }
  });
});
