// The I/O-free part of the core, for hosts that bring their own transport (the n8n node).
export * from './errors/classify.js';
export * from './errors/errors.js';
export * from './http/read.js';
export * from './http/types.js';
export * from './targets/cognigy/index.js';
export * from './targets/cxone/index.js';
