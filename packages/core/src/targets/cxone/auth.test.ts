import { type CryptoKey, exportJWK, generateKeyPair, type JSONWebKeySet, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, NotFoundError, UpstreamError } from '../../errors/errors.js';
import type { HttpResponse } from '../../http/types.js';
import { isLoopbackUrl } from '../../http/urls.js';
import {
  buildCxoneConfigurationRequest,
  buildCxoneTokenRequest,
  buildDiscoveryRequest,
  buildJwksRequest,
  describeDfoSource,
  readCxoneConfiguration,
  readCxoneTokenResponse,
  readDiscovery,
  readJwks,
  tenantFromIdToken,
} from './auth.js';

const ISSUER = 'https://cxone.niceincontact.com';

function answer(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('OpenID discovery', () => {
  it('asks the issuer for its openid-configuration', () => {
    const r = buildDiscoveryRequest(`${ISSUER}/`);
    expect(r).toMatchObject({
      method: 'GET',
      url: `${ISSUER}/.well-known/openid-configuration`,
      idempotent: true,
      platform: 'cxone',
    });
    expect(r.body).toBeUndefined();
  });

  it('reads the token endpoint, the JWKS and the issuer', () => {
    const r = buildDiscoveryRequest(ISSUER);
    const d = readDiscovery(
      r,
      answer(200, {
        issuer: ISSUER,
        token_endpoint: `${ISSUER}/auth/token`,
        jwks_uri: `${ISSUER}/auth/jwks`,
      }),
    );
    expect(d).toEqual({
      issuer: ISSUER,
      tokenEndpoint: `${ISSUER}/auth/token`,
      jwksUri: `${ISSUER}/auth/jwks`,
    });
  });

  it('falls back to the requested issuer when the document names none', () => {
    const r = buildDiscoveryRequest(ISSUER);
    const d = readDiscovery(
      r,
      answer(200, { token_endpoint: `${ISSUER}/auth/token`, jwks_uri: `${ISSUER}/auth/jwks` }),
    );
    expect(d.issuer).toBe(ISSUER);
  });

  it('refuses a document without token_endpoint or jwks_uri', () => {
    const r = buildDiscoveryRequest(ISSUER);
    const noToken = catchError(() => readDiscovery(r, answer(200, { jwks_uri: `${ISSUER}/auth/jwks` })));
    expect(noToken).toBeInstanceOf(UpstreamError);
    expect((noToken as Error).message).toContain('token_endpoint is missing');
    const noJwks = catchError(() =>
      readDiscovery(r, answer(200, { token_endpoint: `${ISSUER}/auth/token` })),
    );
    expect((noJwks as Error).message).toContain('jwks_uri is missing');
  });

  it('refuses a plain-http token endpoint unless it is on loopback', () => {
    const r = buildDiscoveryRequest(ISSUER);
    const e = catchError(() =>
      readDiscovery(
        r,
        answer(200, { token_endpoint: 'http://evil.example/token', jwks_uri: `${ISSUER}/auth/jwks` }),
      ),
    );
    expect((e as Error).message).toContain('token_endpoint is not an https URL');
    const local = readDiscovery(
      buildDiscoveryRequest('http://127.0.0.1:4001'),
      answer(200, {
        token_endpoint: 'http://127.0.0.1:4001/auth/token',
        jwks_uri: 'http://127.0.0.1:4001/auth/jwks',
      }),
    );
    expect(local.tokenEndpoint).toBe('http://127.0.0.1:4001/auth/token');
  });

  it('turns a 404 into NotFoundError', () => {
    const e = catchError(() => readDiscovery(buildDiscoveryRequest(ISSUER), answer(404, 'nope')));
    expect(e).toBeInstanceOf(NotFoundError);
  });
});

describe('token request', () => {
  const credentials = {
    tokenEndpoint: `${ISSUER}/auth/token`,
    clientId: 'app id',
    clientSecret: 'app:secret=',
    accessKeyId: 'AKEXAMPLE',
    accessKeySecret: 'c2VjcmV0+/====',
  };

  it('uses the password grant with the access key and the app in a Basic header', () => {
    const r = buildCxoneTokenRequest(credentials);
    expect(r).toMatchObject({ method: 'POST', url: credentials.tokenEndpoint, platform: 'cxone' });
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    // "+", "/" and "=" are encoded, so the server reads the secret back exactly.
    expect(r.body).toBe(
      'grant_type=password&username=AKEXAMPLE&password=c2VjcmV0%2B%2F%3D%3D%3D%3D&scope=openid',
    );
    expect(new URLSearchParams(r.body).get('scope')).toBe('openid');
    const form = new URLSearchParams(r.body);
    expect(form.get('password')).toBe(credentials.accessKeySecret);
    expect(form.get('grant_type')).toBe('password');
    const basic = atob(r.headers.authorization!.replace(/^Basic /, ''));
    expect(basic).toBe('app+id:app%3Asecret%3D');
    const [id, secret] = basic.split(':').map((s) => decodeURIComponent(s.replace(/\+/g, ' ')));
    expect([id, secret]).toEqual([credentials.clientId, credentials.clientSecret]);
  });

  it('reads the tokens', () => {
    const r = buildCxoneTokenRequest(credentials);
    const t = readCxoneTokenResponse(
      r,
      answer(200, {
        access_token: 'at',
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: 'rt',
        id_token: 'a.b.c',
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      }),
    );
    expect(t).toEqual({ accessToken: 'at', expiresInSeconds: 3600, refreshToken: 'rt', idToken: 'a.b.c' });
    const noRefresh = readCxoneTokenResponse(
      r,
      answer(200, { access_token: 'at', expires_in: '60', id_token: 'x' }),
    );
    expect(noRefresh).toEqual({ accessToken: 'at', expiresInSeconds: 60, idToken: 'x' });
  });

  it('turns an answer without id_token into AuthenticationError that names the openid scope', () => {
    const r = buildCxoneTokenRequest(credentials);
    const e = catchError(() =>
      readCxoneTokenResponse(r, answer(200, { access_token: 'at', expires_in: 3600 })),
    );
    expect(e).toBeInstanceOf(AuthenticationError);
    const message = (e as Error).message;
    expect(message).toMatch(/no id_token/);
    expect(message).toMatch(/scope must include openid \(sent: scope="openid"\)/);
    expect(message).not.toContain(credentials.accessKeySecret);
    expect((e as AuthenticationError).code).toBe('missing_id_token');
    const noScope = { ...r, body: 'grant_type=password&username=AK&password=p' };
    const e2 = catchError(() =>
      readCxoneTokenResponse(noScope, answer(200, { access_token: 'at', expires_in: 1 })),
    );
    expect((e2 as Error).message).toContain('(sent: scope=(none))');
  });

  it('refuses an answer without access_token or lifetime', () => {
    const r = buildCxoneTokenRequest(credentials);
    for (const [body, why] of [
      [{ id_token: 'x', expires_in: 3600 }, 'access_token'],
      [{ access_token: 'at', id_token: 'x', expires_in: 0 }, 'expires_in'],
    ] as const) {
      const e = catchError(() => readCxoneTokenResponse(r, answer(200, body)));
      expect(e).toBeInstanceOf(UpstreamError);
      expect((e as Error).message).toContain(why);
    }
  });

  it('turns refused credentials into AuthenticationError without any secret in the message', () => {
    const r = buildCxoneTokenRequest(credentials);
    const cases = [
      answer(401, { error: 'invalid_client', error_description: 'bad app' }),
      answer(400, { error: 'invalid_grant', error_description: 'bad key' }),
      answer(400, { error: 'unsupported_grant_type', error_description: 'no' }),
    ];
    for (const a of cases) {
      const e = catchError(() => readCxoneTokenResponse(r, a));
      expect(e).toBeInstanceOf(AuthenticationError);
      const message = (e as Error).message;
      expect(message).toContain('NICE CXone');
      for (const secret of [credentials.clientSecret, credentials.accessKeySecret, 'c2VjcmV0']) {
        expect(message).not.toContain(secret);
      }
    }
  });
});

describe('id_token → tenant', () => {
  let jwks: JSONWebKeySet;
  let privateKey: CryptoKey;
  let otherKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  });

  function sign(
    claims: Record<string, unknown>,
    key = privateKey,
    opts: { issuer?: string; exp?: number } = {},
  ) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(opts.issuer ?? ISSUER)
      .setSubject('user:11111111-2222-3333-4444-555555555555')
      .setAudience('app')
      .setIssuedAt(now)
      .setExpirationTime(opts.exp ?? now + 3600)
      .sign(key);
  }

  async function rejection(p: Promise<unknown>): Promise<AuthenticationError> {
    const e = await p.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(AuthenticationError);
    return e as AuthenticationError;
  }

  it('reads tenantId, icBUId and the user from a verified token', async () => {
    const token = await sign({ tenantId: 't-1', icBUId: 4601234, icClusterId: 'E32' });
    expect(await tenantFromIdToken(token, jwks, ISSUER, { audience: 'app' })).toEqual({
      tenantId: 't-1',
      businessUnitId: 4601234,
      userId: '11111111-2222-3333-4444-555555555555',
    });
  });

  it('accepts a business unit id sent as a string, and none at all', async () => {
    expect(
      (await tenantFromIdToken(await sign({ tenantId: 't', icBUId: '42' }), jwks, ISSUER)).businessUnitId,
    ).toBe(42);
    expect(await tenantFromIdToken(await sign({ tenantId: 't' }), jwks, ISSUER)).not.toHaveProperty(
      'businessUnitId',
    );
  });

  it('refuses a token signed by another key, without putting the token in the message', async () => {
    const token = await sign({ tenantId: 't-1' }, otherKey);
    const e = await rejection(tenantFromIdToken(token, jwks, ISSUER));
    expect(e.message).toContain('signature does not verify');
    expect(e.message).not.toContain(token.split('.')[2]!);
    expect(e.platform).toBe('cxone');
  });

  it('refuses a token with a tampered payload', async () => {
    const token = await sign({ tenantId: 't-1' });
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ iss: ISSUER, tenantId: 'other', sub: 'user:x' })).toString('base64url')}.${s}`;
    const e = await rejection(tenantFromIdToken(forged, jwks, ISSUER));
    expect(e.message).toContain('signature does not verify');
  });

  it('refuses a token from another issuer', async () => {
    const token = await sign({ tenantId: 't-1' }, privateKey, { issuer: 'https://evil.example' });
    const e = await rejection(tenantFromIdToken(token, jwks, ISSUER));
    expect(e.message).toMatch(/claim is wrong.*iss/);
  });

  it('refuses an expired token', async () => {
    const token = await sign({ tenantId: 't-1' }, privateKey, { exp: Math.floor(Date.now() / 1000) - 3600 });
    const e = await rejection(tenantFromIdToken(token, jwks, ISSUER));
    expect(e.message).toContain('expired');
  });

  it('refuses a token without tenantId', async () => {
    const e = await rejection(tenantFromIdToken(await sign({ icBUId: 1 }), jwks, ISSUER));
    expect(e.message).toContain('no tenantId claim');
  });

  it('refuses something that is not a JWT, and an unsigned token', async () => {
    await rejection(tenantFromIdToken('not-a-jwt', jwks, ISSUER));
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: ISSUER, tenantId: 't' })).toString('base64url')}.`;
    await rejection(tenantFromIdToken(unsigned, jwks, ISSUER));
  });

  it('asks for the JWKS and reads it', () => {
    const r = buildJwksRequest(`${ISSUER}/auth/jwks`);
    expect(r).toMatchObject({ method: 'GET', url: `${ISSUER}/auth/jwks`, idempotent: true });
    expect(readJwks(r, answer(200, jwks))).toEqual(jwks);
    expect(catchError(() => readJwks(r, answer(200, { nokeys: [] })))).toBeInstanceOf(UpstreamError);
  });
});

describe('cxone-configuration', () => {
  const config = {
    private: false,
    area: 'na1',
    cluster: 'E32',
    domain: 'niceincontact.com',
    api_endpoint: 'https://api-na1.niceincontact.com',
    tenantId: 't-1',
  };

  it('asks the issuer for the tenant, URL-encoding its id', () => {
    const r = buildCxoneConfigurationRequest(ISSUER, 't 1&x=y');
    expect(r.url).toBe(`${ISSUER}/.well-known/cxone-configuration?tenantId=t+1%26x%3Dy`);
    expect(r).toMatchObject({ method: 'GET', idempotent: true, platform: 'cxone' });
    expect(r.headers.authorization).toBeUndefined();
  });

  it('builds the DFO host from area and domain', () => {
    const r = buildCxoneConfigurationRequest(ISSUER, 't-1');
    expect(readCxoneConfiguration(r, answer(200, config))).toEqual({
      apiUrl: 'https://api-na1.niceincontact.com',
      dfoUrl: 'https://api-de-na1.niceincontact.com',
      dfoSource: 'rule',
      area: 'na1',
      domain: 'niceincontact.com',
    });
  });

  it('puts FedRAMP area na2 on nicecxone-gov.com, whatever domain the answer names', () => {
    const r = buildCxoneConfigurationRequest('https://cxone-gov.niceincontact.com', 't-1');
    for (const domain of ['niceincontact.com', 'nicecxone-gov.com']) {
      const hosts = readCxoneConfiguration(
        r,
        answer(200, { ...config, area: 'na2', domain, api_endpoint: 'https://api-na2.nicecxone-gov.com' }),
      );
      expect(hosts).toMatchObject({
        dfoUrl: 'https://api-de-na2.nicecxone-gov.com',
        dfoSource: 'fedramp-rule',
      });
    }
    expect(describeDfoSource('fedramp-rule')).toBe('FedRAMP rule: area na2 is on nicecxone-gov.com');
  });

  it('takes a Digital host field of the answer over the rule, and refuses one that is not https', () => {
    const r = buildCxoneConfigurationRequest(ISSUER, 't-1');
    const hosts = readCxoneConfiguration(
      r,
      answer(200, { ...config, digital_endpoint: 'https://api-na1.niceincontact.com/' }),
    );
    expect(hosts).toMatchObject({ dfoUrl: 'https://api-na1.niceincontact.com', dfoSource: 'discovery' });
    expect(describeDfoSource(hosts.dfoSource)).toMatch(/^from discovery/);
    const plain = catchError(() =>
      readCxoneConfiguration(r, answer(200, { ...config, dfo_endpoint: 'http://api-de.evil.example' })),
    );
    expect(plain).toBeInstanceOf(UpstreamError);
    expect((plain as Error).message).toContain('dfo_endpoint is not an https URL');
    expect(describeDfoSource('rule')).toMatch(/CXONE_DFO_URL/);
    expect(describeDfoSource('override')).toBe('override CXONE_DFO_URL');
  });

  it('uses the API host for DFO when it is on loopback (an emulator)', () => {
    const r = buildCxoneConfigurationRequest('http://127.0.0.1:4001', 't-1');
    for (const api of [
      'http://127.0.0.1:4001',
      'http://127.8.9.10:80/',
      'http://localhost:4001',
      'http://[::1]:4001',
    ]) {
      const hosts = readCxoneConfiguration(r, answer(200, { ...config, api_endpoint: api }));
      expect(hosts.dfoUrl).toBe(api.replace(/\/$/, ''));
      expect(hosts.apiUrl).toBe(hosts.dfoUrl);
      expect(hosts.dfoSource).toBe('loopback');
    }
  });

  it('refuses a plain-http API host off loopback and a host-changing area or domain', () => {
    const r = buildCxoneConfigurationRequest(ISSUER, 't-1');
    for (const bad of [
      { api_endpoint: 'http://api-na1.niceincontact.com' },
      { area: 'na1.evil.example/x' },
      { domain: 'evil.example/' },
      { domain: undefined },
    ]) {
      expect(catchError(() => readCxoneConfiguration(r, answer(200, { ...config, ...bad })))).toBeInstanceOf(
        UpstreamError,
      );
    }
  });

  it('turns an unknown tenant (404) into NotFoundError', () => {
    const r = buildCxoneConfigurationRequest(ISSUER, 'nope');
    const e = catchError(() =>
      readCxoneConfiguration(
        r,
        answer(404, { errors: [{ message: 'Unknown tenantId', errorCode: 'TenantNotFound' }] }),
      ),
    );
    expect(e).toBeInstanceOf(NotFoundError);
  });
});

describe('isLoopbackUrl', () => {
  it('knows loopback from look-alikes', () => {
    for (const u of [
      'http://127.0.0.1',
      'http://127.255.0.9:1',
      'http://localhost:3000',
      'http://[::1]:80',
    ]) {
      expect(isLoopbackUrl(u)).toBe(true);
    }
    for (const u of [
      'http://127.0.0.1.evil.example',
      'http://localhost.evil.example',
      'https://api.example',
      'nope',
    ]) {
      expect(isLoopbackUrl(u)).toBe(false);
    }
  });
});
