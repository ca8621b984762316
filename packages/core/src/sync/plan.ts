/**
 * One customer's sync on one target, in two steps that every host calls: `planTarget` (convert,
 * find, compare: a plain-data plan that can cross a process or a Temporal history) and `applyPlan`
 * (write what the plan says). `syncCustomer` is both, for each target.
 */
import { isSyncError, type SyncError, UpstreamError } from '../errors/errors.js';
import type { SourceCustomer } from '../sources/types.js';
import { planChanges } from './changes.js';
import { errorSummary, type TargetResult } from './result.js';
import type { SyncTarget, TargetRecord } from './target.js';

export interface PlanOptions {
  dryRun?: boolean;
  /** The target's own id of the customer (CXone customer id, Cognigy profile id) instead of finding it. */
  recordId?: string;
}

/** What to do on one target: the result so far and, when something must be written, what and where. */
export interface TargetPlan {
  result: TargetResult;
  /** Absent when nothing is to be written (unchanged, not found, dry run, failed). */
  write?: { recordId?: string; changes: Record<string, unknown> };
}

/** Any error as the taxonomy's (an unexpected one becomes an UpstreamError). */
export function asSyncError(e: unknown): SyncError {
  return isSyncError(e) ? e : new UpstreamError(`unexpected error: ${(e as Error)?.message ?? String(e)}`);
}

/** A target's result for an error: failed, nothing written (what was learnt before it is kept). */
export function failedResult(target: string, e: unknown, partial?: TargetResult): TargetResult {
  return {
    unchanged: [],
    skipped: [],
    ...partial,
    target,
    outcome: 'failed',
    written: {},
    error: errorSummary(asSyncError(e)),
  };
}

/**
 * Converts the customer's attributes for the target, finds their record and compares: says what to
 * write, or the final outcome when nothing is to be written. Throws the taxonomy's errors (a host
 * with durable retries retries them; `syncTarget` records them).
 */
export async function planTarget(
  customer: SourceCustomer,
  target: SyncTarget,
  options: PlanOptions = {},
): Promise<TargetPlan> {
  return planInto(newResult(target.name), customer, target, options);
}

const newResult = (target: string): TargetResult => ({
  target,
  outcome: 'updated',
  written: {},
  unchanged: [],
  skipped: [],
});

/** `planTarget`, filling `result` as it goes, so that a failure keeps what was learnt. */
async function planInto(
  result: TargetResult,
  customer: SourceCustomer,
  target: SyncTarget,
  options: PlanOptions,
): Promise<TargetPlan> {
  const { values, skipped } = await target.convert(customer);
  result.skipped = skipped;
  const found = await target.find(customer, options.recordId);
  if (!found.found && !found.creates) {
    result.outcome = 'customer-not-found';
    result.reason = found.reason;
    return { result };
  }
  if (found.found) result.customerId = found.found.id;
  if (found.found && found.skip !== undefined) {
    result.outcome = 'skipped';
    result.reason = found.skip;
    return { result };
  }
  const { changes, unchanged } = planChanges(values, found.found?.current ?? {});
  result.unchanged = unchanged;
  result.written = changes;
  if (Object.keys(changes).length === 0 && found.found) {
    result.outcome = 'unchanged';
    return { result };
  }
  // Refused as a whole before anything is sent (a dry run shows the refusal too).
  target.checkWrite?.(found.found, changes);
  if (options.dryRun) {
    result.outcome = 'dry-run';
    if (!found.found) result.reason = found.reason;
    return { result };
  }
  return { result, write: { ...(found.found ? { recordId: found.found.id } : {}), changes } };
}

export interface ApplyOptions {
  /**
   * This write was tried before and may have reached the platform (a Temporal activity's retry): a
   * create first looks for the record the earlier try may have made, and only completes it.
   */
  retried?: boolean;
}

/**
 * Writes what a plan says and returns the target's final result. Throws the taxonomy's errors, so
 * that a host with durable retries (Temporal) can retry the write; `syncCustomer` records them.
 */
export async function applyPlan(
  customer: SourceCustomer,
  target: SyncTarget,
  plan: TargetPlan,
  options: ApplyOptions = {},
): Promise<TargetResult> {
  if (!plan.write) return plan.result;
  const planned = nullPrototype(plan.write.changes);
  const done = (id: string, created: boolean): TargetResult => ({
    ...plan.result,
    outcome: 'updated',
    customerId: id,
    written: planned,
    ...(created ? { created: true } : {}),
  });
  if (!plan.write.recordId && options.retried) {
    const found = await target.find(customer);
    if (found.found && found.skip !== undefined) {
      // Found now, and not to be written (consent): nothing is created or written.
      return {
        ...plan.result,
        outcome: 'skipped',
        customerId: found.found.id,
        written: {},
        reason: found.skip,
      };
    }
    if (found.found) {
      const { changes } = planChanges(planned, found.found.current);
      if (Object.keys(changes).length > 0) await target.write(customer, found.found, changes);
      return done(found.found.id, true);
    }
  }
  const record: TargetRecord | undefined = plan.write.recordId
    ? { id: plan.write.recordId, current: {} }
    : undefined;
  const written = await target.write(customer, record, planned);
  return done(written.id, written.created);
}

/** Plan then apply; an error in either is the target's failed result (the other targets go on). */
export async function syncTarget(
  customer: SourceCustomer,
  target: SyncTarget,
  options: PlanOptions = {},
): Promise<TargetResult> {
  const result = newResult(target.name);
  try {
    return await applyPlan(customer, target, await planInto(result, customer, target, options));
  } catch (e) {
    return failedResult(target.name, e, result);
  }
}

/**
 * Values that crossed a process or a Temporal history come back as plain objects: rebuild the map
 * without a prototype, so keys such as `__proto__` stay data (as the core's own maps do).
 */
function nullPrototype(o: Record<string, unknown>): Record<string, unknown> {
  const m: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(o))
    Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
  return m;
}
