/**
 * The retry ledger: customers whose last outcome on a target was a retryable failure (a rate limit,
 * an outage) are read again from the source and synced to that target once more.
 */
import type { SyncServices } from '../compose.js';
import type { LedgerStore } from '../ledger/store.js';
import type { TargetName } from '../platforms.js';
import type { SourceCustomer } from '../sources/types.js';
import { asSyncError, type SyncLedger, syncTarget } from './plan.js';
import type { Outcome } from './result.js';

export interface RetriedCustomer {
  customerKey: string;
  target: TargetName;
  /** Where the customer was read again (a Genesys conversation or external contact id). */
  sourceId?: string;
  outcome: Outcome;
  /** Failed attempts so far (0 once it succeeded). */
  attempts: number;
  /** Why it failed, when it did again. */
  message?: string;
}

export interface RetryReport {
  retried: RetriedCustomer[];
  /** How many succeeded this time. */
  succeeded: number;
  /** How many failed again (their attempts counted up). */
  failed: number;
}

/**
 * Retries the ledger's retryable failures on the given targets, oldest first: the customer is read
 * again from the source (its last conversation) and synced to the target that failed.
 */
export async function retryFailures(
  services: SyncServices,
  ledger: { store: LedgerStore; sync: SyncLedger },
  which: TargetName | 'all' = 'all',
): Promise<RetryReport> {
  const targets = services.targets(which);
  const report: RetryReport = { retried: [], succeeded: 0, failed: 0 };
  for (const target of targets) {
    for (const entry of await ledger.store.retryable(services.ledgerTarget(target.name))) {
      const line: RetriedCustomer = {
        customerKey: entry.customerKey,
        target: target.name,
        outcome: 'failed',
        attempts: entry.attempts,
      };
      report.retried.push(line);
      const source = entry.source;
      if (source?.kind !== 'conversation' && source?.kind !== 'external-contact') {
        // Nothing to read it again from (recorded without a source): counted, never dropped silently.
        line.message = 'the ledger has no conversation or contact to read this customer again from';
        report.failed++;
        continue;
      }
      line.sourceId = source.id;
      let customer: SourceCustomer;
      try {
        customer =
          source.kind === 'conversation'
            ? await services.genesys.customerFromConversation(source.id)
            : await services.genesys.customerFromContact(source.id);
      } catch (e) {
        // The source could not be read: the target's entry stays as it was.
        line.message = `reading ${source.kind} ${source.id} again failed: ${asSyncError(e).message}`;
        report.failed++;
        continue;
      }
      const result = await syncTarget(customer, target, {}, ledger.sync);
      line.outcome = result.outcome;
      if (result.outcome === 'failed') {
        line.attempts = entry.attempts + 1;
        line.message = result.error?.message ?? 'failed';
        report.failed++;
      } else {
        line.attempts = 0;
        report.succeeded++;
      }
    }
  }
  return report;
}
