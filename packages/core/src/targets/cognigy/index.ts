// The Cognigy.AI target's pure protocol: contact profiles, the profile schema, finding a customer's profile.
export * from './identity.js';
export * from './requests.js';
export * from './types.js';
