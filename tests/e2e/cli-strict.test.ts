import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../../support/config/load.ts';
import { closestFlag, OWN_FLAGS, refuseUnknownFlags, withDefaultProject } from '../../support/cli/args.ts';
import { repoRoot } from '../../support/paths.ts';

const run = promisify(execFile);

async function refusal(args: string[]): Promise<string> {
  try {
    await refuseUnknownFlags(args);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`${args.join(' ')} was accepted`);
}

describe('npm test refuses arguments it does not understand', () => {
  test.each([
    ['--evn', '--env'],
    ['--allow-write', '--allow-writes'],
    ['--allowWrites', '--allow-writes'],
    ['--clickhose', '--clickhouse'],
    ['--all-page', '--all-pages'],
    ['--reporterr', '--reporter'],
    ['--outputfile', '--outputFile'],
  ])('%s is refused with "did you mean %s"', async (typed, meant) => {
    const message = await refusal([typed, 'x']);
    expect(message).toContain(`Unknown option ${typed}:`);
    expect(message).toContain(`did you mean ${meant}?`);
  });

  test('an unknown flag in the --name=value form is named as typed', async () => {
    expect(await refusal(['--evn=prod'])).toContain('Unknown option --evn: did you mean --env?');
  });

  test('an unknown vitest-style flag is refused, a real vitest flag is not', async () => {
    expect(await refusal(['--bogus'])).toContain('Unknown option --bogus');
    expect(await refusal(['--project', 'spec', '--no-colour'])).toContain('Unknown option --no-colour');
    await expect(refuseUnknownFlags(['--project', 'spec', '-t', '1.1', '--reporter=junit', '--outputFile.junit=f.xml', '--bail=1', '--no-color', 'tests/unit'])).resolves.toBeUndefined();
  });

  test("vitest's own complaint about a value is a refusal too", async () => {
    expect(await refusal(['--bail', '1', '--bail', '2'])).toMatch(/single value/);
  });

  test('a tie in distance goes to our own flags', () => {
    expect(closestFlag('--evn', ['--run', ...OWN_FLAGS])).toBe('--run');
    expect(closestFlag('--evn', [...OWN_FLAGS, '--run'])).toBe('--env');
  });

  test('the refusal happens before anything runs: exit 2, the flag named, no report folder', async () => {
    const reportsDir = mkdtempSync(join(tmpdir(), 'qta-strict-'));
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, AUDIT_REPORTS_DIR: join(reportsDir, 'reports'), NO_COLOR: '1' };
      delete env.AUDIT_RUN_DIR;
      delete env.VITEST;
      const result = await run(process.execPath, ['support/cli/entry.mjs', '--evn', 'prod'], { cwd: repoRoot, env }).catch((error) => error);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('Unknown option --evn: did you mean --env?');
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(`${result.stdout}${result.stderr}`).not.toMatch(/Test Files|Audit \d/);
      expect(existsSync(join(reportsDir, 'reports')) ? readdirSync(join(reportsDir, 'reports')) : []).toEqual([]);
    } finally {
      rmSync(reportsDir, { recursive: true, force: true });
    }
  });
});

describe('a live audit runs the audit', () => {
  test('any --env but mock runs the spec project alone unless --project is given', () => {
    expect(withDefaultProject('prod', ['-t', '1.1'])).toEqual(['-t', '1.1', '--project', 'spec']);
    expect(withDefaultProject('staging', [])).toEqual(['--project', 'spec']);
    expect(withDefaultProject('prod', ['--project=unit'])).toEqual(['--project=unit']);
    expect(withDefaultProject('mock', [])).toEqual([]);
  });
});
