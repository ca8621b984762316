import { Runtime } from '@temporalio/worker';
import { connectClient, registerSearchAttributes } from '../client.js';
import { installRuntime, startWorker } from '../worker.js';
import { configFromEnv } from './connect.js';

/** `start`: runs a worker (workflows and activities) until SIGTERM or SIGINT. */
export async function runStart(): Promise<number> {
  const cfg = configFromEnv();
  installRuntime(cfg);
  const logger = Runtime.instance().logger;
  const c = await connectClient(cfg.temporal);
  try {
    const registered = await registerSearchAttributes(c);
    if (registered.missing.length)
      logger.warn('search attributes are not registered: workflows run without them', {
        missing: registered.missing,
        reason: registered.error,
        fix: 'temporal operator search-attribute create --name CxTarget --type KeywordList (CxOutcome, CxCustomer: Keyword)',
      });
  } finally {
    await c.close();
  }
  const worker = await startWorker(cfg);
  const stop = (signal: string) => {
    logger.info('shutting down', { signal });
    void worker.shutdown();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  logger.info('worker started', {
    address: cfg.temporal.address,
    namespace: cfg.temporal.namespace,
    taskQueue: cfg.temporal.taskQueue,
    activitiesPerSecond: cfg.activitiesPerSecond,
    clientRateLimits: cfg.sync.limits?.off ? 'off' : `x${cfg.sync.limits?.scale ?? 1}`,
    targets: worker.services.targets('all').map((t) => t.name),
    metrics: cfg.temporal.metricsAddress ?? 'off',
    pid: process.pid,
  });
  await worker.done;
  logger.info('worker stopped');
  return 0;
}
