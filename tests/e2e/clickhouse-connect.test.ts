import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { getContainerRuntimeClient } from 'testcontainers';
import { ClickHouseStartError, createClient, preflightClickHouse, startClickHouse } from '../../support/clickhouse/connect.ts';
import { startEmbeddedClickHouse } from '../../support/clickhouse/embedded.ts';

const dockerAvailable = await getContainerRuntimeClient().then(() => true, () => false);

/** Answers like a ClickHouse server that knows no such user: /ping works, every query gets AUTHENTICATION_FAILED. */
async function serverRefusingCredentials(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url === '/ping') return res.end('Ok.\n');
    res.writeHead(401, { 'X-ClickHouse-Exception-Code': '516' });
    res.end('Code: 516. DB::Exception: bob: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED) (version 25.8.1.1)\n');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('startClickHouse', () => {
  it('starts the embedded engine, verifies it and creates the suite database', async () => {
    const runtime = await startClickHouse({ mode: 'embedded', database: 'connect_probe' });
    const client = createClient(runtime);
    try {
      expect(runtime).toMatchObject({ mode: 'embedded', user: 'default', password: '', database: 'connect_probe' });
      expect(runtime.version).toMatch(/^\d+\.\d+/);
      const [row] = await (await client.query({ query: 'SELECT currentDatabase() AS db', format: 'JSONEachRow' })).json<{ db: string }>();
      expect(row.db).toBe('connect_probe');
    } finally {
      await client.close();
      await runtime.stop();
    }
  });

  it('names an unreachable CLICKHOUSE_URL in one line, without credentials', async () => {
    const attempt = startClickHouse({ mode: 'url', url: 'http://bob:s3cret@127.0.0.1:1', database: 'qtickets_audit' });
    await expect(attempt).rejects.toBeInstanceOf(ClickHouseStartError);
    await expect(attempt).rejects.toThrow(/^ClickHouse at http:\/\/127\.0\.0\.1:1 is not reachable \(ECONNREFUSED\)\. Check CLICKHOUSE_URL\.$/);
    await expect(preflightClickHouse({ mode: 'url', url: 'http://127.0.0.1:1', database: 'qtickets_audit' })).rejects.toThrow('is not reachable (ECONNREFUSED)');
  });

  it('says that the credentials were refused, and never shows the password', async () => {
    const { url, server } = await serverRefusingCredentials();
    try {
      const attempt = startClickHouse({ mode: 'url', url, user: 'bob', password: 'hunter2-secret', database: 'qtickets_audit' });
      await expect(attempt).rejects.toThrow(`ClickHouse at ${url} refused the credentials of user "bob" (AUTHENTICATION_FAILED). Check CLICKHOUSE_USER and CLICKHOUSE_PASSWORD.`);
      const message = await attempt.catch((error: Error) => error.message);
      expect(message).not.toContain('hunter2-secret');
    } finally {
      server.close();
    }
  });

  it.skipIf(dockerAvailable)('explains that --clickhouse docker needs Docker when there is none', async () => {
    const attempt = startClickHouse({ mode: 'docker', database: 'qtickets_audit' });
    await expect(attempt).rejects.toBeInstanceOf(ClickHouseStartError);
    await expect(attempt).rejects.toThrow(/--clickhouse docker needs a running Docker engine.*embedded ClickHouse \(the default\).*CLICKHOUSE_URL/);
    await expect(preflightClickHouse({ mode: 'docker', database: 'qtickets_audit' })).rejects.toThrow('needs a running Docker engine');
  });

  it('preflight names the process holding a persistent embedded data directory', async () => {
    const dataDir = mkdtempSync(resolve(tmpdir(), 'ch-preflight-test-'));
    const holder = await startEmbeddedClickHouse({ dataDir });
    try {
      await expect(preflightClickHouse({ mode: 'embedded', dataDir, database: 'qtickets_audit' })).rejects.toThrow(`${dataDir} is in use by another process (pid ${holder.pid})`);
    } finally {
      await holder.stop();
    }
    await expect(preflightClickHouse({ mode: 'embedded', dataDir, database: 'qtickets_audit' })).resolves.toBeUndefined();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
