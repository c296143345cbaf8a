import type { AuditEvent } from '../../reporters/audit/events.ts';
import { checkInvariants } from '../../reporters/audit/invariants.ts';
import { readRunBundle, sampleRunPerFile } from '../helpers/fixtures/reporter/sample-run.ts';

/**
 * The reader acts on the message: each planted contradiction gives the exact line that names what differs,
 * with the figures on both sides. The baseline is a run the reporter wrote; each case edits a copy.
 */

const sampleRunDir = sampleRunPerFile('audit-invariants-messages-');
const bundle = () => readRunBundle(sampleRunDir());
type Bundle = ReturnType<typeof bundle>;
const result = (b: Bundle, id: string) => b.events.find((e) => e.event === 'test_result' && e.test_id === id) as AuditEvent & Record<string, any>;
function after(plant: (b: Bundle) => void): string[] {
  const b = bundle();
  plant(b);
  return checkInvariants(b).map((v) => `#${v.invariant} ${v.message}`);
}

test.each([
  ['a row whose title is not the catalogue\'s', (b: Bundle) => void (result(b, '7.2').title = 'Some other test'), '#3 7.2: title/ref/kind/api/expected in run.jsonl differ from the catalogue'],
  ['a row whose spec ref is not the catalogue\'s', (b: Bundle) => void (result(b, '7.2').spec_ref = 'x'), '#3 7.2: title/ref/kind/api/expected in run.jsonl differ from the catalogue'],
  ['a test outside the spec', (b: Bundle) => void b.summary.unknownTests.push('6.16 Extra partner test'), '#3 test "6.16 Extra partner test" is not one of the 51 spec IDs'],
  ['a daily fact that does not follow staging', (b: Bundle) => void ((b.summary.measurement as any).facts.mismatches = [{ date: '2025-11-20', staging: 7, fact: 9 }]), '#5 fact_qtickets_sales_daily 2025-11-20: 9 tickets, deduplicated staging orders: 7'],
  ['count_before taken from elsewhere', (b: Bundle) => void ((b.csv[0] as any).before = 130), '#6 stg_qtickets_api_orders_raw: count_before 130 ≠ the pre-run snapshot in run.jsonl (100)'],
  ['an edited CSV row', (b: Bundle) => void ((b.csv[0] as any).before = 130), '#6 clickhouse_counts.csv differs from the ClickHouse Verification figures'],
  ['more partner rows than tickets found', (b: Bundle) => void (result(b, '6.9').run_rows.stg_qtickets_api_partner_tickets_raw = 5), '#9 6.9 wrote 5 partner ticket rows from 2 tickets found'],
  ['run_rows that are not the tests\' sum', (b: Bundle) => void (result(b, '6.9').run_rows.stg_qtickets_api_partner_tickets_raw = 5), '#6 stg_qtickets_api_partner_tickets_raw: run_rows 2 ≠ Σ of the tests\' rows 5'],
  ['rows from an answer that failed', (b: Bundle) => void (result(b, '3.7').run_rows.stg_qtickets_api_inventory_raw = 3), '#12 3.7 wrote 3 rows although no answer of it succeeded (an error answer adds no rows)'],
  ['a key number that is not shown as computed', (b: Bundle) => void (result(b, '3.7').run_rows.stg_qtickets_api_inventory_raw = 3), '#2 Key Number "Inventory Snapshot: records fetched" is not shown as computed in audit.md'],
  ['more fetched than paging.total', (b: Bundle) => void (result(b, '1.1').records[0].fetched = 200), '#2 1.1 orders: fetched 200 > paging.total 120'],
  ['more fetched than the pages hold', (b: Bundle) => void (result(b, '1.1').records[0].fetched = 200), '#2 1.1 orders: fetched 200 > 1 page(s) × perPage 50'],
  ['a Stage2 summary that disagrees', (b: Bundle) => void ((b.events.find((e) => e.stage === 'Stage2') as any).tests_executed = 50), '#1 Stage2 summary {"total":50,"passed":4,"failed":2,"skipped":44,"denied":1,"artifacts":8} ≠ matrix counts {"total":51,"passed":4,"failed":2,"skipped":44,"denied":1,"artifacts":8}'],
  ['"all executed" ticked with specs skipped', (b: Bundle) => void (b.summary.checklist[0].ok = true), '#17 "all spec IDs executed" is checked although some were not'],
  ['"no leaks" ticked with a finding', (b: Bundle) => void b.summary.leakScan.findings.push({ file: 'run.jsonl', kind: 'email', excerpt: 'masked:0123abcd' }), '#18 "no leaks" is checked although the scan found some'],
] as [string, (b: Bundle) => void, string][])('%s', (_name, plant, message) => {
  expect(after(plant)).toContain(message);
});

test('a timestamp that goes back names the line and both times', () => {
  const b = bundle();
  const previous = b.events[4].ts;
  (b.events[5] as any).ts = '2001-01-01T00:00:00.000Z';
  expect(checkInvariants(b).map((v) => `#${v.invariant} ${v.message}`)).toEqual([`#14 run.jsonl line 6: ts 2001-01-01T00:00:00.000Z is earlier than the line before (${previous})`]);
});
