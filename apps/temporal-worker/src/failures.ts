// The core's error taxonomy across the Temporal boundary, both ways. No I/O: workflows import this.
import {
  errorSummary,
  isSyncError,
  nonRetryableClassNames,
  type SyncError,
  syncErrorFromJSON,
  type TargetResult,
  TransientError,
  UpstreamError,
} from '@cx-profile-sync/core/pure';
import { ActivityFailure, ApplicationFailure, TemporalFailure, TimeoutFailure } from '@temporalio/common';

/** Failure types Temporal must not retry: the error classes whose `retryable` is false. */
export const NON_RETRYABLE_TYPES = nonRetryableClassNames();

/**
 * A SyncError as an ApplicationFailure: its class name as the type, its JSON form as the details,
 * not retryable when the taxonomy says so, and after a 429 the next try exactly when Retry-After
 * said (Temporal's backoff applies otherwise). Other errors are returned unchanged (Temporal retries them).
 */
export function toApplicationFailure(e: unknown): unknown {
  if (!isSyncError(e)) return e;
  const retryAfterMs =
    e.kind === 'rate-limited' ? (e as SyncError & { retryAfterMs?: number }).retryAfterMs : undefined;
  return ApplicationFailure.create({
    message: e.message,
    type: e.name,
    nonRetryable: !e.retryable,
    details: [e.toJSON()],
    ...(retryAfterMs !== undefined ? { nextRetryDelay: retryAfterMs } : {}),
  });
}

/** Runs an activity body, turning the core's errors into ApplicationFailures. */
export async function asActivity<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    throw toApplicationFailure(e);
  }
}

/**
 * The core's error from what a failed activity threw: the SyncError itself when it crossed as an
 * ApplicationFailure (rebuilt from its details), otherwise a transient error saying what Temporal
 * reported (a timeout after the last try, a cancellation).
 */
export function syncErrorOf(failure: unknown): SyncError {
  let cause: unknown = failure;
  if (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  if (cause instanceof ApplicationFailure) {
    const first = cause.details?.[0];
    const d = typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : {};
    // An unknown kind comes back as an UpstreamError.
    return syncErrorFromJSON({ ...d, message: typeof d.message === 'string' ? d.message : cause.message });
  }
  if (cause instanceof TimeoutFailure)
    return new TransientError(`the activity timed out (${cause.timeoutType}) on its last try`);
  if (cause instanceof TemporalFailure) return new TransientError(cause.message);
  return new UpstreamError(cause instanceof Error ? cause.message : String(cause));
}

/** The `error` of a TargetResult (the CLI's --json shape) from what a failed activity threw. */
export function errorSummaryOf(failure: unknown): NonNullable<TargetResult['error']> {
  return errorSummary(syncErrorOf(failure));
}
