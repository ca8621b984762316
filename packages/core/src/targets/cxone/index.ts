// The NICE CXone target: login, host discovery, Digital (DFO) customer calls, conversion, flows, client.
export * from './auth.js';
export * from './client.js';
export * from './config.js';
export * from './convert.js';
export * from './descriptor.js';
export * from './flows.js';
export * from './identity.js';
export * from './issuers.js';
export * from './requests.js';
export * from './target.js';
export * from './types.js';
