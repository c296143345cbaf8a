import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiResult } from '../client.ts';
import { maskPayload } from '../masking.ts';
import { redactHeaders, redactValue, withoutCredentials } from '../secrets.ts';
import type { ExchangeRole } from '../core/outcome.ts';
import type { ApiRequest } from '../core/types.ts';

/** How much of an HTML or malformed body an artifact keeps; its length is recorded beside it. */
const TEXT_LIMIT = 2000;

/**
 * The masked and redacted record of one exchange, as stored in artifacts/<spec id>/ and attached to Allure:
 * personal data masked, credential headers and every known secret redacted, the URL without credentials.
 */
export function exchangeArtifact(specId: string, role: ExchangeRole, url: string, request: ApiRequest, credential: 'configured' | 'invalid' | 'none', result: ApiResult, secrets: readonly string[]) {
  const text = result.text ? result.text.slice(0, TEXT_LIMIT) : undefined;
  const artifact = {
    test_id: specId,
    role,
    request: {
      method: request.method,
      url: withoutCredentials(url),
      headers: { accept: 'application/json', authorization: credential === 'none' ? undefined : `Bearer <${credential} credential, redacted>` },
      body: request.body === undefined ? null : maskPayload(request.body),
    },
    response: {
      status: result.status,
      kind: result.kind,
      content_type: result.contentType,
      headers: redactHeaders(result.headers, secrets),
      body: result.body !== null ? maskPayload(result.body) : null,
      text,
      // Marked when the text shown is a prefix: of the kept text, or of an answer cut at the size bound.
      text_truncated: text !== undefined && (text.length < result.text.length || result.truncated === true) ? true : undefined,
      bytes: result.bytes,
      error: result.error,
    },
    latency_ms: result.latencyMs,
    retries: result.retries,
  };
  return redactValue(artifact, secrets);
}

export type ExchangeArtifact = ReturnType<typeof exchangeArtifact>;

/** Bodies up to this size (error answers) stay in an artifact stored past the budget. */
const SMALL_BODY = 4096;

/** The run's artifact budget: the bytes written so far are shared by the workers through a file of the scratch folder. */
export interface ArtifactBudget {
  /** Private file summing the bytes written (one number a line). */
  ledger: string;
  maxBytes: number;
}

/**
 * Writes an artifact under the run folder, without its answer body (marked) once the run's artifact bytes would pass the
 * budget; returns its path relative to the run folder and what was stored (for Allure).
 */
export function writeArtifact(runDir: string, specId: string, index: number, role: ExchangeRole, artifact: ExchangeArtifact, budget: ArtifactBudget): { path: string; stored: unknown } {
  const relative = join('artifacts', specId, `${String(index).padStart(2, '0')}-${role}.json`);
  mkdirSync(join(runDir, 'artifacts', specId), { recursive: true });
  let text = JSON.stringify(artifact, null, 2) + '\n';
  let stored: unknown = artifact;
  const size = Buffer.byteLength(text);
  const used = bytesWritten(budget.ledger);
  if (used + size > budget.maxBytes) {
    // The exchange's facts stay (status, content type, a small error body with its code); the bulk goes.
    const keepBody = JSON.stringify(artifact.response.body ?? null).length <= SMALL_BODY;
    stored = {
      ...artifact,
      response: { ...artifact.response, body: keepBody ? artifact.response.body : null, text: undefined, text_truncated: undefined },
      omitted: `answer body not stored: ${size} bytes would take the run's artifacts past AUDIT_MAX_ARTIFACT_BYTES (${budget.maxBytes} bytes; ${used} used)`,
    };
    text = JSON.stringify(stored, null, 2) + '\n';
  }
  writeFileSync(join(runDir, relative), text);
  appendFileSync(budget.ledger, `${Buffer.byteLength(text)}\n`);
  return { path: relative, stored };
}

function bytesWritten(ledger: string): number {
  if (!existsSync(ledger)) return 0;
  return readFileSync(ledger, 'utf8').split('\n').reduce((sum, line) => sum + (Number(line) || 0), 0);
}
