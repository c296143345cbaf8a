/**
 * Standalone QTickets mock: `npm run mock` (tsx support/mock/cli.ts). Prints its two base URLs and stops
 * cleanly on SIGINT/SIGTERM. Settings come from the environment:
 *
 *   MOCK_HOST             address to listen on (default 127.0.0.1; the Docker image sets 0.0.0.0)
 *   MOCK_PORT             port to listen on (default 8787; 0 = any free port)
 *   MOCK_TOKEN            the accepted REST bearer token (default mock-rest-token)
 *   MOCK_PARTNERS_TOKEN   the accepted Partners key, a separate credential (default mock-partners-key)
 *   MOCK_TENANT           live (default: live-like ids, the documented example ids answer 404) | doc (the documented ids exist)
 *   MOCK_FILTER_MODE      honour (default: where/orderBy applied) | ignore (answered unfiltered) | 503 (a query-string where on /orders answers 503, as live; the rest is honoured)
 *   MOCK_CLOCK            now (default: real time, the tenant's newest order is from today) | fixed (the reference date 2025-11-26, as in npm test)
 *   MOCK_ORDERS, MOCK_CLIENTS, MOCK_EVENTS   tenant size (defaults 180, 250, 23; live is 126213, 93256, 223)
 *   MOCK_SEED             data seed (default fixed: the same seed gives the same data)
 *   MOCK_FAULTS           JSON array of fault rules, e.g. [{"path":"^/orders$","kind":"status","status":503,"times":2}]
 */
import { z } from 'zod';
import { CLOCK_MODES } from './clock.ts';
import { startMock } from './server.ts';
import { mockOptions, mockSettingsShape } from './settings.ts';
import { emptyToUndefined, wholeNumber } from '../settings-values.ts';

const schema = z.object({
  MOCK_HOST: z.preprocess(emptyToUndefined, z.string().default('127.0.0.1')),
  MOCK_PORT: wholeNumber(8787).refine((port) => port <= 65_535, 'must be a port number (0-65535)'),
  MOCK_TOKEN: z.preprocess(emptyToUndefined, z.string().min(1).default('mock-rest-token')),
  MOCK_PARTNERS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(1).default('mock-partners-key')),
  ...mockSettingsShape,
  MOCK_CLOCK: z.preprocess(emptyToUndefined, z.enum(CLOCK_MODES).default('now')),
});

async function main(): Promise<void> {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`).join('\n');
    console.error(`The mock's settings are invalid:\n${problems}`);
    process.exitCode = 2;
    return;
  }
  const env = parsed.data;
  const mock = await startMock({
    host: env.MOCK_HOST,
    port: env.MOCK_PORT,
    restToken: env.MOCK_TOKEN,
    partnersToken: env.MOCK_PARTNERS_TOKEN,
    ...mockOptions(env),
  });
  console.log(`QTickets mock (tenant ${env.MOCK_TENANT}, filter mode ${env.MOCK_FILTER_MODE}, clock ${env.MOCK_CLOCK})`);
  console.log(`  REST:     ${mock.restBaseUrl}`);
  console.log(`  Partners: ${mock.partnersBaseUrl}`);
  const stop = async (signal: string) => {
    console.log(`${signal}: stopping the mock`);
    await mock.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  const reason = inUse ? `${process.env.MOCK_HOST || '127.0.0.1'}:${process.env.MOCK_PORT || 8787} is in use; stop what listens there, or set MOCK_PORT (0 = any free port)` : error instanceof Error ? error.message : String(error);
  console.error(`The mock could not start: ${reason}`);
  process.exitCode = 1;
});
