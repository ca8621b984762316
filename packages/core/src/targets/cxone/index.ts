// The NICE CXone target's pure protocol: login, host discovery, Digital (DFO) customer calls.
export * from './auth.js';
export * from './identity.js';
export * from './issuers.js';
export * from './requests.js';
export * from './types.js';
