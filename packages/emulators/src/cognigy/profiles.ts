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
  isPlainObject,
  MONGO_ID,
  parseListQuery,
} from './validate.js';

/** Contact profiles under one prefix: list, create, read, update, delete. */
export function registerProfileRoutes(api: FastifyInstance, prefix: string, current: () => CognigyState) {
  const schemaTypes = (state: CognigyState) => new Map(state.schema.map((e) => [e.internal, e.type]));

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
    const problems = checkProfileCreate(body, state.projectId, schemaTypes(state));
    if (problems.length) {
      return sendCognigyError(request, reply, 400, validationMessage(problems), { details: problems });
    }
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
      profile: plainData(body.profile ?? {}) as Record<string, unknown>,
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
    const problems = checkProfileUpdate(body, schemaTypes(state));
    if (problems.length) {
      return sendCognigyError(request, reply, 400, validationMessage(problems), { details: problems });
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
    // Assumed: `profile` is merged key by key into the stored one (the docs do not say merge or
    // replace); a key sent as null is stored as null.
    if (body.profile !== undefined) {
      const incoming = plainData(body.profile) as Record<string, unknown>;
      for (const [k, v] of Object.entries(incoming)) p.profile[k] = v;
    }
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
