import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseCLI } from 'vitest/node';

/**
 * vitest's own command line (its cac instance), to tell a vitest flag from a typo. vitest exports only
 * parseCLI, which accepts any flag; createCLI, which knows every option, sits in the same module: that
 * module is found through vitest/node and checked to be the one parseCLI comes from.
 */

interface CacOption {
  rawName: string;
  names: string[];
}
interface CacCommand {
  options: CacOption[];
  hasOption(name: string): unknown;
}
export interface VitestCli {
  globalCommand: CacCommand;
  matchedCommand?: CacCommand;
  parse(argv: string[], options: { run: boolean }): { args: string[]; options: Record<string, unknown> };
  outputHelp(): void;
}

let cached: Promise<() => VitestCli> | undefined;

async function findCreateCli(): Promise<() => VitestCli> {
  const nodeEntry = createRequire(import.meta.url).resolve('vitest/node');
  const found = /export \{ (\w+) as parseCLI \} from '(\.\/chunks\/[^']+\.js)'/.exec(readFileSync(nodeEntry, 'utf8'));
  const chunk = found ? ((await import(pathToFileURL(join(dirname(nodeEntry), found[2])).href)) as Record<string, unknown>) : undefined;
  const createCli = chunk && chunk[found![1]] === parseCLI ? Object.values(chunk).find((value) => typeof value === 'function' && value !== parseCLI) : undefined;
  const probe = typeof createCli === 'function' ? (createCli() as Partial<VitestCli>) : undefined;
  if (!probe?.globalCommand || typeof probe.parse !== 'function') {
    throw new Error(`This vitest (${nodeEntry}) no longer keeps its command line where the wrapper looks for it (support/cli/vitest-cli.ts).`);
  }
  return createCli as () => VitestCli;
}

/** A fresh cac instance with vitest's options (cac keeps the last parse's state on the instance). */
export async function vitestCli(): Promise<VitestCli> {
  cached ??= findCreateCli();
  return (await cached)();
}

/** Every long flag vitest documents, as typed (`--outputFile`, `--coverage.enabled`, `--no-color` …). */
export function vitestFlags(cli: VitestCli, command: CacCommand): string[] {
  return [...cli.globalCommand.options, ...command.options].flatMap((option) => option.rawName.split(/[ ,]+/).filter((part) => part.startsWith('--')));
}
