import type { SpecEntry } from '../catalogue/index.ts';
import type { ApiResult } from '../client.ts';
import { InvalidIdError } from '../core/id-forms.ts';
import type { ApiRequest, Ids } from '../core/types.ts';
import { step } from '../allure.ts';
import type { Exchanges } from './exchange.ts';
import { SpecFailure } from './failure.ts';

/** Stage 2: the spec's requests with its ids, sent one after another; their answers in the same order. */
export async function sendSpecRequests(spec: SpecEntry, ids: Ids, exchanges: Exchanges): Promise<{ requests: ApiRequest[]; results: ApiResult[] }> {
  const requests = buildRequests(spec, ids);
  const results = await step('request', async () => {
    const out: ApiResult[] = [];
    for (const request of requests) out.push(await exchanges.send('spec', request, literalCredential(spec)));
    return out;
  });
  return { requests, results };
}

function buildRequests(spec: SpecEntry, ids: Ids): ApiRequest[] {
  try {
    return spec.plan.requests(ids);
  } catch (error) {
    if (error instanceof InvalidIdError) throw new SpecFailure(`${spec.id}: not sent: ${error.message}`, ['invalid-id']);
    throw error;
  }
}

/** 7.1 sends the spec's own invalid header; every other spec uses the configured credential. */
function literalCredential(spec: SpecEntry): string | null | undefined {
  const header = spec.literal.headers?.Authorization;
  return header ? header.replace(/^Bearer\s+/i, '') : undefined;
}
