#!/usr/bin/env node
import {
  exitCodeForKind,
  isArgumentError,
  isSyncError,
  platformDescriptors,
  runWhenInvoked,
  targetChoices,
} from '@cx-profile-sync/core';
import { TemporalUnavailableError } from './client.js';
import { UsageError } from './commands/args.js';
import { runBackfill } from './commands/backfill.js';
import { runIntake } from './commands/intake.js';
import { runRetry } from './commands/retry.js';
import { runSchedule } from './commands/schedule.js';
import { runStart } from './commands/start.js';
import { runStatus } from './commands/status.js';
import { runSync } from './commands/sync.js';
import { activitiesPerSecondVariable } from './config.js';

/** The usage text: the targets and the rate variables are the registered platforms'. */
export function usage(): string {
  const platforms = platformDescriptors().map((d) => d.name);
  const rateVariables = activitiesPerSecondVariable(`{${platforms.join(',')}}`);
  return `Usage: pnpm --silent worker <command>
  start                            run a worker until SIGTERM or SIGINT (workflows and activities)
  sync conversation <id> [--target ${targetChoices()}] [--dry-run] [--verify] [--rerun] [--json]
                                   sync one conversation's customer as a workflow and print its result
  backfill --since <ISO> --until <ISO> [--wait] [--target …] [--concurrency N] [--page-size N]
           [--dry-run] [--verify] [--rerun] [--json]
                                   back-fill every customer of the conversations in an interval
                                   (the ledger's retryable failures first)
  retry [--target …] [--json]      sync again the customers whose last sync failed and may succeed now
  intake [--host 127.0.0.1] [--port 0] [--quiet-ms 2000] [--max-wait-ms 10000]
         [--listen-notifications --queues <id,id>]
                                   live sync: Genesys Cloud events at POST /events/genesys become
                                   signals to one workflow per conversation (CX_INTAKE_KEY); prints the URLs
  schedule create [--id ID] [--every MIN] [--overlap MIN] [--target …] [--concurrency N]
  schedule list [--json]
  schedule delete [--id ID]        incremental syncs: every MIN minutes, the last window plus an overlap
  status <workflowId>              a workflow's state, progress or result, as JSON
  demo [--customers N]             start the emulators, a Temporal dev server and a worker; back-fill the sample data

Configuration: the CLI's variables (GENESYS_*, CXONE_*, COGNIGY_*) plus TEMPORAL_ADDRESS (default
127.0.0.1:7233), TEMPORAL_NAMESPACE (default), TEMPORAL_TASK_QUEUE (cx-profile-sync),
TEMPORAL_METRICS_ADDRESS, ${rateVariables}; the CLI's
CX_RATE_LIMITS=off and CX_RATE_LIMIT_SCALE apply to the task-queue rates as to the client-side limits;
the ledger's CX_LEDGER (a fleet of workers shares a postgres:// one) and CX_LEDGER_VERIFY_DAYS.
Exit status: 0 done; 2 usage or configuration; 3 authentication or permission; 4 not found;
5 validation; 6 a platform unavailable, still limiting, or customers that failed; 7 a back-fill
(--wait) cut short by Genesys Cloud's analytics watermark: run its "remaining" window later.`;
}

/** Runs one command and returns its exit status. */
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
      case 'retry':
        return await runRetry(rest);
      case 'intake':
        return await runIntake(rest);
      case 'schedule':
        return await runSchedule(rest);
      case 'demo':
        // Loaded only for the demo: it brings the emulators.
        return await (await import('./commands/demo.js')).runDemo(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(usage());
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    // Ours, the core's argument helpers' and node's parseArgs errors (unknown option …) alike.
    if (isArgumentError(e)) {
      console.error(`cx-profile-sync-worker: ${e.message}\n\n${usage()}`);
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

runWhenInvoked(import.meta.url, 'cx-profile-sync-worker', main);
