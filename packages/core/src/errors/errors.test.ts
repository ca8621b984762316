import { describe, expect, it } from 'vitest';
import {
  ERROR_CLASSES,
  ERROR_KINDS,
  errorKindOfClassName,
  NotFoundError,
  nonRetryableClassNames,
  RateLimitedError,
  syncErrorFromJSON,
} from './errors.js';

describe('the one list of error classes', () => {
  it('gives each kind its class, whose errors say that kind', () => {
    for (const kind of ERROR_KINDS) expect(new ERROR_CLASSES[kind]('x').kind).toBe(kind);
  });

  it('reads a kind back from a class name, and only from the taxonomy’s', () => {
    expect(errorKindOfClassName('NotFoundError')).toBe('not-found');
    expect(errorKindOfClassName('RateLimitedError')).toBe('rate-limited');
    expect(errorKindOfClassName('TypeError')).toBeUndefined();
    expect(errorKindOfClassName(undefined)).toBeUndefined();
  });

  it('names the classes repeating cannot cure', () => {
    expect(nonRetryableClassNames()).toEqual([
      'ConfigurationError',
      'AuthenticationError',
      'PermissionError',
      'NotFoundError',
      'ValidationError',
      'UpstreamError',
    ]);
  });

  it('rebuilds an error from its JSON form with its class and details', () => {
    const e = syncErrorFromJSON(
      new RateLimitedError('slow down', { platform: 'cognigy', retryAfterMs: 1200 } as never).toJSON(),
    );
    expect(e).toBeInstanceOf(RateLimitedError);
    expect(e.platform).toBe('cognigy');
    expect(syncErrorFromJSON({ kind: 'not-found', message: 'gone' })).toBeInstanceOf(NotFoundError);
    expect(syncErrorFromJSON({ kind: 'nonsense', message: 'x' }).kind).toBe('upstream');
  });
});
