// Test fixtures (excluded from the build). The schemas are the emulators' seed schemas, so that core's
// conversion tests run against exactly what the emulators serve.
import { COGNIGY_SCHEMA, CXONE_FIELD_DEFINITIONS } from '@cx-profile-sync/emulators';
import type { CognigySchemaEntry } from '../targets/cognigy/types.js';
import type { CxoneFieldDefinition } from '../targets/cxone/types.js';

export const SEED_CXONE_FIELD_DEFINITIONS: CxoneFieldDefinition[] = CXONE_FIELD_DEFINITIONS;
export const SEED_COGNIGY_SCHEMA: CognigySchemaEntry[] = COGNIGY_SCHEMA;

/** Keys that reach prototypes when attributes are copied naively. */
export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
];

/**
 * The source key behind each written target field, and every skipped key: a conversion accounts for
 * each input key (and each default-only key of the mapping) exactly once when this list, sorted,
 * equals those keys sorted. Throws when a written field has no source or more than one.
 */
export function accountedKeys(
  inputKeys: readonly string[],
  writtenTargets: readonly string[],
  skipped: readonly { key: string }[],
  rules: Record<string, { to?: string; drop: boolean; default?: unknown }> = Object.create(null),
): string[] {
  const ruleOf = (k: string) => (Object.hasOwn(rules, k) ? rules[k] : undefined);
  const candidates = [
    ...inputKeys,
    ...Object.keys(rules).filter(
      (k) => !inputKeys.includes(k) && !rules[k]!.drop && rules[k]!.default !== undefined,
    ),
  ];
  const skippedKeys = skipped.map((s) => s.key);
  const fromWritten = writtenTargets.map((target) => {
    const sources = candidates.filter((k) => (ruleOf(k)?.to ?? k) === target && !skippedKeys.includes(k));
    if (sources.length !== 1) throw new Error(`field ${target} has ${sources.length} sources`);
    return sources[0]!;
  });
  return [...fromWritten, ...skippedKeys];
}

/** The keys a conversion must account for: the input's and the mapping's default-only ones. */
export function expectedKeys(
  inputKeys: readonly string[],
  rules: Record<string, { drop: boolean; default?: unknown }> = Object.create(null),
): string[] {
  return [
    ...inputKeys,
    ...Object.keys(rules).filter(
      (k) => !inputKeys.includes(k) && !rules[k]!.drop && rules[k]!.default !== undefined,
    ),
  ];
}
