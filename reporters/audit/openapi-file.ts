import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiText, type ObservedDrift } from '../../support/openapi/document.ts';
import { OPENAPI_FILE } from './archive.ts';

/**
 * Writes openapi.json into the run folder and returns it for the leak scan: the suite's description of the API,
 * with the fields this run saw beyond the contracts (`x-observed-drift`).
 */
export function writeOpenApiFile(runDir: string, observed: readonly ObservedDrift[]): { name: string; text: string } {
  const text = openApiText(observed);
  writeFileSync(join(runDir, OPENAPI_FILE), text);
  return { name: OPENAPI_FILE, text };
}
