import type { TargetName } from '../platforms.js';
import type { SourceCustomer } from '../sources/types.js';
import { type SyncLedger, syncTarget } from './plan.js';
import { type SyncResult, sourceSummary } from './result.js';
import type { SyncTarget } from './target.js';

export interface SyncOptions {
  dryRun?: boolean;
  /** Explicit target ids (CXone customer id, Cognigy profile id) instead of finding by identity. */
  customerIds?: Partial<Record<TargetName, string>>;
  /** The sync ledger (see ledger/sync.ts): read before each target, told each outcome after. */
  ledger?: SyncLedger;
}

/**
 * Syncs one customer to each target: find the record, convert to the target's schema, write only
 * what changed (nothing when nothing did), or with dryRun only say what would be written. A target's
 * failure is recorded in its result and does not stop the other targets.
 */
export async function syncCustomer(
  customer: SourceCustomer,
  targets: SyncTarget[],
  options: SyncOptions = {},
): Promise<SyncResult> {
  const results = await Promise.all(
    targets.map((t) => {
      const recordId = options.customerIds?.[t.name];
      return syncTarget(
        customer,
        t,
        {
          ...(options.dryRun ? { dryRun: true } : {}),
          ...(recordId ? { recordId } : {}),
        },
        options.ledger,
      );
    }),
  );
  return { source: sourceSummary(customer), targets: results };
}
