import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type CognigyDetail, ERROR_CODES, sendCognigyError, validationMessage } from './errors.js';
import { listProfiles } from './list.js';
import {
  API_KEY_USER_ID,
  type CognigyState,
  type CognigyStoredProfile,
  newProfileId,
  plainData,
  toProfile,
} from './state.js';
import {
  checkProfileCreate,
  checkProfileUpdate,
  inSchemaSpelling,
  isPlainObject,
  MONGO_ID,
  parseListQuery,
  profileBytes,
  type SchemaFields,
  schemaFields,
} from './validate.js';

/**
 * Contact profiles under one prefix: list, create, read, update, delete. A stored profile holds at
 * most `profileMaxBytes` of JSON (its `profile` object after the write).
 */
export function registerProfileRoutes(
  api: FastifyInstance,
  prefix: string,
  current: () => CognigyState,
  profileMaxBytes: number,
) {
  const schemaTypes = (state: CognigyState) => schemaFields(state.schema);

  /** Answers the cap's error (assumed: a 400 like the other validation errors) when `profile` is past it. */
  const tooLarge = (request: FastifyRequest, reply: FastifyReply, profile: Record<string, unknown>) => {
    const size = profileBytes(profile);
    if (size <= profileMaxBytes) return false;
    sendCognigyError(
      request,
      reply,
      400,
      `Validation failed. The contact profile would be ${size} bytes, larger than the ${profileMaxBytes} bytes a profile may hold.`,
      {
        code: ERROR_CODES.invalidArgument,
        details: [
          {
            field: 'profile',
            message: `must not be larger than ${profileMaxBytes} bytes (would be ${size})`,
          },
        ],
      },
    );
    return true;
  };

  api.get(`${prefix}/profiles`, async (request, reply) => {
    const parsed = parseListQuery(request.query as Record<string, unknown>);
    if ('problems' in parsed) {
      return sendCognigyError(request, reply, 400, 'Validation failed. The query is invalid.', {
        details: parsed.problems,
      });
    }
    const page = listProfiles(current().profiles.values(), parsed);
    if ('badCursor' in page) {
      return sendCognigyError(request, reply, 400, 'Validation failed. The cursor is invalid.', {
        details: [{ field: page.badCursor, message: 'is not a valid cursor' }],
      });
    }
    return page;
  });

  api.post(`${prefix}/profiles`, async (request, reply) => {
    const state = current();
    const body = request.body;
    if (!isPlainObject(body) || Object.keys(body).length === 0) {
      return sendCognigyError(request, reply, 400, 'Validation failed. Missing payload.', {
        code: ERROR_CODES.missingArgument,
      });
    }
    const fields = schemaTypes(state);
    const problems = checkProfileCreate(body, state.projectId, fields);
    if (problems.length) {
      return sendCognigyError(request, reply, 400, validationMessage(problems), { details: problems });
    }
    const profile = asStored(body.profile ?? {}, fields);
    if (tooLarge(request, reply, profile)) return reply;
    const contactIds = unique(body.contactIds as string[]);
    const taken = contactIdConflicts(state, contactIds);
    if (taken.length) {
      return sendCognigyError(
        request,
        reply,
        409,
        'A profile with one of these contact ids already exists.',
        {
          details: taken,
        },
      );
    }
    const now = Math.floor(Date.now() / 1000);
    const stored: CognigyStoredProfile = {
      _id: newProfileId(),
      projectId: state.projectId,
      contactIds,
      active: body.active === undefined ? true : (body.active as boolean),
      profile,
      createdAt: now,
      lastChanged: now,
      createdBy: API_KEY_USER_ID,
      lastChangedBy: API_KEY_USER_ID,
    };
    state.profiles.set(stored._id, stored);
    return reply.code(201).send(toProfile(stored));
  });

  api.get<{ Params: { profileId: string } }>(`${prefix}/profiles/:profileId`, async (request, reply) => {
    const p = findProfile(current(), request, reply, request.params.profileId);
    return p ? toProfile(p) : reply;
  });

  api.patch<{ Params: { profileId: string } }>(`${prefix}/profiles/:profileId`, async (request, reply) => {
    const state = current();
    const p = findProfile(state, request, reply, request.params.profileId);
    if (!p) return reply;
    const body = request.body;
    if (!isPlainObject(body) || Object.keys(body).length === 0) {
      return sendCognigyError(request, reply, 400, 'Validation failed. Missing payload.', {
        code: ERROR_CODES.missingArgument,
      });
    }
    const fields = schemaTypes(state);
    const problems = checkProfileUpdate(body, fields);
    if (problems.length) {
      return sendCognigyError(request, reply, 400, validationMessage(problems), { details: problems });
    }
    // Assumed: `profile` is merged key by key into the stored one (the docs do not say merge or
    // replace); a key sent as null is stored as null. Keys are stored in the schema's spelling, and a
    // stored key in another spelling of the same field is replaced. The merged profile must fit the cap.
    let merged: Record<string, unknown> | undefined;
    if (body.profile !== undefined) {
      merged = Object.assign(Object.create(null), p.profile) as Record<string, unknown>;
      for (const [k, v] of Object.entries(asStored(body.profile, fields))) {
        for (const old of Object.keys(merged))
          if (old !== k && old.toLowerCase() === k.toLowerCase()) delete merged[old];
        merged[k] = v;
      }
      if (tooLarge(request, reply, merged)) return reply;
    }
    const contactIds = body.contactIds === undefined ? undefined : unique(body.contactIds as string[]);
    if (contactIds) {
      const taken = contactIdConflicts(state, contactIds, p._id);
      if (taken.length) {
        return sendCognigyError(
          request,
          reply,
          409,
          'A profile with one of these contact ids already exists.',
          { details: taken },
        );
      }
      p.contactIds = contactIds;
    }
    if (merged !== undefined) p.profile = merged;
    if (body.active !== undefined) p.active = body.active as boolean;
    p.lastChanged = Math.floor(Date.now() / 1000);
    p.lastChangedBy = API_KEY_USER_ID;
    return {};
  });

  api.delete<{ Params: { profileId: string } }>(`${prefix}/profiles/:profileId`, async (request, reply) => {
    const state = current();
    const p = findProfile(state, request, reply, request.params.profileId);
    if (!p) return reply;
    state.profiles.delete(p._id);
    return reply.code(204).send();
  });
}

/** A checked `profile` as stored: plain data, keys in the schema's spelling. */
function asStored(profile: unknown, fields: SchemaFields): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of inSchemaSpelling(plainData(profile) as Record<string, unknown>, fields)) out[k] = v;
  return out;
}

/** The profile, or undefined after answering 400 (malformed id) or 404. */
function findProfile(state: CognigyState, request: FastifyRequest, reply: FastifyReply, id: string) {
  if (!MONGO_ID.test(id)) {
    sendCognigyError(
      request,
      reply,
      400,
      'Validation failed. profileId must be 24 lower-case letters or digits.',
      { details: [{ field: 'profileId', message: 'must match ^[a-z0-9]{24}$' }] },
    );
    return undefined;
  }
  const p = state.profiles.get(id);
  if (!p || p.projectId !== state.projectId) {
    sendCognigyError(request, reply, 404, `Profile ${id} not found.`);
    return undefined;
  }
  return p;
}

/** Contact ids that another profile of the project holds (named by index: they are personal data). */
function contactIdConflicts(state: CognigyState, contactIds: string[], exceptId?: string): CognigyDetail[] {
  const taken = new Set<string>();
  for (const p of state.profiles.values()) {
    if (p._id === exceptId || p.projectId !== state.projectId) continue;
    for (const c of p.contactIds) taken.add(c);
  }
  return contactIds.flatMap((c, i) =>
    taken.has(c) ? [{ field: `contactIds[${i}]`, message: 'belongs to another profile' }] : [],
  );
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
