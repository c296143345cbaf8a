/**
 * The commands that write one file (`npm run openapi|baseline [file]`, `npm run export -- postman [file]`):
 * one usage message, exit 2 on a wrong argument or an unwritable file, and a relative path meaning the folder
 * the user ran npm in.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { invocationDir } from '../support/config/tools.ts';

export interface FileCommand {
  /** Prints the message and the usage; exits 2. */
  fail(message: string): never;
  /** The output file: `given` (relative to where npm was run), else `defaultName` there. */
  target(given: string | undefined, extra: readonly string[]): string;
  /** Writes `text` to `target`, or fails naming the reason. */
  write(target: string, text: string): void;
}

export function fileCommand(name: string, usage: string, defaultName: string): FileCommand {
  const fail = (message: string): never => {
    console.error(`${message}\n${usage}`);
    process.exit(2);
  };
  return {
    fail,
    target(given, extra) {
      if (extra.length > 0) fail(`${name}: unexpected argument "${extra[0]}".`);
      if (given !== undefined && given.startsWith('-')) fail(`${name}: unknown option "${given}".`);
      return resolve(invocationDir(), given ?? defaultName);
    },
    write(target, text) {
      try {
        writeFileSync(target, text);
      } catch (error) {
        fail(`${name}: cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
      }
    },
  };
}
