// biome-ignore-all assist/source/organizeImports: the order of these lines is the order of the targets (in results, usage texts, queues)
// The targets: one line each. Each folder's `descriptor.ts` registers its target when the core is
// loaded (see registry.ts), in the order of these lines.
export * from './cxone/index.js';
export * from './cognigy/index.js';
