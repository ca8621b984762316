import { parseArgs } from 'node:util';
import {
  createSyncServices,
  type EventSink,
  IntakeMetrics,
  isSyncError,
  type NotificationsListener,
  startIntakeServer,
  startNotificationsListener,
} from '@cx-profile-sync/core';
import { connectClient, signalLiveEvents, startBackfill } from '../client.js';
import { intArg, UsageError } from './args.js';
import { configFromEnv } from './connect.js';

/**
 * `intake`: the live intake in front of Temporal. The same HTTP service as the CLI's `serve`, whose
 * events become signals to one live workflow per conversation or contact (202 once Temporal has
 * them); the workers sync. The first line on stdout is one JSON object with the URLs.
 */
export async function runIntake(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      'quiet-ms': { type: 'string' },
      'max-wait-ms': { type: 'string' },
      'listen-notifications': { type: 'boolean', default: false },
      queues: { type: 'string' },
    },
  });
  if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const queues =
    values.queues
      ?.split(',')
      .map((q) => q.trim())
      .filter(Boolean) ?? [];
  if (values['listen-notifications'] !== queues.length > 0)
    throw new UsageError('--listen-notifications and --queues <queueId,queueId…> go together');
  const port = intArg('port', values.port, 0, 65535) ?? 0;
  const quietMs = intArg('quiet-ms', values['quiet-ms'], 0, 3_600_000);
  const maxWaitMs = intArg('max-wait-ms', values['max-wait-ms'], 1, 3_600_000);
  const config = configFromEnv();
  const c = await connectClient(config.temporal);
  const metrics = new IntakeMetrics(async () => ({}));
  let server: Awaited<ReturnType<typeof startIntakeServer>>;
  const sink: EventSink = {
    async accept(events) {
      await signalLiveEvents(c, events, {
        ...(quietMs !== undefined ? { quietMs } : {}),
        ...(maxWaitMs !== undefined ? { maxWaitMs } : {}),
      });
      // Repeats are recognised by each live workflow (its recent event ids), not here.
      return { accepted: events.length, duplicates: 0 };
    },
  };
  try {
    const key = process.env.CX_INTAKE_KEY?.trim() || undefined;
    const header = process.env.CX_INTAKE_HEADER?.trim() || undefined;
    server = await startIntakeServer({
      sink,
      metrics,
      host: values.host,
      port,
      ...(key ? { key } : {}),
      ...(header ? { header } : {}),
      health: async () => ({ temporal: config.temporal.address, taskQueue: config.temporal.taskQueue }),
    });
  } catch (e) {
    await c.close();
    if (!isSyncError(e)) throw e;
    console.error(`cx-profile-sync-worker: ${e.message}`);
    return 2;
  }
  console.log(JSON.stringify(server.urls));
  let notifications: NotificationsListener | undefined;
  let services: ReturnType<typeof createSyncServices> | undefined;
  if (values['listen-notifications']) {
    services = createSyncServices(config.sync);
    notifications = startNotificationsListener({
      genesys: services.genesys,
      queues,
      sink,
      metrics,
      onError: (message) => console.error(`cx-profile-sync-worker: notifications: ${message}`),
      // Genesys Cloud keeps nothing while the socket was down: a back-fill workflow sweeps that time.
      onGap: (gap) => {
        startBackfill(c, { since: gap.since, until: gap.until }).then(
          (run) =>
            console.error(
              `cx-profile-sync-worker: notifications were down ${gap.since}/${gap.until} (${gap.reason}): ${run.workflowId} sweeps it`,
            ),
          (e: unknown) =>
            console.error(
              `cx-profile-sync-worker: the sweep of ${gap.since}/${gap.until}: ${(e as Error).message}`,
            ),
        );
      },
    });
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  await notifications?.stop();
  services?.close();
  await c.close();
  return 0;
}
