import { distance } from 'fastest-levenshtein';
import { parseCLI } from 'vitest/node';
import { FAIL_ON, type FailOn } from '../config/baseline.ts';
import { ConfigError } from '../config/load.ts';
import { AUDIT_REPORTER } from '../harness/run-dir.ts';
import { vitestCli, vitestFlags } from './vitest-cli.ts';

/** The wrapper's own flags, taken out of `npm test` arguments; the rest goes to vitest (support/cli/run.ts). */
export interface OwnFlags {
  env: string;
  allowWrites?: boolean;
  clickhouseMode?: 'embedded' | 'docker';
  allPages?: boolean;
  baseline?: string;
  failOn?: FailOn;
  help?: boolean;
  rest: string[];
}

/** The wrapper's own flags, first in every suggestion (a tie goes to them). */
export const OWN_FLAGS = ['--env', '--allow-writes', '--clickhouse', '--all-pages', '--baseline', '--fail-on'] as const;

export function splitArgs(argv: string[]): OwnFlags {
  const flags: OwnFlags = { env: 'mock', rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ConfigError(`${name} needs a value`);
      return v;
    };
    if (name === '--env') flags.env = value();
    else if (name === '--allow-writes') flags.allowWrites = true;
    else if (name === '--all-pages') flags.allPages = true;
    else if (name === '--help' || name === '-h') flags.help = true;
    else if (name === '--baseline') flags.baseline = value();
    else if (name === '--fail-on') {
      const when = value();
      if (!FAIL_ON.includes(when as FailOn)) throw new ConfigError(`--fail-on takes ${FAIL_ON.map((v) => `"${v}"`).join(' or ')}, not "${when}"`);
      flags.failOn = when as FailOn;
    }
    else if (name === '--clickhouse') {
      const mode = value();
      if (mode !== 'docker' && mode !== 'embedded') throw new ConfigError(`--clickhouse takes "embedded" or "docker", not "${mode}" (for a server of your own set CLICKHOUSE_URL)`);
      flags.clickhouseMode = mode;
    } else flags.rest.push(arg);
  }
  if (flags.failOn && flags.baseline === undefined) throw new ConfigError('--fail-on needs --baseline <file>: it decides the exit code from the findings the baseline does not hold (write one with npm run baseline)');
  return flags;
}

/**
 * Refuses, before anything starts, every flag that neither the wrapper nor vitest knows (vitest's own
 * parser accepts any), naming the closest known flag; also vitest's own complaints about a flag's value.
 */
export async function refuseUnknownFlags(rest: string[]): Promise<void> {
  const cli = await vitestCli();
  let options: Record<string, unknown>;
  try {
    options = cli.parse(['node', 'vitest', 'run', ...rest], { run: false }).options;
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  const command = cli.matchedCommand ?? cli.globalCommand;
  const unknown = Object.keys(options).filter((key) => key !== '--' && !command.hasOption(key) && !cli.globalCommand.hasOption(key));
  if (unknown.length === 0) return;
  const known = [...OWN_FLAGS, ...vitestFlags(cli, command)];
  const typed = unknown.map((key) => rest.map((arg) => arg.split('=')[0]).find((arg) => optionKey(arg) === key) ?? (key.length === 1 ? `-${key}` : `--${key}`));
  throw new ConfigError(typed.map((flag) => `Unknown option ${flag}: did you mean ${closestFlag(flag, known)}? (npm test -- --help lists the options)`).join('\n'));
}

/** The key cac files a flag under: `--test-name-pattern=x` → testNamePattern, `--no-color` → color. */
function optionKey(arg: string): string {
  const name = arg.replace(/^-{1,2}/, '').replace(/^no-/, '').split('.')[0];
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The known flag nearest to a typed one by edit distance, ignoring dashes and case. */
export function closestFlag(typed: string, known: readonly string[]): string {
  const plain = (flag: string) => flag.replace(/[-_]/g, '').toLowerCase();
  let best = known[0];
  for (const flag of known) if (distance(plain(typed), plain(flag)) < distance(plain(typed), plain(best))) best = flag;
  return best;
}

function projectsNamed(args: string[]): string[] {
  const projects: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].split(/=(.*)/s, 2);
    if (name === '--project') projects.push(inline ?? args[i + 1] ?? '');
  }
  return projects;
}

/** Whether vitest will run the spec project: `--project` names it, or no `--project` is given. */
export function runsSpecProject(args: string[]): boolean {
  const projects = projectsNamed(args);
  return projects.length === 0 || projects.some((p) => p === 'spec' || p.includes('*'));
}

/** Against a live API the run is the audit: the self-tests (which use the mock) run only when `--project` asks. */
export function withDefaultProject(env: string, args: string[]): string[] {
  return env !== 'mock' && projectsNamed(args).length === 0 ? [...args, '--project', 'spec'] : args;
}

/** vitest's options from the arguments it is given, as the wrapper passes them to createVitest. */
export function vitestRunOptions(args: string[]): ReturnType<typeof parseCLI> {
  const { filter, options } = parseCLI(['vitest', 'run', ...args]);
  // --reporter replaces the configured reporters; the audit is never dropped with them.
  const cli = options as typeof options & { reporter?: string | string[] };
  if (cli.reporter) cli.reporter = [...[cli.reporter].flat(), AUDIT_REPORTER];
  const pattern = rawTestNamePattern(args);
  if (pattern !== undefined) options.testNamePattern = specIdPattern(pattern);
  return { filter, options };
}

/** The -t value as typed: vitest's parser reads `-t 1.10` as the number 1.1. */
export function rawTestNamePattern(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].split(/=(.*)/s, 2);
    if (name === '-t' || name === '--testNamePattern') return inline ?? args[i + 1];
  }
  return undefined;
}

/** `-t 1.1` means spec 1.1 alone, not also 1.10: a bare spec ID matches that test's name exactly. */
export function specIdPattern(pattern: string): string {
  return /^\d\.\d{1,2}$/.test(pattern) ? `(^| )${pattern.replace('.', '\\.')} ` : pattern;
}
