// Records the histories that replay.test.ts replays: a sync and a three-run back-fill, from real
// runs (emulators, a dev server, a worker). Run after changing the workflows on purpose:
//   node apps/temporal-worker/dist/record-histories.js
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { emulatorEnv, startEmulators } from '@cx-profile-sync/emulators';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { connectClient, startBackfill, startSync } from './client.js';
import { loadWorkerConfig } from './config.js';
import { startDevServer } from './temporal-server.js';
import { installRuntime, startWorker } from './worker.js';

const FIXTURES = fileURLToPath(new URL('../src/fixtures/', import.meta.url));

async function record(): Promise<void> {
  // Three customers with two conversations each: a back-fill of pages of two is three runs.
  const emulators = await startEmulators({ customers: 3, conversationsPerCustomer: 2, limits: false });
  const server = await startDevServer();
  const config = loadWorkerConfig({
    ...emulatorEnv(emulators.urls),
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: 'record',
    CX_RATE_LIMITS: 'off',
  });
  installRuntime(config, 'WARN');
  const worker = await startWorker(config);
  const client = await connectClient(config.temporal);
  try {
    mkdirSync(FIXTURES, { recursive: true });
    const save = async (name: string, workflowId: string, runId?: string) => {
      const history = await client.client.workflow.getHandle(workflowId, runId).fetchHistory();
      writeFileSync(`${FIXTURES}${name}.json`, `${historyToJSON(history)}\n`);
      console.log(`${name}: ${history.events?.length} events`);
    };
    const sync = await startSync(client, {
      conversationId: emulators.seed.customers[0]!.conversationIds.at(-1)!,
    });
    await sync.result();
    await save('sync-customer', sync.workflowId);

    const { conversationsEnd, days } = emulators.seed.options;
    const until = new Date(conversationsEnd).toISOString();
    const since = new Date(Date.parse(conversationsEnd) - days * 86_400_000).toISOString();
    const backfill = await startBackfill(client, { since, until, pageSize: 2, concurrency: 2 });
    await backfill.result();
    const runs: { runId: string; start: number }[] = [];
    for await (const w of client.client.workflow.list({ query: `WorkflowId = '${backfill.workflowId}'` }))
      runs.push({ runId: w.runId, start: w.startTime.getTime() });
    runs.sort((a, b) => a.start - b.start);
    // The first run (submits the job, ends with continue-as-new) and the last (finishes).
    await save('backfill-first-run', backfill.workflowId, runs[0]!.runId);
    await save('backfill-last-run', backfill.workflowId, runs.at(-1)!.runId);
  } finally {
    await client.close();
    await worker.shutdown();
    await server.stop();
    await emulators.stop();
  }
}

record().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
