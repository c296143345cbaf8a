import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { NOT_HANDED_ON } from '../../support/config/hand-on.ts';
import { loadConfig } from '../../support/config/load.ts';
import { newRunId, settleRun } from '../../support/config/run.ts';
import setup from '../../support/harness/global-setup.ts';
import { repoRoot } from '../../support/paths.ts';

describe("a run's settings, settled once", () => {
  const config = loadConfig('mock', {}, {});

  test('by default: a new id (the UTC start time) and its folder under reports/', () => {
    const settings = settleRun(config, false, {});
    expect(settings.runId).toMatch(/^\d{8}_\d{6}$/);
    expect(settings.runDir).toBe(join(repoRoot, 'reports', settings.runId));
    expect(settings).toMatchObject({ config, progressTty: false });
  });

  test('AUDIT_REPORTS_DIR moves the folder; AUDIT_RUN_ID and AUDIT_RUN_DIR name the run and its folder', () => {
    expect(settleRun(config, true, { AUDIT_REPORTS_DIR: '/tmp/r' }).runDir).toMatch(/^\/tmp\/r\/\d{8}_\d{6}$/);
    expect(settleRun(config, true, { AUDIT_REPORTS_DIR: '/tmp/r', AUDIT_RUN_ID: 'nightly' }).runDir).toBe('/tmp/r/nightly');
    expect(settleRun(config, true, { AUDIT_RUN_DIR: '/tmp/here' })).toMatchObject({ runDir: '/tmp/here', progressTty: true });
  });

  test('run ids sort as time does', () => {
    expect(newRunId(new Date('2025-11-26T09:05:03.120Z'))).toBe('20251126_090503');
  });

  test('the spec project started without them (npx vitest) stops in global setup with one message, no stack', async () => {
    const project = { getProvidedContext: () => ({}) } as unknown as TestProject;
    const error = await setup(project).then(() => null, (thrown: Error) => thrown);
    expect(error?.message).toBe(NOT_HANDED_ON);
    expect(error?.stack).toBe(NOT_HANDED_ON);
  });
});
