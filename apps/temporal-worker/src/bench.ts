import { parseArgs } from 'node:util';
import { emulatorEnv, startEmulators } from '@cx-profile-sync/emulators';
import { connectClient, startBackfill } from './client.js';
import { UsageError } from './main.js';
import { formatProgress } from './report.js';
import { startDevServer } from './temporal-server.js';
import { spawnWorkerProcess } from './worker-process.js';

/**
 * Customers synced per second by ONE worker process in a back-fill, with the emulators' limits
 * off (and the worker's own rate limits off): what Temporal and the worker cost, not the platforms.
 * The worker runs as a child process so that its peak memory (VmHWM) is its own.
 */
export async function runBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      conversations: { type: 'string', default: '10000' },
      'conversations-per-customer': { type: 'string', default: '2' },
      concurrency: { type: 'string', default: '16' },
      'page-size': { type: 'string', default: '100' },
      json: { type: 'boolean', default: false },
    },
  });
  const conversations = Number(values.conversations);
  const perCustomer = Number(values['conversations-per-customer']);
  const concurrency = Number(values.concurrency);
  const pageSize = Number(values['page-size']);
  if (![conversations, perCustomer, concurrency, pageSize].every((n) => Number.isInteger(n) && n > 0))
    throw new UsageError(
      '--conversations, --conversations-per-customer, --concurrency and --page-size take positive integers',
    );
  const customers = Math.ceil(conversations / perCustomer);

  const emulators = await startEmulators({
    customers,
    conversationsPerCustomer: perCustomer,
    limits: false,
    requestLogSize: 0,
    genesys: { jobDelayMs: 100 },
  });
  const server = await startDevServer().catch(async (e) => {
    await emulators.stop();
    throw e;
  });
  const worker = spawnWorkerProcess({
    ...emulatorEnv(emulators.urls),
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: 'cx-profile-sync-bench',
    CX_RATE_LIMITS: 'off',
  });
  const client = await connectClient({
    address: server.address,
    namespace: 'default',
    taskQueue: 'cx-profile-sync-bench',
  });
  try {
    await worker.ready;
    const { conversationsEnd, days } = emulators.seed.options;
    const until = new Date(conversationsEnd).toISOString();
    const since = new Date(Date.parse(conversationsEnd) - days * 86_400_000).toISOString();
    const started = Date.now();
    const run = await startBackfill(client, { since, until, concurrency, pageSize });
    const final = await run.result();
    const seconds = (Date.now() - started) / 1000;
    const peak = worker.peakRssBytes();
    const report = {
      conversations: final.progress.conversations,
      customerSyncs: final.progress.customers,
      seconds: Number(seconds.toFixed(1)),
      customersPerSecond: Number((final.progress.customers / seconds).toFixed(1)),
      workerPeakRssMB: peak !== undefined ? Math.round(peak / 2 ** 20) : null,
      concurrency,
      pageSize,
      runs: final.runs,
      outcomes: final.progress.outcomes,
    };
    if (values.json) console.log(JSON.stringify(report));
    else {
      console.log(
        `Back-fill of ${report.conversations} conversations by one worker (limits off): ${formatProgress(final.progress)}`,
      );
      console.log(
        `  ${report.customersPerSecond} customers synced per second (${report.customerSyncs} in ${report.seconds} s, concurrency ${concurrency}, pages of ${pageSize}, ${report.runs} runs)`,
      );
      console.log(`  worker peak memory (RSS): ${report.workerPeakRssMB ?? '?'} MB`);
    }
    return 0;
  } finally {
    await client.close();
    await worker.stop();
    await server.stop();
    await emulators.stop();
  }
}
