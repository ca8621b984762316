// The live intake (issue 12): an HTTP service that takes Genesys Cloud events into the ledger's
// inbox, and the processor that syncs each customer once their burst of events is over.
export * from './metrics.js';
export * from './notifications.js';
export * from './processor.js';
export * from './server.js';
