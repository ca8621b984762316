// The Genesys Cloud source's pure protocol: regions, requests and answers, customers.
export * from './customer.js';
export * from './regions.js';
export * from './requests.js';
export * from './types.js';
