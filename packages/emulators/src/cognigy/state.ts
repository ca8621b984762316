import { randomBytes } from 'node:crypto';
import type { CognigySchemaEntry, SeedData } from '../seed/seed.js';

/** One stored contact profile. */
export interface CognigyStoredProfile {
  _id: string;
  projectId: string;
  contactIds: string[];
  active: boolean;
  /** A null-prototype object (nested objects too), so keys such as "__proto__" stay plain data. */
  profile: Record<string, unknown>;
  /** Unix timestamps in seconds, as the API reference shows them. */
  createdAt: number;
  lastChanged: number;
  createdBy: string;
  lastChangedBy: string;
}

export interface CognigyState {
  projectId: string;
  schema: CognigySchemaEntry[];
  profiles: Map<string, CognigyStoredProfile>;
}

/** The user behind the seed's API key (createdBy / lastChangedBy). */
export const API_KEY_USER_ID = '5e1f0a0b0c0d0e0f10111213';

/** The seed's profiles, changed an hour apart before the end of the seed's conversations. */
export function initialCognigyState(seed: SeedData): CognigyState {
  const base = Math.floor(Date.parse(seed.options.conversationsEnd) / 1000);
  const count = seed.cognigy.profiles.length;
  return {
    projectId: seed.cognigy.projectId,
    schema: structuredClone(seed.cognigy.schema),
    profiles: new Map(
      seed.cognigy.profiles.map((p, i) => {
        const at = base - (count - i) * 3600;
        const stored: CognigyStoredProfile = {
          _id: p.id,
          projectId: seed.cognigy.projectId,
          contactIds: [...p.contactIds],
          active: true,
          profile: plainData(p.profile) as Record<string, unknown>,
          createdAt: at,
          lastChanged: at,
          createdBy: API_KEY_USER_ID,
          lastChangedBy: API_KEY_USER_ID,
        };
        return [p.id, stored];
      }),
    ),
  };
}

/**
 * A deep copy in which every object has a null prototype: a key such as "__proto__" (an own
 * property after JSON.parse) is stored and answered as ordinary data, never as a prototype.
 */
export function plainData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainData);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(value)) out[k] = plainData(v);
    return out;
  }
  return value;
}

/** A Mongo-ObjectId-like id: 24 lower-case hex digits, time first. */
export function newProfileId(): string {
  const seconds = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  return seconds + randomBytes(8).toString('hex');
}

// ---- shapes of the answers ----

export function toProfile(p: CognigyStoredProfile) {
  return {
    _id: p._id,
    contactIds: [...p.contactIds],
    active: p.active,
    profile: p.profile,
    createdAt: p.createdAt,
    lastChanged: p.lastChanged,
    createdBy: p.createdBy,
    lastChangedBy: p.lastChangedBy,
    projectId: p.projectId,
  };
}

/** A list item carries fewer fields than a single profile (IProfileIndexItem_2_0). */
export function toIndexItem(p: CognigyStoredProfile) {
  return {
    _id: p._id,
    active: p.active,
    profile: p.profile,
    projectId: p.projectId,
    lastChanged: p.lastChanged,
    contactIds: [...p.contactIds],
  };
}

/** `{schema: {internal: type}, details: [{field, internal, type}]}` as the official client types it. */
export function toSchema(entries: CognigySchemaEntry[]) {
  const schema: Record<string, string> = Object.create(null);
  for (const e of entries) schema[e.internal] = e.type;
  return { schema, details: entries.map((e) => ({ ...e })) };
}
