/**
 * `npm run export -- postman [file]` — the 51 specs as a Postman collection (v2.1), written to `file`
 * (default: qtickets.postman_collection.json in the folder npm was run from). Tokens are never written: the
 * collection's variables are empty. See support/export/postman.ts for what the collection holds.
 */
import { fileCommand, type FileCommand } from './file-command.ts';
import { postmanCollection } from '../support/export/postman.ts';

const FORMATS = ['postman'];
const command: FileCommand = fileCommand('export', 'Usage: npm run export -- postman [file]', 'qtickets.postman_collection.json');
const [format, file, ...extra] = process.argv.slice(2);
if (format === undefined) command.fail('export: name a format.');
if (!FORMATS.includes(format)) command.fail(`export: unknown format "${format}" (known: ${FORMATS.join(', ')}).`);
const target = command.target(file, extra);
const collection = postmanCollection();
command.write(target, `${JSON.stringify(collection, null, 2)}\n`);
const requests = collection.item.reduce((sum, folder) => sum + folder.item.length, 0);
console.log(`Wrote ${requests} requests in ${collection.item.length} folders to ${target}`);
