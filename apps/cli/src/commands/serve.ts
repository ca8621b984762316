import { parseArgs } from 'node:util';
import {
  backfill,
  createSyncServices,
  type EventSink,
  IntakeMetrics,
  isSyncError,
  loadConfig,
  loadDotEnv,
  type OpenedLedger,
  openSyncLedger,
  startIntakeServer,
  startNotificationsListener,
  startProcessor,
} from '@cx-profile-sync/core';
import { UsageError } from '../usage.js';

const intArg = (name: string, v: string | undefined, fallback: number, min: number) => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be an integer of at least ${min}, got "${v}"`);
  return n;
};

/**
 * `serve`: the live intake in one process. Genesys Cloud events (an EventBridge API destination, or
 * a forwarder) are taken into the ledger's inbox (202 once durable), and each customer is synced once
 * their burst of events is over. The first line on stdout is one JSON object with the URLs; then a
 * JSON line a sync. Runs until SIGINT or SIGTERM, finishing what it accepted.
 */
export async function runServe(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      'quiet-ms': { type: 'string' },
      'max-wait-ms': { type: 'string' },
      concurrency: { type: 'string' },
      'listen-notifications': { type: 'boolean', default: false },
      queues: { type: 'string' },
    },
  });
  const queues =
    values.queues
      ?.split(',')
      .map((q) => q.trim())
      .filter(Boolean) ?? [];
  if (values['listen-notifications'] && queues.length === 0)
    throw new UsageError(
      '--listen-notifications needs --queues <queueId,queueId…>: the queues whose conversations to follow',
    );
  if (!values['listen-notifications'] && queues.length > 0)
    throw new UsageError('--queues goes with --listen-notifications');
  if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const port = intArg('port', values.port, 0, 0);
  if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
  const quietMs = intArg('quiet-ms', values['quiet-ms'], 2000, 0);
  const maxWaitMs = intArg('max-wait-ms', values['max-wait-ms'], 10_000, 1);
  const concurrency = intArg('concurrency', values.concurrency, 8, 1);

  loadDotEnv();
  let services: ReturnType<typeof createSyncServices> | undefined;
  let ledger: OpenedLedger | undefined;
  let server: Awaited<ReturnType<typeof startIntakeServer>>;
  // The ledger's inbox: where both sources (the HTTP intake, the Notifications socket) put events.
  let sink: EventSink;
  const metrics = new IntakeMetrics(async () => {
    const d = await ledger!.store.inbox.depth(new Date().toISOString());
    return {
      cx_intake_inbox_pending_events: { help: 'Events accepted and not yet synced', value: d.pendingEvents },
      cx_intake_inbox_pending_subjects: {
        help: 'Conversations or contacts waiting for a sync',
        value: d.pendingSubjects,
      },
    };
  });
  try {
    services = createSyncServices(loadConfig(process.env));
    ledger = await openSyncLedger(process.env, services);
    if (!ledger)
      throw new UsageError(
        'serve keeps what it accepts in the ledger (its inbox) until synced: CX_LEDGER=off cannot serve',
      );
    const key = process.env.CX_INTAKE_KEY?.trim() || undefined;
    const header = process.env.CX_INTAKE_HEADER?.trim() || undefined;
    const inbox = ledger.store.inbox;
    sink = {
      accept: (events) => inbox.accept(events),
      pendingEvents: async () => (await inbox.depth(new Date().toISOString())).pendingEvents,
    };
    server = await startIntakeServer({
      sink,
      metrics,
      host: values.host,
      port,
      ...(key ? { key } : {}),
      ...(header ? { header } : {}),
      health: async () => ({ inbox: await inbox.depth(new Date().toISOString()), ledger: ledger!.where }),
    });
  } catch (e) {
    services?.close();
    await ledger?.store.close();
    if (!isSyncError(e)) throw e;
    console.error(`cx-profile-sync: ${e.message}`);
    return 2;
  }
  console.log(JSON.stringify(server.urls));
  const processor = startProcessor({
    services,
    inbox: ledger.store.inbox,
    ledger: ledger.sync,
    metrics,
    quietMs,
    maxWaitMs,
    concurrency,
    onSynced: (batch, result) =>
      console.log(
        JSON.stringify({
          synced: batch.subjectKey,
          events: batch.eventIds.length,
          lagMs: Date.now() - Date.parse(batch.newestEventTime),
          targets: result.targets.map((t) => ({
            target: t.target,
            outcome: t.outcome,
            written: Object.keys(t.written),
            ...(t.error ? { error: t.error.message } : {}),
          })),
        }),
      ),
    onFailed: (batch, message) =>
      console.error(`cx-profile-sync: ${batch.subjectKey}: ${message} (tried again later)`),
  });
  const notifications = values['listen-notifications']
    ? startNotificationsListener({
        genesys: services.genesys,
        queues,
        sink,
        metrics,
        onError: (message) => console.error(`cx-profile-sync: notifications: ${message}`),
        // Genesys Cloud keeps nothing while the socket was down: sweep that time from the analytics
        // data (up to its watermark; the schedule's next windows catch what it does not reach yet).
        onGap: (gap) => {
          console.error(
            `cx-profile-sync: notifications were down ${gap.since}/${gap.until} (${gap.reason}): sweeping it`,
          );
          void backfill(services!, {
            interval: { start: gap.since, end: gap.until },
            ledger: ledger!,
          }).then(
            (p) =>
              console.log(
                JSON.stringify({
                  swept: `${gap.since}/${gap.until}`,
                  customers: p.customers,
                  outcomes: p.outcomes,
                  remaining: p.remaining,
                }),
              ),
            (e: unknown) =>
              console.error(
                `cx-profile-sync: the sweep of ${gap.since}/${gap.until} failed: ${(e as Error).message}`,
              ),
          );
        },
      })
    : undefined;
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  // Nothing new is taken; what was accepted and is due is finished; the rest waits in the inbox.
  await server.close();
  await notifications?.stop();
  await processor.stop();
  services.close();
  await ledger.store.close();
  return 0;
}
