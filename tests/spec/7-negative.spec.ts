import { defineSectionTests } from '../../support/harness/spec-test.ts';

defineSectionTests('7');
