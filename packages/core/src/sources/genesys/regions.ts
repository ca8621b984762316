import { ConfigurationError } from '../../errors/errors.js';

/**
 * The Genesys Cloud region domains, as the official SDK's region table lists them. The API is at
 * `https://api.{domain}` and the login service at `https://login.{domain}`. Anything else (a private
 * gateway, an emulator) is configured with explicit URLs instead of a region.
 */
export const GENESYS_REGIONS = [
  { domain: 'mypurecloud.com', region: 'us-east-1' },
  { domain: 'use2.us-gov-pure.cloud', region: 'us-east-2 (FedRAMP)' },
  { domain: 'usw2.pure.cloud', region: 'us-west-2' },
  { domain: 'cac1.pure.cloud', region: 'ca-central-1' },
  { domain: 'sae1.pure.cloud', region: 'sa-east-1' },
  { domain: 'mxc1.pure.cloud', region: 'mx-central-1' },
  { domain: 'mypurecloud.ie', region: 'eu-west-1' },
  { domain: 'euw2.pure.cloud', region: 'eu-west-2' },
  { domain: 'mypurecloud.de', region: 'eu-central-1' },
  { domain: 'euc2.pure.cloud', region: 'eu-central-2' },
  { domain: 'edee1.eusc-pure.cloud', region: 'eusc-de-east-1 (EU Sovereign Cloud)' },
  { domain: 'mec1.pure.cloud', region: 'me-central-1' },
  { domain: 'aps1.pure.cloud', region: 'ap-south-1' },
  { domain: 'mypurecloud.jp', region: 'ap-northeast-1' },
  { domain: 'apne2.pure.cloud', region: 'ap-northeast-2' },
  { domain: 'apne3.pure.cloud', region: 'ap-northeast-3' },
  { domain: 'apse1.pure.cloud', region: 'ap-southeast-1' },
  { domain: 'mypurecloud.com.au', region: 'ap-southeast-2' },
] as const;

export type GenesysRegionDomain = (typeof GENESYS_REGIONS)[number]['domain'];

export const GENESYS_REGION_DOMAINS: readonly GenesysRegionDomain[] = GENESYS_REGIONS.map((r) => r.domain);

export interface GenesysUrls {
  apiUrl: string;
  loginUrl: string;
}

/**
 * The API and login URLs of a region domain (for example `mypurecloud.ie`). Only the official domains
 * are accepted; a lookalike is refused rather than trusted with the client secret.
 */
export function genesysUrls(regionDomain: string): GenesysUrls {
  const domain = regionDomain.trim().toLowerCase();
  if (!(GENESYS_REGION_DOMAINS as readonly string[]).includes(domain)) {
    throw new ConfigurationError(
      `"${regionDomain}" is not a Genesys Cloud region domain; use one of ${GENESYS_REGION_DOMAINS.join(', ')} (or set GENESYS_API_URL and GENESYS_LOGIN_URL explicitly)`,
      { platform: 'genesys' },
    );
  }
  return { apiUrl: `https://api.${domain}`, loginUrl: `https://login.${domain}` };
}
