// The Cognigy.AI target: contact profiles, the profile schema, finding a customer's profile,
// conversion, flows, client.
export * from './client.js';
export * from './config.js';
export * from './convert.js';
export * from './descriptor.js';
export * from './directory.js';
export * from './flows.js';
export * from './identity.js';
export * from './requests.js';
export * from './size.js';
export * from './target.js';
export * from './types.js';
