import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { EMPTY_CHANGES } from '../../reporters/audit/changelog.ts';
import type { AuditEvent } from '../../reporters/audit/events.ts';
import { checkInvariants, type RunBundle } from '../../reporters/audit/invariants.ts';
import { readRunBundle, sampleRunPerFile } from '../helpers/fixtures/reporter/sample-run.ts';

/**
 * Every §7 contradiction, planted into an otherwise valid run, must be found. The baseline is a run the
 * reporter wrote; each case edits one thing in a fresh copy of it.
 */

const sampleRunDir = sampleRunPerFile('audit-invariants-');

const bundle = () => readRunBundle(sampleRunDir());

const result = (b: RunBundle, id: string) => b.events.find((e) => e.event === 'test_result' && e.test_id === id) as AuditEvent & Record<string, any>;
const numbers = (b: RunBundle) => [...new Set(checkInvariants(b).map((v) => v.invariant))].sort((x, y) => x - y);
const messages = (b: RunBundle) => checkInvariants(b).map((v) => `#${v.invariant} ${v.message}`);

test('the run as written holds every invariant', () => {
  expect(checkInvariants(bundle(), { node: process.version, vitest: bundle().summary.runtime.vitest!, platform: process.platform })).toEqual([]);
});

describe('each planted contradiction is found', () => {
  const cases: [string, number, (b: RunBundle) => void, RegExp?][] = [
    ['1: an edited total', 1, (b) => void (b.summary.totals.passed += 1)],
    ['1: a spec with two results', 1, (b) => void (b.events as AuditEvent[]).splice(-4, 0, { ...result(b, '1.1') }), /more than one result: 1\.1/],
    ['1: a Stage2 summary that disagrees', 1, (b) => void ((b.events.find((e) => e.stage === 'Stage2') as any).tests_executed = 50), /Stage2 summary/],
    ['2: a Key Number that is not the metric', 2, (b) => void (b.summary.keyNumbers[0].value = 1)],
    ['2: more fetched than paging.total', 2, (b) => void (result(b, '1.1').records[0].fetched = 200), /1\.1 orders: fetched 200 > paging\.total 120/],
    ['3: a test outside the spec', 3, (b) => void b.summary.unknownTests.push('6.16 Extra partner test'), /6\.16/],
    ['3: a row whose title is not the catalogue\'s', 3, (b) => void (result(b, '7.2').title = 'Some other test')],
    ['4: status OK despite failures', 4, (b) => void (b.summary.status = 'OK')],
    ['4: an error answer left out of Errors', 4, (b) => void b.summary.errors.pop()],
    ['5: a daily fact that does not follow staging', 5, (b) => void ((b.summary.measurement as any).facts.mismatches = [{ date: '2025-11-20', staging: 7, fact: 9 }])],
    ['6: a delta that is not after − before', 6, (b) => void ((b.csv[0] as any).delta = 31), /delta 31 ≠ after 130 − before 100/],
    ['6: count_before taken from elsewhere', 6, (b) => void ((b.csv[0] as any).before = 130)],
    ['6: rows in a table the spec does not feed (unpaid orders)', 6, (b) => void (result(b, '1.3').run_rows.stg_qtickets_api_orders_raw = 5), /1\.3 wrote 5 rows to stg_qtickets_api_orders_raw/],
    ['6: more order rows than orders fetched', 6, (b) => void (result(b, '1.1').run_rows.stg_qtickets_api_orders_raw = 60), /60 order rows from 50 fetched/],
    ['9: more partner rows than tickets found', 9, (b) => void (result(b, '6.9').run_rows.stg_qtickets_api_partner_tickets_raw = 5)],
    ['12: rows from a 404 HTML answer', 12, (b) => void (result(b, '3.7').run_rows.stg_qtickets_api_inventory_raw = 3), /3\.7 wrote 3 rows although no answer of it succeeded/],
    ['10: meta_job_runs counted per test', 10, (b) => void ((b.summary.measurement as any).after.total.meta_job_runs = 6), /meta_job_runs delta 3/],
    ['11: an endpoint that was never the spec\'s', 11, (b) => {
      result(b, '1.1').endpoint = 'GET /promo_codes';
    }, /1\.1 sent "GET \/promo_codes"/],
    ['11: a 404 HTML shown as 200', 11, (b) => void ((b.artifacts.get('artifacts/3.7/01-spec.json') as any).response.status = 200), /3\.7: artifacts\/3\.7\/01-spec\.json shows status 200, run\.jsonl 404/],
    ['11: an invented error code', 11, (b) => {
      const x = b.events.find((e) => e.event === 'exchange' && e.test_id === '7.2') as any;
      x.code = 'ORDER_NOT_FOUND';
    }, /code ORDER_NOT_FOUND .* does not appear/],
    ['14: a timestamp that goes back', 14, (b) => void ((b.events[5] as any).ts = '2001-01-01T00:00:00.000Z'), /earlier than the line before/],
    ['14: local time written with Z missing', 14, (b) => void ((b.events[3] as any).ts = '2025-11-26 10:00:03'), /not ISO-8601 UTC/],
    ['14: a request_body_hash that is not SHA-256', 14, (b) => void (result(b, '1.3').request_body_hash = 'abc123'), /request_body_hash "abc123"/],
    ['14: stages out of order', 14, (b) => void ((b.events as AuditEvent[]).splice(b.events.findIndex((e) => e.stage === 'Stage3'), 1)), /stages appear/],
    ['14: a git hash as max_ver', 14, (b) => void ((b.csv[0] as any).maxVer = 'a8a94ae3e2'), /max_ver "a8a94ae3e2" is not a numeric _ver/],
    ['15: a duration that does not add up', 15, (b) => void (b.summary.timing.durationSeconds += 154)],
    ['16: an edited line of audit.md', 16, (b) => void (b.markdown = b.markdown.replace('| 7.2 |', '| 7.2 | extra |'))],
    ['16: mojibake', 16, (b) => void (b.markdown = b.markdown.replace('Readiness Assessment', 'Readiness Assessment âœ…')), /mojibake/],
    ['16: a mock row that does not say so', 16, (b) => void (b.markdown = b.markdown.replace('· passed [mock]', '· passed')), /do not say so/],
    ['17: "all executed" ticked with specs skipped', 17, (b) => void (b.summary.checklist[0].ok = true)],
    ['18: "no leaks" ticked with a finding', 18, (b) => void b.summary.leakScan.findings.push({ file: 'run.jsonl', kind: 'email', excerpt: 'masked:0123abcd' })],
    ['19: a comparison with an unverified run', 19, (b) => void (b.summary.trend = { previousRunId: '20251101_000000', previousVerified: false, previousProblems: ['bad'], ...EMPTY_CHANGES, newFailures: ['3.7'] }), /unverified/],
  ];
  test.each(cases)('%s', (_name, invariant, plant, message) => {
    const b = bundle();
    plant(b);
    expect(numbers(b)).toContain(invariant);
    if (message) expect(messages(b).join('\n')).toMatch(message);
  });

  test('14: an environment that is not the one the run had', () => {
    const violations = checkInvariants(bundle(), { node: 'v18.0.0', vitest: '1.0.0', platform: 'win32' });
    expect(violations).toEqual([expect.objectContaining({ invariant: 14, message: expect.stringContaining('runtime.json records') })]);
  });
});
