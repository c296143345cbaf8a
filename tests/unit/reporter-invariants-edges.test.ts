import { join } from 'node:path';
import { EMPTY_CHANGES } from '../../reporters/audit/changelog.ts';
import type { AuditEvent } from '../../reporters/audit/events.ts';
import { renderKeyNumber } from '../../reporters/audit/figures.ts';
import { checkInvariants } from '../../reporters/audit/invariants.ts';
import type { Summary } from '../../reporters/audit/model.ts';
import { readRunBundle, sampleRunPerFile } from '../helpers/fixtures/reporter/sample-run.ts';

/**
 * The report's invariants at their edges: each contradiction gives its own message (the reader acts on it),
 * values just inside a rule pass, and each rule's conditions (mode of the ClickHouse server, all pages,
 * measured or not) decide whether it applies. The baseline is a run the reporter wrote; each case edits a copy.
 */

const sampleRunDir = sampleRunPerFile('audit-invariants-edges-');

const bundle = () => readRunBundle(sampleRunDir());

type Bundle = ReturnType<typeof bundle>;
const result = (b: Bundle, id: string) => b.events.find((e) => e.event === 'test_result' && e.test_id === id) as AuditEvent & Record<string, any>;
const exchange = (b: Bundle, id: string) => b.events.find((e) => e.event === 'exchange' && e.test_id === id) as AuditEvent & Record<string, any>;
const csvRow = (b: Bundle, table: string) => b.csv.find((r) => r.table === table) as any;
const measurement = (b: Bundle) => b.summary.measurement as any;
/** The violations of a copy edited by `plant`, as `#invariant message`. */
function after(plant: (b: Bundle) => void): string[] {
  const b = bundle();
  plant(b);
  return checkInvariants(b).map((v) => `#${v.invariant} ${v.message}`);
}

test('the baseline run holds every invariant', () => {
  expect(after(() => {})).toEqual([]);
});

describe('summary.json figures are the recomputed ones', () => {
  test.each([
    ['totals', 1],
    ['keyNumbers', 2],
    ['metrics', 2],
    ['latency', 2],
    ['errors', 4],
    ['failures', 4],
    ['issues', 4],
    ['status', 4],
    ['tables', 6],
    ['retries', 16],
    ['recommendations', 16],
  ] as const)('an edited "%s" is invariant %i', (key, invariant) => {
    const messages = after((b) => void ((b.summary as any)[key] = null));
    expect(messages.filter((m) => m.includes(`summary.json "${key}" differs`))).toEqual([
      expect.stringMatching(new RegExp(`^#${invariant} summary\\.json "${key}" differs from the figure recomputed from run\\.jsonl: null vs .+`)),
    ]);
  });

  test('an edited checklist is invariant 17', () => {
    expect(after((b) => void (b.summary.checklist = []))).toContainEqual(expect.stringMatching(/^#17 summary\.json "checklist" differs from the figure recomputed from run\.jsonl: \[\] vs \[/));
  });

  test('long figures are quoted to 160 characters, short and missing ones whole', () => {
    const b = bundle();
    const specs = JSON.stringify(b.summary.specs);
    const mode = JSON.stringify(b.summary.mode);
    expect(specs.length).toBeGreaterThan(160);
    const messages = after((x) => {
      (x.summary as any).specs = null;
      (x.summary as any).mode = undefined;
    });
    expect(messages).toContain(`#16 summary.json "specs" differs from the figure recomputed from run.jsonl: null vs ${specs.slice(0, 160)}…`);
    expect(messages).toContain(`#16 summary.json "mode" differs from the figure recomputed from run.jsonl: undefined vs ${mode}`);
  });
});

test('a run.jsonl that cannot be read back into rows is one violation, and nothing else is checked', () => {
  const messages = after((b) => Object.assign(result(b, '1.1'), { status: 'error', notes: null }));
  expect(messages).toEqual([expect.stringMatching(/^#14 run\.jsonl cannot be read back into matrix rows: .+/)]);
});

describe('audit.md is the rendering', () => {
  test('a report cut short names the first missing line', () => {
    const lines = bundle().markdown.split('\n');
    const messages = after((b) => void (b.markdown = lines.slice(0, 10).join('\n')));
    expect(messages).toContain(`#16 audit.md is not the rendering of run.jsonl and summary.json: line 11 is "(missing)", expected "${lines[10]}"`);
  });

  test('a line added at the end is named, with nothing expected there', () => {
    const lines = bundle().markdown.split('\n');
    expect(after((b) => void (b.markdown += '\nadded by hand'))).toEqual([`#16 audit.md is not the rendering of run.jsonl and summary.json: line ${lines.length + 1} is "added by hand", expected "(nothing)"`]);
  });
});

describe('totals', () => {
  test('a spec without its test_start', () => {
    const messages = after((b) => void b.events.splice(b.events.findIndex((e) => e.event === 'test_start' && e.test_id === '1.3'), 1));
    expect(messages).toContain('#1 run.jsonl has 50 test_start and 51 test_result events, not one of each per spec');
  });

  test('a spec without a result', () => {
    const messages = after((b) => void b.events.splice(b.events.findIndex((e) => e.event === 'test_result' && e.test_id === '4.2'), 1));
    expect(messages).toContain('#1 matrix rows missing for 4.2');
  });

  test('two Stage2 summaries stop the comparison with either', () => {
    const messages = after((b) => {
      const stage2 = b.events.findIndex((e) => e.stage === 'Stage2');
      b.events.splice(stage2, 0, { ...b.events[stage2], tests_executed: 1 });
    });
    expect(messages).toContain('#1 run.jsonl has 2 Stage2 summaries, expected 1');
    expect(messages.some((m) => m.includes('Stage2 summary {'))).toBe(false);
  });

  test('a Stage2 summary that disagrees on the artifacts is quoted whole', () => {
    const messages = after((b) => void ((b.events.find((e) => e.stage === 'Stage2') as any).artifacts_generated = 99));
    expect(messages).toContainEqual(expect.stringMatching(/^#1 Stage2 summary \{"total":51,"passed":4,"failed":2,"skipped":44,"denied":1,"artifacts":99\} ≠ matrix counts \{"total":51,"passed":4,"failed":2,"skipped":44,"denied":1,"artifacts":\d+\}$/));
  });
});

describe('key numbers and paging', () => {
  test('a key number that audit.md does not show as computed', () => {
    const b = bundle();
    const failed = renderKeyNumber(b.summary.keyNumbers[0]);
    expect(after((x) => void (x.markdown = x.markdown.replace(failed, '- Failed: 0')))).toContain('#2 Key Number "Failed" is not shown as computed in audit.md');
  });

  test('more fetched than the pages walked can hold', () => {
    expect(after((b) => void (result(b, '1.1').records[0].fetched = 51))).toContain('#2 1.1 orders: fetched 51 > 1 page(s) × perPage 50');
  });

  test('records without paging figures are not judged by them', () => {
    expect(after((b) => void (result(b, '6.9').records[0].fetched = 3)).filter((m) => m.startsWith('#2 6.9'))).toEqual([]);
  });
});

test('a row that is not a spec', () => {
  const messages = after((b) => void (result(b, '4.2').test_id = '9.9'));
  expect(messages).toContain('#3 row 9.9 is not a spec ID');
});

describe('ClickHouse figures', () => {
  test('the CSV rows out of order', () => {
    const messages = after((b) => void (b.csv as any[]).reverse());
    expect(messages).toContainEqual(expect.stringMatching(/^#14 clickhouse_counts\.csv rows are meta_job_runs, fact_qtickets_inventory_latest, .*, stg_qtickets_api_orders_raw, expected the 11 verified tables in order$/));
  });

  test('run_rows that are not the tests\' sum, and counts that are not the logged snapshots', () => {
    const messages = after((b) => {
      csvRow(b, 'stg_qtickets_api_orders_raw').runRows = 31;
      csvRow(b, 'fact_qtickets_sales_daily').after = 18;
      csvRow(b, 'fact_qtickets_sales_daily').delta = 6;
    });
    expect(messages).toContain("#6 stg_qtickets_api_orders_raw: run_rows 31 ≠ Σ of the tests' rows 30");
    expect(messages).toContain('#6 fact_qtickets_sales_daily: count_after 18 ≠ the after-snapshot in run.jsonl (17)');
    expect(messages.some((m) => m.includes('fact_qtickets_sales_daily: delta'))).toBe(false);
  });

  test('a CSV without snapshots in the log', () => {
    const messages = after((b) => void b.events.splice(b.events.findIndex((e) => e.event === 'clickhouse_counts'), 1));
    expect(messages).toContain('#6 stg_qtickets_api_orders_raw: count_before 100 ≠ the pre-run snapshot in run.jsonl (null)');
  });

  test('meta_job_runs with a _ver, and a non-empty table without one', () => {
    const messages = after((b) => {
      csvRow(b, 'meta_job_runs').maxVer = '5';
      csvRow(b, 'stg_qtickets_api_partner_tickets_raw').maxVer = '';
    });
    expect(messages).toContain('#14 meta_job_runs has no _ver: its max_ver must be empty');
    expect(messages).toContain('#14 max_ver is empty for non-empty tables: stg_qtickets_api_partner_tickets_raw');
  });

  test('more daily facts than order rows; as many is fine', () => {
    expect(after((b) => void (result(b, '1.1').run_rows.fact_qtickets_sales_daily = 31))).toContain('#6 1.1 wrote 31 daily fact rows from 30 order rows');
    expect(after((b) => void (result(b, '1.1').run_rows.fact_qtickets_sales_daily = 30)).some((m) => m.includes('daily fact rows'))).toBe(false);
  });

  test('more latest-inventory rows than snapshots', () => {
    const messages = after((b) => Object.assign(result(b, '3.7').run_rows, { stg_qtickets_api_inventory_raw: 1, fact_qtickets_inventory_latest: 2 }));
    expect(messages).toContain('#7 3.7 wrote more latest-inventory rows (2) than inventory snapshots (1)');
  });

  test('with all pages walked, order rows are not bounded by the first page', () => {
    const messages = after((b) => {
      result(b, '1.1').run_rows.stg_qtickets_api_orders_raw = 60;
      b.summary.runtime.allPages = true;
    });
    expect(messages.some((m) => m.includes('order rows from'))).toBe(false);
  });

  test('more unique latest-inventory rows than snapshots, measured at the end', () => {
    expect(after((b) => void (measurement(b).after.unique.fact_qtickets_inventory_latest = 1))).toContain('#7 fact_qtickets_inventory_latest has more rows (FINAL) than inventory snapshots');
  });

  test('new unique rows the tests did not write, on a server of our own only', () => {
    const planted = (b: Bundle) => void (measurement(b).after.unique.stg_qtickets_api_orders_raw = 121);
    expect(after(planted)).toContain('#6 stg_qtickets_api_orders_raw: 31 new unique rows but the tests wrote only 30');
    expect(after((b) => {
      planted(b);
      b.summary.runtime.clickhouse!.mode = 'url';
    }).some((m) => m.includes('new unique rows'))).toBe(false);
  });

  test('loader runs: exactly the recorded one on a server of our own, at least it on a shared one', () => {
    const delta = (b: Bundle, value: number) => {
      measurement(b).after.total.meta_job_runs = 3 + value;
      csvRow(b, 'meta_job_runs').after = 3 + value;
      csvRow(b, 'meta_job_runs').delta = value;
      b.summary.tables.find((t) => t.table === 'meta_job_runs')!.after = 3 + value;
    };
    const mode = (b: Bundle, m: string) => void ((b.summary.runtime.clickhouse as any).mode = m);
    const jobRunMessages = (messages: string[]) => messages.filter((m) => m.startsWith('#10'));
    expect(jobRunMessages(after((b) => delta(b, 0)))).toEqual(['#10 meta_job_runs delta 0 ≠ loader runs recorded by this run (1)']);
    expect(jobRunMessages(after((b) => (delta(b, 2), mode(b, 'docker'))))).toEqual(['#10 meta_job_runs delta 2 ≠ loader runs recorded by this run (1)']);
    expect(jobRunMessages(after((b) => (delta(b, 2), mode(b, 'url'))))).toEqual([]);
    expect(jobRunMessages(after((b) => (delta(b, 0), mode(b, 'url'))))).toEqual(['#10 meta_job_runs delta 0 ≠ loader runs recorded by this run (1)']);
  });

  test('nothing measured at the end: the end-of-run rules do not apply', () => {
    const messages = after((b) => {
      b.summary.measurement = { measured: false, reason: 'unreachable', jobRun: { recorded: false } } as any;
      measurement(b).facts = { mismatches: [{ date: '2025-11-20', staging: 1, fact: 2 }] };
    });
    expect(messages.some((m) => /^#(5|7|10) /.test(m))).toBe(false);
  });
});

describe('endpoints', () => {
  test('a negative spec must send the spec\'s path exactly', () => {
    const messages = after((b) => void (result(b, '7.2').endpoint = 'GET /orders/123'));
    expect(messages).toContain('#11 7.2 sent "GET /orders/123", which is neither the spec\'s "GET /orders/999999999" nor the documented request');
  });

  test('a placeholder matches one non-empty segment, and the method must match too', () => {
    const sent = (endpoint: string) => after((b) => void (result(b, '3.7').endpoint = endpoint)).filter((m) => m.startsWith('#11 3.7 sent'));
    expect(sent('GET /shows/41/seats')).toEqual([]);
    expect(sent('GET /shows/41/seats?flat=1')).toEqual([]);
    expect(sent('GET /shows//seats')).toHaveLength(1);
    expect(sent('GET /shows/41/seats/2')).toHaveLength(1);
    expect(sent('POST /shows/41/seats')).toHaveLength(1);
    expect(sent('GET /events/41/seats')).toHaveLength(1);
  });

  test('the endpoint shown must be the request the answers came from', () => {
    const messages = after((b) => void (exchange(b, '1.1').path = '/orders/1'));
    expect(messages).toContain('#11 1.1: the endpoint shown (GET /orders) is not the request its answers came from');
  });
});

describe('artifacts', () => {
  test('an exchange without its artifact', () => {
    expect(after((b) => void (result(b, '1.1').artifacts = []))).toContain('#11 1.1: 1 exchanges but 0 artifacts');
  });

  test('an artifact with another content type', () => {
    const messages = after((b) => void ((b.artifacts.get('artifacts/1.1/01-spec.json') as any).response.content_type = 'text/html'));
    expect(messages).toEqual(['#11 1.1: artifacts/1.1/01-spec.json shows content type "text/html", run.jsonl "application/json"']);
  });

  test('an artifact that is gone is left to the logs check', () => {
    expect(after((b) => void (b.artifacts as Map<string, unknown>).set('artifacts/1.1/01-spec.json', null))).toEqual([]);
  });
});

describe('the log', () => {
  test('a timestamp that is not a string', () => {
    expect(after((b) => void ((b.events[3] as any).ts = 5))).toContain('#14 run.jsonl line 4: ts "5" is not ISO-8601 UTC with Z');
  });

  test('a log that does not start with Stage1 or end with run_end', () => {
    expect(after((b) => void b.events.push({ ...b.events[1] }))).toContain('#14 run.jsonl does not end with run_end');
    expect(after((b) => void b.events.unshift({ ...b.events[1] }))).toContain('#14 run.jsonl does not start with Stage1');
  });

  test('an empty request_body_hash is allowed', () => {
    expect(after((b) => void (exchange(b, '1.1').request_body_hash = ''))).toEqual([]);
  });

  test('a spec hash and an archive hash that are not SHA-256', () => {
    expect(after((b) => void (b.summary.specSource.sha256 = ''))).toContain('#19 the spec\'s sha256 "" is not 64 hex characters');
    expect(after((b) => void (b.summary.specSource.sha256 = 'xyz'))).toContain('#19 the spec\'s sha256 "xyz" is not 64 hex characters');
    expect(after((b) => void (b.summary.archive.sha256 = 'A'.repeat(64)))).toContain(`#13 archive SHA-256 "${'A'.repeat(64)}" is not 64 lowercase hex characters`);
    expect(after((b) => void (b.summary.archive.sha256 = null)).some((m) => m.startsWith('#13'))).toBe(false);
  });

  test('the environment is compared only when runtime.json recorded one', () => {
    const b = bundle();
    delete (b.summary.runtime as any).node;
    expect(checkInvariants(b, { node: 'v18.0.0', vitest: '1.0.0', platform: 'win32' }).filter((v) => v.message.startsWith('runtime.json records'))).toEqual([]);
  });
});

describe('timing', () => {
  test('a start that is not the first event', () => {
    const messages = after((b) => void (b.summary.timing.startedAt = '2001-01-01T00:00:00.000Z'));
    expect(messages).toContainEqual(expect.stringMatching(/^#15 timing 2001-01-01T00:00:00\.000Z → \S+ is not the first\/last event of run\.jsonl \(\S+ → \S+\)$/));
  });

  test('a duration off by less than a millisecond is the same duration; by more it is not', () => {
    expect(after((b) => void (b.summary.timing.durationSeconds += 0.0004))).toEqual([]);
    const d = bundle().summary.timing.durationSeconds;
    expect(after((b) => void (b.summary.timing.durationSeconds += 0.001))).toContain(`#15 duration ${d + 0.001} s ≠ finished − started (${d} s)`);
  });

  test('generated before the run finished', () => {
    const messages = after((b) => void (b.summary.timing.generatedAt = '2001-01-01T00:00:00.000Z'));
    expect(messages).toContainEqual(expect.stringMatching(/^#15 generated at 2001-01-01T00:00:00\.000Z, before the run finished \(\S+\)$/));
  });
});

describe('statements in words', () => {
  test('the mode and the PII notice must be stated', () => {
    expect(after((b) => void (b.markdown = b.markdown.replace('- **Mode**: ', '- Mode: ')))).toContain('#16 the Summary does not state the mode');
    expect(after((b) => void (b.markdown = b.markdown.replace('holds PII by design', 'holds data')))).toContain('#18 audit.md does not state that clients_raw holds PII');
  });

  test('a live run need not mark its rows as mock', () => {
    const messages = after((b) => {
      b.summary.runtime.mode = 'live';
      b.markdown = b.markdown.replaceAll(' [mock]', '');
    });
    expect(messages.some((m) => m.includes('do not say so'))).toBe(false);
  });

  test.each(['Ã©', 'Ð¸', 'Ñ\u0081', '\ufffd', 'â€”', 'âœ'])('mojibake %j is named', (garbled) => {
    expect(after((b) => void (b.markdown = b.markdown.replace('Readiness Assessment', `Readiness ${garbled} Assessment`)))).toContain(`#16 audit.md contains mojibake near "${garbled.slice(0, 2)}"`);
  });

  test('Cyrillic and typographic characters are not mojibake', () => {
    expect(after((b) => void (b.markdown = b.markdown.replace('Readiness Assessment', 'Readiness Assessment — Ёжик «в» тумане')))).not.toContainEqual(expect.stringMatching(/mojibake/));
  });

  test('"all executed" ticked with nothing skipped is true', () => {
    const messages = after((b) => {
      b.summary.checklist[0].ok = true;
      for (const e of b.events) if (e.event === 'test_result' && e.outcome === 'skipped') e.outcome = 'passed';
    });
    expect(messages.some((m) => m.startsWith('#17 "all spec IDs executed"'))).toBe(false);
  });

  test('a comparison with a verified previous run is allowed', () => {
    const messages = after((b) => void (b.summary.trend = { previousRunId: '20251101_000000', previousVerified: true, previousProblems: [], ...EMPTY_CHANGES, newFailures: ['3.7'], fixed: ['1.2'] }));
    expect(messages.some((m) => m.startsWith('#19'))).toBe(false);
  });
});
