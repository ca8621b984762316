import { signJwtBearerAssertion } from '../../auth/jwt-bearer.js';
import type { Send } from '../../flow/send.js';
import { type Authenticator, call } from '../../http/execute.js';
import type { Runtime } from '../../runtime.js';
import type { GenesysConfig } from './config.js';
import { GenesysApi } from './flows.js';
import { buildJwtBearerTokenRequest, buildTokenRequest, readTokenResponse } from './requests.js';
import type { GenesysApiTarget } from './types.js';

/**
 * Genesys Cloud over HTTP with client credentials: the reads of `GenesysApi`. One token per OAuth
 * client, reused until shortly before it expires; every API call passes the client-side limiter of
 * that token (300 a minute by default, the documented limit).
 */
export class GenesysClient extends GenesysApi {
  readonly config: GenesysConfig;
  readonly auth: Authenticator;

  constructor(config: GenesysConfig, runtime: Runtime) {
    const tokenKey = `genesys:${config.loginUrl}:${config.clientId}`;
    const auth: Authenticator = {
      refreshable: true,
      token: () => runtime.tokens.get(tokenKey, () => login(config, runtime)),
      invalidate: (t) => runtime.tokens.invalidate(tokenKey, t),
    };
    const send: Send<GenesysApiTarget> = (build, read) =>
      call(runtime, {
        auth,
        limiters: [runtime.limiters.get(tokenKey, runtime.limits.genesys!)],
        build: (token) => build({ apiUrl: config.apiUrl, accessToken: token! }),
        read,
      });
    super(send);
    this.config = config;
    this.auth = auth;
  }
}

/** Client credentials; or, when configured, an RFC 7523 assertion (which Genesys Cloud refuses). */
async function login(config: GenesysConfig, runtime: Runtime) {
  const { loginUrl, clientId, clientSecret, jwtBearer } = config;
  if (jwtBearer) {
    const assertion = await signJwtBearerAssertion({
      clientId,
      audience: jwtBearer.tokenUrl,
      privateKeyPem: jwtBearer.privateKeyPem,
    });
    return call(runtime, {
      build: () => buildJwtBearerTokenRequest({ tokenUrl: jwtBearer.tokenUrl, assertion }),
      read: readTokenResponse,
    });
  }
  return call(runtime, {
    build: () => buildTokenRequest({ loginUrl, clientId, clientSecret: clientSecret ?? '' }),
    read: readTokenResponse,
  });
}
