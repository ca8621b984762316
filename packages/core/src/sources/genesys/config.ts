import type { EnvReader } from '../../config.js';
import { genesysUrls } from './regions.js';

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

const KEYS = [
  'GENESYS_REGION',
  'GENESYS_API_URL',
  'GENESYS_LOGIN_URL',
  'GENESYS_CLIENT_ID',
  'GENESYS_CLIENT_SECRET',
  'GENESYS_PRIVATE_KEY',
];

export const GENESYS_CONFIG_HINT =
  'set GENESYS_REGION (or GENESYS_API_URL and GENESYS_LOGIN_URL), GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET';

/** GENESYS_REGION or GENESYS_API_URL + GENESYS_LOGIN_URL; the client id and secret (or a private key). */
export function readGenesysConfig(env: EnvReader): GenesysConfig | undefined {
  if (!env.any(KEYS)) return undefined;
  let urls: { apiUrl: string; loginUrl: string } | undefined;
  const region = env.get('GENESYS_REGION');
  const apiUrl = env.get('GENESYS_API_URL');
  const loginUrl = env.get('GENESYS_LOGIN_URL');
  if (apiUrl || loginUrl) {
    if (apiUrl && loginUrl)
      urls = { apiUrl: env.url('GENESYS_API_URL', apiUrl), loginUrl: env.url('GENESYS_LOGIN_URL', loginUrl) };
    else env.problem('set both GENESYS_API_URL and GENESYS_LOGIN_URL, or GENESYS_REGION alone');
  } else if (region) {
    try {
      urls = genesysUrls(region);
    } catch (e) {
      env.problem((e as Error).message);
    }
  } else {
    env.problem(
      'missing GENESYS_REGION (a domain such as mypurecloud.ie), or GENESYS_API_URL and GENESYS_LOGIN_URL',
    );
  }
  // A PEM key may come with literal "\n" (one-line .env values).
  const privateKeyPem = env.get('GENESYS_PRIVATE_KEY')?.replace(/\\n/g, '\n');
  const required = privateKeyPem ? ['GENESYS_CLIENT_ID'] : ['GENESYS_CLIENT_ID', 'GENESYS_CLIENT_SECRET'];
  if (!env.require(required) || !urls) return undefined;
  const config: GenesysConfig = { ...urls, clientId: env.get('GENESYS_CLIENT_ID')! };
  const secret = env.get('GENESYS_CLIENT_SECRET');
  if (secret) config.clientSecret = secret;
  if (privateKeyPem) {
    const tokenUrl = env.get('GENESYS_TOKEN_URL');
    config.jwtBearer = {
      privateKeyPem,
      tokenUrl: tokenUrl ? env.url('GENESYS_TOKEN_URL', tokenUrl) : `${urls.loginUrl}/oauth/token`,
    };
  }
  return config;
}
