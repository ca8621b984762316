// The I/O-free part of the core, for hosts that bring their own transport (the n8n node): the
// registry of platforms, requests as data and readers of answers, the flows over an injected `send`,
// conversion, the error taxonomy, and plan/apply of a sync.
export * from './auth/jwt-bearer.js';
export * from './auth/token-cache.js';
export * from './check.js';
export * from './config.js';
export * from './convert/index.js';
export * from './errors/classify.js';
export * from './errors/errors.js';
export * from './flow/send.js';
export * from './http/execute.js';
export * from './http/read.js';
export * from './http/types.js';
export * from './http/urls.js';
export * from './platforms.js';
export * from './registry.js';
export * from './retry/clock.js';
export * from './retry/policy.js';
export * from './retry/rate-limiter.js';
export * from './sources/index.js';
export * from './sources/types.js';
// The back-fill's progress, without its loop (the in-process host's): the worker's workflows count
// with it.
export {
  type BackfillFailure,
  type BackfillProgress,
  type CustomerOutcome,
  customerOutcome,
  emptyProgress,
  recordResult,
} from './sync/backfill.js';
export * from './sync/changes.js';
export * from './sync/coverage.js';
export * from './sync/group.js';
export * from './sync/plan.js';
export * from './sync/result.js';
export * from './sync/sync-customer.js';
export * from './sync/target.js';
export * from './targets/index.js';
