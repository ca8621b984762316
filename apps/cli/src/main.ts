#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runBackfill } from './commands/backfill.js';
import { runCheck } from './commands/check.js';
import { runDemo } from './commands/demo.js';
import { runEmulators } from './commands/emulators.js';
import { runSync } from './commands/sync.js';
import { UsageError } from './usage.js';

export const USAGE = `Usage: cx-profile-sync <command>

  sync conversation <conversationId> [options]   sync the customer of a Genesys Cloud conversation
  sync contact <externalContactId> [options]      sync a Genesys Cloud external contact
      --target cxone|cognigy|all   targets to write (default: all configured)
      --cxone-customer <id>        the CXone customer id (default: found by phone, then email)
      --cognigy-profile <id>       the Cognigy profile id (default: found by contact ids)
      --no-create                  do not create a missing Cognigy profile
      --mapping <file>             a JSON mapping file (rename, drop, default, type)
      --dry-run                    show what would be written, write nothing
      --json                       print one JSON object
  backfill --since <ISO> --until <ISO> [--target …] [--concurrency N] [--dry-run] [--json]
                                   sync every customer of the conversations in an interval
  check [--json]                   check each configured platform's host, credentials and permissions
  emulators [options]              run the local emulators (see: emulators --help)
  demo [--customers N] [--json]    start the emulators and sync their sample customers

Configuration comes from the environment (and a .env file): GENESYS_REGION or GENESYS_API_URL and
GENESYS_LOGIN_URL, GENESYS_CLIENT_ID, GENESYS_CLIENT_SECRET; CXONE_ISSUER, CXONE_CLIENT_ID,
CXONE_CLIENT_SECRET, CXONE_ACCESS_KEY_ID, CXONE_ACCESS_KEY_SECRET (CXONE_API_URL, CXONE_DFO_URL);
COGNIGY_API_URL, COGNIGY_API_KEY, COGNIGY_PROJECT_ID.

Exit status: 0 done; 2 usage or configuration; 3 authentication or permission; 4 customer not found;
5 validation (nothing written); 6 a platform unavailable or still limiting after retries.`;

/** Runs one command and returns its exit status. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'sync':
        return await runSync(rest);
      case 'backfill':
        return await runBackfill(rest);
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
        console.log(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`cx-profile-sync: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(`cx-profile-sync: ${(e as Error)?.message ?? e}`);
      process.exitCode = 1;
    },
  );
}
