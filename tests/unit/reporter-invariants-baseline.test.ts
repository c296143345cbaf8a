import { findingsOf, type BaselineCheck, type Finding } from '../../reporters/audit/baseline.ts';
import { checkInvariants } from '../../reporters/audit/invariants.ts';
import { readRunBundle, sampleRunPerFile } from '../helpers/fixtures/reporter/sample-run.ts';

/**
 * Invariant 19 on what a run compares itself with: the baseline's known and new findings are exactly the
 * run's own, a slower endpoint is one the run called with the p95 it measured, and the drift ledger lists the
 * run's drift paths, none first seen after the run. Also invariant 14's check of the recorded runtime
 * against the environment verify-report runs in. Each case edits a copy of a run the reporter wrote.
 */

const sampleRunDir = sampleRunPerFile('audit-invariants-baseline-');
const bundle = () => readRunBundle(sampleRunDir());
type Bundle = ReturnType<typeof bundle>;

/** The violations of invariant `n` in a copy edited by `plant`. */
function violationsOf(n: number, plant: (b: Bundle) => void, live?: Parameters<typeof checkInvariants>[1]): string[] {
  const b = bundle();
  plant(b);
  return checkInvariants(b, live).filter((v) => v.invariant === n).map((v) => v.message);
}

const runFindings = (b: Bundle): Finding[] => findingsOf(b.summary.runId, b.summary.specs, b.summary.driftSeen ?? []);

function withBaseline(b: Bundle, split: (findings: Finding[]) => Pick<BaselineCheck, 'known' | 'new'>): void {
  b.summary.baseline = { file: 'audit-baseline.json', fromRunId: '20251101_000000', env: 'mock', failOn: null, ...split(runFindings(b)) };
}

const slower = (b: Bundle, p95Ms: number, path?: string): Finding => {
  const endpoint = b.summary.latency[0];
  return { kind: 'slower', spec: 'REST', what: 'slower', runId: b.summary.runId, latency: { api: endpoint.api, method: endpoint.method, path: path ?? endpoint.path, p95Ms, acceptedP95Ms: 1 } };
};

describe('the baseline split', () => {
  test('the sample run has findings of every kind to split', () => {
    const kinds = new Set(runFindings(bundle()).map((f) => f.kind));
    expect([...kinds].sort()).toEqual(['deviation', 'drift', 'failure']);
  });

  test("the run's findings, split any way between known and new, hold", () => {
    expect(violationsOf(19, (b) => withBaseline(b, (all) => ({ known: all.slice(0, 1), new: all.slice(1) })))).toEqual([]);
    expect(violationsOf(19, (b) => withBaseline(b, (all) => ({ known: [], new: all })))).toEqual([]);
    // A known finding names the run the baseline has it from: the comparison is on kind, spec and what.
    expect(violationsOf(19, (b) => withBaseline(b, (all) => ({ known: all.map((f) => ({ ...f, runId: '20251101_000000' })), new: [] })))).toEqual([]);
  });

  test('a finding left out, one the run did not have, or one counted twice is named', () => {
    const left = violationsOf(19, (b) => withBaseline(b, (all) => ({ known: [], new: all.slice(1) })));
    expect(left).toEqual([expect.stringMatching(/^the baseline's known and new findings are not this run's findings: \[.*\] vs \[.*(\]|…)$/)]);
    const extra = violationsOf(19, (b) => withBaseline(b, (all) => ({ known: [{ kind: 'drift', spec: '1.1', what: 'data[].invented', runId: 'x' }], new: all })));
    expect(extra).toHaveLength(1);
    expect(extra[0]).toContain('drift 1.1 data[].invented');
    expect(violationsOf(19, (b) => withBaseline(b, (all) => ({ known: all, new: all.slice(0, 1) })))).toHaveLength(1);
  });

  test("a slower endpoint holds only with this run's p95 of an endpoint it called", () => {
    const withSlower = (make: (b: Bundle) => Finding) => (b: Bundle) => withBaseline(b, (all) => ({ known: all, new: [make(b)] }));
    expect(violationsOf(19, withSlower((b) => slower(b, b.summary.latency[0].p95Ms)))).toEqual([]);
    expect(violationsOf(19, withSlower((b) => slower(b, b.summary.latency[0].p95Ms + 1)))).toEqual([
      expect.stringMatching(/^the slower endpoint "REST slower" is not an endpoint with that p95 in this run's latency$/),
    ]);
    expect(violationsOf(19, withSlower((b) => slower(b, b.summary.latency[0].p95Ms, '/never-called')))).toHaveLength(1);
    expect(violationsOf(19, withSlower((b) => ({ ...slower(b, 0), latency: undefined })))).toHaveLength(1);
  });
});

describe('the drift ledger', () => {
  const drift = (b: Bundle) => {
    const row = b.events.find((e) => e.event === 'test_result') as Record<string, any>;
    return { id: row.test_id as string, path: 'data[].grown' };
  };

  test('a ledger of exactly the logged drift paths, first seen in or before this run, holds; none at all is not checked', () => {
    expect(violationsOf(19, () => {})).toEqual([]);
    expect(violationsOf(19, (b) => void delete (b.summary as any).driftSeen)).toEqual([]);
    expect(violationsOf(19, (b) => void (b.summary.driftSeen = []))).toEqual([expect.stringMatching(/^driftSeen does not list exactly the drift paths of run\.jsonl: \[\]$/)]);
  });

  test('a path the log does not have, or one first seen after the run, is named', () => {
    const invented = violationsOf(19, (b) => void (b.summary.driftSeen = [{ ...drift(b), contract: 'order', count: 1, example: 'true', firstSeen: b.summary.runId }]));
    expect(invented).toEqual([expect.stringMatching(/^driftSeen does not list exactly the drift paths of run\.jsonl: \[.*data\[\]\.grown.*\]$/)]);
    const later = violationsOf(19, (b) => void (b.summary.driftSeen = [{ ...drift(b), contract: 'order', count: 1, example: 'true', firstSeen: '29991231_000000' }]));
    expect(later).toContainEqual(expect.stringMatching(/^drift paths first seen after this run: /));
  });
});

describe('the recorded runtime against the one verify-report runs in', () => {
  const recorded = (b: Bundle) => ({ node: b.summary.runtime.node!, vitest: b.summary.runtime.vitest!, platform: b.summary.runtime.os!.platform });

  test('the same node, vitest and platform hold; another of any is named', () => {
    const b = bundle();
    const same = recorded(b);
    expect(checkInvariants(b, same).filter((v) => v.invariant === 14)).toEqual([]);
    for (const other of [{ ...same, node: 'v0.0.1' }, { ...same, vitest: '0.0.1' }, { ...same, platform: 'plan9' }]) {
      expect(checkInvariants(b, other).filter((v) => v.invariant === 14).map((v) => v.message)).toEqual([
        `runtime.json records ${JSON.stringify(same)}, the run was ${JSON.stringify(other)}`,
      ]);
    }
  });

  test('a report that records no node version is not compared', () => {
    expect(violationsOf(14, (b) => void delete (b.summary.runtime as any).node, { node: 'v0.0.1', vitest: '0', platform: 'x' })).toEqual([]);
  });
});
