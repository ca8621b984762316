import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createSyncServices,
  DEFAULT_RETRY_POLICY,
  type OpenedLedger,
  openSyncLedger,
  type SyncServices,
  sourceDescriptors,
} from '@cx-profile-sync/core';
import type { LogLevel, LogMetadata } from '@temporalio/common';
import { DefaultLogger, type LogEntry, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from './activities.js';
import type { WorkerConfig } from './config.js';
import { type Platform, platformQueue } from './shared.js';

/**
 * Inside an activity the core tries each request once: Temporal's retries are the durable ones
 * (visible in the workflow's history, surviving a crash, spaced by Retry-After or the backoff).
 * The core still renews a revoked token once, which is not a retry of the request.
 */
export const ACTIVITY_RETRY_POLICY = { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 };
/** One HTTP request's timeout inside an activity (activities time out after 30 s by default). */
export const ACTIVITY_HTTP_TIMEOUT_MS = 10_000;

/** A log value as JSON: errors by name and message only (their messages never hold secrets). */
function loggable(meta: LogMetadata | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta ?? {})) {
    if (v instanceof Error) out[k] = { name: v.name, message: v.message };
    else if (typeof v === 'bigint') out[k] = v.toString();
    else if (typeof v !== 'function') out[k] = v;
  }
  return out;
}

/**
 * Not worth a line: one queue for workflows and one per platform for activities is expected, and
 * the bundler's statistics are many lines of noise.
 */
const EXPECTED = /^(No (activities|workflows) registered|asset workflow-bundle)/;

/** One JSON line per log entry on stderr: time, level, message and the SDK's fields (ids, types). */
export function jsonLogger(level: LogLevel = 'INFO', write = (line: string) => process.stderr.write(line)) {
  return new DefaultLogger(level, (entry: LogEntry) => {
    if (EXPECTED.test(entry.message)) return;
    const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
    write(
      `${JSON.stringify({ time, level: entry.level, message: entry.message, ...loggable(entry.meta) })}\n`,
    );
  });
}

/**
 * Installs Temporal's runtime once per process: JSON logs, and Prometheus metrics when an address is
 * configured. Signals are handled by the caller (graceful shutdown), not by the SDK.
 */
export function installRuntime(config: WorkerConfig, level: LogLevel = 'INFO'): void {
  Runtime.install({
    logger: jsonLogger(level),
    shutdownSignals: [],
    ...(config.temporal.metricsAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.temporal.metricsAddress } } } }
      : {}),
  });
}

/**
 * The bundle made at build time (bundle-workflows.ts) when there is one, else the workflows' source.
 * From the source (the tests) it is the build's bundle, as for the replay test.
 */
function workflowCode(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const fromSource = import.meta.url.endsWith('.ts');
  const bundle = fileURLToPath(
    new URL(fromSource ? '../dist/workflow-bundle.js' : './workflow-bundle.js', import.meta.url),
  );
  if (existsSync(bundle)) return { workflowBundle: { codePath: bundle } };
  return { workflowsPath: fileURLToPath(new URL('./workflows.js', import.meta.url)) };
}

export interface RunningWorker {
  /** Stops polling, lets running activities finish (up to the grace time), then closes. */
  shutdown(): Promise<void>;
  /** Settles when every worker has stopped. */
  done: Promise<void>;
  services: SyncServices;
}

/**
 * Starts the workers of one process on one connection: the workflows' queue, and one queue per
 * platform for its activities with that platform's dispatch rate (enforced by the server for every
 * worker of the queue): each registered source's queue runs the source's activities, each configured
 * target's queue plans and pushes. One set of core services serves all activities, so tokens are reused.
 */
export async function startWorker(config: WorkerConfig): Promise<RunningWorker> {
  const services = createSyncServices(config.sync, {
    retry: ACTIVITY_RETRY_POLICY,
    timeoutMs: ACTIVITY_HTTP_TIMEOUT_MS,
    ...(config.mapping ? { mapping: config.mapping } : {}),
  });
  let ledger: OpenedLedger | undefined;
  let connection: NativeConnection;
  try {
    ledger = await openSyncLedger(config.ledger, services);
    connection = await NativeConnection.connect({ address: config.temporal.address });
  } catch (e) {
    services.close();
    await ledger?.store.close();
    throw e;
  }
  const { namespace, taskQueue } = config.temporal;
  const closeAll = async () => {
    services.close();
    await ledger?.store.close();
    await connection.close();
  };
  const {
    fetchCustomer,
    dataAvailability,
    lastIncrementalCoverage,
    submitConversationJob,
    waitForConversationJob,
    fetchConversationPage,
    ledgerFailures,
    planTarget,
    pushTarget,
    syncTarget,
  } = createActivities(services, ledger ? { ledger } : {});
  const queues: { platform: Platform; activities: object }[] = [
    ...sourceDescriptors().map((d) => ({
      platform: d.name,
      activities: {
        fetchCustomer,
        dataAvailability,
        lastIncrementalCoverage,
        submitConversationJob,
        waitForConversationJob,
        fetchConversationPage,
        ledgerFailures,
      },
    })),
    ...services
      .targetNames()
      .map((name) => ({ platform: name, activities: { syncTarget, planTarget, pushTarget } })),
  ];
  const workers: Worker[] = [];
  try {
    workers.push(
      await Worker.create({
        connection,
        namespace,
        taskQueue,
        ...workflowCode(),
        shutdownGraceTime: '10s',
      }),
    );
    for (const { platform, activities } of queues) {
      const rate = config.activitiesPerSecond[platform];
      workers.push(
        await Worker.create({
          connection,
          namespace,
          taskQueue: platformQueue(taskQueue, platform),
          activities,
          maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities,
          ...(rate !== undefined ? { maxTaskQueueActivitiesPerSecond: rate } : {}),
          shutdownGraceTime: '10s',
        }),
      );
    }
  } catch (e) {
    await closeAll();
    throw e;
  }
  const done = Promise.all(workers.map((w) => w.run())).then(closeAll, async (e) => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await closeAll();
    throw e;
  });
  let stopping: Promise<void> | undefined;
  return {
    services,
    done,
    shutdown: () => {
      stopping ??= (async () => {
        for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
        await done;
      })();
      return stopping;
    },
  };
}
