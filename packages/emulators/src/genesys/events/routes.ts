import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from '../../common/platform-server.js';
import { sendGenesysError } from '../error-body.js';
import { type GenesysRouteContext, isPlainObject } from '../route-helpers.js';
import type { DestinationInput } from './destinations.js';
import type { AttributeEventPlan } from './generator.js';

const CHANNELS = '/api/v2/notifications/channels';

/**
 * The Notifications API: channels and their subscriptions (the WebSocket itself is served from the
 * HTTP server's upgrade, see notifications.ts). Registered behind the bearer check, so the token
 * names the OAuth client whose channels these are.
 */
export function registerNotificationRoutes(api: FastifyInstance, { state, sendError }: GenesysRouteContext) {
  const channels = () => state.events.notifications;
  const clientOf = (request: FastifyRequest) => state.tokens.get(bearerToken(request)!)!.clientId;

  /** The channel of the path, when it is the caller's; a 404 otherwise (another client's too). */
  function own(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply): boolean {
    const id = request.params.id;
    if (channels().clientOf(id) === clientOf(request)) return true;
    sendGenesysError(request, reply, 404, 'not.found', `Channel ${id} not found`, {
      entityId: id,
      messageWithParams: 'Channel {channelId} not found',
      messageParams: { channelId: id },
    });
    return false;
  }

  api.post(CHANNELS, async (request) =>
    channels().create(clientOf(request), bearerToken(request)!, request.headers.host),
  );

  // includechannels=token (default): this token's channels; oauthclient: every channel of the client.
  api.get<{ Querystring: { includechannels?: string } }>(CHANNELS, async (request, reply) => {
    const include = request.query.includechannels ?? 'token';
    if (include !== 'token' && include !== 'oauthclient')
      return sendError(request, reply, 400, 'bad.request', 'includechannels must be token or oauthclient');
    const filter = include === 'token' ? { token: bearerToken(request)! } : { clientId: clientOf(request) };
    return { entities: channels().list(filter, request.headers.host) };
  });

  api.head<{ Params: { id: string } }>(`${CHANNELS}/:id`, async (request, reply) => {
    if (!own(request, reply)) return reply;
    return reply.code(200).send();
  });

  api.get<{ Params: { id: string } }>(`${CHANNELS}/:id/subscriptions`, async (request, reply) => {
    if (!own(request, reply)) return reply;
    return {
      entities: channels()
        .topics(request.params.id)!
        .map((id) => ({ id })),
    };
  });

  for (const [method, mode] of [
    ['PUT', 'replace'],
    ['POST', 'add'],
  ] as const) {
    api.route<{ Params: { id: string } }>({
      method,
      url: `${CHANNELS}/:id/subscriptions`,
      handler: async (request, reply) => {
        if (!own(request, reply)) return reply;
        const result = channels().subscribe(request.params.id, request.body, mode);
        if (!result.ok) return sendError(request, reply, result.status, 'bad.request', result.message);
        return { entities: result.topics.map((id) => ({ id })) };
      },
    });
  }

  api.delete<{ Params: { id: string } }>(`${CHANNELS}/:id/subscriptions`, async (request, reply) => {
    if (!own(request, reply)) return reply;
    channels().unsubscribeAll(request.params.id);
    return reply.code(204).send();
  });
}

/** The emulator's own routes for events: destinations, stats, the generator, channel maintenance. */
export function registerEventAdmin(app: FastifyInstance, { state, sendError }: GenesysRouteContext) {
  const events = () => state.events;
  const bad = (request: FastifyRequest, reply: FastifyReply, message: string) =>
    sendError(request, reply, 400, 'bad.request', message);
  const missing = (request: FastifyRequest, reply: FastifyReply, message: string) =>
    sendError(request, reply, 404, 'not.found', message);

  // ---- EventBridge API destinations ----
  app.post('/__admin/event-destinations', async (request, reply) => {
    if (!isPlainObject(request.body))
      return bad(request, reply, 'The body must be {url, headerName?, apiKey, …}');
    try {
      return reply.code(201).send(events().destinations.add(request.body as unknown as DestinationInput));
    } catch (e) {
      return bad(request, reply, (e as Error).message);
    }
  });
  app.get('/__admin/event-destinations', async () => events().destinations.list());
  app.get<{ Params: { id: string } }>('/__admin/event-destinations/:id', async (request, reply) => {
    return events().destinations.get(request.params.id) ?? missing(request, reply, 'No such destination');
  });
  app.delete<{ Params: { id: string } }>('/__admin/event-destinations/:id', async (request, reply) => {
    if (!events().destinations.remove(request.params.id))
      return missing(request, reply, 'No such destination');
    return reply.code(204).send();
  });
  app.delete('/__admin/event-destinations', async (_request, reply) => {
    for (const d of events().destinations.list()) events().destinations.remove(d.id);
    return reply.code(204).send();
  });

  // ---- what was published and delivered ----
  app.get('/__admin/events', async () => events().recent());
  app.get('/__admin/events/stats', async () => events().stats());
  app.get('/__admin/events/undeliverable', async () => events().destinations.undeliverable());

  // ---- the generator (bench): attribute events for N conversations at R a second ----
  app.post('/__admin/events/generate', async (request, reply) => {
    if (!isPlainObject(request.body))
      return bad(request, reply, 'The body must be {conversations, ratePerSecond, burstMin?, burstMax?, …}');
    try {
      const run = state.generateAttributeEvents(request.body as unknown as AttributeEventPlan);
      return reply.code(202).send({ id: run.id, planned: run.planned, conversations: run.conversations });
    } catch (e) {
      return bad(request, reply, (e as Error).message);
    }
  });
  app.get<{ Params: { id: string } }>('/__admin/events/generate/:id', async (request, reply) => {
    const run = events().runs.get(request.params.id);
    return run ? run.progress() : missing(request, reply, 'No such generator run');
  });
  app.post<{ Params: { id: string } }>('/__admin/events/generate/:id/stop', async (request, reply) => {
    const run = events().runs.get(request.params.id);
    if (!run) return missing(request, reply, 'No such generator run');
    run.stop();
    return run.progress();
  });

  // ---- notification channels ----
  app.get('/__admin/notifications/channels', async () => events().notifications.views());
  // Maintenance: `v2.system.socket_closing` on the channel's socket, closed after graceMs.
  app.post<{ Params: { id: string } }>(
    '/__admin/notifications/channels/:id/socket-closing',
    async (request, reply) => {
      const body = (request.body ?? {}) as { graceMs?: unknown };
      if (
        !isPlainObject(body) ||
        (body.graceMs !== undefined && !(typeof body.graceMs === 'number' && body.graceMs >= 0))
      )
        return bad(request, reply, 'The body must be {} or {"graceMs": number >= 0}');
      const n = events().notifications;
      if (!n.has(request.params.id)) return missing(request, reply, 'No such channel');
      const grace = typeof body.graceMs === 'number' ? body.graceMs : undefined;
      if (!n.closeSocket(request.params.id, grace))
        return sendError(request, reply, 409, 'conflict', 'The channel has no open socket');
      return reply.code(202).send();
    },
  );
}
