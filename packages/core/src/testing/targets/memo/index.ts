// Memo CRM, the test-only target (see server.ts): the descriptor a test registers, and its server.
export * from './descriptor.js';
export * from './protocol.js';
export * from './server.js';
