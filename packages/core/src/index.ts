// Everything: the pure part plus the imperative shell (axios transport, clients, services).
export * from './auth/jwt-bearer.js';
export * from './auth/token-cache.js';
export * from './http/axios-transport.js';
export * from './http/execute.js';
export * from './pure.js';
export * from './retry/clock.js';
export * from './retry/policy.js';
export * from './retry/rate-limiter.js';
export * from './runtime.js';
export * from './sources/genesys/client.js';
export * from './sync/backfill.js';
export * from './sync/services.js';
export * from './targets/cognigy/client.js';
export * from './targets/cognigy/target.js';
export * from './targets/cxone/client.js';
export * from './targets/cxone/target.js';
