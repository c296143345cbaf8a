/**
 * `npm test` starts here, in plain JavaScript: vitest is loaded first, natively; only then are tsx's module
 * hooks registered for the wrapper (run.ts). Through the hooks every one of vitest's modules costs a round
 * trip to tsx's loader thread (about a second in all), and the test workers, started with this process's
 * Node flags, would carry the hooks too, which they do not need: vitest compiles TypeScript itself.
 */
await import('vitest/node');
const { register } = await import('tsx/esm/api');
register();
await import('./run.ts');
