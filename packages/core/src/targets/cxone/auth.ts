import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import { AuthenticationError } from '../../errors/errors.js';
import { isObject, readJson } from '../../http/read.js';
import { basicAuth, formBody, type HttpRequest, type HttpResponse, joinUrl } from '../../http/types.js';
import { isLoopbackUrl, isSecureUrl } from '../../http/urls.js';

/**
 * CXone login, as plain requests and answers (no I/O):
 * 1. OpenID discovery at the issuer → token endpoint and JWKS;
 * 2. the password grant with an access key (the registered app in an HTTP Basic header) and
 *    `scope=openid` → tokens, the id_token among them;
 * 3. the id_token, verified against the JWKS → tenant id;
 * 4. the tenant's cxone-configuration → API and Digital (DFO) hosts (and how the latter was chosen).
 */

const DISCOVERY_PATH = '/.well-known/openid-configuration';

export interface CxoneDiscovery {
  issuer: string;
  tokenEndpoint: string;
  jwksUri: string;
}

export interface CxoneTokens {
  accessToken: string;
  expiresInSeconds: number;
  refreshToken?: string;
  idToken: string;
}

export interface CxoneTenant {
  tenantId: string;
  /** `icBUId`: the inContact business unit. */
  businessUnitId?: number;
  /** The access key's user (`sub` without its `user:` prefix). */
  userId: string;
}

/**
 * How the Digital (DFO) host was chosen: a host field of the cxone-configuration (`discovery`), the
 * rule `api-de-{area}.{domain}` (`rule`), the FedRAMP exception (`fedramp-rule`), the API host of an
 * emulator on loopback (`loopback`), or CXONE_DFO_URL (`override`).
 */
export type CxoneDfoSource = 'discovery' | 'rule' | 'fedramp-rule' | 'loopback' | 'override';

export interface CxoneHosts {
  /** The tenant's API host (`api_endpoint`). */
  apiUrl: string;
  /** The Digital (DFO) host; `dfoSource` says how it was chosen. */
  dfoUrl: string;
  dfoSource: CxoneDfoSource;
  area: string;
  domain: string;
}

/**
 * Why the Digital host is the one chosen, for `check` and error messages. A tenant that NICE moved
 * from `api-de-` to `api-` hosts (a platform toggle no discovery field reports) sets CXONE_DFO_URL.
 */
export function describeDfoSource(source: CxoneDfoSource | undefined): string {
  switch (source) {
    case 'discovery':
      return 'from discovery (a Digital host field of the cxone-configuration)';
    case 'rule':
      return 'rule api-de-{area}.{domain} from discovery; a tenant moved to api- hosts sets CXONE_DFO_URL';
    case 'fedramp-rule':
      return `FedRAMP rule: area ${FEDRAMP_AREA} is on ${FEDRAMP_DOMAIN}`;
    case 'loopback':
      return 'the API host on loopback (an emulator)';
    case 'override':
      return 'override CXONE_DFO_URL';
    default:
      return 'known from an earlier login';
  }
}

const json = { accept: 'application/json' };

/** Credentials and tokens go only to https URLs (or loopback, for emulators). */
function secureUrlProblem(name: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return `${name} is missing`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${name} is not a URL`;
  }
  if (!isSecureUrl(url)) {
    return `${name} is not an https URL`;
  }
  return undefined;
}

// ---- 1. discovery ----

export function buildDiscoveryRequest(issuer: string): HttpRequest {
  return {
    method: 'GET',
    url: joinUrl(issuer, DISCOVERY_PATH),
    headers: json,
    idempotent: true,
    platform: 'cxone',
    operation: 'OpenID discovery',
  };
}

export function readDiscovery(request: HttpRequest, response: HttpResponse): CxoneDiscovery {
  const body = readJson<Record<string, unknown>>(request, response, (b) => {
    if (!isObject(b)) return 'the discovery document is not an object';
    return secureUrlProblem('token_endpoint', b.token_endpoint) ?? secureUrlProblem('jwks_uri', b.jwks_uri);
  });
  const requestedIssuer = request.url.slice(0, request.url.length - DISCOVERY_PATH.length);
  return {
    // The id_token's `iss` must equal the issuer the document names.
    issuer: typeof body.issuer === 'string' && body.issuer !== '' ? body.issuer : requestedIssuer,
    tokenEndpoint: body.token_endpoint as string,
    jwksUri: body.jwks_uri as string,
  };
}

// ---- 2. token ----

export interface CxoneCredentials {
  tokenEndpoint: string;
  /** The registered app's client id and secret. */
  clientId: string;
  clientSecret: string;
  /** The access key of a CXone user: the password grant's username and password. */
  accessKeyId: string;
  accessKeySecret: string;
}

/** The scope NICE's authentication guide requires: without it no id_token comes back (so no tenant). */
export const CXONE_TOKEN_SCOPE = 'openid';

/**
 * The password grant CXone documents for access keys (it offers no client_credentials), with
 * `scope=openid` (the id_token, and so the tenant and its hosts, depend on it). The form encoding
 * turns the secret's "+", "/" and "=" into %2B, %2F and %3D, which the server needs.
 */
export function buildCxoneTokenRequest(c: CxoneCredentials): HttpRequest {
  const form = formBody({
    grant_type: 'password',
    username: c.accessKeyId,
    password: c.accessKeySecret,
    scope: CXONE_TOKEN_SCOPE,
  });
  return {
    method: 'POST',
    url: c.tokenEndpoint,
    headers: { ...json, ...form.headers, authorization: basicAuth(c.clientId, c.clientSecret) },
    body: form.body,
    // Asking again only issues another token.
    idempotent: true,
    platform: 'cxone',
    operation: 'login (token request)',
  };
}

export function readCxoneTokenResponse(request: HttpRequest, response: HttpResponse): CxoneTokens {
  const body = readJson<Record<string, unknown>>(request, response, (b) => {
    if (!isObject(b)) return 'the token answer is not an object';
    if (typeof b.access_token !== 'string' || b.access_token === '') return 'access_token is missing';
    if (expiresIn(b.expires_in) === undefined) return 'expires_in is not a positive number';
    return undefined;
  });
  if (typeof body.id_token !== 'string' || body.id_token === '') {
    // The issuer answers without an id_token when the scope lacks openid: a login problem, not a
    // malformed answer.
    throw new AuthenticationError(
      `NICE CXone login: the token answer has no id_token, so the tenant (and its API hosts) cannot be found; the token request's scope must include ${CXONE_TOKEN_SCOPE} (sent: scope=${scopeSent(request)})`,
      { platform: 'cxone', code: 'missing_id_token' },
    );
  }
  return {
    accessToken: body.access_token as string,
    expiresInSeconds: expiresIn(body.expires_in)!,
    ...(typeof body.refresh_token === 'string' && body.refresh_token !== ''
      ? { refreshToken: body.refresh_token }
      : {}),
    idToken: body.id_token as string,
  };
}

/** The scope the token request carried (the form's other fields are secrets and stay out). */
function scopeSent(request: HttpRequest): string {
  const scope = typeof request.body === 'string' ? new URLSearchParams(request.body).get('scope') : null;
  return scope === null ? '(none)' : JSON.stringify(scope);
}

/** Some servers send expires_in as a string. */
function expiresIn(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

// ---- 3. id_token → tenant ----

export function buildJwksRequest(jwksUri: string): HttpRequest {
  return {
    method: 'GET',
    url: jwksUri,
    headers: json,
    idempotent: true,
    platform: 'cxone',
    operation: 'JWKS download',
  };
}

export function readJwks(request: HttpRequest, response: HttpResponse): JSONWebKeySet {
  return readJson<JSONWebKeySet>(request, response, (b) =>
    isObject(b) && Array.isArray(b.keys) ? undefined : 'the JWKS has no keys array',
  );
}

/**
 * Verifies the id_token's RS256 signature against the issuer's JWKS and its issuer and lifetime, then
 * reads the tenant from its claims. A token that does not verify is refused: the tenant id decides
 * which API host receives the access token.
 */
export async function tenantFromIdToken(
  idToken: string,
  jwks: JSONWebKeySet,
  expectedIssuer: string,
  options: { audience?: string; currentDate?: Date } = {},
): Promise<CxoneTenant> {
  let payload: Record<string, unknown>;
  try {
    const keys = createLocalJWKSet(jwks);
    ({ payload } = await jwtVerify(idToken, keys, {
      issuer: expectedIssuer,
      algorithms: ['RS256'],
      // Allow for a clock that is a little off.
      clockTolerance: 60,
      ...(options.audience ? { audience: options.audience } : {}),
      ...(options.currentDate ? { currentDate: options.currentDate } : {}),
    }));
  } catch (e) {
    throw idTokenError(e, expectedIssuer);
  }
  const { tenantId, sub, icBUId } = payload;
  if (typeof tenantId !== 'string' || tenantId === '') {
    throw new AuthenticationError(
      'NICE CXone login: the id_token has no tenantId claim, so the tenant (and its API host) is unknown; check that the access key belongs to a CXone user',
      { platform: 'cxone', code: 'missing_tenant_id' },
    );
  }
  if (typeof sub !== 'string' || sub === '') {
    throw new AuthenticationError('NICE CXone login: the id_token has no sub claim', {
      platform: 'cxone',
      code: 'missing_sub',
    });
  }
  const businessUnitId =
    typeof icBUId === 'number'
      ? icBUId
      : typeof icBUId === 'string' && /^\d+$/.test(icBUId)
        ? Number(icBUId)
        : undefined;
  return {
    tenantId,
    ...(businessUnitId !== undefined ? { businessUnitId } : {}),
    userId: sub.startsWith('user:') ? sub.slice('user:'.length) : sub,
  };
}

/** A clear message from jose's error code; never the token itself. */
function idTokenError(e: unknown, expectedIssuer: string): AuthenticationError {
  const code = (e as { code?: unknown })?.code;
  const reason = (e as { message?: unknown })?.message;
  const c = typeof code === 'string' ? code : 'ERR_INVALID_ID_TOKEN';
  let why: string;
  switch (c) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      why = "its signature does not verify against the issuer's keys (JWKS)";
      break;
    case 'ERR_JWKS_NO_MATCHING_KEY':
      why = "no key of the issuer's JWKS matches its key id";
      break;
    case 'ERR_JWT_EXPIRED':
      why = 'it has expired (check the clock of this machine)';
      break;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      why = 'it is not signed with RS256';
      break;
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      why = `a claim is wrong (${typeof reason === 'string' ? reason : 'claim check failed'})`;
      break;
    default:
      why = `it is not a valid signed JWT (${typeof reason === 'string' ? reason : c})`;
  }
  return new AuthenticationError(
    `NICE CXone login: the id_token could not be verified: ${why}; check CXONE_ISSUER (expected issuer ${expectedIssuer})`,
    { platform: 'cxone', code: c },
  );
}

// ---- 4. the tenant's hosts ----

export function buildCxoneConfigurationRequest(issuer: string, tenantId: string): HttpRequest {
  return {
    method: 'GET',
    url: joinUrl(issuer, '/.well-known/cxone-configuration', { tenantId }),
    headers: json,
    idempotent: true,
    platform: 'cxone',
    operation: 'API host discovery (cxone-configuration)',
  };
}

// Host name parts only: the DFO host is built from them.
const AREA = /^[a-z0-9-]+$/i;
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/** FedRAMP's area, whose Digital host is on its own domain (`https://api-de-na2.nicecxone-gov.com`). */
export const FEDRAMP_AREA = 'na2';
export const FEDRAMP_DOMAIN = 'nicecxone-gov.com';

/**
 * Fields of the cxone-configuration that would name the Digital host outright. The documented answer
 * has none (area, domain, api_endpoint, ui_endpoint, auth_endpoint…); these names are assumed, and
 * one that is present and an https URL wins over the rule.
 */
export const CXONE_DIGITAL_HOST_FIELDS = ['digital_endpoint', 'dfo_endpoint', 'de_endpoint'] as const;

export function readCxoneConfiguration(request: HttpRequest, response: HttpResponse): CxoneHosts {
  const body = readJson<Record<string, unknown>>(request, response, (b) => {
    if (!isObject(b)) return 'the cxone-configuration is not an object';
    const urlProblem = secureUrlProblem('api_endpoint', b.api_endpoint);
    if (urlProblem) return urlProblem;
    if (typeof b.area !== 'string' || !AREA.test(b.area)) return 'area is missing or not a host name part';
    if (typeof b.domain !== 'string' || !DOMAIN.test(b.domain)) return 'domain is missing or not a domain';
    for (const field of CXONE_DIGITAL_HOST_FIELDS) {
      if (b[field] !== undefined && b[field] !== null && b[field] !== '') {
        const problem = secureUrlProblem(field, b[field]);
        if (problem) return problem;
      }
    }
    return undefined;
  });
  const apiUrl = (body.api_endpoint as string).replace(/\/+$/, '');
  const area = body.area as string;
  const domain = body.domain as string;
  const explicit = CXONE_DIGITAL_HOST_FIELDS.map((f) => body[f]).find(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  if (explicit) return { apiUrl, dfoUrl: explicit.replace(/\/+$/, ''), dfoSource: 'discovery', area, domain };
  // An emulator on loopback serves the API and DFO paths on one server, and answers the real area
  // and domain; building the public DFO host from them would leave the machine.
  if (isLoopbackUrl(apiUrl)) return { apiUrl, dfoUrl: apiUrl, dfoSource: 'loopback', area, domain };
  if (area.toLowerCase() === FEDRAMP_AREA) {
    return {
      apiUrl,
      dfoUrl: `https://api-de-${FEDRAMP_AREA}.${FEDRAMP_DOMAIN}`,
      dfoSource: 'fedramp-rule',
      area,
      domain,
    };
  }
  return { apiUrl, dfoUrl: `https://api-de-${area}.${domain}`, dfoSource: 'rule', area, domain };
}
