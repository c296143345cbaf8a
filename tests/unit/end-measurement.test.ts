import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { END_MEASUREMENT_FILE, readEndMeasurement, readJobRun, writeEndMeasurement, writeJobRun } from '../../support/harness/end-measurement.ts';

/** The two files through which the reporter and the run's teardown hand over the job run and the end counts. */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'end-measurement-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('the job run comes back as it was written, its times as dates', () => {
  expect(readJobRun(dir)).toBeNull();
  const job = { startedAt: new Date('2025-11-26T10:00:00.000Z'), finishedAt: new Date('2025-11-26T10:01:00.000Z'), status: 'error' as const, rowsPerTable: { stg_qtickets_api_orders_raw: 3 }, skipped: [{ resource: '2.4', reason: 'prerequisite not found' }] };
  writeJobRun(dir, job);
  expect(readJobRun(dir)).toEqual(job);
});

test('what the teardown measured is read back; nothing written or an unreadable file is "not measured", with the reason', () => {
  expect(readEndMeasurement(dir)).toEqual({ measured: false, reason: `the run's teardown measured nothing (${END_MEASUREMENT_FILE} is missing)`, jobRun: { recorded: false } });
  const measured = { measured: false as const, reason: 'ClickHouse could not be measured at the end of the run: no answer within 120 s', jobRun: { recorded: true } };
  writeEndMeasurement(dir, measured);
  expect(readEndMeasurement(dir)).toEqual(measured);
  writeFileSync(join(dir, END_MEASUREMENT_FILE), '{');
  expect(readEndMeasurement(dir)).toMatchObject({ measured: false, reason: expect.stringMatching(new RegExp(`^${END_MEASUREMENT_FILE} is unreadable: `)) });
});
