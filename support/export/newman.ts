import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogue } from '../catalogue/index.ts';
import { QTicketsClient } from '../client.ts';
import { Discovery } from '../harness/discovery.ts';
import type { IdKey } from '../core/types.ts';
import { repoRoot } from '../paths.ts';
import { BASE_URL_VARIABLES, CAPTURED_VARIABLES, ID_VARIABLES, TOKEN_VARIABLES } from './postman.ts';

/** Running the exported collection with Newman against an API (the mock, for the bench and the self-test). */

export interface Target {
  restBaseUrl: string;
  partnersBaseUrl: string;
  restToken: string;
  partnersToken: string;
}

export const NEWMAN_BIN = join(repoRoot, 'node_modules', '.bin', 'newman');

/**
 * The collection's variables for `target`: base URLs, tokens, and ids found with the suite's own discovery
 * (read requests only). The barcode is found first, so that showId is the show it belongs to.
 */
export async function collectionVariables(target: Target): Promise<Record<string, string>> {
  const scratch = mkdtempSync(join(tmpdir(), 'qtickets-newman-'));
  try {
    const client = (api: 'rest' | 'partners', baseUrl: string, token: string) =>
      new QTicketsClient({ api, baseUrl, token, timeoutMs: 30_000, maxRetries: 0, retryBaseMs: 0, maxRetryAfterMs: 0 });
    const clients = { rest: client('rest', target.restBaseUrl, target.restToken), partners: client('partners', target.partnersBaseUrl, target.partnersToken) };
    const needed = [...new Set(catalogue.flatMap((spec) => spec.plan.needs ?? []))] as IdKey[];
    const keys: IdKey[] = ['barcode', ...needed.filter((key) => key !== 'barcode' && !ID_VARIABLES[key].every((v) => CAPTURED_VARIABLES.includes(v)))];
    const { ids } = await new Discovery(scratch, {}).resolve(keys, async (request) => {
      const answer = await clients[request.api].send(request);
      return answer.kind === 'ok' ? answer.body : null;
    });
    const variables: Record<string, string> = {
      [BASE_URL_VARIABLES.rest]: target.restBaseUrl,
      [BASE_URL_VARIABLES.partners]: target.partnersBaseUrl,
      [TOKEN_VARIABLES.rest]: target.restToken,
      [TOKEN_VARIABLES.partners]: target.partnersToken,
    };
    // The first id to name a variable wins (showId before the event's list of shows).
    const order = (Object.keys(ids) as IdKey[]).sort((a, b) => Number(a === 'eventShowIds') - Number(b === 'eventShowIds'));
    for (const key of order) {
      const values = ids[key]!.split(',');
      ID_VARIABLES[key].forEach((variable, i) => {
        if (values[i] !== undefined && variables[variable] === undefined) variables[variable] = values[i];
      });
    }
    return variables;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Newman's command line: the collection, its variables, and its JSON report written to `jsonReport`. */
export function newmanArgs(collectionFile: string, variables: Record<string, string>, jsonReport: string, reporters: ('cli' | 'json')[] = ['json']): string[] {
  return [
    'run',
    collectionFile,
    ...Object.entries(variables).flatMap(([key, value]) => ['--env-var', `${key}=${value}`]),
    '--reporters',
    reporters.join(','),
    '--reporter-json-export',
    jsonReport,
    ...(reporters.includes('cli') ? ['--reporter-cli-no-banner'] : []),
  ];
}

export interface NewmanExecution {
  name: string;
  method: string;
  status: number | null;
  assertions: { name: string; passed: boolean }[];
}

export interface NewmanReport {
  executions: NewmanExecution[];
  requests: { total: number; failed: number };
  assertions: { total: number; failed: number };
  /** Newman's own run duration (requests and scripts, without its start-up). */
  runDurationMs: number;
}

/** Reads what Newman's JSON reporter wrote. */
export function readNewmanReport(jsonReport: string): NewmanReport {
  const { run } = JSON.parse(readFileSync(jsonReport, 'utf8'));
  return {
    executions: run.executions.map((e: any) => ({
      name: e.item.name,
      method: e.request?.method ?? '',
      status: e.response?.code ?? null,
      assertions: (e.assertions ?? []).map((a: any) => ({ name: a.assertion, passed: !a.error })),
    })),
    requests: { total: run.stats.requests.total, failed: run.stats.requests.failed },
    assertions: { total: run.stats.assertions.total, failed: run.stats.assertions.failed },
    runDurationMs: run.timings.completed - run.timings.started,
  };
}
