// @ts-check
import { readdirSync, readFileSync } from 'node:fs';
import ts from 'typescript';

/**
 * `npm run mutation`: Stryker mutates the code that decides whether the suite passes or fails, and runs the
 * self-tests of vitest.mutation.config.ts against each mutant. A surviving mutant is a change to a check
 * that no self-test notices.
 */

/**
 * The body predicates of the catalogue: the reusable ones, every plan's `check` and every rule given to everyItem. The rest of the files
 * (request bodies, texts of the plans) is data, not checking code. Found by syntax, so edits elsewhere in
 * the files do not shift the ranges.
 */
const PREDICATE_HELPERS = new Set([
  'isTrue', 'isPaid', 'everyItem', 'sortedById', 'nonEmpty', 'dataIdIs', 'msk', 'partnerTicketIds',
  'reservationHolds', 'seatQuantitiesHold', 'findFilterHolds', 'notFoundInfo',
]);

function predicateRanges(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const ranges = [];
  const add = (node) => {
    const start = source.getLineAndCharacterOfPosition(node.getStart(source));
    const end = source.getLineAndCharacterOfPosition(node.getEnd());
    // Stryker's ranges: 1-based lines, 0-based columns.
    ranges.push(`${file}:${start.line + 1}:${start.character}-${end.line + 1}:${end.character}`);
  };
  const visit = (node) => {
    if (ts.isFunctionDeclaration(node) && node.name && PREDICATE_HELPERS.has(node.name.text)) add(node);
    else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && PREDICATE_HELPERS.has(node.name.text)) add(node);
    else if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'check') add(node);
    // A plan's own rule handed to everyItem, e.g. (o) => !isPaid(o).
    else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'everyItem') add(node.arguments[1]);
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return ranges;
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // A mutant reached only while modules load or in beforeAll hooks would re-run every test for itself (hours
  // on two cores); it is counted as ignored instead. One also reached inside a test runs those tests.
  ignoreStatic: true,
  mutate: [
    'support/harness/implied.ts',
    'support/runner/deltas.ts',
    'support/deep/predicates.ts',
    ...['support/core/orders.ts', 'support/catalogue/rules.ts', ...readdirSync('support/catalogue/sections').map((file) => `support/catalogue/sections/${file}`)].flatMap(predicateRanges),
    'support/contracts/check.ts',
    'support/write-gate.ts',
    'support/masking.ts',
    'reporters/audit/leaks.ts',
    'reporters/audit/invariants.ts',
    'reporters/audit/archive.ts',
    'reporters/audit/verify.ts',
  ],
  // Results of unchanged mutants whose covering tests are unchanged are taken from the last run.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  ignorePatterns: ['reports', 'allure-results', 'allure-report', '.data', '.env'],
  // Two cores: one test runner each.
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'html'],
  clearTextReporter: { allowColor: false, logTests: false },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  thresholds: { high: 90, low: 80, break: 90 },
};
