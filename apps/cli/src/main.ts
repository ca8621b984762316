#!/usr/bin/env node
import {
  configurationUsage,
  isArgumentError,
  recordIdUsage,
  runWhenInvoked,
  targetChoices,
} from '@cx-profile-sync/core';
import { runBackfill } from './commands/backfill.js';
import { runCheck } from './commands/check.js';
import { runDemo } from './commands/demo.js';
import { runEmulators } from './commands/emulators.js';
import { runHistory } from './commands/history.js';
import { runLedger } from './commands/ledger.js';
import { runRetry } from './commands/retry.js';
import { runServe } from './commands/serve.js';
import { runStatus } from './commands/status.js';
import { runSync } from './commands/sync.js';
import { UsageError } from './usage.js';

/** The usage text; the targets, their options and the variables come from the registry of platforms. */
export function usage(): string {
  return `Usage: cx-profile-sync <command>

  sync conversation <conversationId> [options]   sync the customer of a Genesys Cloud conversation
  sync contact <externalContactId> [options]      sync a Genesys Cloud external contact
      ${`--target ${targetChoices()}`.padEnd(28)} targets to write (default: all configured)
${recordIdUsage('      ', 28)}
      --no-create                  do not create a missing Cognigy profile
      --mapping <file>             a JSON mapping file (rename, drop, default, type)
      --dry-run                    show what would be written, write nothing
      --verify                     read the target even when the ledger knows it; rewrite what differs
      --json                       print one JSON object
  backfill --since <ISO> --until <ISO> [--target …] [--concurrency N] [--dry-run] [--verify] [--json]
                                   sync every customer of the conversations in an interval, up to
                                   Genesys Cloud's analytics watermark (exit 7 when it ends sooner);
                                   retries the ledger's failures first; run again after a crash, resumes
  retry [--target …] [--json]      sync again the customers whose last sync failed and may succeed now
  history <key | phone | email> [--json]
                                   what was written to each target, when, to which record; every failure
  serve [--host 127.0.0.1] [--port 0] [--quiet-ms 2000] [--max-wait-ms 10000] [--concurrency 8]
        [--listen-notifications --queues <id,id>]
                                   live sync: take Genesys Cloud events (EventBridge API destination)
                                   at POST /events/genesys, sync each customer once their burst is over
                                   (CX_INTAKE_KEY, CX_INTAKE_HEADER); prints the URLs as a JSON line;
                                   with --listen-notifications also the queues' conversations over the
                                   Notifications API WebSocket (a time it was down is swept)
  status [--last N] [--json]       the inbox (events waiting for a sync), the last events, retries waiting
  ledger where | reset [--target <name>] --yes
                                   where the ledger is; forget what it knows (history kept)
  check [--json]                   check each configured platform's host, credentials and permissions
  emulators [options]              run the local emulators (see: emulators --help)
  demo [--customers N] [--json]    start the emulators and sync their sample customers
  demo --live                      live sync: emulated Genesys events in, NICE profiles updated as they land

Configuration comes from the environment (and a .env file); for each platform:
${configurationUsage()
  .split('\n')
  .map((line) => `  ${line}`)
  .join('\n')}
(optional: CXONE_API_URL, CXONE_DFO_URL, CX_RATE_LIMITS, CX_RATE_LIMIT_SCALE; see the README).
The ledger: CX_LEDGER (a file, default under ~/.local/state; a postgres:// URL; or off),
CX_LEDGER_VERIFY_DAYS (read a known record again after this many days; default 7; never).

Exit status: 0 done; 2 usage or configuration; 3 authentication or permission; 4 customer not found;
5 validation (nothing written); 6 a platform unavailable or still limiting after retries, or a
back-fill with failed customers; 7 a back-fill whose window Genesys Cloud's analytics data does not
reach yet (the rest is "remaining": run again later).`;
}

/** Runs one command and returns its exit status. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'sync':
        return await runSync(rest);
      case 'backfill':
        return await runBackfill(rest);
      case 'retry':
        return await runRetry(rest);
      case 'serve':
        return await runServe(rest);
      case 'status':
        return await runStatus(rest);
      case 'history':
        return await runHistory(rest);
      case 'ledger':
        return await runLedger(rest);
      case 'check':
        return await runCheck(rest);
      case 'emulators':
        return await runEmulators(rest);
      case 'demo':
        return await runDemo(rest);
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
      console.error(`cx-profile-sync: ${e.message}\n\n${usage()}`);
      return 2;
    }
    throw e;
  }
}

runWhenInvoked(import.meta.url, 'cx-profile-sync', main);
