import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiText } from '../../support/openapi/document.ts';
import { OPENAPI_FILE } from './archive.ts';

let text: string | undefined;
/** openapi.json as every run writes it: generated once per process, since it depends on the code, not on the run. */
export const openApiFileText = (): string => (text ??= openApiText());

export function writeOpenApiFile(runDir: string): void {
  writeFileSync(join(runDir, OPENAPI_FILE), openApiFileText());
}
