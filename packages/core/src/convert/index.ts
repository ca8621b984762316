// Conversion of source attributes to the targets' schemas: strict value readers, the mapping file,
// and the target-independent planning step. The per-target converters are in
// targets/cxone/convert.ts (toCxoneCustomFields) and targets/cognigy/convert.ts (toCognigyProfile).
export * from './mapping.js';
export * from './plan.js';
export * from './values.js';
