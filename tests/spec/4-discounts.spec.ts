import { defineSectionTests } from '../../support/vitest/define-tests.ts';

defineSectionTests('4');
