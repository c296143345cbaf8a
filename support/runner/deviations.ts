import type { SpecEntry } from '../catalogue/index.ts';
import { bodyHash } from '../client.ts';
import type { Deviation } from '../core/outcome.ts';
import type { ApiRequest } from '../core/types.ts';
import { describeAnswer } from './answer.ts';
import type { Exchanges } from './exchange.ts';

/**
 * The spec's literal request, where it differs from what was sent: GETs are sent read-only and their
 * answers recorded; anything else is recorded as not sent. Never a failure, always information.
 */
export async function specDeviations(spec: SpecEntry, sent: ApiRequest | undefined, exchanges: Exchanges): Promise<Deviation[]> {
  const deviations: Deviation[] = [];
  const sentText = sent ? `${sent.method} ${sent.path}` : 'nothing';
  const literal = literalRequest(spec);
  const differs = !sent || literal.method !== sent.method || literal.path !== sent.path || bodyHash(literal.body) !== bodyHash(sent.body);
  if (differs) {
    const documented = spec.documented
      ? `documented: ${spec.documented.method} ${spec.documented.path}`
      : spec.plan.deviationNotes?.length
        ? 'the request is corrected as the next line says'
        : 'ids of this tenant replace the spec examples';
    if (literal.method === 'GET') {
      const answer = await exchanges.send('deviation', literal);
      deviations.push({ literal: `${literal.method} ${literal.path}`, sent: sentText, literalAnswer: describeAnswer(answer), note: documented });
    } else {
      deviations.push({ literal: `${literal.method} ${literal.path}`, sent: sentText, literalAnswer: 'not sent (only GET literals are probed)', note: documented });
    }
  }
  for (const note of spec.plan.deviationNotes ?? []) deviations.push({ literal: `${spec.literal.method} ${spec.literal.path}`, sent: sentText, literalAnswer: '—', note });
  return deviations;
}

function literalRequest(spec: SpecEntry): ApiRequest {
  const path = spec.literal.path.includes('{') && spec.literal.examples[0] ? spec.literal.examples[0] : spec.literal.path;
  return { api: spec.api, method: spec.literal.method, path, body: spec.literal.body ?? undefined, idempotent: true };
}
