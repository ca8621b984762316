import { networkFailure, parseRetryAfter } from '../errors/classify.js';
import { isSyncError, RateLimitedError, type SyncError } from '../errors/errors.js';
import { type Clock, systemClock } from '../retry/clock.js';
import { DEFAULT_RETRY_POLICY, isSafeToRepeat, type RetryPolicy, retryDelayMs } from '../retry/policy.js';
import type { TokenBucketLimiter } from '../retry/rate-limiter.js';
import type { HttpRequest, HttpResponse, Transport } from './types.js';

/** A source of bearer tokens (or API keys) for one credential. */
export interface Authenticator {
  /** The current token, fetched or refreshed as needed. */
  token(signal?: AbortSignal): Promise<string>;
  /** Called when the platform answered 401 to `token`: forget it. */
  invalidate(token: string): Promise<void>;
  /** False for static API keys: a 401 then cannot be cured by a new token. */
  readonly refreshable: boolean;
}

export interface RetryEvent {
  request: { platform: HttpRequest['platform']; operation: string; method: string };
  attempt: number;
  delayMs: number;
  error: SyncError;
}

/** What every call needs: how to send, how to retry, and how time passes. */
export interface CallContext {
  transport: Transport;
  retry?: RetryPolicy;
  clock?: Clock;
  random?: () => number;
  signal?: AbortSignal;
  timeoutMs?: number;
  onRetry?: (event: RetryEvent) => void;
  /** Counts every request sent, by platform (benchmarks read it). */
  onRequest?: (request: HttpRequest, response: HttpResponse | undefined) => void;
}

export interface CallSpec<T> {
  /** Builds the request for a token (or none for unauthenticated calls). */
  build: (token: string | undefined) => HttpRequest;
  /** Reads the answer, throwing the taxonomy's errors. */
  read: (request: HttpRequest, response: HttpResponse) => T | Promise<T>;
  auth?: Authenticator;
  /** Client-side limiters to pass before each send (credential-wide, then per customer…). */
  limiters?: TokenBucketLimiter[];
}

/**
 * Sends one logical request: waits for the limiters, adds the token, retries what is safe to repeat
 * with the one retry policy (Retry-After obeyed as sent), and on a 401 fetches a new token and tries
 * once more.
 */
export async function call<T>(ctx: CallContext, spec: CallSpec<T>): Promise<T> {
  const policy = ctx.retry ?? DEFAULT_RETRY_POLICY;
  const clock = ctx.clock ?? systemClock;
  const random = ctx.random ?? Math.random;
  let tokenRefreshed = false;
  for (let attempt = 1; ; attempt++) {
    for (const l of spec.limiters ?? []) await l.acquire(ctx.signal);
    const token = spec.auth ? await spec.auth.token(ctx.signal) : undefined;
    const request = spec.build(token);
    let response: HttpResponse | undefined;
    try {
      response = await ctx.transport.send(request, {
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
      });
    } catch (e) {
      if (ctx.signal?.aborted) throw ctx.signal.reason ?? e;
      ctx.onRequest?.(request, undefined);
      await backOffOrThrow(networkFailure(request, e), attempt, request);
      continue;
    }
    ctx.onRequest?.(request, response);
    if (response.status === 401 && spec.auth?.refreshable && token !== undefined && !tokenRefreshed) {
      // The token was revoked or expired early: drop it, fetch a new one, try once more.
      tokenRefreshed = true;
      await spec.auth.invalidate(token);
      attempt--;
      continue;
    }
    try {
      return await spec.read(request, response);
    } catch (e) {
      if (!isSyncError(e)) throw e;
      let waitMs: number | undefined;
      if (e instanceof RateLimitedError) {
        for (const l of spec.limiters ?? []) l.drain();
        // Read an HTTP-date Retry-After against our own clock.
        waitMs = parseRetryAfter(response.headers['retry-after'], clock.now());
      }
      await backOffOrThrow(e, attempt, request, waitMs);
    }
  }

  async function backOffOrThrow(error: SyncError, attempt: number, r: HttpRequest, retryAfterMs?: number) {
    if (attempt >= policy.maxAttempts || !isSafeToRepeat(error, r.idempotent)) throw error;
    const delayMs = retryAfterMs ?? retryDelayMs(policy, attempt, error, random);
    ctx.onRetry?.({
      request: { platform: r.platform, operation: r.operation, method: r.method },
      attempt,
      delayMs,
      error,
    });
    await clock.sleep(delayMs, ctx.signal);
  }
}
