import type { FastifyReply, FastifyRequest } from 'fastify';
import { definePlatform, type PlatformContext, type PlatformEmulator } from '../common/platform.js';
import { bearerToken } from '../common/platform-server.js';
import { registerCxoneAuth } from './auth.js';
import { dfoErrorBody, registerDfoRoutes } from './dfo.js';
import { type CxoneState, initialCxoneState } from './state.js';

export type { CxoneAccessToken, CxoneState, CxoneStoredCustomer, CxoneStoredField } from './state.js';

/**
 * NICE CXone: the issuer (`/.well-known/openid-configuration`, `/auth/token`, `/auth/jwks`), the API
 * host discovery (`/.well-known/cxone-configuration`) and the Digital API (`/dfo/3.0/…`) on one server.
 * The real issuer, API host and DFO host are three hosts; here they share one base URL.
 */
export function createCxoneEmulator(ctx: PlatformContext): PlatformEmulator<CxoneState> {
  const { seed, options } = ctx;
  return definePlatform<CxoneState>(
    ctx,
    { name: 'cxone', correlationHeader: 'CorrelationId', errorBody: dfoErrorBody },
    2,
    ({ server, limitsOn, bucket }) => {
      const { app, sendError } = server;
      let state = initialCxoneState(seed);
      let baseUrl = 'http://127.0.0.1';
      const hour = 3_600_000;
      // Digital Engagement limits: per tenant by kind of call, and a burst per customer for writes.
      const tenantUpdates = bucket({ capacity: options.cxone.updatesPerHour, windowMs: hour });
      const tenantGets = bucket({ capacity: options.cxone.getsPerHour, windowMs: hour });
      const customerWrites = bucket({
        capacity: options.cxone.customerBurst,
        windowMs: 60_000,
        refillPerWindow: options.cxone.customerRefillPerMinute,
      });

      registerCxoneAuth({ server, seed, options, state: () => state, baseUrl: () => baseUrl });

      /** Bearer auth and the limits, shared by every /dfo/3.0 route. */
      async function authorize(request: FastifyRequest, reply: FastifyReply) {
        const token = bearerToken(request);
        const t = token ? state.tokens.get(token) : undefined;
        if (!token || !t || t.expiresAt <= Date.now()) {
          return sendError(
            request,
            reply,
            401,
            'Unauthorized',
            'The access token is missing, expired or revoked',
          );
        }
        if (!limitsOn()) return;
        const isRead = request.method === 'GET';
        const decisions = [(isRead ? tenantGets : tenantUpdates).take(seed.cxone.tenantId)];
        const customerId = (request.params as { customerId?: string } | undefined)?.customerId;
        if (!isRead && customerId !== undefined) decisions.push(customerWrites.take(customerId));
        for (const d of decisions) {
          if (!d.allowed) {
            return sendError(
              request,
              reply,
              429,
              'TooManyRequests',
              `Rate limit exceeded; retry after ${d.retryAfterSeconds} seconds`,
              { 'retry-after': String(d.retryAfterSeconds) },
            );
          }
        }
      }

      app.register(async (api) => {
        api.addHook('preHandler', authorize);
        registerDfoRoutes(api, server, () => state);
      });

      return {
        state: () => state,
        reset: () => {
          state = initialCxoneState(seed);
        },
        revokeTokens: () => {
          state.tokens.clear();
          state.refreshTokens.clear();
        },
        setBaseUrl: (url) => {
          baseUrl = url;
        },
      };
    },
  );
}
