import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GENESYS_PARTICIPANT_PURPOSES, type SeedConversation, type SeedParticipant } from '../seed/seed.js';
import { sendGenesysError } from './error-body.js';
import { type GenesysRouteContext, isPlainObject } from './route-helpers.js';
import { GenesysStateError } from './state.js';

/** `GET /api/v2/conversations/{id}` and `PATCH …/participants/{pid}/attributes`. */
export function registerConversationRoutes(api: FastifyInstance, { state, sendError }: GenesysRouteContext) {
  api.get<{ Params: { id: string } }>('/api/v2/conversations/:id', async (request, reply) => {
    const c = state.conversations.get(request.params.id);
    if (!c) return conversationNotFound(request, reply, request.params.id);
    return toConversation(c);
  });

  api.patch<{ Params: { id: string; pid: string } }>(
    '/api/v2/conversations/:id/participants/:pid/attributes',
    async (request, reply) => {
      const { id, pid } = request.params;
      const c = state.conversations.get(id);
      if (!c) return conversationNotFound(request, reply, id);
      const p = c.participants.find((x) => x.id === pid);
      if (!p)
        return sendGenesysError(
          request,
          reply,
          404,
          'not.found',
          `Participant ${pid} not found in conversation ${id}`,
          {
            entityId: pid,
            messageWithParams: 'Participant {participantId} not found in conversation {conversationId}',
            messageParams: { participantId: pid, conversationId: id },
          },
        );
      const body = request.body;
      if (!isPlainObject(body) || !isPlainObject(body.attributes)) {
        return sendError(
          request,
          reply,
          400,
          'bad.request',
          'The request body must be {"attributes":{…}} with string values',
        );
      }
      const entries = Object.entries(body.attributes);
      const bad = entries.find(([, v]) => typeof v !== 'string');
      if (bad) {
        // Which field of which participant, as the ErrorBody's details say it (assumed wording).
        return sendGenesysError(
          request,
          reply,
          400,
          'invalid.value',
          `Attribute "${bad[0]}" must be a string, got ${bad[1] === null ? 'null' : typeof bad[1]}`,
          {
            entityId: pid,
            ...(p.name ? { entityName: p.name } : {}),
            details: [
              {
                errorCode: 'invalid.value',
                fieldName: `attributes.${bad[0]}`,
                entityId: pid,
                ...(p.name ? { entityName: p.name } : {}),
              },
            ],
          },
        );
      }
      // A merge: keys not sent keep their values. Keys such as "__proto__" are stored as data. The
      // state publishes the attributes event; deliveries run after this answer, never before it.
      state.patchParticipantAttributes(id, pid, body.attributes as Record<string, string>);
      return reply.code(202).send();
    },
  );
}

/** The 404 of an unknown conversation, naming it (`entityId`, and the message's parameter). */
function conversationNotFound(request: FastifyRequest, reply: FastifyReply, id: string) {
  return sendGenesysError(request, reply, 404, 'not.found', `Conversation ${id} not found`, {
    entityId: id,
    messageWithParams: 'Conversation {conversationId} not found',
    messageParams: { conversationId: id },
  });
}

/** `POST /__admin/conversations`: adds conversations (the seed's shape) as new calls would. */
export function registerConversationAdmin(app: FastifyInstance, { state, sendError }: GenesysRouteContext) {
  app.post('/__admin/conversations', { bodyLimit: 256 * 1024 * 1024 }, async (request, reply) => {
    const body = request.body;
    if (!Array.isArray(body))
      return sendError(request, reply, 400, 'bad.request', 'The body must be an array of conversations');
    const conversations: SeedConversation[] = [];
    for (const [i, item] of body.entries()) {
      const problem = checkSeedConversation(item);
      if (problem) return sendError(request, reply, 400, 'bad.request', `conversations[${i}]: ${problem}`);
      const c = item as SeedConversation;
      conversations.push({ ...c, customerIndex: c.customerIndex ?? -1 });
    }
    state.addConversations(conversations);
    return reply.code(201).send({ added: conversations.length, total: state.conversations.size });
  });

  // Ends a conversation now and publishes `…customer.end` (body, optional: {disconnectType}).
  app.post<{ Params: { id: string } }>('/__admin/conversations/:id/end', async (request, reply) => {
    const body = (request.body ?? {}) as { disconnectType?: unknown };
    if (
      !isPlainObject(body) ||
      (body.disconnectType !== undefined && typeof body.disconnectType !== 'string')
    )
      return sendError(
        request,
        reply,
        400,
        'bad.request',
        'The body must be {} or {"disconnectType": string}',
      );
    try {
      const options = typeof body.disconnectType === 'string' ? { disconnectType: body.disconnectType } : {};
      return state.endConversation(request.params.id, options);
    } catch (e) {
      if (e instanceof GenesysStateError) return conversationNotFound(request, reply, request.params.id);
      throw e;
    }
  });
}

const PURPOSES = new Set<string>(GENESYS_PARTICIPANT_PURPOSES);
const MEDIA_TYPES = new Set<string>(['voice', 'chat', 'email', 'message']);
const OPTIONAL_STRINGS = [
  'name',
  'ani',
  'dnis',
  'address',
  'externalContactId',
  'queueId',
  'userId',
] as const;

/** Why `value` is not a `SeedConversation`, or undefined when it is one. */
export function checkSeedConversation(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'must be an object';
  if (typeof value.id !== 'string' || value.id === '') return 'id must be a non-empty string';
  for (const k of ['startTime', 'endTime'] as const) {
    if (typeof value[k] !== 'string' || Number.isNaN(Date.parse(value[k] as string)))
      return `${k} must be an ISO date-time`;
  }
  if (value.customerIndex !== undefined && typeof value.customerIndex !== 'number')
    return 'customerIndex must be a number';
  if (!Array.isArray(value.participants)) return 'participants must be an array';
  for (const [j, p] of value.participants.entries()) {
    const where = `participants[${j}]`;
    if (!isPlainObject(p)) return `${where} must be an object`;
    if (typeof p.id !== 'string' || p.id === '') return `${where}.id must be a non-empty string`;
    if (typeof p.purpose !== 'string' || !PURPOSES.has(p.purpose))
      return `${where}.purpose must be one of ${[...PURPOSES].join(', ')}`;
    if (typeof p.mediaType !== 'string' || !MEDIA_TYPES.has(p.mediaType))
      return `${where}.mediaType must be one of ${[...MEDIA_TYPES].join(', ')}`;
    for (const k of ['startTime', 'endTime'] as const) {
      if (typeof p[k] !== 'string') return `${where}.${k} must be an ISO date-time`;
    }
    for (const k of OPTIONAL_STRINGS) {
      if (p[k] !== undefined && typeof p[k] !== 'string') return `${where}.${k} must be a string`;
    }
    if (!isPlainObject(p.attributes)) return `${where}.attributes must be an object`;
    for (const [k, v] of Object.entries(p.attributes)) {
      if (typeof v !== 'string') return `${where}.attributes["${k}"] must be a string`;
    }
  }
  return undefined;
}

/** The Platform API's Conversation shape for GET /api/v2/conversations/{id}. */
export function toConversation(c: SeedConversation) {
  return {
    id: c.id,
    startTime: c.startTime,
    endTime: c.endTime,
    participants: c.participants.map((p) => ({
      id: p.id,
      purpose: p.purpose,
      name: p.name,
      ani: p.ani,
      dnis: p.dnis,
      address: p.address,
      externalContactId: p.externalContactId,
      queueId: p.queueId,
      userId: p.userId,
      startTime: p.startTime,
      endTime: p.endTime,
      attributes: p.attributes,
      // The media's own list (calls/chats/…) holds the session details.
      [mediaList(p)]: [{ state: 'terminated', direction: 'inbound' }],
    })),
    selfUri: `/api/v2/conversations/${c.id}`,
  };
}

function mediaList(p: SeedParticipant): string {
  switch (p.mediaType) {
    case 'voice':
      return 'calls';
    case 'chat':
      return 'chats';
    case 'email':
      return 'emails';
    default:
      return 'messages';
  }
}
