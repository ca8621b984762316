export * from './errors/classify.js';
export * from './errors/errors.js';
export * from './http/types.js';
