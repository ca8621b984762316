// The Genesys Cloud source: regions, configuration, requests and answers, customers, flows, client.
export * from './client.js';
export * from './config.js';
export * from './customer.js';
export * from './descriptor.js';
export * from './events/index.js';
export * from './flows.js';
export * from './regions.js';
export * from './requests.js';
export * from './types.js';
