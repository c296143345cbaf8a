import { describe, expect, test } from 'vitest';
import { checkFactsFollowStaging, measureEndOfRun } from '../../support/harness/end-of-run.ts';
import { countTables } from '../../support/clickhouse/counts.ts';
import { useEmbeddedClickHouse } from '../helpers/embedded-clickhouse.ts';

/** The run's end-of-run ClickHouse access (its teardown), against the embedded engine: the job run, the counts, the facts check. */

const DB = 'qtickets_audit';
const clickhouse = useEmbeddedClickHouse(DB);

const order = (id: string, ver: number, saleTs: string, tickets: number) => ({
  order_id: id, event_id: '7', city: 'томск', sale_ts: saleTs, tickets_sold: tickets, revenue: 100 * tickets, currency: 'RUB', _ver: String(ver), _dedup_key: `${id}-${ver}`.padStart(32, '0'),
});
const fact = (date: string, tickets: number, ver: number) => ({ sales_date: date, event_id: '7', city: 'томск', tickets_sold: tickets, revenue: 100 * tickets, _ver: String(ver) });
const insert = async (table: string, rows: object[]) => {
  for (const row of rows) await clickhouse.client.insert({ table: `${DB}.${table}`, format: 'JSONEachRow', values: [row] });
};

describe('facts follow staging (invariant 5)', () => {
  test('per date, the daily fact equals the latest version of each staged order', async () => {
    // Order 1 changed between versions: only its latest row (3 tickets) counts, although both rows survive FINAL.
    await insert('stg_qtickets_api_orders_raw', [order('1', 1, '2025-11-20 10:00:00', 2), order('1', 2, '2025-11-20 10:00:00', 3), order('2', 2, '2025-11-21 09:00:00', 1)]);
    await insert('fact_qtickets_sales_daily', [fact('2025-11-20', 3, 2), fact('2025-11-21', 1, 2)]);
    expect(await checkFactsFollowStaging(clickhouse.client, DB)).toEqual({ datesCompared: 2, mismatches: [] });
  });

  test('a fact that summed a partial window is found', async () => {
    await insert('fact_qtickets_sales_daily', [fact('2025-11-20', 5, 3)]);
    await insert('fact_qtickets_sales_daily', [fact('2025-11-22', 4, 3)]);
    expect(await checkFactsFollowStaging(clickhouse.client, DB)).toEqual({
      datesCompared: 3,
      mismatches: [
        { date: '2025-11-20', staging: 3, fact: 5 },
        { date: '2025-11-22', staging: 0, fact: 4 },
      ],
    });
  });
});

test('the end-of-run measurement writes one meta_job_runs row, then counts', async () => {
  const before = await countTables(clickhouse.client, DB);
  const connection = { url: clickhouse.runtime.url, user: clickhouse.runtime.user, password: clickhouse.runtime.password, database: DB };
  const m = await measureEndOfRun(connection, { startedAt: new Date(), finishedAt: new Date(), status: 'ok', rowsPerTable: { stg_qtickets_api_orders_raw: 3 } });
  expect(m).toMatchObject({ measured: true, jobRun: { recorded: true } });
  if (!m.measured) return;
  expect(m.after.total.meta_job_runs).toBe(before.total.meta_job_runs + 1);
  expect(m.after.total.stg_qtickets_api_orders_raw).toBe(before.total.stg_qtickets_api_orders_raw);
  expect(m.stats.stg_qtickets_api_orders_raw.maxVer).toBe('2');
  expect(m.facts).toMatchObject({ datesCompared: 3 });
});

test('an unreachable ClickHouse is reported, never estimated', async () => {
  const connection = { url: 'http://127.0.0.1:9', user: 'default', password: '', database: DB };
  const m = await measureEndOfRun(connection, { startedAt: new Date(), finishedAt: new Date(), status: 'ok', rowsPerTable: {} });
  expect(m).toMatchObject({ measured: false, reason: expect.stringMatching(/^ClickHouse could not be measured at the end of the run: /), jobRun: { recorded: false, error: expect.any(String) } });
});
