import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statfsSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { ClickHouseClient } from '@clickhouse/client';
import { createClient } from '../../support/clickhouse/connect.ts';
import { startEmbeddedClickHouse, type EmbeddedClickHouse } from '../../support/clickhouse/embedded.ts';
import { ClickHouseStartError } from '../../support/clickhouse/errors.ts';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitUntilGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !isAlive(pid);
}

describe('embedded ClickHouse (chdb behind the HTTP interface)', () => {
  let dataDir: string;
  let server: EmbeddedClickHouse;
  let client: ClickHouseClient;
  const clientFor = (database: string) => createClient({ url: server.url, user: 'default', password: '', database });

  beforeAll(async () => {
    dataDir = mkdtempSync(resolve(tmpdir(), 'ch-embedded-test-'));
    server = await startEmbeddedClickHouse({ dataDir });
    client = clientFor('default');
    await client.command({ query: 'CREATE DATABASE IF NOT EXISTS probe' });
    await client.command({ query: 'CREATE TABLE IF NOT EXISTS probe.items (id UInt64, name String, seen_at DateTime, price Nullable(Float64)) ENGINE = MergeTree ORDER BY id' });
  });

  afterAll(async () => {
    await client?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers ping and SELECT version() on 127.0.0.1', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await client.ping()).toEqual({ success: true });
    const [row] = await (await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json<{ v: string }>();
    expect(row.v).toBe(server.version);
    const response = await fetch(`${server.url}/ping`);
    expect(await response.text()).toBe('Ok.\n');
  });

  it('inserts JSONEachRow rows and reads them back with bound query parameters', async () => {
    const rows = [
      { id: 1, name: "tab\there, quote ' and backslash \\", seen_at: '2024-05-01 10:00:00', price: 800.5 },
      { id: 2, name: 'семь;восемь', seen_at: '2024-05-02 11:30:00', price: null },
      { id: 3, name: 'three', seen_at: '2024-05-03 12:00:00', price: 0 },
    ];
    const insert = await client.insert({ table: 'probe.items', values: rows, format: 'JSONEachRow' });
    expect(insert.summary?.written_rows).toBe('3');

    const result = await client.query({
      query: 'SELECT id, name, seen_at, price FROM probe.items WHERE name IN {names:Array(String)} OR id = {id:UInt64} ORDER BY id',
      query_params: { names: [rows[0].name, rows[1].name], id: 3 },
      format: 'JSONEachRow',
    });
    expect(await result.json()).toEqual(rows);
    const [byName] = await (await client.query({ query: 'SELECT id FROM probe.items WHERE name = {name:String}', query_params: { name: rows[0].name }, format: 'JSONEachRow' })).json<{ id: number }>();
    expect(byName.id).toBe(1);

    const empty = await client.insert({ table: 'probe.items', values: Readable.from([]), format: 'JSONEachRow' });
    expect(empty.summary?.written_rows).toBe('0');
  });

  it('inserts rows sent in the body as ClickHouse does: compressed bodies, URL settings, errors naming no file', async () => {
    const countItems = async () => Number((await (await client.query({ query: 'SELECT count() AS n FROM probe.items', format: 'JSONEachRow' })).json<{ n: string }>())[0].n);
    const before = await countItems();
    const gzipped = await fetch(`${server.url}/?query=${encodeURIComponent('INSERT INTO probe.items (id, name, seen_at) FORMAT TabSeparated')}`, {
      method: 'POST',
      headers: { 'Content-Encoding': 'gzip' },
      body: gzipSync('10\tgzip\t2024-05-04 10:00:00\n11\tgzip\t2024-05-04 11:00:00\n'),
    });
    expect(gzipped.status).toBe(200);
    expect(JSON.parse(gzipped.headers.get('x-clickhouse-summary')!)).toMatchObject({ written_rows: '2' });
    expect(await countItems()).toBe(before + 2);

    const isoRow = [{ id: 12, name: 'iso', seen_at: '2024-05-05T10:00:00Z', price: null }];
    await expect(client.insert({ table: 'probe.items', values: isoRow, format: 'JSONEachRow' })).rejects.toMatchObject({ code: '27' });
    const insert = await client.insert({ table: 'probe.items', values: isoRow, format: 'JSONEachRow', clickhouse_settings: { date_time_input_format: 'best_effort' } });
    expect(insert.summary?.written_rows).toBe('1');

    const error = await client.insert({ table: 'probe.items', values: [{ id: 13, name: 'ok', seen_at: '2024-05-06 10:00:00' }, { id: 'x' }], format: 'JSONEachRow' }).catch((e: Error) => e);
    expect(error).toMatchObject({ code: '27', type: 'CANNOT_PARSE_INPUT_ASSERTION_FAILED', message: expect.stringContaining('(at row 2)') });
    expect((error as Error).message).not.toMatch(/INFILE|file\/uri|qtickets-clickhouse-insert/);
    expect(await countItems()).toBe(before + 3);
    await client.command({ query: 'DELETE FROM probe.items WHERE id >= 10' });
    // The bodies went through files of the server's own, in its data directory, each removed after its insert.
    expect(readdirSync(resolve(dataDir, '.insert-bodies'))).toEqual([]);
  });

  it('accepts gzip request bodies and gzips the answer when asked to', async () => {
    const response = await fetch(`${server.url}/?enable_http_compression=1`, {
      method: 'POST',
      headers: { 'Content-Encoding': 'gzip', 'Accept-Encoding': 'gzip' },
      body: gzipSync('SELECT 40 + 2 FORMAT TSV'),
    });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(await response.text()).toBe('42\n');
  });

  it('passes 64-bit values exactly and NULL parameters as NULL', async () => {
    const [row] = await (await client.query({
      query: 'SELECT toString({big:UInt64}) AS big, {missing:Nullable(String)} IS NULL AS is_null',
      query_params: { big: 18446744073709551615n, missing: null },
      format: 'JSONEachRow',
    })).json<{ big: string; is_null: number | boolean }>();
    expect(row.big).toBe('18446744073709551615');
    expect(Boolean(row.is_null)).toBe(true);
  });

  it('resolves unqualified table names in the database the client names', async () => {
    const probe = clientFor('probe');
    try {
      const [row] = await (await probe.query({ query: 'SELECT currentDatabase() AS db, count() AS n FROM items', format: 'JSONEachRow' })).json<{ db: string; n: number | string }>();
      expect(row.db).toBe('probe');
      expect(Number(row.n)).toBeGreaterThan(0);
      // The next request without a database is back in `default`.
      const [other] = await (await client.query({ query: 'SELECT currentDatabase() AS db', format: 'JSONEachRow' })).json<{ db: string }>();
      expect(other.db).toBe('default');
    } finally {
      await probe.close();
    }
  });

  it('raises server errors as ClickHouse does: code, type and message reach the client', async () => {
    await expect(client.query({ query: 'SELECT * FROM probe.no_such_table' })).rejects.toMatchObject({ code: '60', type: 'UNKNOWN_TABLE', message: expect.stringContaining('no_such_table') });
    await expect(client.command({ query: 'SELEC 1' })).rejects.toMatchObject({ code: '62', type: 'SYNTAX_ERROR' });
    await expect(client.query({ query: 'SELECT {p:UInt8}', format: 'JSONEachRow' })).rejects.toMatchObject({ type: 'UNKNOWN_QUERY_PARAMETER' });

    const raw = await fetch(`${server.url}/?query=${encodeURIComponent('SELECT nope')}`);
    expect(raw.status).toBe(404);
    expect(raw.headers.get('x-clickhouse-exception-code')).toBe('47');
    expect(await raw.text()).toMatch(/^Code: 47\. DB::Exception: .*\(UNKNOWN_IDENTIFIER\) \(version /);
  });

  it('applies settings and parameters to their own request only', async () => {
    const setting = "SELECT getSetting('date_time_input_format') AS v";
    const read = async (settings = {}) => (await (await client.query({ query: setting, format: 'JSONEachRow', clickhouse_settings: settings })).json<{ v: string }>())[0].v;
    // Like a ClickHouse server before 26.5: strict DateTime input.
    expect(await read()).toBe('basic');
    expect(await read({ date_time_input_format: 'best_effort' })).toBe('best_effort');
    expect(await read()).toBe('basic');

    await client.query({ query: 'SELECT {leak:String}', query_params: { leak: 'x' } });
    await expect(client.query({ query: 'SELECT {leak:String}' })).rejects.toMatchObject({ type: 'UNKNOWN_QUERY_PARAMETER' });
  });

  it('refuses a second server on the same data directory, naming the process that holds it', async () => {
    const second = startEmbeddedClickHouse({ dataDir });
    await expect(second).rejects.toBeInstanceOf(ClickHouseStartError);
    await expect(second).rejects.toThrow(`data directory ${dataDir} is in use by another process (pid ${server.pid})`);
    expect(await client.ping()).toEqual({ success: true });
  });

  it('keeps its data across a restart on the same directory, and stop() leaves no process behind', async () => {
    await client.close();
    await server.stop();
    expect(isAlive(server.pid)).toBe(false);

    expect(existsSync(resolve(dataDir, '.insert-bodies'))).toBe(false);
    server = await startEmbeddedClickHouse({ dataDir });
    client = clientFor('default');
    const [row] = await (await client.query({ query: 'SELECT count() AS n FROM probe.items', format: 'JSONEachRow' })).json<{ n: number | string }>();
    expect(Number(row.n)).toBe(3);
  });

  it('removes a temporary data directory on stop', async () => {
    const temporary = await startEmbeddedClickHouse();
    expect(existsSync(temporary.dataDir)).toBe(true);
    await temporary.stop();
    expect(existsSync(temporary.dataDir)).toBe(false);
    expect(isAlive(temporary.pid)).toBe(false);
  });

  // Only where /dev/shm has the room the engine asks for; elsewhere the OS temp folder is used.
  const shmRoomy = (() => {
    try {
      const { bavail, bsize } = statfsSync('/dev/shm');
      return bavail * bsize >= 4 * 2 ** 30;
    } catch {
      return false;
    }
  })();
  it.runIf(shmRoomy)('keeps a temporary engine in /dev/shm and removes folders killed runs left there', async () => {
    const stale = '/dev/shm/qtickets-clickhouse-selftest-stale';
    const recent = '/dev/shm/qtickets-clickhouse-selftest-recent';
    for (const dir of [stale, recent]) mkdirSync(dir, { recursive: true });
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(stale, hourAgo, hourAgo);
    const temporary = await startEmbeddedClickHouse();
    try {
      expect(temporary.dataDir.startsWith('/dev/shm/qtickets-clickhouse-')).toBe(true);
      expect(existsSync(stale)).toBe(false);
      // A folder this young may belong to a run that is still starting.
      expect(existsSync(recent)).toBe(true);
    } finally {
      await temporary.stop();
      rmSync(recent, { recursive: true, force: true });
    }
  });

  it('exits when the process that started it is killed', async () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const embeddedModule = pathToFileURL(resolve(import.meta.dirname, '../../support/clickhouse/embedded.ts')).href;
    const script = `import { startEmbeddedClickHouse } from '${embeddedModule}';
      const s = await startEmbeddedClickHouse();
      console.log(JSON.stringify({ pid: s.pid, dataDir: s.dataDir }));
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = await new Promise<string[]>((done) => createInterface({ input: parent.stdout! }).once('line', (l) => done([l])));
    const child = JSON.parse(line) as { pid: number; dataDir: string };
    expect(isAlive(child.pid)).toBe(true);

    parent.kill('SIGKILL');
    expect(await waitUntilGone(child.pid)).toBe(true);
    rmSync(child.dataDir, { recursive: true, force: true });
  });
});
