import { ConfigError } from '../config.ts';

/** The wrapper's own flags, taken out of `npm test` arguments; the rest goes to vitest (support/cli/run.ts). */
export interface OwnFlags {
  env: string;
  allowWrites?: boolean;
  clickhouseMode?: 'embedded' | 'docker';
  allPages?: boolean;
  rest: string[];
}

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
    else if (name === '--clickhouse') {
      const mode = value();
      if (mode !== 'docker' && mode !== 'embedded') throw new ConfigError(`--clickhouse takes "embedded" or "docker", not "${mode}" (for a server of your own set CLICKHOUSE_URL)`);
      flags.clickhouseMode = mode;
    } else flags.rest.push(arg);
  }
  return flags;
}

/** Whether vitest will run the spec project: `--project` names it, or no `--project` is given. */
export function runsSpecProject(args: string[]): boolean {
  const projects: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const [name, inline] = args[i].split(/=(.*)/s, 2);
    if (name === '--project') projects.push(inline ?? args[i + 1] ?? '');
  }
  return projects.length === 0 || projects.some((p) => p === 'spec' || p.includes('*'));
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
