import {
  AuthenticationError,
  ConfigurationError,
  failedResult,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  type SyncError,
  TransientError,
  UpstreamError,
  ValidationError,
} from '@cx-profile-sync/core';
import {
  ActivityFailure,
  ApplicationFailure,
  RetryState,
  TimeoutFailure,
  TimeoutType,
} from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { errorSummaryOf, NON_RETRYABLE_TYPES, syncErrorOf, toApplicationFailure } from './failures.js';

const details = { platform: 'cxone' as const, status: 400, code: 'bad', correlationId: 'corr-1' };

describe('toApplicationFailure', () => {
  const cases: [SyncError, boolean][] = [
    [new ConfigurationError('no target'), true],
    [new AuthenticationError('bad key', details), true],
    [new PermissionError('no role', details), true],
    [new NotFoundError('gone', details), true],
    [new ValidationError('bad field', { ...details, fields: [{ field: 'f', message: 'm' }] }), true],
    [new UpstreamError('garbled', details), true],
    [new TransientError('503', { ...details, status: 503 }), false],
    [new RateLimitedError('429', { ...details, status: 429, retryAfterMs: 7000 }), false],
  ];
  for (const [error, nonRetryable] of cases) {
    it(`${error.name}: type ${error.name}, ${nonRetryable ? 'not retried' : 'retried'}`, () => {
      const f = toApplicationFailure(error) as ApplicationFailure;
      expect(f).toBeInstanceOf(ApplicationFailure);
      expect(f.type).toBe(error.name);
      expect(f.nonRetryable).toBe(nonRetryable);
      expect(f.message).toBe(error.message);
      expect(f.details).toEqual([error.toJSON()]);
      expect(NON_RETRYABLE_TYPES.includes(error.name)).toBe(nonRetryable);
    });
  }

  it('retries a 429 after exactly its Retry-After, and others after the backoff', () => {
    const limited = toApplicationFailure(
      new RateLimitedError('429', { retryAfterMs: 7000 }),
    ) as ApplicationFailure;
    expect(limited.nextRetryDelay).toBe(7000);
    const noHeader = toApplicationFailure(new RateLimitedError('429')) as ApplicationFailure;
    expect(noHeader.nextRetryDelay).toBeUndefined();
    const transient = toApplicationFailure(new TransientError('503')) as ApplicationFailure;
    expect(transient.nextRetryDelay).toBeUndefined();
  });

  it('leaves other errors to Temporal', () => {
    const e = new TypeError('bug');
    expect(toApplicationFailure(e)).toBe(e);
  });
});

describe('errorSummaryOf', () => {
  it('gives back the core’s error summary from an activity failure', () => {
    const app = toApplicationFailure(
      new ValidationError('bad field', { ...details, fields: [{ field: 'f', message: 'm' }] }),
    ) as ApplicationFailure;
    const failure = new ActivityFailure(
      'activity failed',
      'pushTarget',
      '1',
      RetryState.NON_RETRYABLE_FAILURE,
      'w',
      app,
    );
    expect(errorSummaryOf(failure)).toEqual({
      kind: 'validation',
      message: 'bad field',
      status: 400,
      code: 'bad',
      correlationId: 'corr-1',
    });
  });

  it('says when the last try timed out', () => {
    const timeout = new TimeoutFailure('timed out', undefined, TimeoutType.START_TO_CLOSE);
    const failure = new ActivityFailure(
      'activity failed',
      'planTarget',
      '1',
      RetryState.TIMEOUT,
      'w',
      timeout,
    );
    expect(errorSummaryOf(failure)).toMatchObject({ kind: 'transient' });
    expect(errorSummaryOf(failure).message).toContain('timed out');
  });
});

describe('syncErrorOf', () => {
  it('rebuilds the core’s error from an activity failure, so that the core makes the failed result', () => {
    const app = toApplicationFailure(
      new RateLimitedError('429', { platform: 'cognigy', status: 429, retryAfterMs: 2000 }),
    ) as ApplicationFailure;
    const failure = new ActivityFailure(
      'activity failed',
      'pushTarget',
      '1',
      RetryState.MAXIMUM_ATTEMPTS_REACHED,
      'w',
      app,
    );
    const error = syncErrorOf(failure);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.toJSON()).toEqual({
      kind: 'rate-limited',
      message: '429',
      platform: 'cognigy',
      status: 429,
      retryAfterMs: 2000,
    });
    expect(failedResult('cognigy', error)).toEqual({
      target: 'cognigy',
      outcome: 'failed',
      written: {},
      unchanged: [],
      skipped: [],
      error: { kind: 'rate-limited', message: '429', status: 429 },
    });
  });

  it('makes anything else an upstream error with its message', () => {
    const error = syncErrorOf(new TypeError('bug'));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.message).toBe('bug');
    const noDetails = syncErrorOf(ApplicationFailure.create({ message: 'plain', type: 'Whatever' }));
    expect(noDetails).toBeInstanceOf(UpstreamError);
    expect(noDetails.message).toBe('plain');
  });
});
