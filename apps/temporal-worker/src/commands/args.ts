// The command line's argument helpers: what each command checks before it connects to anything.
import { ArgumentError } from '@cx-profile-sync/core';

/**
 * A command line that cannot be run as given (exit status 2). An ArgumentError, so that one check in
 * main covers it, the core's argument helpers (isoArg) and node's parseArgs errors alike.
 */
export class UsageError extends ArgumentError {}

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

export { isoArg, targetArg } from '@cx-profile-sync/core';
