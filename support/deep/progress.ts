/**
 * Where a deep walk is (`--all-pages`): against a live API it takes many minutes (126k orders at 50 per page
 * and 2 requests/s is about 21 minutes). In a terminal one line is rewritten in place; in a CI log a plain
 * line is printed every PLAIN_INTERVAL_MS, and always at the end.
 */

export interface WalkProgress {
  pages: number;
  /** The last page `paging` announced (ceil(total / perPage)). */
  lastPage: number;
  records: number;
  /** `paging.total` of the latest page. */
  total: number;
  /** Unknown keys found so far, and the records or pages carrying them. */
  driftKeys: number;
  driftCount: number;
  failedRecords: number;
  elapsedMs: number;
  done: boolean;
}

export interface ProgressOutput {
  /** Rewrite one line in place (a terminal) instead of printing plain lines. */
  tty: boolean;
  write(text: string): void;
  now(): number;
}

const PLAIN_INTERVAL_MS = 30_000;
const TTY_INTERVAL_MS = 250;
/** Cursor one line up, to its start, and clear the line. */
const UP_AND_CLEAR = '\x1b[1A\r\x1b[2K';

/** The worker's stderr; `tty` says whether `npm test`'s own stderr is a terminal (the worker's is a pipe). */
export const stderrOutput = (tty: boolean): ProgressOutput => ({ tty, write: (text) => void process.stderr.write(text), now: () => performance.now() });

export function formatProgress(label: string, p: WalkProgress): string {
  const remaining = Math.max(0, p.lastPage - p.pages);
  const eta = p.done ? 'done' : p.pages > 0 ? `ETA ${duration((p.elapsedMs / p.pages) * remaining)}` : 'ETA unknown';
  return `${label}: page ${p.pages}/${p.lastPage}, ${p.records}/${p.total} records checked, drift: ${p.driftKeys} unknown key(s) in ${p.driftCount} place(s), ${p.failedRecords} failing record(s), ${duration(p.elapsedMs)} elapsed, ${eta}`;
}

/** A deepList `onProgress` that shows the walk of `label` (e.g. `1.1 /orders`). */
export function progressPrinter(label: string, out: ProgressOutput): (p: WalkProgress) => void {
  let last = -Infinity;
  let shown = false;
  return (p) => {
    const now = out.now();
    if (!p.done && now - last < (out.tty ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS)) return;
    last = now;
    const line = `${formatProgress(label, p)}\n`;
    // Each line ends with a newline, as vitest's live summary at the bottom of the terminal expects; in a
    // terminal the next one moves up and replaces it.
    out.write(out.tty && shown ? `${UP_AND_CLEAR}${line}` : line);
    shown = true;
  };
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
