import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../support/config/load.ts';
import { secretsOf } from '../support/secrets.ts';

/** The secrets of a run's environment as configured here (.env.<name> and the environment); none when it does not load. */
export function configuredSecrets(runDir: string): string[] {
  try {
    const env = (JSON.parse(readFileSync(join(runDir, 'runtime.json'), 'utf8')) as { env?: string }).env ?? 'mock';
    return secretsOf(loadConfig(env));
  } catch (error) {
    console.log(`note: the leak scan knows no configured secret (${(error as Error).message.split('\n')[0]})`);
    return [];
  }
}
