// The command line's argument helpers: what each command checks before it connects to anything.
import { ArgumentError, isoArg as isoArgOfCore, targetNames } from '@cx-profile-sync/core';
import type { Targets } from '../shared.js';

/**
 * A command line that cannot be run as given (exit status 2). An ArgumentError, so that one check in
 * main covers it, the core's argument helpers (isoArg) and node's parseArgs errors alike.
 */
export class UsageError extends ArgumentError {}

/** `cxone|cognigy|all`: the registered targets, or all of them. */
export function targetChoices(): string[] {
  return [...targetNames(), 'all'];
}

/** The value of `--target`: a registered target's name or `all` (the default). */
export function targetArg(value: string | undefined): Targets {
  const t = value ?? 'all';
  const choices = targetChoices();
  if (!choices.includes(t))
    throw new UsageError(`--target must be ${choices.slice(0, -1).join(', ')} or all, got "${t}"`);
  return t;
}

export function intArg(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return n;
}

/** The core's isoArg, its ArgumentError reported as this command line's UsageError (exit 2). */
export function isoArg(name: string, value: string | undefined): string {
  try {
    return isoArgOfCore(name, value);
  } catch (e) {
    throw e instanceof ArgumentError ? new UsageError(e.message) : e;
  }
}
