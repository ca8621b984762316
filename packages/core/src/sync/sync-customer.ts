import { isSyncError, UpstreamError } from '../errors/errors.js';
import type { SourceCustomer } from '../sources/types.js';
import { planChanges } from './changes.js';
import { errorSummary, type SyncResult, sourceSummary, type TargetResult } from './result.js';
import type { SyncTarget } from './target.js';

export interface SyncOptions {
  dryRun?: boolean;
  /** Explicit target ids (CXone customer id, Cognigy profile id) instead of finding by identity. */
  customerIds?: Partial<Record<SyncTarget['name'], string>>;
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
  const results = await Promise.all(targets.map((t) => syncToTarget(customer, t, options)));
  return {
    source: sourceSummary(customer),
    targets: results,
  };
}

async function syncToTarget(
  customer: SourceCustomer,
  target: SyncTarget,
  options: SyncOptions,
): Promise<TargetResult> {
  const result: TargetResult = {
    target: target.name,
    outcome: 'failed',
    written: {},
    unchanged: [],
    skipped: [],
  };
  try {
    const { values, skipped } = await target.convert(customer);
    result.skipped = skipped;
    const found = await target.find(customer, options.customerIds?.[target.name]);
    if (!found.found && !found.creates) {
      result.outcome = 'customer-not-found';
      result.reason = found.reason;
      return result;
    }
    if (found.found) result.customerId = found.found.id;
    const { changes, unchanged } = planChanges(values, found.found?.current ?? {});
    result.unchanged = unchanged;
    result.written = changes;
    const nothingToDo = Object.keys(changes).length === 0 && found.found !== undefined;
    if (nothingToDo) {
      result.outcome = 'unchanged';
    } else if (options.dryRun) {
      result.outcome = 'dry-run';
      if (!found.found) result.reason = found.reason;
    } else {
      const written = await target.write(customer, found.found, changes);
      result.customerId = written.id;
      if (written.created) result.created = true;
      result.outcome = 'updated';
    }
    return result;
  } catch (e) {
    const err = isSyncError(e)
      ? e
      : new UpstreamError(`unexpected error: ${(e as Error)?.message ?? String(e)}`);
    result.outcome = 'failed';
    result.written = {};
    result.error = errorSummary(err);
    return result;
  }
}
