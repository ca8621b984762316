/**
 * The target-independent first step of a conversion: apply the mapping (drop, rename, defaults,
 * onlyMapped) and decide which source attribute feeds which target field. Every input key ends up
 * either planned or skipped with a reason, exactly once.
 */

import { ConfigurationError } from '../errors/errors.js';
import type { AttributeMap, AttributeValue } from '../sources/types.js';
import {
  type Mapping,
  type ResolvedMapping,
  type ResolvedRule,
  resolveMappingFor,
  type TargetName,
} from './mapping.js';
import type { ValueType } from './values.js';

/** A source attribute that was not written, and why. */
export interface SkippedAttribute {
  /** The source attribute key. */
  key: string;
  reason: string;
}

/** A source attribute on its way to one target field. */
export interface PlannedAttribute {
  /** The source attribute key. */
  key: string;
  /** The target field (CXone ident, Cognigy internal name). */
  target: string;
  /** The source value, or the mapping's default when the source had none. */
  value: AttributeValue;
  /** How the mapping says to read the value, if it says. */
  type?: ValueType;
  /** Whether `value` is the mapping's default. */
  fromDefault: boolean;
}

export interface ConversionPlan {
  planned: PlannedAttribute[];
  skipped: SkippedAttribute[];
}

/** Missing, null or "": the cases where a mapping default applies. */
export function isEmptyValue(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}

/** The mapping for `target`: a `Mapping` is resolved, a `ResolvedMapping` for `target` is used as is. */
export function mappingFor(
  mapping: Mapping | ResolvedMapping | undefined,
  target: TargetName,
): ResolvedMapping | undefined {
  if (mapping === undefined) return undefined;
  if ('rules' in mapping) {
    if (mapping.target !== target) {
      throw new ConfigurationError(
        `A mapping resolved for ${mapping.target} was given to the ${target} conversion`,
      );
    }
    return mapping;
  }
  return resolveMappingFor(mapping, target);
}

/** "x" or "x (from y)" for reasons, when the mapping renamed the attribute. */
export function fieldName(p: { key: string; target: string }): string {
  return p.key === p.target ? p.target : `${p.target} (from ${p.key})`;
}

interface Candidate extends PlannedAttribute {
  /** The mapping names this target explicitly (`to`), so it wins over a same-name attribute. */
  explicit: boolean;
}

/**
 * Applies `mapping` (or, without one, sends every key to the field of the same name). When two
 * attributes would write the same field, the one the mapping sends there explicitly (`to`) wins,
 * else the first; the other is skipped with a reason.
 */
export function planConversion(
  attributes: AttributeMap,
  mapping: ResolvedMapping | undefined,
): ConversionPlan {
  const skipped: SkippedAttribute[] = [];
  if (mapping === undefined) {
    // No mapping: each key goes to the field of its own name (keys are unique, so no conflicts).
    const keys = attributes !== null && typeof attributes === 'object' ? Object.keys(attributes) : [];
    const planned = new Array<PlannedAttribute>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      planned[i] = { key, target: key, value: attributes[key] ?? null, fromDefault: false };
    }
    return { planned, skipped };
  }
  const candidates: Candidate[] = [];
  const rules: Record<string, ResolvedRule> = mapping?.rules ?? Object.create(null);
  const ruleOf = (key: string): ResolvedRule | undefined =>
    Object.hasOwn(rules, key) ? rules[key] : undefined;
  const keys = attributes !== null && typeof attributes === 'object' ? Object.keys(attributes) : [];

  const consider = (key: string, value: AttributeValue | undefined, rule: ResolvedRule | undefined) => {
    const useDefault = isEmptyValue(value) && rule?.default !== undefined;
    const candidate: Candidate = {
      key,
      target: rule?.to ?? key,
      value: useDefault ? rule!.default! : (value ?? null),
      fromDefault: useDefault,
      explicit: rule?.to !== undefined,
    };
    if (rule?.type !== undefined) candidate.type = rule.type;
    candidates.push(candidate);
  };

  for (const key of keys) {
    const rule = ruleOf(key);
    if (rule?.drop) skipped.push({ key, reason: 'dropped by mapping' });
    else if (rule === undefined && mapping?.onlyMapped) {
      skipped.push({ key, reason: 'not in the mapping (onlyMapped is on)' });
    } else consider(key, attributes[key], rule);
  }
  // Defaults of attributes the source did not have at all.
  for (const key of Object.keys(rules)) {
    const rule = rules[key]!;
    if (!rule.drop && rule.default !== undefined && !keys.includes(key)) consider(key, undefined, rule);
  }

  // One writer per target field (a Map: target names are data, "__proto__" included).
  const winner = new Map<string, Candidate>();
  for (const c of candidates) {
    const current = winner.get(c.target);
    if (current === undefined || (c.explicit && !current.explicit)) winner.set(c.target, c);
  }
  const planned: PlannedAttribute[] = [];
  for (const c of candidates) {
    const w = winner.get(c.target)!;
    if (w !== c) {
      skipped.push({ key: c.key, reason: `field ${c.target} already takes the value of ${w.key} (mapping)` });
      continue;
    }
    const p: PlannedAttribute = { key: c.key, target: c.target, value: c.value, fromDefault: c.fromDefault };
    if (c.type !== undefined) p.type = c.type;
    planned.push(p);
  }
  return { planned, skipped };
}

const indexes = new WeakMap<readonly object[], Map<string, unknown>>();

/**
 * A target schema indexed by field name, built once per schema array (conversion runs per customer,
 * the schema changes rarely). The first entry of a name wins.
 */
export function indexSchema<T extends object, K extends keyof T>(
  entries: readonly T[],
  key: K,
): Map<string, T> {
  let index = indexes.get(entries) as Map<string, T> | undefined;
  if (!index) {
    index = new Map();
    for (const e of entries) {
      const name = String(e[key]);
      if (!index.has(name)) index.set(name, e);
    }
    indexes.set(entries, index);
  }
  return index;
}
