import { parseArgs } from 'node:util';
import {
  createSyncServices,
  errorSummary,
  exitCodeForKind,
  isSyncError,
  loadConfig,
  loadDotEnv,
  type OpenedLedger,
  openSyncLedger,
  retryFailures,
  targetArg,
} from '@cx-profile-sync/core';
import { UsageError } from '../usage.js';

/**
 * Syncs again the customers whose last outcome on a target was a retryable failure (the ledger's
 * retry list), reading each from its last conversation. Exit 0 when all succeeded (or none was
 * waiting), 6 when some failed again (with their attempt counts).
 */
export async function runRetry(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string', default: 'all' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const target = targetArg(values.target);
  loadDotEnv();
  let services: ReturnType<typeof createSyncServices> | undefined;
  let ledger: OpenedLedger | undefined;
  try {
    services = createSyncServices(loadConfig(process.env));
    ledger = await openSyncLedger(process.env, services);
    if (!ledger) {
      console.error(
        'cx-profile-sync: the ledger is off (CX_LEDGER=off): there is no list of failures to retry',
      );
      return 2;
    }
  } catch (e) {
    if (!isSyncError(e)) throw e;
    console.error(`cx-profile-sync: ${e.message}`);
    return 2;
  } finally {
    if (!ledger) services?.close();
  }
  try {
    const report = await retryFailures(services!, ledger, target);
    if (values.json) console.log(JSON.stringify(report));
    else if (report.retried.length === 0) console.log('No failed customer is waiting for a retry.');
    else {
      for (const r of report.retried) {
        const why = r.message ? `: ${r.message}` : '';
        const tries = r.outcome === 'failed' ? ` (failed ${r.attempts} times)` : '';
        console.log(`  ${r.customerKey} → ${r.target}: ${r.outcome}${tries}${why}`);
      }
      console.log(
        `Retried ${report.retried.length}: ${report.succeeded} succeeded, ${report.failed} failed again.`,
      );
    }
    return report.failed > 0 ? 6 : 0;
  } catch (e) {
    if (!isSyncError(e)) throw e;
    if (values.json) console.log(JSON.stringify({ error: errorSummary(e) }));
    else console.error(`cx-profile-sync: ${e.message}`);
    return exitCodeForKind(e.kind);
  } finally {
    services!.close();
    await ledger.store.close();
  }
}
