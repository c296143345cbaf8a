import { defineConfig } from 'allure';
import { ALLURE_HISTORY_FILE, ALLURE_REPORT_DIR, ALLURE_RESULTS_DIR, DENIED_TAG, FAILURE_CATEGORIES } from './support/allure.ts';

/**
 * Allure 3 settings for `npm run report` (scripts/allure-report.ts). Paths are relative to the working
 * directory the report is rendered in (the repository root). The history file lives outside the report
 * folder so that re-rendering keeps the trends; it is git-ignored.
 */
export default defineConfig({
  name: 'QTickets API audit',
  resultsDir: `./${ALLURE_RESULTS_DIR}`,
  output: `./${ALLURE_REPORT_DIR}`,
  historyPath: `./${ALLURE_HISTORY_FILE}`,
  historyLimit: 50,
  categories: [
    ...FAILURE_CATEGORIES,
    { name: 'Write sent only as a denied probe', matchers: { statuses: ['passed'], labels: { tag: `^${DENIED_TAG}$` } } },
    { name: 'Skipped', matchers: { statuses: ['skipped'] } },
  ],
  plugins: {
    awesome: {
      options: {
        reportLanguage: 'en',
        groupBy: ['epic', 'feature'],
      },
    },
  },
});
