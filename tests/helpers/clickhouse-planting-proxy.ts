import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A test-only seam between a run and its ClickHouse: an HTTP proxy that forwards everything unchanged,
 * except the first TabSeparated insert into each chosen table, which loses its last row or gains one row
 * of a new key. The loader reports the rows it sent, ClickHouse holds one more or one fewer: the run's
 * delta check must notice. No production code knows about it (the run only gets CLICKHOUSE_URL).
 */

export type Planting = { table: string; change: 'missing-row' | 'extra-row' };

export interface PlantingProxy {
  url: string;
  /** The plantings that fired, as `table change`. */
  planted: string[];
  close(): Promise<void>;
}

const INSERT = /^\s*INSERT\s+INTO\s+(?:\w+\.)?(\w+)\s*\(([^)]*)\)\s+FORMAT\s+TabSeparated\s*$/i;
/** The key column the extra row gets a fresh value in: it must start the table's ORDER BY, or FINAL merges the copy away. */
const EXTRA_ROW_KEY = /^(client_id|discount_id|promo_code_id|shade_id)$/;

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function plant(body: Buffer, columns: string[], change: Planting['change']): Buffer {
  const rows = body.toString('utf8').split('\n').filter((line) => line !== '');
  if (change === 'missing-row') return Buffer.from(rows.slice(0, -1).map((row) => `${row}\n`).join(''));
  if (!EXTRA_ROW_KEY.test(columns[0])) throw new Error(`planting proxy: an extra row needs the key first, got column ${columns[0]}`);
  const extra = ['planted-extra-row', ...rows[0].split('\t').slice(1)].join('\t');
  return Buffer.from([...rows, extra].map((row) => `${row}\n`).join(''));
}

export async function startPlantingProxy(target: string, plantings: Planting[]): Promise<PlantingProxy> {
  const pending = new Map(plantings.map((p) => [p.table, p.change]));
  const planted: string[] = [];
  const upstream = new URL(target);
  const server = createServer(async (req, res) => {
    let body = await bodyOf(req);
    const url = new URL(req.url ?? '/', upstream);
    const insert = INSERT.exec(url.searchParams.get('query') ?? '');
    const change = insert ? pending.get(insert[1]) : undefined;
    if (insert && change) {
      pending.delete(insert[1]);
      body = plant(body, insert[2].split(',').map((c) => c.trim().replace(/`/g, '')), change);
      planted.push(`${insert[1]} ${change}`);
    }
    const { 'content-length': _length, 'transfer-encoding': _encoding, ...headers } = req.headers;
    const forwarded = request(url, { method: req.method, headers: { ...headers, host: upstream.host, 'content-length': String(body.length) } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', (error) => {
      res.writeHead(502).end(`planting proxy: ${error.message}`);
    });
    forwarded.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    planted,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
