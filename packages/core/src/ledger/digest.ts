/**
 * Stable digests: the sha256 of a canonical JSON text (object keys sorted, at every depth), so that
 * the same value gives the same digest whatever order its keys were built in, in any process.
 */
import { hash } from 'node:crypto';

/** JSON with object keys sorted; `undefined` members are left out, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }) ?? 'null'
  );
}

/**
 * `sha256:<base64url>` of a value's canonical JSON (the prefix leaves room for another algorithm). A
 * primitive's JSON is already canonical: the sorting replacer is only for objects (the common case,
 * text and numbers, costs a one-shot hash and nothing more).
 */
export function digestValue(value: unknown): string {
  const text =
    value !== null && typeof value === 'object' ? canonicalJson(value) : (JSON.stringify(value) ?? 'null');
  return `sha256:${hash('sha256', text, 'base64url')}`;
}

/** Per field, the digest of its (converted) value. */
export function digestFields(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([field, v]) => [field, digestValue(v)]));
}

/** The digest of a mapping (as resolved for one target): a changed mapping means values to rewrite. */
export function digestMapping(mapping: unknown): string {
  return digestValue(mapping);
}

/** The digest of a target's schema (its custom fields and their types) as read for a conversion. */
export function digestSchema(schema: unknown): string {
  return digestValue(schema);
}
