import { RateLimitedError, type SyncError, TransientError } from '../errors/errors.js';

/** The one retry policy: exponential backoff with full jitter and a cap; Retry-After obeyed. */
export interface RetryPolicy {
  /** Tries in all, the first included. */
  maxAttempts: number;
  /** Backoff base: the first retry waits up to this long. */
  baseDelayMs: number;
  /** No backoff wait is longer than this (a Retry-After may be: it is never shortened). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 20_000 };

/** Codes of network failures where the request never reached the server. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Whether a failed request may be sent again. Only retryable errors qualify, and a request that is not
 * idempotent (a create) is repeated only when it certainly did not take effect: a 429, or a connection
 * that was never made. Otherwise its caller must check for the created thing first.
 */
export function isSafeToRepeat(error: SyncError, idempotent: boolean): boolean {
  if (!error.retryable) return false;
  if (idempotent) return true;
  if (error instanceof RateLimitedError) return true;
  return (
    error instanceof TransientError && error.status === undefined && NEVER_SENT_CODES.has(error.code ?? '')
  );
}

/**
 * How long to wait before try number `attempt + 1` (attempt counts from 1). A Retry-After wins and is
 * used as it is; otherwise full jitter: a uniform wait in [0, min(cap, base·2^(attempt−1))].
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  error: SyncError,
  random: () => number,
): number {
  if (error instanceof RateLimitedError && error.retryAfterMs !== undefined) return error.retryAfterMs;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

export function validateRetryPolicy(p: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(p.maxAttempts) || p.maxAttempts < 1)
    throw new Error('maxAttempts must be an integer >= 1');
  if (!(p.baseDelayMs >= 0) || !(p.maxDelayMs >= p.baseDelayMs))
    throw new Error('delays must satisfy 0 <= baseDelayMs <= maxDelayMs');
  return p;
}
