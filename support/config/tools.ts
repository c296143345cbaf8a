/** Settings of the helper commands (`npm run export`, `npm run check-report`), from the process environment. */

/** The folder the user ran npm in: npm runs scripts from the package root and names the starting folder in INIT_CWD. */
export const invocationDir = (env: NodeJS.ProcessEnv = process.env): string => env.INIT_CWD ?? process.cwd();

/** Where Chromium is for the Allure report check: CHROMIUM_PATH, else the Debian package's place. */
export const chromiumPath = (env: NodeJS.ProcessEnv = process.env): string => env.CHROMIUM_PATH ?? '/usr/bin/chromium';
