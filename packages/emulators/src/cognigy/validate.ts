import type { CognigySchemaEntry } from '../seed/seed.js';
import type { CognigyDetail } from './errors.js';

const SCHEMA_TYPES = new Set(['string', 'number', 'boolean', 'object']);
const INTERNAL_NAME = /^[A-Za-z0-9_]+$/;
/** Profile and project ids: 24 lower-case letters or digits. */
export const MONGO_ID = /^[a-z0-9]{24}$/;
const SORT_FIELDS = new Set(['_id', 'createdAt', 'lastChanged']);

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The body of POST /profiles (known to be a non-empty object): every problem, none when it may be stored. */
export function checkProfileCreate(
  body: Record<string, unknown>,
  projectId: string,
  types: SchemaFields,
): CognigyDetail[] {
  const problems: CognigyDetail[] = [];
  for (const k of Object.keys(body)) {
    if (!['projectId', 'contactIds', 'profile', 'active'].includes(k)) {
      problems.push({ field: k, message: 'is not a property of a profile' });
    }
  }
  if (typeof body.projectId !== 'string') {
    problems.push({ field: 'projectId', message: 'is required and must be a string' });
  } else if (body.projectId !== projectId) {
    problems.push({ field: 'projectId', message: 'does not name a project of this organisation' });
  }
  if (body.contactIds === undefined) {
    problems.push({ field: 'contactIds', message: 'is required' });
  } else {
    problems.push(...checkContactIds(body.contactIds));
  }
  if (body.active !== undefined && typeof body.active !== 'boolean') {
    problems.push({ field: 'active', message: 'must be a boolean' });
  }
  if (body.profile !== undefined) problems.push(...checkProfile(body.profile, types));
  return problems;
}

/** The body of PATCH /profiles/{id} (known to be a non-empty object): every problem, none when it may be applied. */
export function checkProfileUpdate(body: Record<string, unknown>, types: SchemaFields): CognigyDetail[] {
  const problems: CognigyDetail[] = [];
  for (const k of Object.keys(body)) {
    if (!['contactIds', 'profile', 'active'].includes(k)) {
      problems.push({ field: k, message: 'cannot be changed with this request' });
    }
  }
  if (body.contactIds !== undefined) problems.push(...checkContactIds(body.contactIds));
  if (body.active !== undefined && typeof body.active !== 'boolean') {
    problems.push({ field: 'active', message: 'must be a boolean' });
  }
  if (body.profile !== undefined) problems.push(...checkProfile(body.profile, types));
  return problems;
}

function checkContactIds(value: unknown): CognigyDetail[] {
  if (!Array.isArray(value) || value.length === 0) {
    return [{ field: 'contactIds', message: 'must be a non-empty array of strings' }];
  }
  return value.flatMap((c, i) =>
    typeof c === 'string' && c.trim() !== ''
      ? []
      : [{ field: `contactIds[${i}]`, message: 'must be a non-empty string' }],
  );
}

/**
 * The project's fields by internal name in lower case (the platform's internal names are
 * case-insensitive: `Loyalty_Tier` and `loyalty_tier` are one field), with the schema's spelling.
 */
export type SchemaFields = Map<string, { internal: string; type: string }>;

export function schemaFields(schema: readonly CognigySchemaEntry[]): SchemaFields {
  const fields: SchemaFields = new Map();
  for (const e of schema) {
    const key = e.internal.toLowerCase();
    if (!fields.has(key)) fields.set(key, { internal: e.internal, type: e.type });
  }
  return fields;
}

/**
 * Each key must be in the schema (in any case, once) and each value of the schema's type (null is
 * accepted for any); a `number` field takes whole numbers only.
 */
export function checkProfile(value: unknown, fields: SchemaFields): CognigyDetail[] {
  if (!isPlainObject(value)) return [{ field: 'profile', message: 'must be an object' }];
  const problems: CognigyDetail[] = [];
  const seen = new Map<string, string>();
  for (const [key, v] of Object.entries(value)) {
    const field = `profile.${key}`;
    const def = fields.get(key.toLowerCase());
    if (def === undefined) {
      problems.push({ field, message: 'is not a field of the project profile schema' });
      continue;
    }
    const other = seen.get(def.internal);
    if (other !== undefined) {
      problems.push({
        field,
        message: `names the same field as profile.${other} (names are case-insensitive)`,
      });
      continue;
    }
    seen.set(def.internal, key);
    const type = def.type;
    if (v === null) continue;
    const actual = Array.isArray(v) ? 'array' : typeof v;
    const ok =
      type === 'object' ? typeof v === 'object' : type === 'number' ? typeof v === 'number' : actual === type;
    if (!ok) {
      problems.push({ field, message: `must be of type ${type}, got ${actual}` });
    } else if (typeof v === 'number' && !(Number.isFinite(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER)) {
      problems.push({ field, message: 'must be a finite number within ±9007199254740991' });
    } else if (typeof v === 'number' && !Number.isInteger(v)) {
      problems.push({ field, message: 'must be a whole number (an integer)' });
    }
  }
  return problems;
}

/**
 * `incoming` with each key in the schema's spelling (checked by `checkProfile` first): what is
 * stored, so that `LOYALTY_TIER` is written to the schema's `loyalty_tier`.
 */
export function inSchemaSpelling(
  incoming: Record<string, unknown>,
  fields: SchemaFields,
): [string, unknown][] {
  return Object.entries(incoming).map(([k, v]) => [fields.get(k.toLowerCase())?.internal ?? k, v]);
}

/** The bytes of the stored profile as compact JSON (UTF-8): what the size cap counts. */
export function profileBytes(profile: Record<string, unknown>): number {
  return Buffer.byteLength(JSON.stringify(profile));
}

/** The `details` of PUT /profiles/schema/{projectId}: the new schema, or every problem. */
export function checkSchema(
  value: unknown,
): { entries: CognigySchemaEntry[] } | { problems: CognigyDetail[] } {
  if (!Array.isArray(value)) return { problems: [{ field: 'details', message: 'must be an array' }] };
  const problems: CognigyDetail[] = [];
  const entries: CognigySchemaEntry[] = [];
  const seen = new Set<string>();
  value.forEach((e: unknown, i) => {
    const at = `details[${i}]`;
    if (!isPlainObject(e)) {
      problems.push({ field: at, message: 'must be an object {field, internal, type}' });
      return;
    }
    if (typeof e.field !== 'string' || e.field.trim() === '') {
      problems.push({ field: `${at}.field`, message: 'must be a non-empty string' });
    }
    if (typeof e.internal !== 'string' || !INTERNAL_NAME.test(e.internal)) {
      problems.push({ field: `${at}.internal`, message: 'must be letters, digits and _ only' });
    } else if (seen.has(e.internal.toLowerCase())) {
      // Internal names are case-insensitive: `Loyalty_Tier` and `loyalty_tier` are one field.
      problems.push({
        field: `${at}.internal`,
        message: `${e.internal} is used twice (names are case-insensitive)`,
      });
    } else {
      seen.add(e.internal.toLowerCase());
    }
    if (typeof e.type !== 'string' || !SCHEMA_TYPES.has(e.type)) {
      problems.push({ field: `${at}.type`, message: 'must be one of string, number, boolean, object' });
    }
    entries.push({
      field: String(e.field),
      internal: String(e.internal),
      type: e.type as CognigySchemaEntry['type'],
    });
  });
  return problems.length ? { problems } : { entries };
}

// ---- the query of GET /profiles ----

export interface SortSpec {
  field: '_id' | 'createdAt' | 'lastChanged';
  descending: boolean;
  /** As written in the query, kept in cursors so that a cursor is only used with its own sort. */
  text: string;
}

export interface ListQuery {
  limit: number;
  skip: number;
  sort: SortSpec;
  filter?: string;
  projectId?: string;
  next?: string;
  previous?: string;
}

export function parseListQuery(q: Record<string, unknown>): ListQuery | { problems: CognigyDetail[] } {
  const problems: CognigyDetail[] = [];
  const str = (name: string) => {
    const v = q[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      problems.push({ field: name, message: 'must be given once' });
      return undefined;
    }
    return v;
  };
  const int = (name: string, fallback: number, min: number, max: number) => {
    const v = str(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) {
      problems.push({ field: name, message: `must be an integer from ${min} to ${max}` });
      return fallback;
    }
    return n;
  };
  const limit = int('limit', 25, 1, 100);
  const skip = int('skip', 0, 0, Number.MAX_SAFE_INTEGER);
  const sortText = str('sort') ?? '_id:asc';
  const [field, direction = 'asc'] = sortText.split(':');
  if (!field || !SORT_FIELDS.has(field) || !['asc', 'desc'].includes(direction)) {
    problems.push({
      field: 'sort',
      message: 'must be field:asc or field:desc, field one of _id, createdAt, lastChanged',
    });
  }
  const projectId = str('projectId');
  if (projectId !== undefined && !MONGO_ID.test(projectId)) {
    problems.push({ field: 'projectId', message: 'must match ^[a-z0-9]{24}$' });
  }
  const filter = str('filter');
  const next = str('next');
  const previous = str('previous');
  if (next !== undefined && previous !== undefined) {
    problems.push({ field: 'next', message: 'cannot be combined with previous' });
  }
  if (problems.length) return { problems };
  return {
    limit,
    skip,
    sort: { field: field as SortSpec['field'], descending: direction === 'desc', text: sortText },
    ...(filter !== undefined && filter !== '' ? { filter } : {}),
    ...(projectId !== undefined ? { projectId } : {}),
    ...(next !== undefined ? { next } : {}),
    ...(previous !== undefined ? { previous } : {}),
  };
}
