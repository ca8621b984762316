import { describe, expect, it } from 'vitest';
import { AuthenticationError, RateLimitedError, TransientError, ValidationError } from '../errors/errors.js';
import { DEFAULT_RETRY_POLICY, isSafeToRepeat, retryDelayMs } from './policy.js';

const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };

describe('retryDelayMs', () => {
  it('uses Retry-After exactly, even when it is longer than the cap', () => {
    const e = new RateLimitedError('limited', { retryAfterMs: 7000 });
    expect(retryDelayMs(policy, 1, e, () => 0)).toBe(7000);
    expect(retryDelayMs(policy, 4, e, () => 0.99)).toBe(7000);
  });

  it('draws full jitter from [0, base·2^(n−1)] and caps it', () => {
    const e = new TransientError('503');
    expect(retryDelayMs(policy, 1, e, () => 0.999)).toBe(99);
    expect(retryDelayMs(policy, 3, e, () => 0.5)).toBe(200);
    expect(retryDelayMs(policy, 10, e, () => 0.999)).toBe(999);
    expect(retryDelayMs(policy, 2, e, () => 0)).toBe(0);
  });

  it('backs off on a 429 without Retry-After like any transient error', () => {
    const e = new RateLimitedError('limited');
    expect(retryDelayMs(policy, 2, e, () => 0.5)).toBe(100);
  });

  it('has sane defaults', () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
    expect(DEFAULT_RETRY_POLICY.maxDelayMs).toBeGreaterThanOrEqual(DEFAULT_RETRY_POLICY.baseDelayMs);
  });
});

describe('isSafeToRepeat', () => {
  it('never repeats errors that will not change', () => {
    expect(isSafeToRepeat(new AuthenticationError('x'), true)).toBe(false);
    expect(isSafeToRepeat(new ValidationError('x'), true)).toBe(false);
  });

  it('repeats idempotent requests on transient errors and 429', () => {
    expect(isSafeToRepeat(new TransientError('x', { status: 503 }), true)).toBe(true);
    expect(isSafeToRepeat(new RateLimitedError('x'), true)).toBe(true);
  });

  it('repeats a create only when it surely did not take effect', () => {
    expect(isSafeToRepeat(new RateLimitedError('x', { status: 429 }), false)).toBe(true);
    expect(isSafeToRepeat(new TransientError('x', { code: 'ECONNREFUSED' }), false)).toBe(true);
    expect(isSafeToRepeat(new TransientError('x', { status: 503 }), false)).toBe(false);
    expect(isSafeToRepeat(new TransientError('x', { code: 'ECONNRESET' }), false)).toBe(false);
  });
});
