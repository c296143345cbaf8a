/**
 * `npm run openapi [file]` — the OpenAPI 3.1 document of REST v1 and Partners v1 as this suite knows them,
 * written to `file` (default: qtickets.openapi.json in the folder npm was run from). See support/openapi/.
 */
import { fileCommand, type FileCommand } from './file-command.ts';
import { openApiText } from '../support/openapi/document.ts';

const command: FileCommand = fileCommand('openapi', 'Usage: npm run openapi [file]', 'qtickets.openapi.json');
const [file, ...extra] = process.argv.slice(2);
const target = command.target(file, extra);
const text = openApiText();
command.write(target, text);
const paths = Object.values((JSON.parse(text) as { paths: Record<string, object> }).paths);
console.log(`Wrote an OpenAPI 3.1 document (${paths.reduce((sum, ops) => sum + Object.keys(ops).length, 0)} operations on ${paths.length} paths) to ${target}`);
