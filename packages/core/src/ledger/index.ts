// The sync ledger (issue 11): node-only (node:sqlite, node:fs, pg), so exported from index.ts, not pure.ts.
export * from './around.js';
export * from './config.js';
export * from './digest.js';
export * from './inbox.js';
export * from './open.js';
export { openPostgresLedger } from './postgres.js';
export * from './resilient.js';
export { LEDGER_SCHEMA_VERSION, openSqliteLedger } from './sqlite.js';
export type * from './store.js';
export * from './sync.js';
