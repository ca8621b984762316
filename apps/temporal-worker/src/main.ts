#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  exitCodeFor,
  exitCodeForKind,
  isSyncError,
  type SyncResult,
  type TargetName,
} from '@cx-profile-sync/core';
import { Runtime } from '@temporalio/worker';
import {
  connectClient,
  createSchedule,
  deleteSchedule,
  listSchedules,
  queryProgress,
  registerSearchAttributes,
  rootCause,
  startBackfill,
  startSync,
  type TemporalClient,
  TemporalUnavailableError,
  workflowStatus,
} from './client.js';
import { loadDotEnv, loadWorkerConfig, type WorkerConfig } from './config.js';
import { formatBackfill, formatProgress, formatSyncResult, kindOfFailureType } from './report.js';
import type { BackfillStatus, Targets } from './shared.js';
import { installRuntime, startWorker } from './worker.js';

export const USAGE = `Usage: pnpm --silent worker <command>
  start                            run a worker until SIGTERM or SIGINT (workflows and activities)
  sync conversation <id> [--target cxone|cognigy|all] [--dry-run] [--rerun] [--json]
                                   sync one conversation's customer as a workflow and print its result
  backfill --since <ISO> --until <ISO> [--wait] [--target …] [--concurrency N] [--page-size N]
           [--dry-run] [--rerun] [--json]
                                   back-fill every customer of the conversations in an interval
  schedule create [--id ID] [--every MIN] [--overlap MIN] [--target …] [--concurrency N]
  schedule list [--json]
  schedule delete [--id ID]        incremental syncs: every MIN minutes, the last window plus an overlap
  status <workflowId>              a workflow's state, progress or result, as JSON
  demo [--customers N]             start the emulators, a Temporal dev server and a worker; back-fill the sample data
  bench [--conversations N]        one worker's back-fill throughput with the emulators' limits off

Configuration: the CLI's variables (GENESYS_*, CXONE_*, COGNIGY_*) plus TEMPORAL_ADDRESS (default
127.0.0.1:7233), TEMPORAL_NAMESPACE (default), TEMPORAL_TASK_QUEUE (cx-profile-sync),
TEMPORAL_METRICS_ADDRESS, TEMPORAL_{GENESYS,CXONE,COGNIGY}_ACTIVITIES_PER_SECOND; the CLI's
CX_RATE_LIMITS=off and CX_RATE_LIMIT_SCALE apply to the task-queue rates as to the client-side limits.
Exit status: 0 done; 2 usage or configuration; 3 authentication or permission; 4 not found;
5 validation; 6 a platform unavailable, still limiting, or customers that failed.`;

export class UsageError extends Error {}

function targetArg(value: string | undefined): Targets {
  const t = value ?? 'all';
  if (t !== 'cxone' && t !== 'cognigy' && t !== 'all')
    throw new UsageError(`--target must be cxone, cognigy or all, got "${t}"`);
  return t as TargetName | 'all';
}

function intArg(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

function isoArg(name: string, value: string | undefined): string {
  if (!value) throw new UsageError(`backfill needs --${name} <ISO date-time>`);
  if (Number.isNaN(Date.parse(value))) throw new UsageError(`--${name} is not an ISO date-time: "${value}"`);
  return new Date(value).toISOString();
}

function config(): WorkerConfig {
  loadDotEnv();
  return loadWorkerConfig(process.env);
}

async function withClient<T>(run: (c: TemporalClient) => Promise<T>): Promise<T> {
  const c = await connectClient(config().temporal);
  try {
    return await run(c);
  } finally {
    await c.close();
  }
}

async function runStart(): Promise<number> {
  const cfg = config();
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

async function runSync(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      rerun: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const [what, id, ...extra] = positionals;
  if (what !== 'conversation' || !id || extra.length) throw new UsageError('usage: sync conversation <id>');
  const targets = targetArg(values.target);
  return withClient(async (c) => {
    const run = await startSync(
      c,
      { conversationId: id, targets, dryRun: values['dry-run'] },
      { rerun: values.rerun },
    );
    if (!values.json && run.started)
      console.error(
        `${run.workflowId}: started; its result comes once a worker runs it (pnpm --silent worker start)`,
      );
    let result: SyncResult;
    try {
      result = await run.result();
    } catch (e) {
      const cause = rootCause(e);
      if (values.json) console.log(JSON.stringify({ workflowId: run.workflowId, error: cause }));
      else
        console.error(
          `cx-profile-sync-worker: ${run.workflowId} failed: ${cause.type ?? 'error'}: ${cause.message}`,
        );
      return exitCodeForKind(kindOfFailureType(cause.type));
    }
    if (values.json) console.log(JSON.stringify(result));
    else {
      if (!run.started) console.log(`(already synced by ${run.workflowId}; --rerun syncs again)`);
      for (const line of formatSyncResult(result)) console.log(line);
    }
    return exitCodeFor(result);
  });
}

async function runBackfill(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      since: { type: 'string' },
      until: { type: 'string' },
      target: { type: 'string' },
      concurrency: { type: 'string' },
      'page-size': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      rerun: { type: 'boolean', default: false },
      wait: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const since = isoArg('since', values.since);
  const until = isoArg('until', values.until);
  if (since >= until) throw new UsageError('--since must be before --until');
  const concurrency = intArg('concurrency', values.concurrency, 1, 100);
  const pageSize = intArg('page-size', values['page-size'], 100, 1000);
  const targets = targetArg(values.target);
  return withClient(async (c) => {
    const run = await startBackfill(
      c,
      {
        since,
        until,
        targets,
        dryRun: values['dry-run'],
        ...(concurrency ? { concurrency } : {}),
        ...(pageSize ? { pageSize } : {}),
      },
      { rerun: values.rerun },
    );
    if (!values.wait) {
      if (values.json) console.log(JSON.stringify({ workflowId: run.workflowId, started: run.started }));
      else
        console.log(
          `${run.started ? 'Started' : 'Already started (or done)'}: ${run.workflowId}\n  progress: pnpm --silent worker status ${run.workflowId}`,
        );
      return 0;
    }
    const final = await waitWithProgress(c, run.workflowId, run.result, values.json);
    if (typeof final === 'number') return final;
    if (values.json) console.log(JSON.stringify(final));
    else for (const line of formatBackfill(final)) console.log(line);
    return final.progress.outcomes.failed > 0 ? 6 : 0;
  });
}

/** Waits for a back-fill, printing its progress to stderr whenever it changes. */
export async function waitWithProgress(
  c: TemporalClient,
  workflowId: string,
  result: () => Promise<BackfillStatus>,
  quiet: boolean,
  intervalMs = 1000,
): Promise<BackfillStatus | number> {
  let settled = false;
  const done = result().finally(() => {
    settled = true;
  });
  done.catch(() => undefined);
  let last = '';
  while (!settled) {
    await Promise.race([done.catch(() => undefined), new Promise((r) => setTimeout(r, intervalMs))]);
    if (settled || quiet) continue;
    try {
      const s = await queryProgress(c, workflowId);
      const line = `${s.phase}: ${formatProgress(s.progress)}`;
      if (line !== last) console.error(line);
      last = line;
    } catch {
      // Between two runs (continue-as-new) or before the first task: ask again next time.
    }
  }
  try {
    return await done;
  } catch (e) {
    const cause = rootCause(e);
    console.error(`cx-profile-sync-worker: ${workflowId} failed: ${cause.type ?? 'error'}: ${cause.message}`);
    return exitCodeForKind(kindOfFailureType(cause.type));
  }
}

async function runStatus(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  const [id, ...extra] = positionals;
  if (!id || extra.length) throw new UsageError('usage: status <workflowId>');
  return withClient(async (c) => {
    console.log(JSON.stringify(await workflowStatus(c, id), null, 2));
    return 0;
  });
}

async function runSchedule(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      id: { type: 'string', default: 'incremental-sync' },
      every: { type: 'string', default: '15' },
      overlap: { type: 'string', default: '5' },
      target: { type: 'string' },
      concurrency: { type: 'string' },
      'page-size': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [action, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  return withClient(async (c) => {
    switch (action) {
      case 'create': {
        const everyMinutes = intArg('every', values.every, 1, 24 * 60)!;
        const overlapMinutes = intArg('overlap', values.overlap, 0, 24 * 60)!;
        const concurrency = intArg('concurrency', values.concurrency, 1, 100);
        const pageSize = intArg('page-size', values['page-size'], 100, 1000);
        await createSchedule(c, {
          scheduleId: values.id,
          everyMinutes,
          overlapMinutes,
          targets: targetArg(values.target),
          ...(concurrency ? { concurrency } : {}),
          ...(pageSize ? { pageSize } : {}),
        });
        console.log(
          `Schedule ${values.id}: every ${everyMinutes} min, a back-fill of the last ${everyMinutes + overlapMinutes} min`,
        );
        return 0;
      }
      case 'list': {
        const schedules = await listSchedules(c);
        if (values.json) console.log(JSON.stringify(schedules));
        else if (schedules.length === 0) console.log('No schedules');
        else
          for (const s of schedules)
            console.log(
              `${s.scheduleId}: ${s.workflowType ?? '?'} every ${s.everyMinutes ?? '?'} min${s.paused ? ' (paused)' : ''}, next ${s.nextRuns[0] ?? '-'}`,
            );
        return 0;
      }
      case 'delete':
        await deleteSchedule(c, values.id);
        console.log(`Schedule ${values.id} deleted`);
        return 0;
      default:
        throw new UsageError('usage: schedule create|list|delete');
    }
  });
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start':
        return await runStart();
      case 'sync':
        return await runSync(rest);
      case 'backfill':
        return await runBackfill(rest);
      case 'status':
        return await runStatus(rest);
      case 'schedule':
        return await runSchedule(rest);
      case 'demo':
        return await (await import('./demo.js')).runDemo(rest);
      case 'bench':
        return await (await import('./bench.js')).runBench(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string })?.code?.startsWith?.('ERR_PARSE_ARGS')) {
      console.error(`cx-profile-sync-worker: ${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (isSyncError(e)) {
      console.error(`cx-profile-sync-worker: ${e.message}`);
      return exitCodeForKind(e.kind);
    }
    if (e instanceof TemporalUnavailableError) {
      console.error(`cx-profile-sync-worker: ${e.message}`);
      return 6;
    }
    console.error(`cx-profile-sync-worker: ${(e as Error)?.message ?? String(e)}`);
    return 1;
  }
}

const invoked = process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invoked) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
