import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { basic, http, useEmulators } from '../test-helpers.js';
import { cxoneLogin } from './test-helpers.js';

const emu = useEmulators();

function tokenRequest(form: Record<string, string>, authorization?: string) {
  return http('POST', `${emu().urls.cxone.issuer}/auth/token`, {
    ...(authorization ? { headers: { authorization } } : {}),
    form,
  });
}

function appAuth() {
  const { clientId, clientSecret } = emu().urls.cxone;
  return basic(clientId, clientSecret);
}

function passwordGrant() {
  const { accessKeyId, accessKeySecret } = emu().urls.cxone;
  return { grant_type: 'password', username: accessKeyId, password: accessKeySecret, scope: 'openid' };
}

describe('CXone OpenID discovery', () => {
  it('points at the token endpoint and the JWKS of the issuer', async () => {
    const { issuer } = emu().urls.cxone;
    const res = await http('GET', `${issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      issuer,
      token_endpoint: `${issuer}/auth/token`,
      jwks_uri: `${issuer}/auth/jwks`,
      id_token_signing_alg_values_supported: ['RS256'],
      grant_types_supported: ['password', 'refresh_token', 'authorization_code'],
      scopes_supported: ['openid'],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
    });
    expect(res.body.grant_types_supported).not.toContain('client_credentials');
    expect(typeof res.body.authorization_endpoint).toBe('string');
  });
});

describe('CXone token endpoint', () => {
  it('issues tokens for an access key with the app in a Basic header', async () => {
    const res = await tokenRequest(passwordGrant(), appAuth());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    });
    for (const k of ['access_token', 'refresh_token', 'id_token']) expect(typeof res.body[k]).toBe('string');
    expect(res.headers.get('correlationid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers without an id_token when the scope does not include openid', async () => {
    const { scope: _scope, ...noScope } = passwordGrant();
    for (const form of [noScope, { ...noScope, scope: 'profile' }]) {
      const res = await tokenRequest(form, appAuth());
      expect(res.status).toBe(200);
      expect(typeof res.body.access_token).toBe('string');
      expect(res.body.id_token).toBeUndefined();
    }
    const both = await tokenRequest({ ...noScope, scope: 'profile openid' }, appAuth());
    expect(typeof both.body.id_token).toBe('string');
    expect(both.body.scope).toBe('openid');
  });

  it('keeps the first grant’s scope on a refresh without one', async () => {
    const first = await cxoneLogin(emu());
    const refreshed = await tokenRequest(
      { grant_type: 'refresh_token', refresh_token: first.refresh_token },
      appAuth(),
    );
    expect(typeof refreshed.body.id_token).toBe('string');
    const { scope: _scope, ...noScope } = passwordGrant();
    const plain = await tokenRequest(noScope, appAuth());
    const plainRefresh = await tokenRequest(
      { grant_type: 'refresh_token', refresh_token: plain.body.refresh_token },
      appAuth(),
    );
    expect(plainRefresh.status).toBe(200);
    expect(plainRefresh.body.id_token).toBeUndefined();
  });

  it('accepts the access key secret ending in +/==== only when URL-encoded', async () => {
    const { accessKeyId, accessKeySecret } = emu().urls.cxone;
    expect(accessKeySecret).toMatch(/\+\/====$/);
    // Sent raw, "+" becomes a space and the secret no longer matches.
    const raw = await http('POST', `${emu().urls.cxone.issuer}/auth/token`, {
      headers: { authorization: appAuth(), 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=password&username=${accessKeyId}&password=${accessKeySecret}`,
    });
    expect(raw.status).toBe(400);
    expect(raw.body.error).toBe('invalid_grant');
    const encoded = await http('POST', `${emu().urls.cxone.issuer}/auth/token`, {
      headers: { authorization: appAuth(), 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=password&username=${accessKeyId}&password=${encodeURIComponent(accessKeySecret)}`,
    });
    expect(encoded.status).toBe(200);
  });

  it('refuses a missing app with invalid_client', async () => {
    const res = await tokenRequest(passwordGrant());
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
    expect(typeof res.body.error_description).toBe('string');
  });

  it('refuses a wrong app secret with invalid_client', async () => {
    const res = await tokenRequest(passwordGrant(), basic(emu().urls.cxone.clientId, 'wrong'));
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('invalid_client');
  });

  it('refuses a wrong access key secret with invalid_grant', async () => {
    const res = await tokenRequest({ ...passwordGrant(), password: 'wrong' }, appAuth());
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('refuses a wrong access key id with invalid_grant', async () => {
    const res = await tokenRequest({ ...passwordGrant(), username: 'AKNOPE' }, appAuth());
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('refuses client_credentials, which CXone does not offer', async () => {
    const res = await tokenRequest({ grant_type: 'client_credentials' }, appAuth());
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unsupported_grant_type');
  });

  it('refuses a request without a grant type', async () => {
    const res = await tokenRequest({}, appAuth());
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('unsupported_grant_type');
  });

  it('refreshes with a refresh token once, and refuses an unknown one', async () => {
    const first = await cxoneLogin(emu());
    const refreshed = await tokenRequest(
      { grant_type: 'refresh_token', refresh_token: first.refresh_token },
      appAuth(),
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(first.access_token);
    expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
    const me = await http('GET', `${emu().urls.cxone.dfoUrl}/dfo/3.0/customers/custom-field-definitions`, {
      headers: { authorization: `Bearer ${refreshed.body.access_token}` },
    });
    expect(me.status).toBe(200);
    const reused = await tokenRequest(
      { grant_type: 'refresh_token', refresh_token: first.refresh_token },
      appAuth(),
    );
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
    const unknown = await tokenRequest({ grant_type: 'refresh_token', refresh_token: 'nope' }, appAuth());
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('invalid_grant');
  });

  it('signs an id_token (RS256) that verifies against the JWKS and names the tenant', async () => {
    const { issuer, clientId, tenantId } = emu().urls.cxone;
    const { id_token } = await cxoneLogin(emu());
    const header = decodeProtectedHeader(id_token);
    expect(header.alg).toBe('RS256');
    expect(typeof header.kid).toBe('string');
    const jwks = createRemoteJWKSet(new URL(`${issuer}/auth/jwks`));
    const { payload } = await jwtVerify(id_token, jwks, { issuer, audience: clientId });
    expect(payload).toMatchObject({
      iss: issuer,
      sub: `user:${emu().seed.cxone.userId}`,
      tenantId,
      icBUId: emu().seed.cxone.businessUnitId,
      icClusterId: 'E32',
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('publishes only the public key in the JWKS', async () => {
    const res = await http('GET', `${emu().urls.cxone.issuer}/auth/jwks`);
    expect(res.status).toBe(200);
    expect(res.body.keys).toHaveLength(1);
    expect(res.body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(res.body.keys[0].d).toBeUndefined();
  });
});

describe('CXone API host discovery', () => {
  it('answers the cxone-configuration of the tenant without auth', async () => {
    const { issuer, tenantId, apiUrl } = emu().urls.cxone;
    const res = await http('GET', `${issuer}/.well-known/cxone-configuration?tenantId=${tenantId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      private: false,
      area: 'na1',
      cluster: 'E32',
      domain: 'niceincontact.com',
      api_endpoint: apiUrl,
      tenantId,
    });
    for (const k of ['acdDomain', 'uhDomain', 'ui_endpoint', 'auth_endpoint'])
      expect(typeof res.body[k]).toBe('string');
  });

  it('answers 404 for an unknown or missing tenant', async () => {
    const { issuer } = emu().urls.cxone;
    const unknown = await http('GET', `${issuer}/.well-known/cxone-configuration?tenantId=nope`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].message).toMatch(/tenant/i);
    const missing = await http('GET', `${issuer}/.well-known/cxone-configuration`);
    expect(missing.status).toBe(404);
  });
});
