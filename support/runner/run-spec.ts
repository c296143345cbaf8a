import type { ClickHouseClient } from '@clickhouse/client';
import { catalogue, type SpecEntry } from '../catalogue/index.ts';
import { bodyHash, type ApiResult } from '../client.ts';
import type { TableCounts, VerifiedTable } from '../clickhouse/tables.ts';
import type { SkipReason, SpecOutcome } from '../core/outcome.ts';
import type { ApiRequest, Ids } from '../core/types.ts';
import { attachJson, labelSpecTest, markDenied, step } from '../allure.ts';
import { specClickHouse } from '../harness/clickhouse.ts';
import { Discovery } from '../harness/discovery.ts';
import { itemsOf, type ImpliedRows } from '../harness/implied.ts';
import type { RunRuntime } from '../harness/runtime.ts';
import { redactText } from '../secrets.ts';
import { describeAnswer } from './answer.ts';
import { checkAnswers } from './check-answer.ts';
import { walkAllPages } from './deep-walk.ts';
import { probesStoppedBy, sendDeniedProbe, stopProbes, writeGaps } from './denied-probe.ts';
import { specDeviations } from './deviations.ts';
import { Exchanges } from './exchange.ts';
import { SpecFailure, specFailure } from './failure.ts';
import { loadAnswers } from './load.ts';
import { checkDimEvents, countBefore, measureDeltas } from './measure-deltas.ts';
import { resolveIds } from './resolve-ids.ts';
import { sendSpecRequests } from './send.ts';

/** What the runner needs from the test framework. */
export interface SpecContext {
  /** Aborted when the run is cancelled. */
  signal: AbortSignal;
  /** Ends the test as skipped, with this note (it does not return). */
  skip(note: string): never;
  /** Fails the test unless there are no delta problems; the failure lists them. */
  assertNoDeltaProblems(problems: string[], label: string): void;
}

/** A new outcome, before anything happened: the runner fills it as the spec runs. */
export function startOutcome(spec: SpecEntry, rt: RunRuntime): SpecOutcome<VerifiedTable> {
  return {
    specId: spec.id,
    ver: (BigInt(rt.verBase) + BigInt(catalogue.indexOf(spec) + 1)).toString(),
    startedAt: new Date().toISOString(),
    endpoint: '',
    requestBodyHash: '',
    result: 'pending',
    exchanges: [],
    records: [],
    deviations: [],
    discovered: {},
    notes: [],
    artifacts: [],
  };
}

/**
 * One spec: resolve ids → send → check the answer → load → measure deltas (or, for a write without
 * permission, the denied probe) → the outcome, filled as it goes so that a failing spec still tells what happened.
 */
export async function runSpec(spec: SpecEntry, rt: RunRuntime, context: SpecContext, outcome: SpecOutcome<VerifiedTable>): Promise<void> {
  const run = new SpecRun(spec, rt, context, outcome);
  try {
    await labelSpecTest(spec, { env: rt.envName, endpoint: `${spec.literal.method} ${spec.literal.path}` });
    const gaps = writeGaps(spec, rt);
    if (gaps.length > 0) await run.deniedProbe(gaps);
    else if (spec.api === 'partners' && !rt.partners.token) await run.skipWithoutPartnersKey();
    else await run.sendAndVerify();
  } catch (error) {
    // The message reaches Allure's results from this worker: an answer that echoed a secret is redacted first.
    if (error instanceof Error) {
      error.message = redactText(error.message, rt.secrets);
      if (error.stack) error.stack = redactText(error.stack, rt.secrets);
    }
    if (outcome.result === 'pending') outcome.result = 'failed';
    if (outcome.result === 'failed') {
      outcome.error = (error as Error).message;
      if (error instanceof SpecFailure) outcome.failure = error.kinds;
    }
    throw error;
  } finally {
    outcome.finishedAt = new Date().toISOString();
  }
}

/** The stages of one spec, in order, each writing what it returned into the outcome. */
class SpecRun {
  private readonly exchanges: Exchanges;
  private readonly discovery: Discovery;
  private readonly ver: bigint;

  constructor(private readonly spec: SpecEntry, private readonly rt: RunRuntime, private readonly context: SpecContext, private readonly outcome: SpecOutcome<VerifiedTable>) {
    this.ver = BigInt(outcome.ver);
    this.exchanges = new Exchanges(spec, rt, outcome);
    this.discovery = new Discovery(rt.scratchDir, rt.idOverrides);
  }

  async sendAndVerify(): Promise<void> {
    const { spec, outcome, exchanges } = this;
    const plan = spec.plan;
    const ids = await this.resolveIds();

    await this.withClickHouse(async (ch) => {
      const before = await countBefore(ch, this.rt);
      const { requests, results } = await sendSpecRequests(spec, ids, exchanges);
      outcome.endpoint = requests.map((r) => `${r.method} ${r.path}`).join('; ');
      outcome.requestBodyHash = bodyHash(requests[0]?.body);
      outcome.deviations.push(...(await specDeviations(spec, requests[0], exchanges)));

      const check = await step('contract', async () => checkAnswers(spec, results, ids));
      outcome.records.push(...check.records);
      if (check.contract) outcome.contract = check.contract;
      const problems = check.problems;
      const accepted = problems.length === 0;
      if (accepted && plan.discovers) this.discovery.remember(plan.discovers(results[0].body, ids), `${spec.id} answer`);
      if (accepted && plan.load === 'events') this.discovery.rememberEvents(results.flatMap((r) => itemsOf('events', r.body)));

      let loaded: Record<string, number> = {};
      let implied: ImpliedRows | undefined;
      if (accepted && plan.load && plan.deep && this.rt.allPages) {
        const deep = await step('deep walk', () => walkAllPages(spec, { request: requests[0], result: results[0] }, ids, { ...this.stageRun(ch), exchanges, discovery: this.discovery, signal: this.context.signal }));
        outcome.records = [deep.record];
        outcome.contract = deep.contract;
        outcome.notes.push(...deep.notes);
        ({ loaded, implied } = deep);
        problems.push(...deep.problems);
      } else if (accepted && plan.load) {
        loaded = await step('load', async () => loadAnswers(plan.load!, spec, requests, results, ids, this.ver, this.discovery, ch, this.rt, (r) => exchanges.send('discovery', r)));
      }
      await step('delta', async () => this.verifyDeltas(ch, before, loaded, accepted ? results : [], implied));
      if (problems.length > 0) throw specFailure(spec, problems);
      outcome.result = 'passed';
    });
  }

  /** The ids the spec needs; skips the spec when one was found nowhere. */
  private async resolveIds(): Promise<Ids> {
    const { spec, outcome } = this;
    const resolved = await resolveIds(spec, this.rt, this.discovery, this.exchanges.lookup);
    Object.assign(outcome.discovered, resolved.discovered);
    if (resolved.invalid) throw new SpecFailure(`${spec.id}: not sent: ${resolved.invalid}`, ['invalid-id']);
    if (resolved.skip) this.skip(resolved.skip);
    return resolved.ids;
  }

  private skip(reason: SkipReason): never {
    this.outcome.result = 'skipped';
    this.outcome.skip = reason;
    return this.context.skip(reason.detail);
  }

  private stageRun(ch: ClickHouseClient) {
    return { rt: this.rt, ver: this.ver, ch };
  }

  private async withClickHouse(work: (ch: ClickHouseClient) => Promise<void>): Promise<void> {
    const ch = specClickHouse(this.rt.clickhouse);
    try {
      await work(ch);
    } finally {
      await ch.close();
    }
  }

  /** The rows each table gained, into the outcome; fails the spec when they are not the rows the answers imply. */
  private async verifyDeltas(ch: ClickHouseClient, before: TableCounts, loaded: Record<string, number>, accepted: ApiResult[], implied?: ImpliedRows): Promise<void> {
    const { spec, outcome } = this;
    const measured = await measureDeltas(spec, this.stageRun(ch), before, loaded, accepted, implied);
    outcome.clickhouse = measured.clickhouse;
    const dimEvents = await checkDimEvents(spec, this.stageRun(ch), accepted, implied);
    if (dimEvents?.problem) measured.problems.push(dimEvents.problem);
    if (dimEvents) outcome.notes.push(dimEvents.note);
    const { after, runRows, expected } = measured.clickhouse;
    await attachJson('ClickHouse delta', { before, after, runRows, expected });
    if (outcome.contract?.drift.length) await attachJson('contract drift', outcome.contract.drift);
    if (measured.problems.length > 0) outcome.failure = ['delta'];
    this.context.assertNoDeltaProblems(measured.problems, `ClickHouse deltas of ${spec.id}`);
  }

  /**
   * A write against a live tenant without permission is sent only as a denied probe; once one probe is not
   * refused, the run sends no further probes.
   */
  async deniedProbe(reasons: string[]): Promise<void> {
    const { spec, outcome } = this;
    outcome.denial = { reasons };
    const stopped = probesStoppedBy(this.rt);
    if (stopped) throw new SpecFailure(`${spec.id}: denied probe not sent: the probe of ${stopped} was not refused, so this API accepts invalid credentials and no further probes are sent`, ['denied-probe-not-refused']);
    await this.withClickHouse(async (ch) => {
      const before = await countBefore(ch, this.rt);
      const { request, result, refused } = await sendDeniedProbe(spec, this.exchanges);
      outcome.endpoint = `${request.method} ${request.path}`;
      outcome.requestBodyHash = bodyHash(request.body);
      outcome.deviations.push(...(await specDeviations(spec, request, this.exchanges)));
      await step('delta', () => this.verifyDeltas(ch, before, {}, []));
      if (!refused) {
        stopProbes(this.rt, spec);
        throw new SpecFailure(`${spec.id}: denied probe was not refused — this API accepts invalid credentials (answer: ${describeAnswer(result)}); no further probes are sent`, ['denied-probe-not-refused']);
      }
      outcome.result = 'denied';
      await markDenied();
    });
  }

  async skipWithoutPartnersKey(): Promise<void> {
    // One spec also proves why the key matters: the REST token is refused by the Partners API.
    if (this.spec.id === '6.8' && this.rt.rest.token) {
      const request: ApiRequest = { api: 'partners', method: 'POST', path: '/tickets/check', body: {}, idempotent: true };
      const probe = await this.exchanges.send('denied-probe', request, this.rt.rest.token);
      this.outcome.notes.push(`the REST token on the Partners API: ${describeAnswer(probe)}`);
    }
    this.skip({ kind: 'no-partners-key', detail: 'no Partners key configured (QTICKETS_PARTNERS_TOKEN)' });
  }
}
