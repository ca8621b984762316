/** A command line that cannot be run as given (exit status 2). */
export class UsageError extends Error {}
