/**
 * Source attributes → a Cognigy contact profile (the `profile` object of POST/PATCH
 * /new/v2.0/profiles), typed by the project's profile schema (GET /new/v2.0/profiles/schema/{id}):
 *
 * - `string`: the string exactly as the source has it; a typed number or boolean becomes its
 *   canonical text (`toText`), an object its JSON text.
 * - `number`: `toStrictNumber` — canonical decimal notation only, within ±(2^53 − 1), no digit lost;
 *   "00123", "+4412", "1e5", "NaN", " 42", "9007199254740993" are refused with the rule as reason.
 *   Cognigy number fields take whole numbers only: "21481.00" becomes 21481, "1234.56" is skipped
 *   with a reason (never rounded).
 * - field names: Cognigy's internal names are case-insensitive, so `Loyalty_Tier` goes to the schema's
 *   `loyalty_tier`, written in the schema's spelling; two attributes for one field: the first wins.
 * - `boolean`: `toStrictBoolean` — "true"/"false" in any case, or a boolean; "yes", "1" refused.
 * - `object`: `toObjectValue` — an object or array, or the JSON text of one.
 * - a field not in the schema: skipped.
 * - null (after the mapping's default): skipped, as "no value"; a sync does not clear fields.
 * - a mapping `type` must agree with the schema type (string, date and datetime go to `string`;
 *   number, boolean and object to their own) and is applied first (a `date` must be an ISO date);
 *   otherwise the attribute is skipped with a reason naming both types.
 *
 * The profile is a null-prototype object whose keys are own data properties, so `__proto__` or
 * `constructor` are fields like any other. Reasons never contain the value (it may be personal data).
 */

import type { Mapping, ResolvedMapping } from '../../convert/mapping.js';
import { fieldName, mappingFor, planConversion, type SkippedAttribute } from '../../convert/plan.js';
import {
  type ReadResult,
  readAsType,
  toObjectValue,
  toStrictBoolean,
  toStrictNumber,
  toText,
  type ValueType,
} from '../../convert/values.js';
import type { AttributeMap } from '../../sources/types.js';
import { COGNIGY_MAX_SAFE_NUMBER, type CognigySchemaEntry } from './types.js';

export interface CognigyConversion {
  /** The profile fields to write (a null-prototype object). */
  profile: Record<string, unknown>;
  skipped: SkippedAttribute[];
}

/** The schema type each mapping type may go to. */
const AGREES_WITH: Record<ValueType, CognigySchemaEntry['type']> = {
  string: 'string',
  date: 'string',
  datetime: 'string',
  number: 'number',
  boolean: 'boolean',
  object: 'object',
};

function readForSchema(type: CognigySchemaEntry['type'], v: unknown): ReadResult<unknown> {
  switch (type) {
    case 'string':
      return toText(v);
    case 'number': {
      const n = toStrictNumber(v);
      if (n.ok && Math.abs(n.value) > COGNIGY_MAX_SAFE_NUMBER) {
        return { ok: false, reason: `is beyond ±${COGNIGY_MAX_SAFE_NUMBER}` };
      }
      if (n.ok && !Number.isInteger(n.value)) {
        return {
          ok: false,
          reason: 'is not a whole number (Cognigy number fields take whole numbers only; it is not rounded)',
        };
      }
      return n;
    }
    case 'boolean':
      return toStrictBoolean(v);
    case 'object':
      return toObjectValue(v);
    default:
      return { ok: false, reason: `is for a field of type ${String(type)}, which this sync does not write` };
  }
}

const fieldIndexes = new WeakMap<readonly CognigySchemaEntry[], Map<string, CognigySchemaEntry>>();

/**
 * The schema by internal name, case-insensitively (the platform treats `Loyalty_Tier` and
 * `loyalty_tier` as one field): keys are lower case, built once per schema array; the first entry wins.
 */
export function cognigyFieldIndex(schema: readonly CognigySchemaEntry[]): Map<string, CognigySchemaEntry> {
  let index = fieldIndexes.get(schema);
  if (!index) {
    index = new Map();
    for (const e of schema) {
      const key = e.internal.toLowerCase();
      if (!index.has(key)) index.set(key, e);
    }
    // The exact spellings too, so that the usual lookup needs no lower-casing (see fieldOf).
    for (const e of schema) if (!index.has(e.internal)) index.set(e.internal, e);
    fieldIndexes.set(schema, index);
  }
  return index;
}

/**
 * A stored profile with each key of a schema field in the schema's spelling (`Loyalty_Tier` read as
 * `loyalty_tier`), so that it compares with converted values; other keys are kept as they are.
 */
export function withSchemaSpelling(
  profile: Record<string, unknown>,
  schema: readonly CognigySchemaEntry[],
): Record<string, unknown> {
  const index = cognigyFieldIndex(schema);
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(profile)) {
    const name = index.get(k.toLowerCase())?.internal ?? k;
    // The schema's own spelling wins over another spelling of the same field.
    if (!Object.hasOwn(out, name) || k === name) out[name] = v;
  }
  return out;
}

/** Converts one customer's attributes to Cognigy profile fields, typed by `schema`. */
export function toCognigyProfile(
  attributes: AttributeMap,
  schema: readonly CognigySchemaEntry[],
  mapping?: Mapping | ResolvedMapping,
): CognigyConversion {
  const byInternal = cognigyFieldIndex(schema);

  const { planned, skipped } = planConversion(attributes, mappingFor(mapping, 'cognigy'));
  const profile: Record<string, unknown> = Object.create(null);
  const skip = (key: string, reason: string) => skipped.push({ key, reason });
  for (const p of planned) {
    // Named lazily: most attributes are written, and only skips need the name.
    const name = p.key === p.target ? p.target : fieldName(p);
    const entry = byInternal.get(p.target) ?? byInternal.get(p.target.toLowerCase());
    if (entry === undefined) {
      skip(p.key, `no field ${name} in the Cognigy profile schema`);
      continue;
    }
    if (Object.hasOwn(profile, entry.internal)) {
      // An earlier attribute already wrote this field under another spelling (rare: looked up here).
      const other = planned.find(
        (q) => q !== p && q.target.toLowerCase() === entry.internal.toLowerCase() && q.target !== p.target,
      );
      skip(
        p.key,
        `field ${entry.internal} already takes the value of ${other?.key ?? 'another attribute'} (names differ only in case)`,
      );
      continue;
    }
    if (p.value === null) {
      skip(p.key, `field ${name}: no value (null)`);
      continue;
    }
    if (p.type !== undefined) {
      if (AGREES_WITH[p.type] !== entry.type) {
        skip(
          p.key,
          `field ${name}: the mapping type ${p.type} does not agree with the Cognigy schema type ${entry.type}`,
        );
        continue;
      }
      const read = readAsType(p.type, p.value);
      if (!read.ok) {
        skip(p.key, `field ${name}: the mapping reads it as ${p.type}, and the value ${read.reason}`);
        continue;
      }
    }
    const read = readForSchema(entry.type, p.value);
    if (!read.ok) {
      skip(
        p.key,
        `field ${name} is ${entry.type === 'object' ? 'an' : 'a'} ${entry.type} in Cognigy, and the value ${read.reason}`,
      );
      continue;
    }
    // A null-prototype object has no __proto__ setter: every key, "__proto__" included, is stored as data.
    profile[entry.internal] = read.value;
  }
  return { profile, skipped };
}
