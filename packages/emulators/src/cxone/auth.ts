import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import type { PlatformServer } from '../common/platform-server.js';
import { basicCredentials } from '../common/platform-server.js';
import type { ResolvedOptions } from '../options.js';
import type { SeedData } from '../seed/seed.js';
import type { CxoneState } from './state.js';

/** The id_token signing key; the JWKS publishes its public half. */
interface SigningKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** Generated once per emulator (RS256, as the real issuer signs). */
function createSigningKey(): Promise<SigningKey> {
  const kid = `emulator-${randomBytes(6).toString('hex')}`;
  const key = generateKeyPair('RS256').then(async ({ privateKey, publicKey }) => ({
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  }));
  // Handlers await it; this only keeps a failure from being reported as unhandled before then.
  key.catch(() => {});
  return key;
}

/**
 * The CXone issuer: OpenID discovery, the token endpoint (password grant with an access key, client
 * authenticated by HTTP Basic), the JWKS, and the tenant's API host discovery.
 */
export function registerCxoneAuth(parts: {
  server: PlatformServer;
  seed: SeedData;
  options: ResolvedOptions;
  state: () => CxoneState;
  baseUrl: () => string;
}): void {
  const { server, seed, options, state, baseUrl } = parts;
  const app: FastifyInstance = server.app;
  const signingKey = createSigningKey();

  app.get('/.well-known/openid-configuration', async () => {
    const base = baseUrl();
    return {
      issuer: base,
      authorization_endpoint: `${base}/auth/authorize`,
      token_endpoint: `${base}/auth/token`,
      jwks_uri: `${base}/auth/jwks`,
      response_types_supported: ['code', 'id_token', 'token id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      grant_types_supported: ['password', 'refresh_token', 'authorization_code'],
      scopes_supported: ['openid'],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
    };
  });

  app.get('/auth/jwks', async () => ({ keys: [(await signingKey).publicJwk] }));

  app.post('/auth/token', async (request, reply) => {
    // Login errors: OAuth 2.0's {error, error_description} (RFC 6749), assumed for CXone's issuer.
    const oauthError = (status: number, error: string, description: string) =>
      reply.code(status).header('cache-control', 'no-store').send({ error, error_description: description });
    const basic = basicCredentials(request);
    if (!basic || basic.id !== seed.cxone.clientId || basic.secret !== seed.cxone.clientSecret) {
      return oauthError(
        401,
        'invalid_client',
        "The registered app's client id and secret must be sent in an HTTP Basic header",
      );
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const s = state();
    let scopes = typeof body.scope === 'string' ? body.scope.split(/\s+/).filter(Boolean) : [];
    switch (body.grant_type) {
      case 'password':
        // The secret ends in "+/====": it only matches when the client URL-encoded it.
        if (body.username !== seed.cxone.accessKeyId || body.password !== seed.cxone.accessKeySecret) {
          return oauthError(400, 'invalid_grant', 'The access key id or secret is wrong');
        }
        break;
      case 'refresh_token': {
        const old =
          typeof body.refresh_token === 'string' ? s.refreshTokens.get(body.refresh_token) : undefined;
        if (!old || old.clientId !== basic.id) {
          return oauthError(400, 'invalid_grant', 'The refresh token is unknown, used or revoked');
        }
        // Refresh tokens rotate: the one used is spent (assumed). Without a scope, the first grant's
        // scope holds (RFC 6749, 6).
        s.refreshTokens.delete(body.refresh_token as string);
        if (scopes.length === 0) scopes = old.scopes ?? [];
        break;
      }
      default:
        return oauthError(
          400,
          'unsupported_grant_type',
          `Unsupported grant type: ${typeof body.grant_type === 'string' ? body.grant_type : '(none)'}; use password with an access key`,
        );
    }

    const expiresIn = options.cxone.tokenExpiresIn;
    const now = Math.floor(Date.now() / 1000);
    const accessToken = randomBytes(32).toString('base64url');
    const refreshToken = randomBytes(32).toString('base64url');
    s.tokens.set(accessToken, { clientId: basic.id, expiresAt: Date.now() + expiresIn * 1000 });
    s.refreshTokens.set(refreshToken, { clientId: basic.id, scopes });
    reply.header('cache-control', 'no-store');
    const answer = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: expiresIn,
      refresh_token: refreshToken,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    };
    // NICE's authentication guide: the OpenID exchange's scope must be `openid`. Without it the
    // issuer answers as a plain OAuth 2.0 server: tokens, but no id_token (so no tenant for the client).
    if (!scopes.includes('openid')) return answer;
    const { privateKey, publicJwk } = await signingKey;
    const idToken = await new SignJWT({
      tenantId: seed.cxone.tenantId,
      icBUId: seed.cxone.businessUnitId,
      icClusterId: 'E32',
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(publicJwk.kid ? { kid: publicJwk.kid } : {}) })
      .setIssuer(baseUrl())
      .setSubject(`user:${seed.cxone.userId}`)
      .setAudience(basic.id)
      .setIssuedAt(now)
      .setExpirationTime(now + expiresIn)
      .sign(privateKey);
    return { ...answer, id_token: idToken, scope: 'openid' };
  });

  // The tenant's hosts (no auth). Everything points back at this one server.
  app.get<{ Querystring: { tenantId?: string } }>(
    '/.well-known/cxone-configuration',
    async (request, reply) => {
      const { tenantId } = request.query;
      if (tenantId !== seed.cxone.tenantId) {
        // Assumed: the real service's answer for an unknown tenant is not documented.
        return server.sendError(
          request,
          reply,
          404,
          'TenantNotFound',
          tenantId ? 'Unknown tenantId' : 'The tenantId query parameter is required',
        );
      }
      const base = baseUrl();
      return {
        private: false,
        area: 'na1',
        cluster: 'E32',
        domain: 'niceincontact.com',
        acdDomain: 'nice-incontact.com',
        uhDomain: 'nice-incontact.com',
        ui_endpoint: base,
        auth_endpoint: base,
        api_endpoint: base,
        tenantId,
      };
    },
  );
}
