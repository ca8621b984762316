import { parseArgs } from 'node:util';
import { emulatorEnv, startEmulators } from '@cx-profile-sync/emulators';
import { connectClient, startBackfill } from '../client.js';
import { loadWorkerConfig } from '../config.js';
import { backfillExitCode, formatBackfill } from '../report.js';
import type { BackfillStatus } from '../shared.js';
import { SEARCH_ATTRIBUTES } from '../shared.js';
import { findTemporalCli, startDevServer } from '../temporal-server.js';
import { installRuntime, startWorker } from '../worker.js';
import { UsageError } from './args.js';
import { waitWithProgress } from './wait.js';

/** A Temporal server for the demo: the installed CLI's dev server, else the SDK's download (needs the internet). */
export async function localTemporal(): Promise<{ address: string; stop(): Promise<void>; how: string }> {
  const cli = findTemporalCli();
  if (cli) {
    const server = await startDevServer({ cliPath: cli });
    return { address: server.address, stop: server.stop, how: `temporal server start-dev (${cli})` };
  }
  // No installed binary: @temporalio/testing downloads the dev server (a devDependency, present in
  // the workspace).
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { ip: '127.0.0.1', searchAttributes: Object.values(SEARCH_ATTRIBUTES), ui: false },
  });
  return {
    address: env.address,
    stop: () => env.teardown(),
    how: 'the dev server downloaded by the Temporal SDK',
  };
}

/**
 * The README's first command: the emulators (documented limits on), a local Temporal server and a
 * worker in this process, then a back-fill of the sample conversations with its progress while it
 * runs, and a summary. Everything started is stopped at the end.
 */
export async function runDemo(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      customers: { type: 'string', default: '50' },
      'conversations-per-customer': { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
    },
  });
  const customers = Number(values.customers);
  const perCustomer = Number(values['conversations-per-customer']);
  if (!Number.isInteger(customers) || customers < 1)
    throw new UsageError('--customers must be a positive integer');
  if (!Number.isInteger(perCustomer) || perCustomer < 1)
    throw new UsageError('--conversations-per-customer must be a positive integer');

  const say = (line: string) => {
    if (!values.json) console.log(line);
  };
  const emulators = await startEmulators({ customers, conversationsPerCustomer: perCustomer });
  const stops: (() => Promise<void>)[] = [() => emulators.stop()];
  try {
    say(
      `Emulators: Genesys Cloud ${emulators.urls.genesys.apiUrl}, CXone ${emulators.urls.cxone.issuer}, Cognigy.AI ${emulators.urls.cognigy.apiUrl}`,
    );
    const temporal = await localTemporal();
    stops.unshift(temporal.stop);
    say(`Temporal: ${temporal.how} at ${temporal.address}`);
    const config = loadWorkerConfig({
      ...emulatorEnv(emulators.urls),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: 'cx-profile-sync-demo',
      // The emulators' data lives as long as the demo: so does its (absent) ledger.
      CX_LEDGER: 'off',
    });
    installRuntime(config, 'WARN');
    const worker = await startWorker(config);
    stops.unshift(() => worker.shutdown());
    say(
      `Worker: task queue ${config.temporal.taskQueue}, activities a second ${JSON.stringify(config.activitiesPerSecond)} (the documented limits)`,
    );

    const { conversationsEnd, days } = emulators.seed.options;
    const until = new Date(conversationsEnd).toISOString();
    const since = new Date(Date.parse(conversationsEnd) - days * 86_400_000).toISOString();
    const client = await connectClient(config.temporal);
    stops.unshift(() => client.close());
    const started = Date.now();
    const run = await startBackfill(client, { since, until, targets: 'all' });
    say(`Back-fill ${run.workflowId}: ${emulators.seed.genesys.conversations.length} conversations`);
    const first = await waitWithProgress(client, run.workflowId, run.result, values.json);
    if (typeof first === 'number') return first;
    const runs: BackfillStatus[] = [first];
    for (const line of formatBackfill(first)) say(line);
    // The sample data's analytics watermark leaves the most recent conversations out, as a real
    // org's data lake does for a few hours: the emulated one catches up, and the rest is back-filled.
    const rest = first.progress.remaining;
    if (rest && first.progress.outcomes.failed === 0) {
      say(`\nThe emulated Genesys Cloud data lake catches up (a real org's does within hours); the rest:`);
      emulators.state.genesys.setWatermark(until);
      const again = await startBackfill(client, { since: rest.since, until: rest.until, targets: 'all' });
      const second = await waitWithProgress(client, again.workflowId, again.result, values.json);
      if (typeof second === 'number') return second;
      runs.push(second);
      for (const line of formatBackfill(second)) say(line);
    }
    const seconds = (Date.now() - started) / 1000;
    if (values.json) console.log(JSON.stringify({ seconds, since, until, runs }));
    else
      console.log(
        `\nDone in ${seconds.toFixed(1)} s. The same from a shell: pnpm --silent worker start, then pnpm --silent worker backfill --since ${since} --until ${until} --wait`,
      );
    const failed = runs.find((r) => backfillExitCode(r) === 6);
    return failed ? 6 : backfillExitCode(runs.at(-1)!);
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}
