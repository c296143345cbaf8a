/**
 * Child-process entry: one chdb Session on one data directory, served on 127.0.0.1 over the ClickHouse
 * HTTP interface, so the official @clickhouse/client talks to it unchanged. Started by `embedded.ts`:
 *
 *   node support/clickhouse/embedded-server.cjs <dataDir>   (which compiles this file with tsx)
 *
 * Prints one JSON line on stdout when ready, `{"ready":true,"port":N,"pid":N,"version":"..."}`; errors go
 * to stderr as `embedded-clickhouse: <message>` and the process exits 1. It exits when stdin closes or its
 * parent dies (so it never outlives the run), and on SIGTERM/SIGINT, closing the session first.
 *
 * chdb must run in a process of its own: it crashes inside worker_threads, and a data directory can be
 * opened by one process only.
 *
 * HTTP interface supported: GET/HEAD /ping and / ("Ok."); queries at / as POST body and/or the `query`
 * URL parameter (ClickHouse joins the two, which is how inserts send their rows); `database`,
 * `default_format`, `query_id`, `param_<name>` ({name:Type} binding), settings as URL parameters (applied
 * to that request only); gzip/deflate/br request bodies and gzip/br responses (enable_http_compression=1);
 * X-ClickHouse-Query-Id/-Format/-Timezone/-Summary headers; errors as ClickHouse sends them (HTTP 4xx/5xx,
 * body `Code: N. DB::Exception: ...`, X-ClickHouse-Exception-Code). Not supported: credentials (any are
 * accepted: the server only listens on loopback), sessions (session_id is ignored: every request shares the
 * one engine session), multipart query parameters, ClickHouse's native `compress`/`decompress` framing.
 * chdb also accepts several `;`-separated statements in one request, which a real server refuses.
 *
 * An insert whose rows come in the body (`INSERT INTO t [(cols)] FORMAT F` in the URL, as clients send it)
 * never becomes query text: the body goes to a file in a directory of this server's own (in the data
 * directory) and chdb reads it with `INSERT … FROM INFILE`, which costs a fraction of parsing megabytes of
 * inline data.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { Session } from 'chdb';
import { CLICKHOUSE_LTS, lockHolder } from './embedded.ts';

/** URL parameters of the HTTP layer itself: never forwarded to the engine as settings. */
const HTTP_PARAMETERS = new Set([
  'query', 'database', 'default_format', 'query_id', 'session_id', 'session_timeout', 'session_check',
  'user', 'password', 'quota_key', 'role', 'compress', 'decompress', 'buffer_size', 'wait_end_of_query',
  'enable_http_compression', 'send_progress_in_http_headers', 'http_headers_progress_interval_ms',
  'http_response_buffer_size', 'http_zlib_compression_level', 'http_wait_end_of_query',
  'http_native_compression_disable_checksumming_on_decompress', 'client_protocol_version',
]);

/** ClickHouse's HTTP status per exception code (the common ones; everything else is 500). */
const HTTP_STATUS_BY_CODE: Record<number, number> = {
  6: 400, 25: 400, 26: 400, 27: 400, 38: 400, 41: 400, 53: 400, 62: 400, 72: 400, 117: 400, 456: 400, 457: 400,
  46: 404, 47: 404, 50: 404, 56: 404, 60: 404, 63: 404, 73: 404, 81: 404, 115: 404,
  194: 401, 516: 401, 164: 403, 497: 403,
};

const REQUEST_DECODERS: Record<string, (body: Buffer) => Buffer> = { gzip: gunzipSync, deflate: inflateSync, br: brotliDecompressSync };
const RESPONSE_ENCODERS: Record<string, (body: Buffer) => Buffer> = { gzip: gzipSync, br: brotliCompressSync };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `INSERT INTO [TABLE] db.table [(a, b)] FORMAT F` with the rows in the body: the form clients send. */
const INSERT_FOR_BODY = /^\s*INSERT\s+INTO\s+(?:TABLE\s+)?((?:[A-Za-z_]\w*|`[^`\\]+`)(?:\.(?:[A-Za-z_]\w*|`[^`\\]+`))?)(\s*\([\w\s,`]*\))?\s+FORMAT\s+([A-Za-z]\w*)\s*$/i;
/** Parallel parsing splits a body over threads and merges them again: more CPU for a few MB, not less. */
const INFILE_SETTINGS: [string, string][] = [['input_format_parallel_parsing', '0']];
/** Directory, in the data directory, of insert bodies on their way to chdb. */
const INSERT_SPOOL = '.insert-bodies';
/** Statements that cannot write: their written rows are 0 without asking the engine's counters. */
const READ_ONLY = /^\s*(?:SELECT|WITH|SHOW|DESC|DESCRIBE|EXISTS|EXPLAIN)\b/i;
/** A parameter chdb binds itself: it makes chdb clear every query parameter after the call. */
const PARAMETER_SCOPE = { embedded_http_parameter_scope: 0 };

class HttpError extends Error {
  constructor(readonly code: number, message: string, readonly type: string) {
    super(message);
  }
}

const sqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const sqlIdentifier = (name: string) => `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
const fail = (message: string): never => {
  process.stderr.write(`embedded-clickhouse: ${message}\n`);
  process.exit(1);
};

function openSession(dataDir: string): Session {
  try {
    // Defaults of the LTS server, not of this newer engine (e.g. date_time_input_format = basic): what the
    // embedded engine accepts, a production server accepts too.
    return new Session(dataDir, { connectionArgs: [`--compatibility=${CLICKHOUSE_LTS}`] });
  } catch (error) {
    const holder = lockHolder(dataDir);
    if (holder) return fail(`data directory ${dataDir} is in use by another process (pid ${holder}); stop it or use another directory`);
    return fail(`cannot open data directory ${dataDir}: ${(error as Error).message}`);
  }
}

class EmbeddedServer {
  private tail: Promise<unknown> = Promise.resolve();
  /** Setting values before any request changed them: each request's settings are undone afterwards. */
  private baseline: Map<string, string> | undefined;
  private inserted = { rows: 0, bytes: 0 };
  private spooled = 0;

  /**
   * `spool`: this server's own directory for insert bodies on their way to chdb (`INSERT … FROM INFILE`),
   * inside the data directory (which a temporary engine's parent removes whole, even after a crash), made at
   * the first insert. ClickHouse leaves a directory of that name alone.
   */
  constructor(private readonly session: Session, readonly version: string, readonly timezone: string, private readonly spool: string) {}

  static async open(dataDir: string): Promise<EmbeddedServer> {
    const session = openSession(dataDir);
    const [info] = await rowsOf<{ version: string; timezone: string }>(session, 'SELECT version() AS version, timezone() AS timezone');
    const spool = join(dataDir, INSERT_SPOOL);
    // Bodies a crashed server left behind.
    rmSync(spool, { recursive: true, force: true });
    const server = new EmbeddedServer(session, info.version, info.timezone, spool);
    server.inserted = await server.insertedCounters();
    return server;
  }

  /** One request at a time: the engine has one session, and settings/parameters are per request. */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  async idle(): Promise<void> {
    await this.tail;
  }

  close(): void {
    this.session.close();
    rmSync(this.spool, { recursive: true, force: true });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const queryId = url.searchParams.get('query_id') || randomUUID();
    const headers: Record<string, string> = {
      'X-ClickHouse-Server-Display-Name': 'embedded-chdb',
      'X-ClickHouse-Query-Id': queryId,
      'X-ClickHouse-Timezone': this.timezone,
    };
    try {
      const raw = await readBody(req);
      const query = url.searchParams.get('query') ?? '';
      // Rows in the body of an insert stay bytes: they go to chdb from a file, not inside the query text.
      const insert = url.pathname === '/' && !isBlank(raw) ? INSERT_FOR_BODY.exec(query) : null;
      const body = insert ? '' : raw.toString('utf8');
      const sql = insert ? query.trim() : [query, body].filter((part) => part.trim() !== '').join('\n');
      if ((url.pathname === '/ping' || url.pathname === '/') && (req.method === 'GET' || req.method === 'HEAD') && sql === '') {
        return send(res, 200, { ...headers, 'Content-Type': 'text/plain; charset=UTF-8' }, Buffer.from('Ok.\n'), req.method === 'HEAD');
      }
      if (url.pathname !== '/') throw new HttpError(1, `There is no handle ${url.pathname}`, 'UNSUPPORTED_METHOD');
      if (sql === '') throw new HttpError(62, 'Empty query', 'SYNTAX_ERROR');
      for (const name of ['compress', 'decompress']) {
        if (url.searchParams.get(name) === '1') throw new HttpError(1, `${name}=1 (ClickHouse native compression) is not supported by the embedded server`, 'UNSUPPORTED_METHOD');
      }
      const format = url.searchParams.get('default_format') || 'TabSeparated';
      // A server inserts nothing for an empty body; chdb would refuse an INSERT without data.
      const emptyInsert = !insert && body.trim() === '' && /^\s*INSERT\b.*\bFORMAT\s+\w+\s*$/is.test(sql);
      const result = emptyInsert
        ? { data: Buffer.alloc(0), summary: { written_rows: '0', written_bytes: '0' } }
        : insert
          ? await this.insertFromFile(insert, raw, url.searchParams, format)
          : await this.serial(() => this.execute(sql, url.searchParams, format));
      // (An insert's FORMAT names its input: the answer, empty, is in the default format.)
      const outputFormat = (!insert && /\bFORMAT\s+(\w+)\s*;?\s*$/i.exec(sql)?.[1]) || format;
      const encoding = url.searchParams.get('enable_http_compression') === '1' ? acceptedEncoding(req) : undefined;
      send(res, 200, {
        ...headers,
        'Content-Type': contentType(outputFormat),
        'X-ClickHouse-Format': outputFormat,
        'X-ClickHouse-Summary': JSON.stringify(result.summary),
        ...(encoding ? { 'Content-Encoding': encoding } : {}),
      }, encoding ? RESPONSE_ENCODERS[encoding](result.data) : result.data, req.method === 'HEAD');
    } catch (error) {
      const { code, type, message } = asClickHouseError(error);
      const text = `Code: ${code}. DB::Exception: ${message.replace(/\.$/, '')}. (${type}) (version ${this.version})\n`;
      send(res, HTTP_STATUS_BY_CODE[code] ?? 500, {
        ...headers,
        'Content-Type': 'text/plain; charset=UTF-8',
        'X-ClickHouse-Exception-Code': String(code),
      }, Buffer.from(text), req.method === 'HEAD');
    }
  }

  /**
   * `INSERT INTO t (cols) FORMAT F` + rows in the body, run as `INSERT INTO t (cols) FROM INFILE '<file>'
   * FORMAT F`: same table, columns, format and rows, the same summary, and the same error text as the
   * inline form (chdb's mention of the file is taken out of it).
   */
  private async insertFromFile(insert: RegExpExecArray, rows: Buffer, params: URLSearchParams, format: string) {
    const [, target, columns = '', dataFormat] = insert;
    if (this.spooled === 0) mkdirSync(this.spool, { recursive: true });
    // No extension: FROM INFILE would take one such as .gz for the body's compression.
    const file = join(this.spool, `body-${++this.spooled}`);
    await writeFile(file, rows);
    try {
      const own = INFILE_SETTINGS.filter(([name]) => !params.has(name));
      const settings = own.length > 0 ? ` SETTINGS ${own.map(([name, value]) => `${name} = ${value}`).join(', ')}` : '';
      const sql = `INSERT INTO ${target}${columns} FROM INFILE ${sqlString(file)}${settings} FORMAT ${dataFormat}`;
      return await this.serial(() => this.execute(sql, params, format)).catch((error: unknown) => {
        throw asInlineInsertError(error, file);
      });
    } finally {
      await unlink(file).catch(() => undefined);
    }
  }

  private async execute(sql: string, params: URLSearchParams, format: string) {
    const database = params.get('database') || 'default';
    const settings: [string, string][] = [];
    const bindings: [string, string][] = [];
    for (const [name, value] of params) {
      if (name.startsWith('param_')) bindings.push([name.slice('param_'.length), value]);
      else if (!HTTP_PARAMETERS.has(name) && !name.startsWith('http_')) settings.push([name, value]);
    }
    for (const [name] of [...settings, ...bindings]) {
      if (!IDENTIFIER.test(name)) throw new HttpError(36, `Invalid setting or parameter name: ${JSON.stringify(name)}`, 'BAD_ARGUMENTS');
    }
    if (settings.length > 0) this.baseline ??= await this.currentSettings();

    const prelude = [
      `USE ${sqlIdentifier(database)}`,
      ...settings.map(([name, value]) => `SET ${name} = ${sqlString(value)}`),
      ...bindings.map(([name, value]) => `SET param_${name} = ${sqlString(value)}`),
    ];
    const statement = `${prelude.join('; ')};\n${sql}`;
    let result: Awaited<ReturnType<Session['queryAsync']>>;
    let written: { rows: number; bytes: number };
    try {
      // With parameters, chdb's own binding path clears them after the call, so none leaks into the next request.
      result = bindings.length > 0
        ? await this.session.queryBindAsync(statement, PARAMETER_SCOPE, { format })
        : await this.session.queryAsync(statement, { format });
    } finally {
      const restore = settings.filter(([name]) => this.baseline?.has(name)).map(([name]) => `SET ${name} = ${sqlString(this.baseline!.get(name)!)}`);
      if (restore.length > 0) await this.session.queryAsync(restore.join('; '));
      if (READ_ONLY.test(sql)) written = { rows: 0, bytes: 0 };
      else {
        // Also after a failure: rows a failed insert wrote must not be counted for the next request.
        const counters = await this.insertedCounters();
        written = { rows: counters.rows - this.inserted.rows, bytes: counters.bytes - this.inserted.bytes };
        this.inserted = counters;
      }
    }
    // chdb reports the result's size, not what was read: read_rows/read_bytes are left out rather than guessed.
    const summary = {
      written_rows: String(written.rows),
      written_bytes: String(written.bytes),
      result_rows: String(result.rowsRead),
      result_bytes: String(result.bytesRead),
      elapsed_ns: String(Math.round(result.elapsed * 1e9)),
    };
    return { data: Buffer.from(result.bytes()), summary };
  }

  private async currentSettings(): Promise<Map<string, string>> {
    const rows = await rowsOf<{ name: string; value: string }>(this.session, 'SELECT name, value FROM system.settings');
    return new Map(rows.map((row) => [row.name, row.value]));
  }

  /** The engine's cumulative insert counters: their growth during a request is its written rows/bytes. */
  private async insertedCounters(): Promise<{ rows: number; bytes: number }> {
    const rows = await rowsOf<{ event: string; value: number | string }>(this.session, "SELECT event, value FROM system.events WHERE event IN ('InsertedRows', 'InsertedBytes')");
    const value = (event: string) => Number(rows.find((row) => row.event === event)?.value ?? 0);
    return { rows: value('InsertedRows'), bytes: value('InsertedBytes') };
  }
}

async function rowsOf<T>(session: Session, sql: string): Promise<T[]> {
  return (await session.queryAsync(sql, { format: 'JSON' })).json<{ data: T[] }>().data;
}

/** Only spaces, tabs and line breaks (or nothing). */
function isBlank(body: Buffer): boolean {
  for (const byte of body) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  return true;
}

/** An error of `INSERT … FROM INFILE` worded as for the same rows sent inline (chdb names the file, the server would not). */
function asInlineInsertError(error: unknown, file: string): unknown {
  if (!(error instanceof Error)) return error;
  const message = error.message
    .split(` (in file/uri ${file}):`).join('')
    .split('While executing File: data for INSERT was parsed from file').join('data for INSERT was parsed from query');
  return message === error.message ? error : new Error(message, { cause: error });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  if ((req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
    throw new HttpError(1, 'multipart/form-data requests (use_multipart_params) are not supported by the embedded server', 'UNSUPPORTED_METHOD');
  }
  const encoding = req.headers['content-encoding'];
  if (!encoding || encoding === 'identity' || body.length === 0) return body;
  const decode = REQUEST_DECODERS[encoding];
  if (!decode) throw new HttpError(1, `Content-Encoding ${encoding} is not supported by the embedded server (use gzip, deflate or br)`, 'UNSUPPORTED_METHOD');
  return decode(body);
}

function acceptedEncoding(req: IncomingMessage): string | undefined {
  const accepted = String(req.headers['accept-encoding'] ?? '').split(',').map((part) => part.trim().split(';')[0]);
  return Object.keys(RESPONSE_ENCODERS).find((encoding) => accepted.includes(encoding));
}

function contentType(format: string): string {
  if (/^JSON/i.test(format)) return 'application/json; charset=UTF-8';
  if (/^(TabSeparated|TSV)/i.test(format)) return 'text/tab-separated-values; charset=UTF-8';
  if (/^CSV/i.test(format)) return 'text/csv; charset=UTF-8';
  return 'text/plain; charset=UTF-8';
}

function asClickHouseError(error: unknown): { code: number; type: string; message: string } {
  if (error instanceof HttpError) return { code: error.code, type: error.type, message: error.message };
  const text = error instanceof Error ? error.message : String(error);
  const parsed = /Code: (\d+)\. DB::Exception: (.*)\. \(([A-Z0-9_]+)\)/s.exec(text);
  if (parsed) return { code: Number(parsed[1]), message: parsed[2], type: parsed[3] };
  return { code: 1001, type: 'STD_EXCEPTION', message: text };
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer, headOnly: boolean): void {
  res.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
  res.end(headOnly ? undefined : body);
}

async function main(): Promise<void> {
  const dataDir = process.argv[2] ? resolve(process.argv[2]) : fail('usage: embedded-server.ts <dataDir>');
  process.stdout.on('error', () => undefined); // a parent that went away must not crash the shutdown
  const engine = await EmbeddedServer.open(dataDir);
  // Query parameters travel in the URL; Node's default 16 KB header limit would refuse a long date list.
  const http = createServer({ maxHeaderSize: 1 << 20 }, (req, res) => void engine.handle(req, res));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    http.close();
    await engine.idle();
    http.closeAllConnections();
    engine.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The parent holds our stdin: when it closes (the parent exited or was killed), so do we.
  process.stdin.on('end', stop).on('close', stop).resume();
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && void stop(), 1000).unref();

  http.listen(0, '127.0.0.1', () => {
    const address = http.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(`${JSON.stringify({ ready: true, port, pid: process.pid, version: engine.version })}\n`);
  });
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
