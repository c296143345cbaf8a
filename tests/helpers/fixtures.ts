import { dataPath } from '../../support/paths.ts';

/** The anonymized live answers (data/live-shapes) that the self-tests check the code against. */
export const fixturesDir = (): string => dataPath('live-shapes');
