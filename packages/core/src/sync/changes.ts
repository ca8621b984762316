/** The part of a sync decided without I/O: which converted values differ from the target's. */
export interface ChangePlan {
  changes: Record<string, unknown>;
  unchanged: string[];
}

/** Structural equality for JSON values (key order ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => sameValue(v, bb[i]));
  }
  const ak = Object.keys(a as object);
  const bk = Object.keys(b as object);
  if (ak.length !== bk.length) return false;
  return ak.every(
    (k) =>
      Object.hasOwn(b as object, k) &&
      sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** Compares converted values with what the target holds now; only differences are written. */
export function planChanges(values: Record<string, unknown>, current: Record<string, unknown>): ChangePlan {
  const changes: Record<string, unknown> = Object.create(null);
  const unchanged: string[] = [];
  for (const key of Object.keys(values)) {
    if (Object.hasOwn(current, key) && sameValue(values[key], current[key])) unchanged.push(key);
    else
      Object.defineProperty(changes, key, {
        value: values[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return { changes, unchanged };
}
