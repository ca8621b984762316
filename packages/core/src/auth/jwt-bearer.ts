import { importPKCS8, SignJWT } from 'jose';
import { ConfigurationError } from '../errors/errors.js';

export interface JwtBearerOptions {
  /** `iss` and `sub`: the OAuth client id. */
  clientId: string;
  /** `aud`: the token endpoint URL. */
  audience: string;
  /** PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"). */
  privateKeyPem: string;
  algorithm?: 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'PS256';
  /** Assertion lifetime in seconds (default 300; RFC 7523 servers want it short). */
  lifetimeSeconds?: number;
  scope?: string;
  now?: () => number;
}

/**
 * Signs an RFC 7523 JWT-bearer assertion with jose. Only for token servers that accept that grant:
 * Genesys Cloud does not (it answers unsupported_grant_type; use client credentials there).
 */
export async function signJwtBearerAssertion(o: JwtBearerOptions): Promise<string> {
  const alg = o.algorithm ?? 'RS256';
  let key: Awaited<ReturnType<typeof importPKCS8>>;
  try {
    key = await importPKCS8(o.privateKeyPem, alg);
  } catch {
    // Never echo the key material.
    throw new ConfigurationError(
      `the private key is not a PKCS#8 PEM key usable with ${alg} (expected "-----BEGIN PRIVATE KEY-----"; convert an RSA key with: openssl pkcs8 -topk8 -nocrypt)`,
    );
  }
  const nowSec = Math.floor((o.now?.() ?? Date.now()) / 1000);
  const jwt = new SignJWT(o.scope ? { scope: o.scope } : {})
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setIssuer(o.clientId)
    .setSubject(o.clientId)
    .setAudience(o.audience)
    .setIssuedAt(nowSec)
    .setExpirationTime(nowSec + (o.lifetimeSeconds ?? 300))
    .setJti(crypto.randomUUID());
  return jwt.sign(key);
}
