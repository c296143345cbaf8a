/**
 * `npm run export -- postman [file]` — the 51 specs as a Postman collection (v2.1), written to `file`
 * (default: qtickets.postman_collection.json in the folder npm was run from). Tokens are never written: the
 * collection's variables are empty. See support/export/postman.ts for what the collection holds.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { invocationDir } from '../support/config/tools.ts';
import { postmanCollection } from '../support/export/postman.ts';

const FORMATS = ['postman'];
const USAGE = 'Usage: npm run export -- postman [file]';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const [format, file, ...extra] = process.argv.slice(2);
if (format === undefined) fail('export: name a format.');
if (!FORMATS.includes(format)) fail(`export: unknown format "${format}" (known: ${FORMATS.join(', ')}).`);
if (extra.length > 0) fail(`export: unexpected argument "${extra[0]}".`);
if (file !== undefined && file.startsWith('-')) fail(`export: unknown option "${file}".`);

// A relative path means the folder the user ran npm in.
const target = resolve(invocationDir(), file ?? 'qtickets.postman_collection.json');
const collection = postmanCollection();
try {
  writeFileSync(target, `${JSON.stringify(collection, null, 2)}\n`);
} catch (error) {
  fail(`export: cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
}
const requests = collection.item.reduce((sum, folder) => sum + folder.item.length, 0);
console.log(`Wrote ${requests} requests in ${collection.item.length} folders to ${target}`);
