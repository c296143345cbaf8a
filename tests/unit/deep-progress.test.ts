import { formatProgress, progressPrinter, type WalkProgress } from '../../support/deep/progress.ts';

/** The deep walk's progress line: pages of pages expected, records, drift, ETA; rewritten in a terminal, periodic in CI. */

const at = (pages: number, elapsedMs: number, done = false): WalkProgress => ({
  pages,
  lastPage: 2525,
  records: pages * 50,
  total: 126_213,
  driftKeys: 1,
  driftCount: 7,
  failedRecords: 2,
  elapsedMs,
  done,
});

function printer(tty: boolean) {
  const written: string[] = [];
  let now = 0;
  const show = progressPrinter('1.1 /orders', { tty, write: (text) => written.push(text), now: () => now });
  return { written, show, advance: (ms: number) => (now += ms) };
}

test('the line says pages of pages expected, records checked, drift so far and an ETA from the pace so far', () => {
  // 100 of 2525 pages in 50 s: 2425 pages to go at 0.5 s each.
  expect(formatProgress('1.1 /orders', at(100, 50_000))).toBe(
    '1.1 /orders: page 100/2525, 5000/126213 records checked, drift: 1 unknown key(s) in 7 place(s), 2 failing record(s), 50s elapsed, ETA 20m13s',
  );
  expect(formatProgress('1.1 /orders', at(2525, 1_262_500, true))).toMatch(/page 2525\/2525, .* 21m03s elapsed, done$/);
});

test('in a CI log: a plain line at the start, then one every 30 s, and one at the end', () => {
  const { written, show, advance } = printer(false);
  show(at(1, 500));
  advance(10_000);
  show(at(20, 10_500));
  advance(25_000);
  show(at(70, 35_500));
  advance(1_000);
  show(at(72, 36_500, true));
  expect(written.map((line) => /page (\d+)\//.exec(line)![1])).toEqual(['1', '70', '72']);
  expect(written.every((line) => line.endsWith('\n') && !line.includes('\x1b'))).toBe(true);
});

test('in a terminal: the line is replaced in place, a few times a second at most', () => {
  const { written, show, advance } = printer(true);
  show(at(1, 100));
  advance(100);
  show(at(2, 200));
  advance(300);
  show(at(3, 500));
  advance(10);
  show(at(4, 510, true));
  expect(written).toHaveLength(3);
  expect(written[0]).toMatch(/^1\.1 \/orders: page 1\//);
  expect(written[1]).toMatch(/^\x1b\[1A\r\x1b\[2K1\.1 \/orders: page 3\//);
  expect(written[2]).toMatch(/^\x1b\[1A\r\x1b\[2K.*page 4\/2525.*done\n$/);
});
