import { type ParseArgsConfig, parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/errors.js';
import { registerTarget, unregisterPlatform } from '../registry.js';
import { memo } from '../testing/targets/memo/descriptor.js';
import {
  ArgumentError,
  configurationUsage,
  isArgumentError,
  isoArg,
  recordIdOptions,
  recordIdsOf,
  recordIdUsage,
  targetArg,
  targetChoices,
} from './args.js';

/** What node's parseArgs throws for these arguments (it throws for each case below). */
function parseArgsError(args: string[], options: ParseArgsConfig['options'] = {}): unknown {
  try {
    parseArgs({ args, options });
  } catch (e) {
    return e;
  }
  throw new Error(`parseArgs accepted ${args.join(' ')}`);
}

describe('isoArg', () => {
  it('normalises an ISO date-time to UTC', () => {
    expect(isoArg('since', '2026-11-01T01:00:00+01:00')).toBe('2026-11-01T00:00:00.000Z');
    expect(isoArg('until', '2026-11-02')).toBe('2026-11-02T00:00:00.000Z');
  });

  it('refuses a missing or unreadable value with an ArgumentError that names the option', () => {
    expect(() => isoArg('since', undefined)).toThrow(
      new ArgumentError('backfill needs --since <ISO date-time>'),
    );
    expect(() => isoArg('since', '')).toThrow(ArgumentError);
    expect(() => isoArg('until', 'next tuesday')).toThrow(
      new ArgumentError('--until is not an ISO date-time: "next tuesday"'),
    );
  });
});

describe('isArgumentError', () => {
  it('recognises ArgumentError and its subclasses', () => {
    class UsageError extends ArgumentError {}
    expect(isArgumentError(new ArgumentError('x'))).toBe(true);
    expect(isArgumentError(new UsageError('x'))).toBe(true);
    expect(new UsageError('x').name).toBe('UsageError');
  });

  it('recognises what parseArgs throws for an unknown option, a missing value and a stray positional', () => {
    const unknown = parseArgsError(['--bogus']);
    const missingValue = parseArgsError(['--since'], { since: { type: 'string' } });
    const positional = parseArgsError(['stray']);
    expect(unknown).toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
    expect(missingValue).toMatchObject({ code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
    expect(positional).toMatchObject({ code: 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' });
    for (const e of [unknown, missingValue, positional]) expect(isArgumentError(e)).toBe(true);
  });

  it('leaves every other error alone', () => {
    expect(isArgumentError(new Error('boom'))).toBe(false);
    expect(isArgumentError(new ConfigurationError('configuration: GENESYS_REGION is missing'))).toBe(false);
    expect(isArgumentError(Object.assign(new Error('gone'), { code: 'ENOENT' }))).toBe(false);
    expect(isArgumentError({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' })).toBe(false);
    expect(isArgumentError(undefined)).toBe(false);
    expect(isArgumentError(null)).toBe(false);
  });
});

describe('options from the registry of targets', () => {
  it('accepts a registered target or all, and names them when refusing', () => {
    expect(targetArg(undefined)).toBe('all');
    expect(targetArg('cognigy')).toBe('cognigy');
    expect(() => targetArg('salesforce')).toThrow(
      new ArgumentError('--target must be cxone, cognigy or all, got "salesforce"'),
    );
    expect(targetChoices()).toBe('cxone|cognigy|all');
  });

  it('offers each target its record-id option, and a target registered later too', () => {
    registerTarget(memo);
    try {
      expect(Object.keys(recordIdOptions())).toEqual(['cxone-customer', 'cognigy-profile', 'memo-record']);
      expect(recordIdsOf({ 'cxone-customer': ' c-1 ', 'memo-record': 'm-9', 'cognigy-profile': '' })).toEqual(
        {
          cxone: 'c-1',
          memo: 'm-9',
        },
      );
      expect(targetArg('memo')).toBe('memo');
      expect(recordIdUsage('  ', 20)).toContain('  --memo-record <id>   the Memo CRM record id');
      expect(configurationUsage()).toContain('Memo CRM: set MEMO_API_URL and MEMO_API_KEY');
    } finally {
      unregisterPlatform('memo');
    }
  });
});
