import { ArgumentError, isArgumentError, registerTarget, unregisterPlatform } from '@cx-profile-sync/core';
import { memo } from '@cx-profile-sync/core/testing/memo';
import { describe, expect, it } from 'vitest';
import { intArg, isoArg, targetArg, UsageError } from './args.js';

describe('targetArg', () => {
  it('takes a registered target or all (the default), and names the choices otherwise', () => {
    expect(targetArg(undefined)).toBe('all');
    expect(targetArg('cxone')).toBe('cxone');
    expect(targetArg('cognigy')).toBe('cognigy');
    expect(() => targetArg('memo')).toThrow(
      new ArgumentError('--target must be cxone, cognigy or all, got "memo"'),
    );
  });

  it('takes a target registered by a test too', () => {
    registerTarget(memo);
    try {
      expect(targetArg('memo')).toBe('memo');
      expect(() => targetArg('nope')).toThrow('--target must be cxone, cognigy, memo or all, got "nope"');
    } finally {
      unregisterPlatform('memo');
    }
  });
});

describe('intArg and isoArg', () => {
  it('refuse what they cannot use with a usage error (exit status 2)', () => {
    expect(intArg('concurrency', undefined, 1, 100)).toBeUndefined();
    expect(intArg('concurrency', '8', 1, 100)).toBe(8);
    expect(() => intArg('page-size', '50', 100, 1000)).toThrow(
      new UsageError('--page-size must be an integer from 100 to 1000, got "50"'),
    );
    expect(isoArg('since', '2026-11-01T01:00:00+01:00')).toBe('2026-11-01T00:00:00.000Z');
    const notADate = (() => {
      try {
        return isoArg('until', 'next tuesday');
      } catch (e) {
        return e;
      }
    })();
    expect(notADate).toBeInstanceOf(ArgumentError);
    expect(isArgumentError(notADate)).toBe(true);
  });
});
