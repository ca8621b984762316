/**
 * Cognigy.AI caps a contact profile's stored `profile` object (65,536 bytes of JSON by default). A
 * write that would take it past the cap is refused here, before it is sent, naming the attribute that
 * made it too large, so that nothing is half-written.
 */
import { ValidationError } from '../../errors/errors.js';
import { COGNIGY_MAX_PROFILE_BYTES } from './types.js';

const encoder = new TextEncoder();
const bytes = (s: string) => encoder.encode(s).length;
/** `"key":value` in compact JSON. */
const entryBytes = (key: string, value: unknown) =>
  bytes(JSON.stringify(key)) + 1 + bytes(JSON.stringify(value) ?? 'null');

/** The bytes of `JSON.stringify(profile)` (compact, UTF-8). */
export function profileBytes(profile: Record<string, unknown>): number {
  const keys = Object.keys(profile);
  let total = 2 + Math.max(0, keys.length - 1);
  for (const k of keys) total += entryBytes(k, profile[k]);
  return total;
}

/**
 * Throws a ValidationError (with `fields`) when merging `changes` into `current` would make the stored
 * profile larger than `maxBytes`. The field named is the one whose value took it past the cap (the
 * last to cross it, in the order the changes are written).
 */
export function checkProfileSize(
  current: Record<string, unknown>,
  changes: Record<string, unknown>,
  maxBytes = COGNIGY_MAX_PROFILE_BYTES,
): void {
  const merged = new Map<string, number>();
  for (const k of Object.keys(current)) merged.set(k, entryBytes(k, current[k]));
  let size = 2 + Math.max(0, merged.size - 1);
  for (const b of merged.values()) size += b;
  let culprit: string | undefined;
  for (const k of Object.keys(changes)) {
    const entry = entryBytes(k, changes[k]);
    const before = merged.get(k);
    const was = size;
    if (before === undefined) size += entry + (merged.size > 0 ? 1 : 0);
    else size += entry - before;
    merged.set(k, entry);
    if (was <= maxBytes && size > maxBytes) culprit = k;
  }
  if (size <= maxBytes) return;
  const field = culprit ?? Object.keys(changes)[0] ?? 'profile';
  const message = `would make the stored profile ${size} bytes of JSON, more than the ${maxBytes} Cognigy.AI stores`;
  throw new ValidationError(`Cognigy.AI: profile field ${field} ${message}; nothing was written`, {
    platform: 'cognigy',
    fields: [{ field: `profile.${field}`, message }],
  });
}
