import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { ConfigError, loadConfig } from '../../support/config/load.ts';
import { repoRoot } from '../../support/paths.ts';

/**
 * The GitHub workflows: valid for GitHub (action-validator, offline), and doing what README promises — the
 * pull-request audit on a bare checkout plus a job on the runner's Docker, and the production audit from
 * secrets, never with writes, failing when the report's status is not OK.
 */

const run = promisify(execFile);
const WORKFLOWS = join(repoRoot, '.github', 'workflows');
const validator = join(repoRoot, 'node_modules', '.bin', 'action-validator');
const validate = (file: string) =>
  run(validator, [file]).then(
    () => ({ code: 0, output: '' }),
    (error) => ({ code: error.code as number, output: `${error.stdout}${error.stderr}` }),
  );

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  container?: string;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const text = (name: string) => readFileSync(join(WORKFLOWS, name), 'utf8');
const workflow = (name: string): Workflow => parse(text(name));
const runsOf = (job: Job) => job.steps.map((step) => step.run ?? '');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qtickets-workflows-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('workflow files', () => {
  test.each(['audit.yml', 'prod-audit.yml'])('%s passes action-validator', async (name) => {
    const result = await validate(join(WORKFLOWS, name));
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  test('action-validator rejects a broken copy (the check can fail)', async () => {
    const broken = join(dir, 'broken.yml');
    writeFileSync(broken, text('prod-audit.yml').replace('    runs-on: ubuntu-latest\n', '    runs-onn: ubuntu-latest\n'));
    const result = await validate(broken);
    expect(result.code).toBe(1);
    expect(result.output).toContain('runs-onn');
  });
});

describe('audit.yml (pull requests)', () => {
  const { on, jobs } = workflow('audit.yml');

  test('runs on pull requests from a bare checkout: nothing outside the repository is looked for', () => {
    expect(Object.keys(on)).toContain('pull_request');
    expect(text('audit.yml')).not.toMatch(/shared/i);
    expect(runsOf(jobs.audit)).toContain('npm test');
  });

  test('a second job runs the spec audit with --clickhouse docker on the runner itself', () => {
    const docker = Object.values(jobs).find((job) => runsOf(job).some((r) => r.includes('--clickhouse docker')))!;
    expect(docker).toBeDefined();
    expect(runsOf(docker)).toContain('npm test -- --project spec --clickhouse docker');
    // In a container job the runner's Docker engine is out of reach.
    expect(docker.container).toBeUndefined();
    expect(docker['runs-on']).toBe('ubuntu-latest');
  });
});

describe('prod-audit.yml (production)', () => {
  const { on, jobs } = workflow('prod-audit.yml');
  const [job] = Object.values(jobs);
  const audit = job.steps.find((step) => step.run?.startsWith('npm test'))!;
  const verdict = job.steps.find((step) => step.name?.startsWith('Verdict'))!;

  test('starts by schedule and by hand, audits --env prod from repository secrets, never with writes', () => {
    expect(Object.keys(on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(audit.run).toBe('npm test -- --env prod --project spec ${{ steps.baseline.outputs.flags }}');
    expect(audit.env).toMatchObject({ QTICKETS_TOKEN: '${{ secrets.QTICKETS_TOKEN }}', QTICKETS_PARTNERS_TOKEN: '${{ secrets.QTICKETS_PARTNERS_TOKEN }}' });
    for (const [name, value] of Object.entries(audit.env!)) expect(value).toBe(`\${{ secrets.${name} }}`);
    // Anywhere in the workflow (comments aside): a flag, a variable, a job or workflow env.
    expect(JSON.stringify(workflow('prod-audit.yml'))).not.toMatch(/--allow-writes|AUDIT_ALLOW_WRITES/);
    // Secrets reach the audit step only.
    expect(job.steps.filter((step) => JSON.stringify(step).includes('secrets.')).map((step) => step.name)).toEqual([audit.name]);
  });

  test('the variables the audit step gets are a valid prod configuration, unset optional secrets included', () => {
    // GitHub passes an unset secret as an empty string.
    const env = Object.fromEntries(Object.keys(audit.env!).map((name) => [name, '']));
    const config = loadConfig('prod', {}, { ...env, QTICKETS_TOKEN: 'workflow-token' });
    expect(config.rest.token).toBe('workflow-token');
    expect(config.partners.token).toBeNull();
    expect(config.clickhouse.mode).toBe('embedded');
    expect(config.allowWrites).toBe(false);
    expect(() => loadConfig('prod', {}, env)).toThrow(ConfigError);
  });

  test('uploads the report folder and the rendered Allure report whatever happened', () => {
    const uploads = job.steps.filter((step) => step.uses?.startsWith('actions/upload-artifact'));
    expect(uploads.map((step) => step.with!.path.trim()).sort()).toEqual(['allure-report/', 'reports/']);
    for (const step of uploads) expect(step.if).toBe('${{ !cancelled() }}');
    expect(runsOf(job)).toContain('npm run report');
  });

  describe('the verdict step fails the job unless the report says OK', () => {
    async function verdictIn(summaries: Record<string, object>): Promise<{ code: number; output: string }> {
      const cwd = mkdtempSync(join(dir, 'verdict-'));
      mkdirSync(join(cwd, 'reports'));
      writeFileSync(join(cwd, 'reports', 'junit.xml'), '');
      for (const [runId, summary] of Object.entries(summaries)) {
        mkdirSync(join(cwd, 'reports', runId));
        writeFileSync(join(cwd, 'reports', runId, 'summary.json'), JSON.stringify(summary));
      }
      return run('bash', ['-e', '-c', verdict.run!], { cwd }).then(
        ({ stdout }) => ({ code: 0, output: stdout }),
        (error) => ({ code: error.code as number, output: `${error.stdout}${error.stderr}` }),
      );
    }

    test('OK passes', async () => {
      const result = await verdictIn({ '20261201_040000': { status: 'Issues Found', issues: ['old'], incomplete: false }, '20261202_040000': { status: 'OK', issues: [], incomplete: false } });
      expect(result).toEqual({ code: 0, output: 'reports/20261202_040000/: OK\n' });
    });

    test('Issues Found fails with each issue as an error annotation', async () => {
      const result = await verdictIn({ '20261202_040000': { status: 'Issues Found', issues: ['2 failed spec(s)', '1 leak finding(s)'], incomplete: false } });
      expect(result.code).toBe(1);
      expect(result.output).toContain('::error::2 failed spec(s)\n::error::1 leak finding(s)');
    });

    test('with a baseline the gate decides: a known failure passes, a new finding fails', async () => {
      const known = await verdictIn({ '20261202_040000': { status: 'Issues Found', issues: ['1 failed spec(s)'], incomplete: false, gate: { failOn: 'new', fail: false, reasons: [] } } });
      expect(known).toEqual({ code: 0, output: 'reports/20261202_040000/: Issues Found; --fail-on new: pass\n' });
      const fresh = await verdictIn({ '20261202_040000': { status: 'Issues Found', issues: ['1 failed spec(s)'], incomplete: false, gate: { failOn: 'new', fail: true, reasons: ['1 new finding(s): 4.1 failure 404'] } } });
      expect(fresh.code).toBe(1);
      expect(fresh.output).toContain('::error::1 new finding(s): 4.1 failure 404');
    });

    test('no report at all fails', async () => {
      const result = await verdictIn({});
      expect(result.code).toBe(1);
      expect(result.output).toContain('::error::the audit wrote no report');
    });
  });
});
