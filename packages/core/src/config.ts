import { ConfigurationError } from './errors/errors.js';
import { isSecureUrl } from './http/urls.js';
import { genesysUrls } from './sources/genesys/regions.js';
import { DEFAULT_CXONE_ISSUER } from './targets/cxone/issuers.js';

/** Where and how to reach Genesys Cloud (the source). */
export interface GenesysConfig {
  apiUrl: string;
  loginUrl: string;
  clientId: string;
  /** Client credentials: the usual (and on Genesys Cloud the only) way. */
  clientSecret?: string;
  /**
   * RFC 7523 JWT bearer instead, for token servers that accept it (GENESYS_PRIVATE_KEY, PKCS#8 PEM).
   * Genesys Cloud itself does not: it answers unsupported_grant_type, which the error explains.
   */
  jwtBearer?: { privateKeyPem: string; tokenUrl: string };
}

/** NICE CXone: the issuer and the two credentials (the registered app, and a user's access key). */
export interface CxoneConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** Overrides of what discovery finds (private clouds, emulators). */
  apiUrl?: string;
  dfoUrl?: string;
}

export interface CognigyConfig {
  apiUrl: string;
  apiKey: string;
  projectId: string;
}

export interface SyncConfig {
  genesys?: GenesysConfig;
  cxone?: CxoneConfig;
  cognigy?: CognigyConfig;
  /** Client-side rate limits: the documented ones, scaled, or off. */
  limits?: LimitsConfig;
}

export interface LimitsConfig {
  /** Multiplies every documented limit (CX_RATE_LIMIT_SCALE; e.g. 2 after support raised them). */
  scale: number;
  /** No client-side limiting at all (CX_RATE_LIMITS=off), e.g. against emulators with limits off. */
  off: boolean;
}

export type Env = Record<string, string | undefined>;

/**
 * Checks a configured URL: https everywhere, plain http only to loopback (the emulators), and no
 * credentials or query inside it. Returns it without a trailing slash.
 */
export function checkUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`${name} is not a URL: "${value}"`);
  }
  if (url.username || url.password) throw new ConfigurationError(`${name} must not contain credentials`);
  if (!isSecureUrl(url))
    throw new ConfigurationError(
      `${name} must use https (plain http is allowed only to loopback addresses such as 127.0.0.1): ${url.protocol}//${url.host}`,
    );
  return value.replace(/\/+$/, '');
}

/**
 * Reads and validates the whole configuration from environment variables, in one place. Each
 * platform is configured when any of its variables is set; then all its required ones must be.
 * Every problem is reported at once.
 */
export function loadConfig(env: Env): SyncConfig {
  const problems: string[] = [];
  const get = (k: string) => {
    const v = env[k]?.trim();
    return v ? v : undefined;
  };
  const require = (keys: string[]) => {
    const missing = keys.filter((k) => !get(k));
    if (missing.length) problems.push(`missing ${missing.join(', ')}`);
    return missing.length === 0;
  };
  const url = (name: string, value: string) => {
    try {
      return checkUrl(name, value);
    } catch (e) {
      problems.push((e as Error).message);
      return value;
    }
  };
  const config: SyncConfig = {};

  const genesysKeys = [
    'GENESYS_REGION',
    'GENESYS_API_URL',
    'GENESYS_LOGIN_URL',
    'GENESYS_CLIENT_ID',
    'GENESYS_CLIENT_SECRET',
    'GENESYS_PRIVATE_KEY',
  ];
  if (genesysKeys.some(get)) {
    let urls: { apiUrl: string; loginUrl: string } | undefined;
    const region = get('GENESYS_REGION');
    const apiUrl = get('GENESYS_API_URL');
    const loginUrl = get('GENESYS_LOGIN_URL');
    if (apiUrl || loginUrl) {
      if (apiUrl && loginUrl)
        urls = { apiUrl: url('GENESYS_API_URL', apiUrl), loginUrl: url('GENESYS_LOGIN_URL', loginUrl) };
      else problems.push('set both GENESYS_API_URL and GENESYS_LOGIN_URL, or GENESYS_REGION alone');
    } else if (region) {
      try {
        urls = genesysUrls(region);
      } catch (e) {
        problems.push((e as Error).message);
      }
    } else {
      problems.push(
        'missing GENESYS_REGION (a domain such as mypurecloud.ie), or GENESYS_API_URL and GENESYS_LOGIN_URL',
      );
    }
    // A PEM key may come with literal "\n" (one-line .env values).
    const privateKeyPem = get('GENESYS_PRIVATE_KEY')?.replace(/\\n/g, '\n');
    const required = privateKeyPem ? ['GENESYS_CLIENT_ID'] : ['GENESYS_CLIENT_ID', 'GENESYS_CLIENT_SECRET'];
    if (require(required) && urls) {
      config.genesys = { ...urls, clientId: get('GENESYS_CLIENT_ID')! };
      const secret = get('GENESYS_CLIENT_SECRET');
      if (secret) config.genesys.clientSecret = secret;
      if (privateKeyPem) {
        const tokenUrl = get('GENESYS_TOKEN_URL');
        config.genesys.jwtBearer = {
          privateKeyPem,
          tokenUrl: tokenUrl ? url('GENESYS_TOKEN_URL', tokenUrl) : `${urls.loginUrl}/oauth/token`,
        };
      }
    }
  }

  const cxoneKeys = [
    'CXONE_CLIENT_ID',
    'CXONE_CLIENT_SECRET',
    'CXONE_ACCESS_KEY_ID',
    'CXONE_ACCESS_KEY_SECRET',
  ];
  if ([...cxoneKeys, 'CXONE_ISSUER', 'CXONE_API_URL', 'CXONE_DFO_URL'].some(get)) {
    const issuer = url('CXONE_ISSUER', get('CXONE_ISSUER') ?? DEFAULT_CXONE_ISSUER);
    if (require(cxoneKeys)) {
      config.cxone = {
        issuer,
        clientId: get('CXONE_CLIENT_ID')!,
        clientSecret: get('CXONE_CLIENT_SECRET')!,
        accessKeyId: get('CXONE_ACCESS_KEY_ID')!,
        accessKeySecret: get('CXONE_ACCESS_KEY_SECRET')!,
      };
      const api = get('CXONE_API_URL');
      const dfo = get('CXONE_DFO_URL');
      if (api) config.cxone.apiUrl = url('CXONE_API_URL', api);
      if (dfo) config.cxone.dfoUrl = url('CXONE_DFO_URL', dfo);
    }
  }

  const cognigyKeys = ['COGNIGY_API_URL', 'COGNIGY_API_KEY', 'COGNIGY_PROJECT_ID'];
  if (cognigyKeys.some(get) && require(cognigyKeys)) {
    config.cognigy = {
      apiUrl: url('COGNIGY_API_URL', get('COGNIGY_API_URL')!),
      apiKey: get('COGNIGY_API_KEY')!,
      projectId: get('COGNIGY_PROJECT_ID')!,
    };
  }

  const scale = get('CX_RATE_LIMIT_SCALE');
  const mode = get('CX_RATE_LIMITS');
  if (scale !== undefined || mode !== undefined) {
    const n = Number(scale ?? '1');
    if (!(n > 0) || !Number.isFinite(n))
      problems.push(`CX_RATE_LIMIT_SCALE must be a number > 0, got "${scale}"`);
    if (mode !== undefined && mode !== 'on' && mode !== 'off')
      problems.push(`CX_RATE_LIMITS must be on or off, got "${mode}"`);
    config.limits = { scale: n, off: mode === 'off' };
  }

  if (problems.length) throw new ConfigurationError(`configuration: ${problems.join('; ')}`);
  return config;
}
