import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { definePlatform, type PlatformContext, type PlatformEmulator } from '../common/platform.js';
import type { CognigySchemaEntry } from '../seed/seed.js';

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

/** One problem in a request body, as listed in an error's `details`. */
export interface CognigyDetail {
  field: string;
  message: string;
}

/** The API's own error codes (the official client maps them to its error classes). */
const ERROR_CODES = {
  badRequest: 400,
  unauthorized: 401,
  forbidden: 403,
  payloadTooLarge: 413,
  tooManyRequests: 429,
  missingArgument: 1000,
  notFound: 1002,
  conflict: 1004,
  invalidArgument: 1005,
  internal: 1008,
  timeout: 8001,
} as const;

const STATUS_TEXT: Record<number, [type: string, title: string, code: number]> = {
  400: ['Bad Request', 'Bad Request Error', ERROR_CODES.invalidArgument],
  401: ['Unauthorized', 'Unauthorized Error', ERROR_CODES.unauthorized],
  403: ['Forbidden', 'Forbidden Error', ERROR_CODES.forbidden],
  404: ['Not Found', 'Resource Not Found Error', ERROR_CODES.notFound],
  408: ['Request Timeout', 'Timeout Error', ERROR_CODES.timeout],
  409: ['Conflict', 'Conflict Error', ERROR_CODES.conflict],
  413: ['Payload Too Large', 'Payload Too Large Error', ERROR_CODES.payloadTooLarge],
  415: ['Unsupported Media Type', 'Bad Request Error', ERROR_CODES.badRequest],
  429: ['Too Many Requests', 'Too Many Requests Error', ERROR_CODES.tooManyRequests],
  500: ['Internal Server Error', 'Internal Server Error', ERROR_CODES.internal],
  502: ['Bad Gateway', 'Bad Gateway Error', 502],
  503: ['Service Unavailable', 'Service Unavailable Error', 503],
  504: ['Gateway Timeout', 'Gateway Timeout Error', 504],
};

/**
 * Cognigy.AI's error body (RFC 7807-like): `{type, title, status, detail, instance, code, traceId,
 * details}`. `code` is the API's numeric error code; a numeric `code` argument (from a fault rule) is
 * kept, any other is replaced by the status's usual code. No correlation header is documented, so
 * the correlation id travels as `traceId` only.
 */
export function cognigyErrorBody(
  status: number,
  code: string,
  message: string,
  correlationId: string,
  extra: { instance?: string; details?: CognigyDetail[] } = {},
) {
  const [type, title, usual] = STATUS_TEXT[status] ?? ['Error', 'Error', status];
  return {
    type,
    title,
    status,
    detail: message,
    instance: extra.instance ?? '',
    code: /^\d+$/.test(code) ? Number(code) : usual,
    traceId: correlationId,
    details: extra.details ?? {},
  };
}

/** 60 kB, the documented largest JSON body. */
export const COGNIGY_BODY_LIMIT = 61_440;
const PREFIXES = ['/new/v2.0', '/v2.0'] as const;
const SCHEMA_TYPES = new Set(['string', 'number', 'boolean', 'object']);
const INTERNAL_NAME = /^[A-Za-z0-9_]+$/;
const MONGO_ID = /^[a-z0-9]{24}$/;
const SORT_FIELDS = new Set(['_id', 'createdAt', 'lastChanged']);
/** The user behind the seed's API key (createdBy / lastChangedBy). */
const API_KEY_USER_ID = '5e1f0a0b0c0d0e0f10111213';

/**
 * Cognigy.AI: contact profiles and the project's profile schema, every route under both `/new/v2.0`
 * (the documented base) and `/v2.0` (used by some clients).
 */
export function createCognigyEmulator(ctx: PlatformContext): PlatformEmulator<CognigyState> {
  const { seed, options } = ctx;
  return definePlatform<CognigyState>(
    ctx,
    { name: 'cognigy', errorBody: cognigyErrorBody, bodyLimit: COGNIGY_BODY_LIMIT },
    3,
    ({ server, limitsOn, bucket }) => {
      const { app } = server;
      let state = initialState();
      function initialState(): CognigyState {
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
      const perAddress = bucket({
        capacity: options.cognigy.requestsPer5MinutesPerAddress,
        windowMs: 5 * 60_000,
      });

      /** An error with the request's path as `instance` and, for validation, the offending fields. */
      function fail(
        request: FastifyRequest,
        reply: FastifyReply,
        status: number,
        message: string,
        more: { code?: number; details?: CognigyDetail[]; headers?: Record<string, string> } = {},
      ) {
        const body = cognigyErrorBody(
          status,
          more.code !== undefined ? String(more.code) : '',
          message,
          request.correlationId,
          { instance: request.url.split('?')[0]!, ...(more.details ? { details: more.details } : {}) },
        );
        return reply
          .code(status)
          .headers(more.headers ?? {})
          .send(body);
      }

      /** The per-address limit, then the API key (header `X-API-Key` or query `api_key`). */
      async function authorize(request: FastifyRequest, reply: FastifyReply) {
        if (limitsOn()) {
          const d = perAddress.take(request.ip);
          if (!d.allowed) {
            return fail(
              request,
              reply,
              429,
              `Too many requests. Retry the request in ${d.retryAfterSeconds} seconds.`,
              { headers: { 'retry-after': String(d.retryAfterSeconds) } },
            );
          }
        }
        const header = request.headers['x-api-key'];
        const query = (request.query as Record<string, unknown>).api_key;
        const key = typeof header === 'string' ? header : typeof query === 'string' ? query : undefined;
        if (key !== seed.cognigy.apiKey) {
          return fail(
            request,
            reply,
            401,
            key === undefined ? 'No API key was supplied.' : 'The API key is not valid.',
          );
        }
      }

      const schemaTypes = () => new Map(state.schema.map((e) => [e.internal, e.type]));

      /** Contact ids that another profile of the project holds (named by index: they are personal data). */
      function contactIdConflicts(contactIds: string[], exceptId?: string): CognigyDetail[] {
        const taken = new Set<string>();
        for (const p of state.profiles.values()) {
          if (p._id === exceptId || p.projectId !== state.projectId) continue;
          for (const c of p.contactIds) taken.add(c);
        }
        return contactIds.flatMap((c, i) =>
          taken.has(c) ? [{ field: `contactIds[${i}]`, message: 'belongs to another profile' }] : [],
        );
      }

      app.register(async (api) => {
        // The official client sends `Content-Type: application/json` on every request, DELETE and GET
        // included, with no body: the real API takes that, so an empty JSON body here is no body (a
        // POST or PATCH without one is then refused as "Missing payload"). Keys such as "__proto__"
        // stay plain data ('ignore'), as on the shared server.
        const parseJson = api.getDefaultJsonParser('ignore', 'ignore');
        api.removeContentTypeParser('application/json');
        api.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
          if (body === '') return done(null, undefined);
          parseJson(request, body as string, done);
        });
        api.addHook('preHandler', authorize);

        for (const prefix of PREFIXES) {
          api.get(`${prefix}/profiles`, async (request, reply) => {
            const q = request.query as Record<string, unknown>;
            const parsed = parseListQuery(q);
            if ('problems' in parsed) {
              return fail(request, reply, 400, 'Validation failed. The query is invalid.', {
                details: parsed.problems,
              });
            }
            const { limit, skip, sort, filter, projectId, next, previous } = parsed;
            let matches = [...state.profiles.values()];
            if (projectId !== undefined) matches = matches.filter((p) => p.projectId === projectId);
            if (filter !== undefined) matches = matches.filter((p) => matchesFilter(p, filter));
            const compare = comparator(sort);
            matches.sort(compare);

            const cursorText = next ?? previous;
            let page: CognigyStoredProfile[];
            let start: number; // index in `matches` of the page's first item
            if (cursorText === undefined) {
              start = Math.min(skip, matches.length);
              page = matches.slice(start, start + limit);
            } else {
              const position = decodeCursor(cursorText, sort.text);
              if (!position) {
                return fail(request, reply, 400, 'Validation failed. The cursor is invalid.', {
                  details: [
                    { field: next !== undefined ? 'next' : 'previous', message: 'is not a valid cursor' },
                  ],
                });
              }
              const probe = {
                [sort.field]: position.value,
                _id: position.id,
              } as unknown as CognigyStoredProfile;
              if (next !== undefined) {
                const after = matches.findIndex((p) => compare(p, probe) > 0);
                start = Math.min((after < 0 ? matches.length : after) + skip, matches.length);
                page = matches.slice(start, start + limit);
              } else {
                const firstNotBefore = matches.findIndex((p) => compare(p, probe) >= 0);
                const end = Math.max(0, (firstNotBefore < 0 ? matches.length : firstNotBefore) - skip);
                start = Math.max(0, end - limit);
                page = matches.slice(start, end);
              }
            }
            const first = page[0];
            const last = page[page.length - 1];
            return {
              items: page.map(toIndexItem),
              total: matches.length,
              nextCursor:
                last && start + page.length < matches.length
                  ? encodeCursor(last, sort.field, sort.text)
                  : null,
              previousCursor: first && start > 0 ? encodeCursor(first, sort.field, sort.text) : null,
            };
          });

          api.post(`${prefix}/profiles`, async (request, reply) => {
            const body = request.body;
            if (!isPlainObject(body) || Object.keys(body).length === 0) {
              return fail(request, reply, 400, 'Validation failed. Missing payload.', {
                code: ERROR_CODES.missingArgument,
              });
            }
            const problems: CognigyDetail[] = [];
            for (const k of Object.keys(body)) {
              if (!['projectId', 'contactIds', 'profile', 'active'].includes(k)) {
                problems.push({ field: k, message: 'is not a property of a profile' });
              }
            }
            if (typeof body.projectId !== 'string') {
              problems.push({ field: 'projectId', message: 'is required and must be a string' });
            } else if (body.projectId !== state.projectId) {
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
            if (body.profile !== undefined) problems.push(...checkProfile(body.profile, schemaTypes()));
            if (problems.length) {
              return fail(request, reply, 400, validationMessage(problems), { details: problems });
            }
            const contactIds = unique(body.contactIds as string[]);
            const taken = contactIdConflicts(contactIds);
            if (taken.length) {
              return fail(request, reply, 409, 'A profile with one of these contact ids already exists.', {
                details: taken,
              });
            }
            const now = Math.floor(Date.now() / 1000);
            const stored: CognigyStoredProfile = {
              _id: newId(),
              projectId: state.projectId,
              contactIds,
              active: body.active === undefined ? true : (body.active as boolean),
              profile: plainData(body.profile ?? {}) as Record<string, unknown>,
              createdAt: now,
              lastChanged: now,
              createdBy: API_KEY_USER_ID,
              lastChangedBy: API_KEY_USER_ID,
            };
            state.profiles.set(stored._id, stored);
            return reply.code(201).send(toProfile(stored));
          });

          api.get<{ Params: { projectId: string } }>(
            `${prefix}/profiles/schema/:projectId`,
            async (request, reply) => {
              if (request.params.projectId !== state.projectId) {
                return fail(request, reply, 404, `Project ${request.params.projectId} not found.`);
              }
              return toSchema(state.schema);
            },
          );

          // Body `{details: [...]}` as the official client sends it; answers `{}`.
          api.put<{ Params: { projectId: string } }>(
            `${prefix}/profiles/schema/:projectId`,
            async (request, reply) => {
              if (request.params.projectId !== state.projectId) {
                return fail(request, reply, 404, `Project ${request.params.projectId} not found.`);
              }
              const body = request.body;
              if (!isPlainObject(body) || body.details === undefined) {
                return fail(request, reply, 400, 'Validation failed. Missing payload.', {
                  code: ERROR_CODES.missingArgument,
                });
              }
              const checked = checkSchema(body.details);
              if ('problems' in checked) {
                return fail(request, reply, 400, validationMessage(checked.problems), {
                  details: checked.problems,
                });
              }
              // Values of fields that leave the schema stay in the profiles (assumed).
              state.schema = checked.entries;
              return {};
            },
          );

          api.get<{ Params: { profileId: string } }>(
            `${prefix}/profiles/:profileId`,
            async (request, reply) => {
              const p = findProfile(request, reply, request.params.profileId);
              return p ? toProfile(p) : reply;
            },
          );

          api.patch<{ Params: { profileId: string } }>(
            `${prefix}/profiles/:profileId`,
            async (request, reply) => {
              const p = findProfile(request, reply, request.params.profileId);
              if (!p) return reply;
              const body = request.body;
              if (!isPlainObject(body) || Object.keys(body).length === 0) {
                return fail(request, reply, 400, 'Validation failed. Missing payload.', {
                  code: ERROR_CODES.missingArgument,
                });
              }
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
              if (body.profile !== undefined) problems.push(...checkProfile(body.profile, schemaTypes()));
              if (problems.length) {
                return fail(request, reply, 400, validationMessage(problems), { details: problems });
              }
              const contactIds =
                body.contactIds === undefined ? undefined : unique(body.contactIds as string[]);
              if (contactIds) {
                const taken = contactIdConflicts(contactIds, p._id);
                if (taken.length) {
                  return fail(
                    request,
                    reply,
                    409,
                    'A profile with one of these contact ids already exists.',
                    {
                      details: taken,
                    },
                  );
                }
                p.contactIds = contactIds;
              }
              // Assumed: `profile` is merged key by key into the stored one (the docs do not say merge
              // or replace); a key sent as null is stored as null.
              if (body.profile !== undefined) {
                const incoming = plainData(body.profile) as Record<string, unknown>;
                for (const [k, v] of Object.entries(incoming)) p.profile[k] = v;
              }
              if (body.active !== undefined) p.active = body.active as boolean;
              p.lastChanged = Math.floor(Date.now() / 1000);
              p.lastChangedBy = API_KEY_USER_ID;
              return {};
            },
          );

          api.delete<{ Params: { profileId: string } }>(
            `${prefix}/profiles/:profileId`,
            async (request, reply) => {
              const p = findProfile(request, reply, request.params.profileId);
              if (!p) return reply;
              state.profiles.delete(p._id);
              return reply.code(204).send();
            },
          );
        }
      });

      /** The profile, or undefined after answering 400 (malformed id) or 404. */
      function findProfile(request: FastifyRequest, reply: FastifyReply, id: string) {
        if (!MONGO_ID.test(id)) {
          fail(request, reply, 400, 'Validation failed. profileId must be 24 lower-case letters or digits.', {
            details: [{ field: 'profileId', message: 'must match ^[a-z0-9]{24}$' }],
          });
          return undefined;
        }
        const p = state.profiles.get(id);
        if (!p || p.projectId !== state.projectId) {
          fail(request, reply, 404, `Profile ${id} not found.`);
          return undefined;
        }
        return p;
      }

      return {
        state: () => state,
        reset: () => {
          state = initialState();
        },
        // API keys are long-lived and not rotated by the emulator: there is nothing to revoke.
        revokeTokens: () => {},
      };
    },
  );
}

// ---- validation ----

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

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

/** Each key must be in the schema and each value of the schema's type (null is accepted for any). */
export function checkProfile(value: unknown, types: Map<string, string>): CognigyDetail[] {
  if (!isPlainObject(value)) return [{ field: 'profile', message: 'must be an object' }];
  const problems: CognigyDetail[] = [];
  for (const [key, v] of Object.entries(value)) {
    const field = `profile.${key}`;
    const type = types.get(key);
    if (type === undefined) {
      problems.push({ field, message: 'is not a field of the project profile schema' });
      continue;
    }
    if (v === null) continue;
    const actual = Array.isArray(v) ? 'array' : typeof v;
    const ok =
      type === 'object' ? typeof v === 'object' : type === 'number' ? typeof v === 'number' : actual === type;
    if (!ok) {
      problems.push({ field, message: `must be of type ${type}, got ${actual}` });
    } else if (typeof v === 'number' && !(Number.isFinite(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER)) {
      problems.push({ field, message: 'must be a finite number within ±9007199254740991' });
    }
  }
  return problems;
}

function checkSchema(value: unknown): { entries: CognigySchemaEntry[] } | { problems: CognigyDetail[] } {
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
    } else if (seen.has(e.internal)) {
      problems.push({ field: `${at}.internal`, message: `${e.internal} is used twice` });
    } else {
      seen.add(e.internal);
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

function validationMessage(problems: CognigyDetail[]): string {
  return `Validation failed. ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`;
}

// ---- listing ----

interface SortSpec {
  field: '_id' | 'createdAt' | 'lastChanged';
  descending: boolean;
  /** As written in the query, kept in cursors so that a cursor is only used with its own sort. */
  text: string;
}

interface ListQuery {
  limit: number;
  skip: number;
  sort: SortSpec;
  filter?: string;
  projectId?: string;
  next?: string;
  previous?: string;
}

function parseListQuery(q: Record<string, unknown>): ListQuery | { problems: CognigyDetail[] } {
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

/** A contact id equal to the filter, or a string value of the profile containing it (both ignoring case). */
function matchesFilter(p: CognigyStoredProfile, filter: string): boolean {
  const f = filter.toLowerCase();
  if (p.contactIds.some((c) => c.toLowerCase() === f)) return true;
  return Object.values(p.profile).some((v) => typeof v === 'string' && v.toLowerCase().includes(f));
}

/** Orders by the sort field, then by `_id`, so that every position is unique. */
function comparator(sort: SortSpec) {
  const sign = sort.descending ? -1 : 1;
  return (a: CognigyStoredProfile, b: CognigyStoredProfile): number => {
    const x = a[sort.field];
    const y = b[sort.field];
    const byField = x < y ? -1 : x > y ? 1 : 0;
    const byId = a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
    return sign * (byField || byId);
  };
}

/** Opaque to clients: the position of one item under one sort. */
function encodeCursor(p: CognigyStoredProfile, field: SortSpec['field'], sortText: string): string {
  return Buffer.from(JSON.stringify({ s: sortText, v: p[field], id: p._id })).toString('base64url');
}

function decodeCursor(text: string, sortText: string): { value: string | number; id: string } | undefined {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (c.s !== sortText || typeof c.id !== 'string') return undefined;
    if (typeof c.v !== 'string' && typeof c.v !== 'number') return undefined;
    return { value: c.v, id: c.id };
  } catch {
    return undefined;
  }
}

// ---- shapes ----

function toProfile(p: CognigyStoredProfile) {
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
function toIndexItem(p: CognigyStoredProfile) {
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
function toSchema(entries: CognigySchemaEntry[]) {
  const schema: Record<string, string> = Object.create(null);
  for (const e of entries) schema[e.internal] = e.type;
  return { schema, details: entries.map((e) => ({ ...e })) };
}

// ---- data ----

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

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** A Mongo-ObjectId-like id: 24 lower-case hex digits, time first. */
function newId(): string {
  const seconds = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  return seconds + randomBytes(8).toString('hex');
}
