/**
 * `npm run openapi [file]` — the OpenAPI 3.1 document of REST v1 and Partners v1 as this suite knows them,
 * written to `file` (default: qtickets.openapi.json in the folder npm was run from). See support/openapi/.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { invocationDir } from '../support/config/tools.ts';
import { openApiText } from '../support/openapi/document.ts';

const USAGE = 'Usage: npm run openapi [file]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const [file, ...extra] = process.argv.slice(2);
if (extra.length > 0) fail(`openapi: unexpected argument "${extra[0]}".`);
if (file !== undefined && file.startsWith('-')) fail(`openapi: unknown option "${file}".`);

const target = resolve(invocationDir(), file ?? 'qtickets.openapi.json');
const text = openApiText();
try {
  writeFileSync(target, text);
} catch (error) {
  fail(`openapi: cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
}
const paths = Object.values((JSON.parse(text) as { paths: Record<string, object> }).paths);
console.log(`Wrote an OpenAPI 3.1 document (${paths.reduce((sum, ops) => sum + Object.keys(ops).length, 0)} operations on ${paths.length} paths) to ${target}`);
