// The sources: one line each. Each folder's `descriptor.ts` registers its source when the core is
// loaded (see registry.ts).
export * from './genesys/index.js';
