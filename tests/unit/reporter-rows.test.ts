import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { specById } from '../../support/catalogue/index.ts';
import type { SpecOutcome } from '../../support/core/outcome.ts';
import { EventLog, parseJsonl, rowEvents, rowsFromEvents } from '../../reporters/audit/events.ts';
import { buildRow, classify } from '../../reporters/audit/rows.ts';
import type { CaseInput } from '../../reporters/audit/types.ts';
import { sampleCases } from '../helpers/fixtures/reporter/sample-run.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'audit-rows-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const evidence = (result: SpecOutcome['result'], extra: Partial<SpecOutcome> = {}): SpecOutcome => ({
  specId: '6.1', ver: '1', startedAt: '2025-11-26T10:00:00.000Z', endpoint: '', requestBodyHash: '', result, exchanges: [], records: [], deviations: [], discovered: {}, notes: [], artifacts: [], ...extra,
});
const kase = (state: CaseInput['state'], extra: Partial<CaseInput> = {}): CaseInput => ({ project: 'spec', name: '6.1 Partners: add one ticket', state, mode: 'run', errors: [], ...extra });

describe('result classes: vitest decides failed and skipped, a pass needs the harness to agree', () => {
  test.each<[string, CaseInput, string | null, { result: string; reason: string | RegExp }]>([
    ['passed with passing evidence', kase('passed', { evidence: evidence('passed') }), null, { result: 'passed', reason: '' }],
    ['a refused denied probe', kase('passed', { evidence: evidence('denied', { denial: { reasons: ['no --allow-writes'] } }) }), null, { result: 'denied', reason: 'denied as expected (write not sent with real credentials: no --allow-writes)' }],
    ['passed without evidence', kase('passed'), null, { result: 'failed', reason: /no evidence/ }],
    ['passed while the harness still says pending', kase('passed', { evidence: evidence('pending') }), null, { result: 'failed', reason: 'vitest reports passed, but the harness recorded "pending"' }],
    ['failed, whatever the evidence says', kase('failed', { evidence: evidence('denied'), errors: ['6.1: the denied probe\n  was not refused'] }), null, { result: 'failed', reason: '6.1: the denied probe was not refused' }],
    ['skipped by the harness, with its reason', kase('skipped', { note: 'note', evidence: evidence('skipped', { skip: { kind: 'no-partners-key', detail: 'no Partners key configured' } }) }), null, { result: 'skipped', reason: 'no Partners key configured' }],
    ['filtered out by -t', kase('skipped', { mode: 'skip' }), null, { result: 'skipped', reason: 'not selected' }],
    ['still pending when the run stopped', kase('pending'), 'interrupted by SIGINT', { result: 'skipped', reason: 'not executed (run interrupted: interrupted by SIGINT)' }],
    ['skipped by a cancelled run before it started', kase('skipped', { note: 'The test run was aborted by the user.' }), 'run cancelled', { result: 'skipped', reason: 'not executed (run interrupted: run cancelled)' }],
    ['never reported at all', undefined as unknown as CaseInput, null, { result: 'skipped', reason: 'not executed (not collected in this run)' }],
  ])('%s', (_name, c, interrupted, expected) => {
    const got = classify(c, interrupted);
    expect(got.result).toBe(expected.result);
    if (expected.reason instanceof RegExp) expect(got.reason).toMatch(expected.reason);
    else expect(got.reason).toBe(expected.reason);
  });
});

test('run.jsonl carries each row whole: the rows read back equal the rows written', () => {
  const cases = sampleCases(dir).filter((c) => c.project === 'spec');
  const rows = cases.map((c) => buildRow(specById(c.name.split(' ')[0]), c, null));
  const log = new EventLog(join(dir, 'run.jsonl'));
  for (const row of rows) log.append(rowEvents(row));
  expect(rowsFromEvents(parseJsonl(readFileSync(join(dir, 'run.jsonl'), 'utf8')))).toEqual(rows);
});

test('the log never goes back in time, and keeps an earlier own time beside the logged one', () => {
  const log = new EventLog(join(dir, 'run.jsonl'));
  log.append([{ event: 'a', at: '2025-11-26T10:00:05.000Z' }]);
  const [late, timeless] = log.append([{ event: 'b', at: '2025-11-26T10:00:04.000Z' }, { event: 'c', at: null }]);
  expect(late).toEqual({ ts: '2025-11-26T10:00:05.000Z', ts_recorded: '2025-11-26T10:00:04.000Z', event: 'b' });
  expect(timeless).toEqual({ ts: '2025-11-26T10:00:05.000Z', event: 'c' });
  expect(readFileSync(join(dir, 'run.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
});
