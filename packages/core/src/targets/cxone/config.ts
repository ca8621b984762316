import type { EnvReader } from '../../config.js';
import { CXONE_SEARCH_PLACEHOLDER } from './identity.js';
import { DEFAULT_CXONE_ISSUER } from './issuers.js';

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
  /**
   * CXONE_SEARCH_QUERY: the customer search's `query` for a phone or e-mail, `{value}` its placeholder
   * (default `identityIdOnExternalPlatform IN ("{value}")`, see identity.ts).
   */
  searchQuery?: string;
}

const REQUIRED = ['CXONE_CLIENT_ID', 'CXONE_CLIENT_SECRET', 'CXONE_ACCESS_KEY_ID', 'CXONE_ACCESS_KEY_SECRET'];

export const CXONE_CONFIG_HINT =
  'set CXONE_CLIENT_ID, CXONE_CLIENT_SECRET, CXONE_ACCESS_KEY_ID and CXONE_ACCESS_KEY_SECRET';

/** CXONE_ISSUER (default the commercial cloud), the app and access key, optional host overrides. */
export function readCxoneConfig(env: EnvReader): CxoneConfig | undefined {
  if (!env.any([...REQUIRED, 'CXONE_ISSUER', 'CXONE_API_URL', 'CXONE_DFO_URL', 'CXONE_SEARCH_QUERY']))
    return undefined;
  const issuer = env.url('CXONE_ISSUER', env.get('CXONE_ISSUER') ?? DEFAULT_CXONE_ISSUER);
  if (!env.require(REQUIRED)) return undefined;
  const config: CxoneConfig = {
    issuer,
    clientId: env.get('CXONE_CLIENT_ID')!,
    clientSecret: env.get('CXONE_CLIENT_SECRET')!,
    accessKeyId: env.get('CXONE_ACCESS_KEY_ID')!,
    accessKeySecret: env.get('CXONE_ACCESS_KEY_SECRET')!,
  };
  const api = env.get('CXONE_API_URL');
  const dfo = env.get('CXONE_DFO_URL');
  if (api) config.apiUrl = env.url('CXONE_API_URL', api);
  if (dfo) config.dfoUrl = env.url('CXONE_DFO_URL', dfo);
  const searchQuery = env.get('CXONE_SEARCH_QUERY');
  if (searchQuery !== undefined && searchQuery.trim() !== '') {
    if (!searchQuery.includes(CXONE_SEARCH_PLACEHOLDER)) {
      env.problem(
        `CXONE_SEARCH_QUERY must contain ${CXONE_SEARCH_PLACEHOLDER}, where the phone or e-mail goes`,
      );
    } else {
      config.searchQuery = searchQuery;
    }
  }
  return config;
}
