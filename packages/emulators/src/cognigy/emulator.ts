import type { FastifyReply, FastifyRequest } from 'fastify';
import { definePlatform, type PlatformContext, type PlatformEmulator } from '../common/platform.js';
import { cognigyErrorBody, sendCognigyError } from './errors.js';
import { registerProfileRoutes } from './profiles.js';
import { registerSchemaRoutes } from './schema.js';
import { type CognigyState, initialCognigyState } from './state.js';

export { type CognigyDetail, cognigyErrorBody } from './errors.js';
export { type CognigyState, type CognigyStoredProfile, plainData } from './state.js';
export { checkProfile } from './validate.js';

/** 60 kB, the documented largest JSON body. */
export const COGNIGY_BODY_LIMIT = 61_440;
const PREFIXES = ['/new/v2.0', '/v2.0'] as const;

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
      let state = initialCognigyState(seed);
      const perAddress = bucket({
        capacity: options.cognigy.requestsPer5MinutesPerAddress,
        windowMs: 5 * 60_000,
      });

      /** The per-address limit, then the API key (header `X-API-Key` or query `api_key`). */
      async function authorize(request: FastifyRequest, reply: FastifyReply) {
        if (limitsOn()) {
          const d = perAddress.take(request.ip);
          if (!d.allowed) {
            return sendCognigyError(
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
          return sendCognigyError(
            request,
            reply,
            401,
            key === undefined ? 'No API key was supplied.' : 'The API key is not valid.',
          );
        }
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
          registerProfileRoutes(api, prefix, () => state, options.cognigy.profileMaxBytes);
          registerSchemaRoutes(api, prefix, () => state);
        }
      });

      return {
        state: () => state,
        reset: () => {
          state = initialCognigyState(seed);
        },
        // API keys are long-lived and not rotated by the emulator: there is nothing to revoke.
        revokeTokens: () => {},
      };
    },
  );
}
