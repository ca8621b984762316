import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { definePlatform, type PlatformContext, type PlatformEmulator } from '../common/platform.js';
import { basicCredentials, bearerToken } from '../common/platform-server.js';
import { SeededRandom } from '../common/random.js';
import { registerAnalyticsAdmin, registerAnalyticsRoutes } from './analytics.js';
import { registerConversationAdmin, registerConversationRoutes } from './conversations.js';
import { GENESYS_TOKEN_RATE_LIMIT, genesysErrorBody, genesysStatusError } from './error-body.js';
import { GenesysEvents } from './events/hub.js';
import { registerEventAdmin, registerNotificationRoutes } from './events/routes.js';
import { registerExternalContactRoutes } from './external-contacts.js';
import type { GenesysRouteContext } from './route-helpers.js';
import { GenesysState } from './state.js';

export {
  GENESYS_TOKEN_RATE_LIMIT,
  type GenesysErrorExtras,
  genesysErrorBody,
  genesysStatusError,
} from './error-body.js';
export { type AnalyticsJob, GenesysState, GenesysStateError, type GenesysToken } from './state.js';

/** The scopes the emulated client-credentials token is authorized for (assumed: the reads a sync makes). */
export const GENESYS_CLIENT_SCOPES = ['analytics:readonly', 'conversations', 'external-contacts:readonly'];

/**
 * Genesys Cloud: the login service (`/oauth/token`) and the Platform API (`/api/v2/…`) on one server.
 */
export function createGenesysEmulator(ctx: PlatformContext): PlatformEmulator<GenesysState> {
  const { seed, options } = ctx;
  return definePlatform<GenesysState>(
    ctx,
    {
      name: 'genesys',
      correlationHeader: 'ININ-Correlation-Id',
      errorBody: genesysErrorBody,
      statusError: genesysStatusError,
    },
    1,
    ({ server, faults, limitsOn, bucket }) => {
      const { app, sendError } = server;
      let baseUrl: string | undefined;
      // Its own seeded source, so that delivery jitter does not shift the probabilistic faults' draws.
      const eventRandom = new SeededRandom((seed.options.seed ?? 42) * 31 + 1001);
      const events = new GenesysEvents({
        orgId: seed.genesys.organization.id,
        options: options.genesys.events,
        random: () => eventRandom.next(),
        baseUrl: () => baseUrl,
      });
      // One state object for the emulator's life: reset() reloads it in place, so references stay live.
      const state = new GenesysState(seed, options.genesys.watermark, events);
      const routes: GenesysRouteContext = { state, sendError, options };
      const perToken = bucket({ capacity: options.genesys.requestsPerMinutePerToken, windowMs: 60_000 });

      // ---- login service ----
      app.post('/oauth/token', async (request, reply) => {
        const body = (request.body ?? {}) as Record<string, string>;
        const oauthError = (status: number, error: string, description: string) =>
          reply.code(status).send({ error, description, error_description: description });
        if (body.grant_type !== 'client_credentials') {
          return oauthError(
            400,
            'unsupported_grant_type',
            `Unsupported grant type: ${body.grant_type ?? '(none)'}`,
          );
        }
        const basic = basicCredentials(request);
        const id = basic?.id ?? body.client_id;
        const secret = basic?.secret ?? body.client_secret;
        if (id !== seed.genesys.clientId || secret !== seed.genesys.clientSecret) {
          return oauthError(401, 'invalid_client', 'client id or secret is wrong');
        }
        const token = randomBytes(32).toString('base64url');
        const expiresIn = options.genesys.tokenExpiresIn;
        state.tokens.set(token, { clientId: id, expiresAt: Date.now() + expiresIn * 1000 });
        return { access_token: token, token_type: 'bearer', expires_in: expiresIn };
      });

      /** Bearer auth and the per-token rate limit, shared by every /api/v2 route. */
      async function authorize(request: FastifyRequest, reply: FastifyReply) {
        const token = bearerToken(request);
        const t = token ? state.tokens.get(token) : undefined;
        // No token, a token never issued (or revoked), an expired one: three codes (assumed messages).
        if (!token)
          return sendError(
            request,
            reply,
            401,
            'authentication.required',
            'No authentication bearer token specified in authorization header.',
          );
        if (!t) return sendError(request, reply, 401, 'bad.credentials', 'Invalid login credentials.');
        if (t.expiresAt <= Date.now())
          return sendError(request, reply, 401, 'credentials.expired', 'The access token has expired.');
        if (limitsOn()) {
          const d = perToken.take(token);
          if (!d.allowed) {
            const value = options.genesys.requestsPerMinutePerToken;
            const template = 'Rate limit exceeded the maximum. Retry the request in [{retryAfter}] seconds';
            const retryAfter = String(d.retryAfterSeconds);
            return reply
              .code(429)
              .header('retry-after', retryAfter)
              .send(
                genesysErrorBody(
                  429,
                  'too.many.requests.retry.after',
                  template.replace('{retryAfter}', retryAfter),
                  request.correlationId,
                  {
                    messageWithParams: template,
                    messageParams: { retryAfter },
                    limit: { ...GENESYS_TOKEN_RATE_LIMIT, value },
                  },
                ),
              );
          }
        }
      }

      // The emulator's own admin route, beside the shared /__admin ones: new conversations for
      // incremental-sync tests.
      registerConversationAdmin(app, routes);
      registerAnalyticsAdmin(app, routes);
      registerEventAdmin(app, routes);

      // The Notifications API's WebSockets (`connectUri`) share the server: `/channels/<id>`.
      app.server.on('upgrade', (req, socket, head) => {
        events.notifications
          .handleUpgrade(req, socket, head, (method, path) => faults.match(method, path))
          .catch(() => socket.destroy());
      });
      // Before the server closes: open sockets would hold it, pending deliveries outlive it.
      app.addHook('preClose', async () => events.close());

      // Every /api/v2 route is registered in here, behind the bearer check and the per-token limit.
      app.register(async (api) => {
        api.addHook('preHandler', authorize);
        // The SDK sends body-less POSTs (postNotificationsChannels) as application/json; the Platform
        // API takes them, so an empty JSON body is no body here rather than Fastify's 400.
        const json = api.getDefaultJsonParser('ignore', 'ignore');
        api.removeContentTypeParser('application/json');
        api.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
          if (body === '') return done(null, undefined);
          return json(request, body as string, done);
        });

        // TokenInfo: the organization, the token's home organization, the OAuth client (an
        // OrgOAuthClient), its scopes and when the token idles. `clonedUser` comes only with a trustee's
        // clone, never with client credentials, so it is left out.
        api.get('/api/v2/tokens/me', async (request) => {
          const t = state.tokens.get(bearerToken(request)!)!;
          const organization = { ...seed.genesys.organization };
          return {
            organization,
            homeOrganization: { ...organization },
            authorizedScope: [...GENESYS_CLIENT_SCOPES],
            dateTokenIdles: new Date(t.expiresAt).toISOString(),
            OAuthClient: {
              id: t.clientId,
              name: seed.genesys.clientName,
              authorizedGrantType: 'CLIENT-CREDENTIALS',
              organization: { ...organization },
            },
          };
        });

        registerConversationRoutes(api, routes);
        registerExternalContactRoutes(api, routes);
        registerAnalyticsRoutes(api, routes);
        registerNotificationRoutes(api, routes);
      });

      return {
        state: () => state,
        reset: () => state.reset(),
        revokeTokens: () => state.tokens.clear(),
        setBaseUrl: (url) => {
          baseUrl = url;
        },
      };
    },
  );
}
