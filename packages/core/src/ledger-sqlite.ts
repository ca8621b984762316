// The embedded ledger alone, for hosts that bundle the core and must not pull in `pg` (the n8n node):
// the SQLite store (node:sqlite), the sync's side of a store (`syncLedger`), the digests and the
// types. Node built-ins only (node:sqlite, node:crypto, node:fs, node:path), so not in pure.ts, which
// Temporal workflows bundle; and not ledger/index.ts, whose config and open modules import the
// PostgreSQL backend.
export * from './ledger/around.js';
export * from './ledger/digest.js';
export * from './ledger/inbox.js';
export * from './ledger/resilient.js';
export { LEDGER_SCHEMA_VERSION, openSqliteLedger } from './ledger/sqlite.js';
export type * from './ledger/store.js';
export * from './ledger/sync.js';
export type { LedgerNote, LedgerView, SyncLedger } from './sync/plan.js';
