import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { definePlatform, type PlatformContext, type PlatformEmulator } from '../common/platform.js';
import { basicCredentials, bearerToken } from '../common/platform-server.js';
import { registerAnalyticsRoutes } from './analytics.js';
import { registerConversationAdmin, registerConversationRoutes } from './conversations.js';
import { registerExternalContactRoutes } from './external-contacts.js';
import type { GenesysRouteContext } from './route-helpers.js';
import { GenesysState } from './state.js';

export { type AnalyticsJob, GenesysState, type GenesysToken } from './state.js';

/** Genesys Cloud's documented ErrorBody: message, code, status, messageParams, contextId, details, errors. */
export function genesysErrorBody(status: number, code: string, message: string, correlationId: string) {
  return { message, code, status, messageParams: {}, contextId: correlationId, details: [], errors: [] };
}

/**
 * Genesys Cloud: the login service (`/oauth/token`) and the Platform API (`/api/v2/…`) on one server.
 */
export function createGenesysEmulator(ctx: PlatformContext): PlatformEmulator<GenesysState> {
  const { seed, options } = ctx;
  return definePlatform<GenesysState>(
    ctx,
    { name: 'genesys', correlationHeader: 'ININ-Correlation-Id', errorBody: genesysErrorBody },
    1,
    ({ server, limitsOn, bucket }) => {
      const { app, sendError } = server;
      // One state object for the emulator's life: reset() reloads it in place, so references stay live.
      const state = new GenesysState(seed);
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
        if (!token || !t || t.expiresAt <= Date.now()) {
          return sendError(
            request,
            reply,
            401,
            'authentication.required',
            'No authentication bearer token specified in authorization header.',
          );
        }
        if (limitsOn()) {
          const d = perToken.take(token);
          if (!d.allowed) {
            return sendError(
              request,
              reply,
              429,
              'too.many.requests.retry.after',
              `Rate limit exceeded the maximum. Retry the request in [${d.retryAfterSeconds}] seconds`,
              { 'retry-after': String(d.retryAfterSeconds) },
            );
          }
        }
      }

      // The emulator's own admin route, beside the shared /__admin ones: new conversations for
      // incremental-sync tests.
      registerConversationAdmin(app, routes);

      // Every /api/v2 route is registered in here, behind the bearer check and the per-token limit.
      app.register(async (api) => {
        api.addHook('preHandler', authorize);

        api.get('/api/v2/tokens/me', async (request) => {
          const t = state.tokens.get(bearerToken(request)!)!;
          return {
            name: 'cx-profile-sync client',
            organization: { id: seed.cxone.tenantId, name: 'Emulated org' },
            OAuthClient: { id: t.clientId, name: 'cx-profile-sync' },
            expiresAt: new Date(t.expiresAt).toISOString(),
          };
        });

        registerConversationRoutes(api, routes);
        registerExternalContactRoutes(api, routes);
        registerAnalyticsRoutes(api, routes);
      });

      return {
        state: () => state,
        reset: () => state.reset(),
        revokeTokens: () => state.tokens.clear(),
      };
    },
  );
}
