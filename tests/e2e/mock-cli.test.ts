import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { request } from 'undici';
import { onTestFinished } from 'vitest';
import { repoRoot } from '../../support/paths.ts';

/** The standalone entry (npm run mock): env validated with a clear message, base URLs printed, clean stop. */

const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');

function runCli(env: Record<string, string>) {
  const child = spawn(tsx, ['support/mock/cli.ts'], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('mock CLI', () => {
  test('bad settings: exit code 2 and a message naming each bad variable', async () => {
    const run = runCli({ MOCK_PORT: '0', MOCK_TENANT: 'staging', MOCK_ORDERS: 'many', MOCK_FAULTS: '[{"kind":"explode"}]', MOCK_CLOCK: 'tomorrow' });
    const [code] = await run.exited;
    expect(code).toBe(2);
    const { stderr } = run.output();
    expect(stderr).toContain("The mock's settings are invalid");
    for (const name of ['MOCK_TENANT', 'MOCK_ORDERS', 'MOCK_FAULTS', 'MOCK_CLOCK']) expect(stderr).toContain(name);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test('starts with the env settings, prints both base URLs, serves them, and stops on SIGTERM', async () => {
    const run = runCli({ MOCK_PORT: '0', MOCK_TOKEN: 'cli-rest', MOCK_PARTNERS_TOKEN: 'cli-partners', MOCK_TENANT: 'doc', MOCK_EVENTS: '12', MOCK_FAULTS: '' });
    // A failed assertion must not leave the mock running.
    onTestFinished(() => void (run.child.exitCode === null && run.child.signalCode === null && run.child.kill('SIGTERM')));
    while (!/Partners:\s+http/.test(run.output().stdout)) {
      if (run.child.exitCode !== null) throw new Error(`the mock exited: ${run.output().stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const restBase = /REST:\s+(\S+)/.exec(run.output().stdout)![1];
    const partnersBase = /Partners:\s+(\S+)/.exec(run.output().stdout)![1];
    expect(restBase).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/rest\/v1$/);
    expect(partnersBase).toBe(restBase.replace('/rest/', '/partners/'));
    const events = await request(`${restBase}/events`, { headers: { authorization: 'Bearer cli-rest' } });
    expect(((await events.body.json()) as any).paging.total).toBe(12);
    const order = await request(`${restBase}/orders/4360`, { headers: { authorization: 'Bearer cli-rest' } });
    expect(order.statusCode).toBe(200);
    await order.body.dump();
    // MOCK_CLOCK defaults to now here: the newest order is from the last day, never ahead of the real time.
    const newest = await request(`${restBase}/orders?orderBy=${encodeURIComponent('{"created_at":"desc"}')}`, { headers: { authorization: 'Bearer cli-rest' } });
    const createdMs = Date.parse(((await newest.body.json()) as any).data[0].created_at);
    expect(createdMs).toBeLessThanOrEqual(Date.now());
    expect(createdMs).toBeGreaterThan(Date.now() - 25 * 3600_000);
    const lists = await request(`${partnersBase}/events/lists`, { headers: { authorization: 'Bearer cli-partners' } });
    expect(((await lists.body.json()) as any).status).toBe('success');
    run.child.kill('SIGTERM');
    const [code] = await run.exited;
    expect(code).toBe(0);
  });
});
