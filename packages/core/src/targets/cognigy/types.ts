/** One entry of a project's contact-profile schema: GET /new/v2.0/profiles/schema/{projectId}. */
export interface CognigySchemaEntry {
  /** Display name. */
  field: string;
  /** The key in `profile` (letters, digits and _). */
  internal: string;
  type: 'string' | 'number' | 'boolean' | 'object';
}

/** A contact profile: GET /new/v2.0/profiles/{id}. */
export interface CognigyProfile {
  _id: string;
  contactIds: string[];
  active?: boolean;
  profile: Record<string, unknown>;
  createdAt?: number | string;
  lastChanged?: number | string;
  projectId?: string;
}

/** Cognigy numbers stay within ±(2^53 − 1). */
export const COGNIGY_MAX_SAFE_NUMBER = Number.MAX_SAFE_INTEGER;

/** The largest stored `profile` object: 65,536 bytes of JSON (assumed: 64 kB, see README). */
export const COGNIGY_MAX_PROFILE_BYTES = 65_536;
