import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpecEntry } from '../catalogue/index.ts';
import type { ApiResult } from '../client.ts';
import { placeholderIds } from '../core/id-forms.ts';
import type { ApiRequest } from '../core/types.ts';
import { step } from '../allure.ts';
import type { RunRuntime } from '../harness/runtime.ts';
import { sandboxGaps } from '../harness/sandbox.ts';
import type { Exchanges } from './exchange.ts';

/** Writes reach a live tenant only with --allow-writes and a complete sandbox: why this one may not (none: it may). */
export function writeGaps(spec: SpecEntry, rt: RunRuntime): string[] {
  if (rt.mode !== 'live' || !spec.writes) return [];
  if (!rt.allowWrites) return ['run with --allow-writes and sandbox settings to send it'];
  return sandboxGaps(spec, rt.sandbox);
}

/**
 * Stage 6, for a write without permission on a live tenant: the request is sent with an invalid credential, to
 * placeholder ids no tenant has and with an empty body, so even an API that accepts the credential finds
 * nothing to change. It must be refused.
 */
export async function sendDeniedProbe(spec: SpecEntry, exchanges: Exchanges): Promise<{ request: ApiRequest; result: ApiResult; refused: boolean }> {
  const literal = spec.plan.requests(placeholderIds(spec.plan.needs ?? []))[0];
  const request: ApiRequest = { ...literal, ...(literal.body === undefined ? {} : { body: {} }) };
  const result = await step('request', () => exchanges.send('denied-probe', request, `invalid-${randomBytes(8).toString('hex')}`));
  const refused = request.api === 'rest' ? result.status === 403 : result.kind === 'partners-error' && result.code === 'WRONG_AUTHORIZATION';
  return { request, result, refused };
}

/** Once a probe was not refused, the run sends no further probes: the file names the spec whose probe it was. */
const probeStopFile = (rt: RunRuntime): string => join(rt.scratchDir, 'denied-probe-not-refused');

/** The spec whose denied probe this API did not refuse, if any earlier in the run. */
export function probesStoppedBy(rt: RunRuntime): string | null {
  return existsSync(probeStopFile(rt)) ? readFileSync(probeStopFile(rt), 'utf8') : null;
}

export function stopProbes(rt: RunRuntime, spec: SpecEntry): void {
  writeFileSync(probeStopFile(rt), spec.id);
}
