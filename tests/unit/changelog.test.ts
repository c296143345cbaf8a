import { describe, expect, test } from 'vitest';
import { comparedSpec, driftFields } from '../helpers/compared-spec.ts';
import { compareRuns, driftLedger, latencyChanges, type ComparedSpec, type RunSide } from '../../reporters/audit/changelog.ts';
import type { EndpointLatency } from '../../support/latency.ts';

/** The change log compares two runs' summary.json data: answers, drift paths, contract issues, deviations, results, tables. */

const spec = comparedSpec;
const fields = driftFields;

const side = (runId: string, specs: ComparedSpec[], after = 10, earlier: RunSide['driftSeen'] = [], latency: EndpointLatency[] = []): RunSide => ({
  runId,
  specs,
  tables: [{ table: 'stg_qtickets_api_orders_raw', after }],
  driftSeen: driftLedger(runId, specs, earlier),
  latency,
});

const endpoint = (path: string, p50Ms: number, p95Ms: number): EndpointLatency => ({ api: 'rest', method: 'GET', path, requests: 2, p50Ms, p95Ms, maxMs: p95Ms, retries: 0, status429: 0 });

describe('change log between two runs', () => {
  test('an unchanged run has nothing in any list but the table counts', () => {
    const specs = [spec('1.1', { drift: fields('data[].x') }), spec('3.7', { deviations: [{ literal: 'GET /a', sent: 'GET /b' }] })];
    const before = side('20260101_000000', specs);
    const changes = compareRuns(before, side('20260102_000000', specs, 10, before.driftSeen));
    const { tableChanges, ...lists } = changes;
    expect(Object.values(lists).every((list) => list.length === 0)).toBe(true);
    expect(tableChanges).toEqual([{ table: 'stg_qtickets_api_orders_raw', previousAfter: 10, after: 10 }]);
  });

  test('a changed status, content type or error code is named with both answers', () => {
    const before = side('20260101_000000', [spec('1.1'), spec('7.2', { status: 404, code: 'RESOURCE_NOT_FOUND' }), spec('1.3')]);
    const now = side('20260102_000000', [spec('1.1', { status: 503, code: 'UNKNOWN_ERROR', result: 'failed' }), spec('7.2', { status: 404, code: 'RESOURCE_NOT_FOUND' }), spec('1.3', { contentType: 'text/html' })]);
    const changes = compareRuns(before, now);
    expect(changes.answers).toEqual([
      { id: '1.1', endpoint: 'GET /x/1.1', from: { status: 200, contentType: 'application/json', code: null }, to: { status: 503, contentType: 'application/json', code: 'UNKNOWN_ERROR' } },
      { id: '1.3', endpoint: 'GET /x/1.3', from: { status: 200, contentType: 'application/json', code: null }, to: { status: 200, contentType: 'text/html', code: null } },
    ]);
    expect(changes.newFailures).toEqual(['1.1']);
    expect(changes.resultChanges).toEqual([{ id: '1.1', from: 'passed', to: 'failed' }]);
  });

  test('fields appear and disappear by JSON path; a kept path keeps the run it was first seen in', () => {
    const first = side('20260101_000000', [spec('1.1', { drift: fields('data[].old', 'data[].kept') })]);
    const now = side('20260102_000000', [spec('1.1', { drift: fields('data[].kept', 'data[].grown') })], 10, first.driftSeen);
    expect(now.driftSeen).toEqual([
      { id: '1.1', contract: 'C1.1', path: 'data[].kept', count: 1, example: '\"x\"', firstSeen: '20260101_000000' },
      { id: '1.1', contract: 'C1.1', path: 'data[].grown', count: 1, example: '\"x\"', firstSeen: '20260102_000000' },
    ]);
    const changes = compareRuns(first, now);
    expect(changes.fieldsAppeared).toEqual([{ id: '1.1', contract: 'C1.1', path: 'data[].grown', count: 1, example: '\"x\"', firstSeen: '20260102_000000' }]);
    expect(changes.fieldsGone).toEqual([{ id: '1.1', contract: 'C1.1', path: 'data[].old', count: 1, example: '\"x\"', firstSeen: '20260101_000000' }]);
  });

  test("a deep walk's drift keeps its record count and first example id in the log", () => {
    const before = side('20260101_000000', [spec('1.1')]);
    const deep = { path: 'data[].grown', count: 120, example: '"x"; first in order 1614202' };
    const changes = compareRuns(before, side('20260102_000000', [spec('1.1', { drift: [deep] })]));
    expect(changes.fieldsAppeared).toEqual([{ id: '1.1', contract: 'C1.1', ...deep, firstSeen: '20260102_000000' }]);
  });

  test('contract failures and deviations new and gone; fixed specs', () => {
    const before = side('20260101_000000', [spec('1.1', { result: 'failed', contractIssues: ['data[0].payed: required'] }), spec('3.7', { deviations: [{ literal: 'GET /a', sent: 'GET /b' }] })]);
    const now = side('20260102_000000', [spec('1.1'), spec('3.7', { result: 'failed', contractIssues: ['data: expected array'], deviations: [{ literal: 'GET /a', sent: 'GET /c' }] })]);
    const changes = compareRuns(before, now);
    expect(changes.fixed).toEqual(['1.1']);
    expect(changes.newFailures).toEqual(['3.7']);
    expect(changes.contractFailuresNew).toEqual([{ id: '3.7', contract: 'C3.7', issue: 'data: expected array' }]);
    expect(changes.contractFailuresFixed).toEqual([{ id: '1.1', contract: 'C1.1', issue: 'data[0].payed: required' }]);
    expect(changes.deviationsNew).toEqual([{ id: '3.7', literal: 'GET /a', sent: 'GET /c' }]);
    expect(changes.deviationsGone).toEqual([{ id: '3.7', literal: 'GET /a', sent: 'GET /b' }]);
  });

  test('a spec skipped in either run says nothing about its fields, issues, deviations or answer', () => {
    const before = side('20260101_000000', [spec('1.1', { drift: fields('data[].x'), contractIssues: ['x: bad'] })]);
    const now = side('20260102_000000', [spec('1.1', { result: 'skipped', endpoint: '', status: null, contentType: '' })]);
    const changes = compareRuns(before, now);
    expect([changes.fieldsGone, changes.contractFailuresFixed, changes.answers]).toEqual([[], [], []]);
    expect(changes.resultChanges).toEqual([{ id: '1.1', from: 'passed', to: 'skipped' }]);
  });

  test('a previous summary of an older format (no drift lists, no ledger) compares as empty lists', () => {
    const old = { id: '1.1', result: 'passed', endpoint: 'GET /orders', status: 200, contentType: 'application/json', code: null } as ComparedSpec;
    const changes = compareRuns({ runId: '20260101_000000', specs: [old], tables: [], driftSeen: undefined as never, latency: undefined as never }, side('20260102_000000', [spec('1.1', { endpoint: 'GET /orders', drift: fields('a') })]));
    expect(changes.fieldsAppeared.map((d) => d.path)).toEqual(['a']);
    expect(changes.tableChanges).toEqual([{ table: 'stg_qtickets_api_orders_raw', previousAfter: null, after: 10 }]);
  });
});

describe('latency then and now', () => {
  test('each endpoint with its p50/p95 in both runs; slower only past both thresholds', () => {
    const before = [endpoint('/orders', 40, 60), endpoint('/clients', 20, 30), endpoint('/gone', 5, 5), endpoint('/jitter', 10, 20)];
    const now = [endpoint('/orders', 45, 70), endpoint('/clients', 300, 530), endpoint('/new', 8, 9), endpoint('/jitter', 300, 510)];
    expect(latencyChanges(before, now)).toEqual([
      { api: 'rest', method: 'GET', path: '/orders', then: { p50Ms: 40, p95Ms: 60 }, now: { p50Ms: 45, p95Ms: 70 }, slower: false },
      { api: 'rest', method: 'GET', path: '/clients', then: { p50Ms: 20, p95Ms: 30 }, now: { p50Ms: 300, p95Ms: 530 }, slower: true },
      { api: 'rest', method: 'GET', path: '/new', then: null, now: { p50Ms: 8, p95Ms: 9 }, slower: false },
      // More than doubled, but by less than 500 ms: a busy machine's jitter on a fast endpoint, not a slowdown.
      { api: 'rest', method: 'GET', path: '/jitter', then: { p50Ms: 10, p95Ms: 20 }, now: { p50Ms: 300, p95Ms: 510 }, slower: false },
      { api: 'rest', method: 'GET', path: '/gone', then: { p50Ms: 5, p95Ms: 5 }, now: null, slower: false },
    ]);
  });

  test('the change log carries them, and a previous summary without latency compares as not called', () => {
    const changes = compareRuns(side('20260101_000000', [spec('1.1')], 10, [], [endpoint('/clients', 20, 30)]), side('20260102_000000', [spec('1.1')], 10, [], [endpoint('/clients', 200, 900)]));
    expect(changes.latency.filter((l) => l.slower).map((l) => l.path)).toEqual(['/clients']);
    const older = compareRuns({ ...side('20260101_000000', [spec('1.1')]), latency: undefined as never }, side('20260102_000000', [spec('1.1')], 10, [], [endpoint('/clients', 200, 900)]));
    expect(older.latency).toEqual([{ api: 'rest', method: 'GET', path: '/clients', then: null, now: { p50Ms: 200, p95Ms: 900 }, slower: false }]);
  });
});
