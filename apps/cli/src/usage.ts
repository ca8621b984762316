import { ArgumentError } from '@cx-profile-sync/core';

/**
 * A command line that cannot be run as given (exit status 2). An ArgumentError, so that one check
 * in main covers it, the core's argument helpers (isoArg) and node's parseArgs errors alike.
 */
export class UsageError extends ArgumentError {}
