import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiText } from '../../support/openapi/document.ts';
import { OPENAPI_FILE } from './archive.ts';

let text: string | undefined;

/**
 * Writes openapi.json into the run folder and returns it for the leak scan. Generated once per process: it
 * depends on the code, not on the run.
 */
export function writeOpenApiFile(runDir: string): { name: string; text: string } {
  text ??= openApiText();
  writeFileSync(join(runDir, OPENAPI_FILE), text);
  return { name: OPENAPI_FILE, text };
}
