import { describe, expect, test } from 'vitest';
import { comparedSpec, driftFields } from '../helpers/compared-spec.ts';
import { answerOf, baselineFrom, checkAgainstBaseline, findingsOf, gateOf, slowerThanBaseline, type Finding, type RunSoundness } from '../../reporters/audit/baseline.ts';
import type { EndpointLatency } from '../../support/latency.ts';
import { baselineSchema, type RunBaseline } from '../../support/config/baseline.ts';

/** The baseline: a verified report's findings written as data, a run's findings split into known and new, and the exit gate. */

const spec = comparedSpec;
const fields = driftFields;

const RUN_1 = '20260101_000000';
const RUN_2 = '20260102_000000';
const specs1 = [
  spec('1.1', { drift: fields('data[].grown') }),
  spec('3.7', { deviations: [{ literal: 'GET /events/1/seats', sent: 'GET /shows/2/seats' }] }),
  spec('4.1', { result: 'failed', reason: 'expected 200', status: 404, contentType: 'text/html' }),
  spec('2.4', { result: 'skipped', reason: 'prerequisite not found', status: null, contentType: '' }),
];
const endpoint = (path: string, p95Ms: number): EndpointLatency => ({ api: 'rest', method: 'GET', path, requests: 1, p50Ms: p95Ms, p95Ms, maxMs: p95Ms, retries: 0, status429: 0 });
const summary1 = {
  runId: RUN_1,
  runtime: { env: 'prod' },
  specs: specs1,
  driftSeen: [{ id: '1.1', contract: 'C1.1', path: 'data[].grown', count: 1, example: '"x"', firstSeen: '20251231_000000' }],
  latency: [endpoint('/orders', 40), endpoint('/clients', 30)],
};
const sound: RunSoundness = { executed: 3, selfTestsFailed: 0, runErrors: 0, violations: 0, leaks: 0, setupIncomplete: false, interruption: null };

describe('baseline', () => {
  test("is written from a report's drift (with its first-seen run), deviations, failures (by answer) and skips, and parses", () => {
    const baseline = baselineFrom(summary1, '2026-01-01T01:00:00Z');
    expect(baseline).toEqual({
      format: 'qtickets-audit-baseline/1',
      env: 'prod',
      runId: RUN_1,
      createdAt: '2026-01-01T01:00:00Z',
      drift: [{ spec: '1.1', contract: 'C1.1', path: 'data[].grown', runId: '20251231_000000' }],
      deviations: [{ spec: '3.7', literal: 'GET /events/1/seats', sent: 'GET /shows/2/seats', runId: RUN_1 }],
      failures: [{ spec: '4.1', answer: '404 text/html', message: 'expected 200', runId: RUN_1 }],
      skips: [{ spec: '2.4', reason: 'prerequisite not found', runId: RUN_1 }],
      latency: [
        { api: 'rest', method: 'GET', path: '/orders', p95Ms: 40, runId: RUN_1 },
        { api: 'rest', method: 'GET', path: '/clients', p95Ms: 30, runId: RUN_1 },
      ],
    });
    expect(baselineSchema.parse(baseline)).toEqual(baseline);
    // A baseline written before latency was kept still parses, and accepts no endpoint's p95.
    const { latency: _latency, ...older } = baseline;
    expect(baselineSchema.parse(older).latency).toEqual([]);
    expect(baselineSchema.safeParse({ ...baseline, extra: 1 }).success).toBe(false);
  });

  test('answerOf: status, content type and code; "no answer" without one', () => {
    expect(answerOf({ status: 503, contentType: 'application/json', code: 'UNKNOWN_ERROR' })).toBe('503 application/json UNKNOWN_ERROR');
    expect(answerOf({ status: null, contentType: '', code: null })).toBe('no answer');
  });

  test("a run's findings split into known (with the baseline's run) and new; a known spec failing with another answer is new", () => {
    const given: RunBaseline = { file: 'audit-baseline.json', failOn: 'new', baseline: baselineFrom(summary1, 'x') };
    const now = [spec('1.1', { drift: fields('data[].grown', 'data[].other') }), spec('3.7', { deviations: [{ literal: 'GET /events/1/seats', sent: 'GET /shows/2/seats' }] }), spec('4.1', { result: 'failed', status: 503, code: 'UNKNOWN_ERROR' })];
    const driftSeen = [
      { id: '1.1', contract: 'C1.1', path: 'data[].grown', count: 1, example: '"x"', firstSeen: '20251231_000000' },
      { id: '1.1', contract: 'C1.1', path: 'data[].other', count: 1, example: '"x"', firstSeen: RUN_2 },
    ];
    const check = checkAgainstBaseline(given, findingsOf(RUN_2, now, driftSeen));
    expect(check).toMatchObject({ file: 'audit-baseline.json', fromRunId: RUN_1, env: 'prod', failOn: 'new' });
    expect(check.known).toEqual([
      { kind: 'drift', spec: '1.1', what: 'data[].grown', runId: '20251231_000000' },
      { kind: 'deviation', spec: '3.7', what: 'GET /events/1/seats → GET /shows/2/seats', runId: RUN_1 },
    ]);
    expect(check.new).toEqual([
      { kind: 'drift', spec: '1.1', what: 'data[].other', runId: RUN_2 },
      { kind: 'failure', spec: '4.1', what: '503 application/json UNKNOWN_ERROR', runId: RUN_2 },
    ]);
  });

  test('an endpoint past the slower rule against the baseline p95 is a new finding with its figures; one within it, or unknown to the baseline, is none', () => {
    const baseline = baselineFrom(summary1, 'x');
    const slower = slowerThanBaseline(baseline, [endpoint('/orders', 560), endpoint('/clients', 520), endpoint('/new', 5000)], RUN_2);
    expect(slower).toEqual([{ kind: 'slower', spec: 'REST', what: 'GET /orders p95 560 ms (baseline 40 ms)', runId: RUN_2, latency: { api: 'rest', method: 'GET', path: '/orders', p95Ms: 560, acceptedP95Ms: 40 } }]);
    const check = checkAgainstBaseline({ file: 'b.json', failOn: 'new', baseline }, [], slower);
    expect(check.new).toEqual(slower);
    expect(gateOf(check, sound)?.fail).toBe(true);
  });

  test('the gate: new fails only for new findings, any for every finding; an unsound run fails either way; none without --fail-on', () => {
    const known: Finding[] = [{ kind: 'failure', spec: '4.1', what: '404 text/html', runId: RUN_1 }];
    const check = (failOn: 'new' | 'any' | null, fresh: Finding[] = []) => ({ file: 'b.json', fromRunId: RUN_1, env: 'prod', failOn, known, new: fresh });
    expect(gateOf(check('new'), sound)).toEqual({ failOn: 'new', fail: false, reasons: [] });
    expect(gateOf(check('any'), sound)).toEqual({ failOn: 'any', fail: true, reasons: ['1 finding(s): 4.1 failure 404 text/html'] });
    expect(gateOf(check('new', [{ kind: 'drift', spec: '1.1', what: 'data[].x', runId: RUN_2 }]), sound)?.reasons).toEqual(['1 new finding(s): 1.1 drift data[].x']);
    expect(gateOf(check('new'), { ...sound, leaks: 2, interruption: 'interrupted by SIGINT' })?.reasons).toEqual(['2 leak finding(s)', 'incomplete: interrupted by SIGINT']);
    expect(gateOf(check('new'), { ...sound, executed: 0 })?.fail).toBe(true);
    expect(gateOf(check(null), sound)).toBeNull();
    expect(gateOf(null, sound)).toBeNull();
  });
});
