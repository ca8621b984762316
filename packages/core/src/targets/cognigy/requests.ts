/**
 * Cognigy.AI contact profiles as plain requests and readers (no I/O). Every call goes to the
 * documented base `/new/v2.0` with the API key in the `X-API-Key` header (never in the query, where
 * it would end up in access logs).
 */
import { isObject, readEmpty, readJson } from '../../http/read.js';
import { type HttpRequest, type HttpResponse, joinUrl, jsonBody } from '../../http/types.js';
import type { CognigyProfile, CognigySchemaEntry } from './types.js';

/** Where the API is and the key to call it with. */
export interface CognigyConnection {
  /** For example https://api-app.cognigy.ai, or an on-premises or emulator URL. */
  apiUrl: string;
  apiKey: string;
}

/** One page of `GET /new/v2.0/profiles`. */
export interface CognigyProfileList {
  items: CognigyProfile[];
  total: number;
  /** Pass as `next` for the following page; null on the last page. */
  nextCursor: string | null;
  previousCursor: string | null;
}

/** The documented largest page. */
export const COGNIGY_MAX_PAGE_SIZE = 100;

const BASE = '/new/v2.0';
const SCHEMA_TYPES = new Set(['string', 'number', 'boolean', 'object']);

function request(
  c: CognigyConnection,
  method: HttpRequest['method'],
  path: string,
  operation: string,
  idempotent: boolean,
  options: { query?: Record<string, string | number | undefined>; json?: unknown } = {},
): HttpRequest {
  const body = options.json === undefined ? undefined : jsonBody(options.json);
  return {
    method,
    url: joinUrl(c.apiUrl, `${BASE}${path}`, options.query),
    // The API answers HAL by default; application/json asks for plain data.
    headers: { 'x-api-key': c.apiKey, accept: 'application/json', ...body?.headers },
    ...(body ? { body: body.body } : {}),
    idempotent,
    platform: 'cognigy',
    operation,
  };
}

const segment = encodeURIComponent;

// ---- schema ----

export function buildGetProfileSchemaRequest(p: CognigyConnection & { projectId: string }): HttpRequest {
  return request(p, 'GET', `/profiles/schema/${segment(p.projectId)}`, 'get profile schema', true);
}

/**
 * The schema's entries from `{schema, details: [{field, internal, type}]}` (a bare array is read
 * too). An entry of a type this code does not know is left out: writes to that field are then
 * refused by our own checks instead of being guessed.
 */
export function readProfileSchema(request: HttpRequest, response: HttpResponse): CognigySchemaEntry[] {
  const body = readJson<unknown>(request, response, (b) => {
    const list = Array.isArray(b) ? b : isObject(b) ? b.details : undefined;
    if (!Array.isArray(list)) return 'the schema has no "details" list';
    const bad = list.findIndex((e) => !isObject(e) || typeof e.internal !== 'string');
    return bad >= 0 ? `schema entry ${bad} has no "internal" name` : undefined;
  });
  const list = (Array.isArray(body) ? body : (body as { details: unknown[] }).details) as Record<
    string,
    unknown
  >[];
  return list
    .filter((e) => typeof e.type === 'string' && SCHEMA_TYPES.has(e.type))
    .map((e) => ({
      field: typeof e.field === 'string' ? e.field : String(e.internal),
      internal: e.internal as string,
      type: e.type as CognigySchemaEntry['type'],
    }));
}

// ---- profiles ----

export interface ListProfilesParams extends CognigyConnection {
  projectId?: string;
  /** A contact id (matched exactly) or text found in a profile's values: always check the answer. */
  filter?: string;
  /** 1 to 100 (the API's default is 25). */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  next?: string;
  previous?: string;
  skip?: number;
  /** `field:asc` or `field:desc`. */
  sort?: string;
}

export function buildListProfilesRequest(p: ListProfilesParams): HttpRequest {
  if (
    p.limit !== undefined &&
    !(Number.isInteger(p.limit) && p.limit >= 1 && p.limit <= COGNIGY_MAX_PAGE_SIZE)
  ) {
    throw new RangeError(`limit must be an integer from 1 to ${COGNIGY_MAX_PAGE_SIZE}, got ${p.limit}`);
  }
  return request(p, 'GET', '/profiles', 'list profiles', true, {
    query: {
      projectId: p.projectId,
      filter: p.filter,
      limit: p.limit,
      skip: p.skip,
      sort: p.sort,
      next: p.next,
      previous: p.previous,
    },
  });
}

export function readProfileList(request: HttpRequest, response: HttpResponse): CognigyProfileList {
  const body = readJson<Record<string, unknown>>(request, response, (b) => {
    if (!isObject(b) || !Array.isArray(b.items)) return 'the answer has no "items" list';
    for (const [i, item] of b.items.entries()) {
      const problem = profileProblem(item);
      if (problem) return `item ${i}: ${problem}`;
    }
    return undefined;
  });
  const items = (body.items as Record<string, unknown>[]).map(toProfile);
  return {
    items,
    total: typeof body.total === 'number' ? body.total : items.length,
    nextCursor: typeof body.nextCursor === 'string' && body.nextCursor !== '' ? body.nextCursor : null,
    previousCursor:
      typeof body.previousCursor === 'string' && body.previousCursor !== '' ? body.previousCursor : null,
  };
}

export function buildGetProfileRequest(p: CognigyConnection & { profileId: string }): HttpRequest {
  return request(p, 'GET', `/profiles/${segment(p.profileId)}`, 'get profile', true);
}

export function readProfile(request: HttpRequest, response: HttpResponse): CognigyProfile {
  return toProfile(readJson<Record<string, unknown>>(request, response, profileProblem));
}

export interface CreateProfileParams extends CognigyConnection {
  projectId: string;
  /** The ids the profile is found by (see `contactIdsFor`); at least one. */
  contactIds: string[];
  profile: Record<string, unknown>;
  active?: boolean;
}

/** Not idempotent: sent twice after a lost answer, the second is refused (its contact ids are taken). */
export function buildCreateProfileRequest(p: CreateProfileParams): HttpRequest {
  if (p.contactIds.length === 0) throw new RangeError('a new profile needs at least one contact id');
  return request(p, 'POST', '/profiles', 'create profile', false, {
    json: {
      projectId: p.projectId,
      contactIds: p.contactIds,
      profile: p.profile,
      ...(p.active !== undefined ? { active: p.active } : {}),
    },
  });
}

export function readCreatedProfile(request: HttpRequest, response: HttpResponse): CognigyProfile {
  return readProfile(request, response);
}

export interface PatchProfileParams extends CognigyConnection {
  profileId: string;
  /** Only the fields to change: they are merged into the stored profile. */
  profile: Record<string, unknown>;
}

/**
 * Idempotent: the API merges `profile` into the stored one (assumed from the docs, which say PATCH
 * takes any of `{profile, contactIds, active}`), so the same patch twice leaves the same profile.
 */
export function buildPatchProfileRequest(p: PatchProfileParams): HttpRequest {
  return request(p, 'PATCH', `/profiles/${segment(p.profileId)}`, 'update profile', true, {
    json: { profile: p.profile },
  });
}

/** The API answers `{}`; only the status matters. */
export function readPatchProfile(request: HttpRequest, response: HttpResponse): void {
  readEmpty(request, response);
}

export function buildDeleteProfileRequest(p: CognigyConnection & { profileId: string }): HttpRequest {
  return request(p, 'DELETE', `/profiles/${segment(p.profileId)}`, 'delete profile', true);
}

export function readDeleteProfile(request: HttpRequest, response: HttpResponse): void {
  readEmpty(request, response);
}

// ---- reading ----

function profileProblem(p: unknown): string | undefined {
  if (!isObject(p)) return 'a profile is not an object';
  if (typeof p._id !== 'string') return 'a profile has no "_id"';
  if (
    p.contactIds !== undefined &&
    !(Array.isArray(p.contactIds) && p.contactIds.every((c) => typeof c === 'string'))
  ) {
    return 'a profile\'s "contactIds" is not a list of strings';
  }
  if (p.profile !== undefined && p.profile !== null && !isObject(p.profile))
    return 'a profile\'s "profile" is not an object';
  return undefined;
}

function toProfile(p: Record<string, unknown>): CognigyProfile {
  return {
    _id: p._id as string,
    contactIds: Array.isArray(p.contactIds) ? [...(p.contactIds as string[])] : [],
    ...(typeof p.active === 'boolean' ? { active: p.active } : {}),
    profile: isObject(p.profile) ? (plainData(p.profile) as Record<string, unknown>) : Object.create(null),
    ...(typeof p.createdAt === 'number' || typeof p.createdAt === 'string' ? { createdAt: p.createdAt } : {}),
    ...(typeof p.lastChanged === 'number' || typeof p.lastChanged === 'string'
      ? { lastChanged: p.lastChanged }
      : {}),
    ...(typeof p.projectId === 'string' ? { projectId: p.projectId } : {}),
  };
}

/**
 * A deep copy with null-prototype objects: a profile key such as "__proto__" (an own property after
 * JSON.parse) stays data however the caller later reads or copies it.
 */
function plainData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainData);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(value)) out[k] = plainData(v);
    return out;
  }
  return value;
}
