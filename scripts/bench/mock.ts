/**
 * Benchmark child: the mock in a process of its own, so that neither the walk's nor the benchmark's memory
 * includes the tenant. Prints `{"ready":true,...}` on stdout when it listens; stops when stdin closes.
 *
 * Settings from the environment: BENCH_REST_TOKEN, BENCH_PARTNERS_TOKEN, BENCH_MOCK_SIZE (`live` for the
 * live tenant's size, anything else for the default size `npm test` uses).
 */
import { startMock } from '../../support/mock/server.ts';
import { LIVE_SIZE } from '../../support/mock/tenant.ts';

const restToken = process.env.BENCH_REST_TOKEN;
const partnersToken = process.env.BENCH_PARTNERS_TOKEN;
if (!restToken || !partnersToken) throw new Error('bench mock: BENCH_REST_TOKEN and BENCH_PARTNERS_TOKEN must be set');

const started = performance.now();
const mock = await startMock({ restToken, partnersToken, ...(process.env.BENCH_MOCK_SIZE === 'live' ? { size: LIVE_SIZE } : {}) });
const startMs = Math.round(performance.now() - started);
process.stdout.write(`${JSON.stringify({ ready: true, restBaseUrl: mock.restBaseUrl, partnersBaseUrl: mock.partnersBaseUrl, pid: process.pid, startMs })}\n`);

const stop = async () => {
  await mock.close();
  process.exit(0);
};
process.stdin.on('end', stop).on('close', stop).resume();
process.on('SIGTERM', stop);
