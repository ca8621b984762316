// Everything: the pure part plus the imperative shell (the axios transport, the runtime, the
// composition root, the in-process back-fill).
export * from './app/index.js';
export * from './compose.js';
export * from './http/axios-transport.js';
export * from './intake/index.js';
export * from './ledger/index.js';
export * from './pure.js';
export * from './runtime.js';
export * from './sync/backfill.js';
export * from './sync/retry.js';
