import { exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../errors/errors.js';
import { signJwtBearerAssertion } from './jwt-bearer.js';

describe('signJwtBearerAssertion', () => {
  it('signs an RFC 7523 assertion a server can verify', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportPKCS8(privateKey);
    const jwt = await signJwtBearerAssertion({
      clientId: 'client-1',
      audience: 'https://login.example.test/oauth/token',
      privateKeyPem: pem,
      now: () => Date.now(),
    });
    const { payload, protectedHeader } = await jwtVerify(jwt, publicKey, {
      issuer: 'client-1',
      audience: 'https://login.example.test/oauth/token',
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload.sub).toBe('client-1');
    expect(payload.exp! - payload.iat!).toBe(300);
    expect(typeof payload.jti).toBe('string');
  });

  it('refuses a key that is not PKCS#8 without echoing it', async () => {
    const bad = '-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretsecret\n-----END RSA PRIVATE KEY-----';
    const err = await signJwtBearerAssertion({ clientId: 'c', audience: 'a', privateKeyPem: bad }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err.message).toMatch(/PKCS#8/);
    expect(err.message).not.toContain('secretsecret');
  });
});
