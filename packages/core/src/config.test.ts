import { describe, expect, it } from 'vitest';
import { checkUrl, loadConfig } from './config.js';
import { ConfigurationError } from './errors/errors.js';

const genesys = {
  GENESYS_REGION: 'mypurecloud.ie',
  GENESYS_CLIENT_ID: 'id',
  GENESYS_CLIENT_SECRET: 'secret',
};
const cxone = {
  CXONE_CLIENT_ID: 'app',
  CXONE_CLIENT_SECRET: 'app-secret',
  CXONE_ACCESS_KEY_ID: 'AK1',
  CXONE_ACCESS_KEY_SECRET: 'abc+/==',
};

const problem = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigurationError');
};

describe('loadConfig', () => {
  it('derives the Genesys hosts from the region', () => {
    expect(loadConfig(genesys).genesys).toEqual({
      apiUrl: 'https://api.mypurecloud.ie',
      loginUrl: 'https://login.mypurecloud.ie',
      clientId: 'id',
      clientSecret: 'secret',
    });
  });

  it('takes explicit Genesys URLs, both or neither', () => {
    const c = loadConfig({
      ...genesys,
      GENESYS_API_URL: 'http://127.0.0.1:1/',
      GENESYS_LOGIN_URL: 'http://127.0.0.1:2',
    });
    expect(c.genesys!.apiUrl).toBe('http://127.0.0.1:1');
    expect(problem({ ...genesys, GENESYS_API_URL: 'https://api.example.com' })).toMatch(
      /set both GENESYS_API_URL and GENESYS_LOGIN_URL/,
    );
  });

  it('configures CXone with the default issuer, and lists every missing variable at once', () => {
    expect(loadConfig({ ...genesys, ...cxone }).cxone!.issuer).toBe('https://cxone.niceincontact.com');
    const msg = problem({ GENESYS_CLIENT_ID: 'x', CXONE_CLIENT_ID: 'app' });
    expect(msg).toMatch(/GENESYS_REGION/);
    expect(msg).toMatch(/GENESYS_CLIENT_SECRET/);
    expect(msg).toMatch(/CXONE_CLIENT_SECRET, CXONE_ACCESS_KEY_ID, CXONE_ACCESS_KEY_SECRET/);
  });

  it('leaves unconfigured platforms out', () => {
    const c = loadConfig(genesys);
    expect(c.cxone).toBeUndefined();
    expect(c.cognigy).toBeUndefined();
  });

  it('refuses plain http except to loopback, and URLs with credentials', () => {
    expect(
      problem({
        ...genesys,
        COGNIGY_API_URL: 'http://10.0.0.5',
        COGNIGY_API_KEY: 'k',
        COGNIGY_PROJECT_ID: 'p',
      }),
    ).toMatch(/COGNIGY_API_URL must use https/);
    expect(() => checkUrl('X', 'https://user:pw@example.com')).toThrow(/must not contain credentials/);
    expect(() => checkUrl('X', 'ftp://example.com')).toThrow(/https/);
    expect(checkUrl('X', 'http://localhost:8080/')).toBe('http://localhost:8080');
    expect(checkUrl('X', 'http://[::1]:8080')).toBe('http://[::1]:8080');
  });

  it('never puts a secret in its messages', () => {
    const msg = problem({ ...genesys, GENESYS_CLIENT_SECRET: 'top-secret', COGNIGY_API_KEY: 'key-123' });
    expect(msg).not.toMatch(/top-secret|key-123/);
  });

  it('reads the client-side limit settings', () => {
    expect(loadConfig({ ...genesys, CX_RATE_LIMIT_SCALE: '2.5' }).limits).toEqual({ scale: 2.5, off: false });
    expect(loadConfig({ ...genesys, CX_RATE_LIMITS: 'off' }).limits).toEqual({ scale: 1, off: true });
    expect(problem({ ...genesys, CX_RATE_LIMIT_SCALE: '0' })).toMatch(/CX_RATE_LIMIT_SCALE/);
    expect(problem({ ...genesys, CX_RATE_LIMITS: 'maybe' })).toMatch(/CX_RATE_LIMITS must be on or off/);
  });
});

describe('the JWT-bearer grant', () => {
  it('is configured by a private key instead of a secret, with the token URL as audience', () => {
    const c = loadConfig({
      GENESYS_REGION: 'mypurecloud.de',
      GENESYS_CLIENT_ID: 'id',
      GENESYS_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----',
    });
    expect(c.genesys!.clientSecret).toBeUndefined();
    expect(c.genesys!.jwtBearer).toEqual({
      privateKeyPem: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----',
      tokenUrl: 'https://login.mypurecloud.de/oauth/token',
    });
  });
});
