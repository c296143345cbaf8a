import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiResult } from '../client.ts';
import { maskPayload } from '../masking.ts';
import type { ExchangeRole } from '../evidence.ts';
import type { ApiRequest } from './types.ts';

/** How much of an HTML or malformed body an artifact keeps; its full length is recorded beside it. */
const TEXT_LIMIT = 2000;

/** The masked record of one exchange, as stored in artifacts/<spec id>/ and attached to Allure. */
export function exchangeArtifact(specId: string, role: ExchangeRole, url: string, request: ApiRequest, credential: 'configured' | 'invalid' | 'none', result: ApiResult) {
  return {
    test_id: specId,
    role,
    request: {
      method: request.method,
      url,
      headers: { accept: 'application/json', authorization: credential === 'none' ? undefined : `Bearer <${credential} credential, redacted>` },
      body: request.body === undefined ? null : maskPayload(request.body),
    },
    response: {
      status: result.status,
      kind: result.kind,
      content_type: result.contentType,
      headers: result.headers,
      body: result.body !== null ? maskPayload(result.body) : null,
      text: result.text ? result.text.slice(0, TEXT_LIMIT) : undefined,
      text_length: result.text ? result.text.length : undefined,
      error: result.error,
    },
    latency_ms: result.latencyMs,
    retries: result.retries,
  };
}

/** Writes an artifact under the run folder; returns its path relative to the run folder. */
export function writeArtifact(runDir: string, specId: string, index: number, role: ExchangeRole, artifact: unknown): string {
  const relative = join('artifacts', specId, `${String(index).padStart(2, '0')}-${role}.json`);
  mkdirSync(join(runDir, 'artifacts', specId), { recursive: true });
  writeFileSync(join(runDir, relative), JSON.stringify(artifact, null, 2) + '\n');
  return relative;
}
