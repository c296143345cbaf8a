import type { ServerResponse } from 'node:http';
import type { MockResponse } from './http.ts';

/**
 * Answers of a hostile or broken API, for the fault rules of faults.ts: an echoed credential, an answer
 * too big or too deep to hold, API text built to break Markdown and HTML, bytes that are not UTF-8.
 */

/** Text that tries to end a table cell and row, open HTML and close a code fence. */
export const HOSTILE_TEXT = 'x | y\r| 9.9 | `forged` | row |\n```\n<img src=x onerror=alert(1)><script>alert(2)</script>';
/** A key of the same kind, added to every record (it comes back as contract drift). */
export const HOSTILE_KEY = 'k|<img src=x onerror=alert(1)>`\r| 9.8 | forged |';

/** The answer with the request's Authorization copied into headers, as a misconfigured proxy does. */
export function echoAuthorization(response: MockResponse, authorization: string | undefined): MockResponse {
  if (!authorization) return response;
  const token = authorization.replace(/^Bearer\s+/i, '');
  return { ...response, headers: { ...response.headers, 'x-echo-authorization': authorization, 'set-cookie': `session=${token}; HttpOnly`, 'x-debug': `token=${token}` } };
}

/** The JSON answer with every record's `name` replaced and an extra key, both hostile text. */
export function hostileNames(response: MockResponse): MockResponse {
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    return response;
  }
  const records = Array.isArray((body as { data?: unknown })?.data) ? (body as { data: unknown[] }).data : [body];
  for (const record of records) {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) continue;
    const fields = record as Record<string, unknown>;
    if (typeof fields.name === 'string') fields.name = HOSTILE_TEXT;
    fields[HOSTILE_KEY] = HOSTILE_TEXT;
  }
  return { ...response, body: JSON.stringify(body) };
}

/** `[[[…]]]` nested `depth` levels. */
export function deeplyNested(depth: number): MockResponse {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: '['.repeat(depth) + ']'.repeat(depth) };
}

/** The answer's bytes with two bytes that are never UTF-8 (0xFF 0xFE) inside its first string. */
export function invalidUtf8(response: MockResponse): { status: number; headers: Record<string, string>; body: Buffer } {
  const bytes = Buffer.from(response.body, 'utf8');
  const at = bytes.indexOf(0x22) + 1; // after the first quote: the JSON still parses when decoded leniently
  return { status: response.status, headers: response.headers, body: Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff, 0xfe]), bytes.subarray(at)]) };
}

/**
 * A valid JSON answer of `bytes` bytes, `{"data":["xxx…",…]}`, written in chunks so the mock never holds it;
 * stops early when the client hangs up.
 */
export async function sendHuge(res: ServerResponse, bytes: number): Promise<void> {
  const item = `"${'x'.repeat(1024 * 1024 - 3)}",`;
  const head = '{"data":[';
  const tail = '""]}';
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(bytes) });
  let left = bytes - head.length - tail.length;
  const write = (text: string) =>
    new Promise<void>((resolve) => {
      if (res.write(text)) return resolve();
      // Whichever comes first ends the wait; the other listener goes with it, or they pile up per chunk.
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    });
  await write(head);
  while (left > 0 && !res.destroyed) {
    // The last piece fills the exact length: a shorter string, or blanks (JSON whitespace) when too short for one.
    const chunk = left >= item.length ? item : left >= 3 ? `"${'x'.repeat(left - 3)}",` : ' '.repeat(left);
    await write(chunk);
    left -= chunk.length;
  }
  if (!res.destroyed) res.end(tail);
}
