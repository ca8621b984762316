// The I/O-free part of the core, for hosts that bring their own transport (the n8n node): building
// requests, reading answers, classifying errors, converting values.
export * from './config.js';
export * from './convert/index.js';
export * from './errors/classify.js';
export * from './errors/errors.js';
export * from './http/read.js';
export * from './http/types.js';
export * from './http/urls.js';
export * from './sources/genesys/index.js';
export * from './sources/types.js';
export * from './sync/backfill.js';
export * from './sync/changes.js';
export * from './sync/group.js';
export * from './sync/result.js';
export * from './sync/sync-customer.js';
export * from './sync/target.js';
export * from './targets/cognigy/convert.js';
export * from './targets/cognigy/index.js';
export * from './targets/cognigy/target.js';
export * from './targets/cxone/convert.js';
export * from './targets/cxone/index.js';
export * from './targets/cxone/target.js';
