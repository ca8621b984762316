/**
 * The known CXone (CXone Mpower) issuers. A tenant's API hosts are discovered from its issuer
 * (`/.well-known/cxone-configuration`), never hard-coded.
 */
export type CxoneIssuerName = 'commercial' | 'fedramp' | 'sovereign-au' | 'sovereign-eu';

export interface CxoneIssuer {
  name: CxoneIssuerName;
  /** The issuer URL (no trailing slash), as the id_token's `iss` names it. */
  issuer: string;
  description: string;
}

/** The commercial cloud first: it is the default. */
export const KNOWN_CXONE_ISSUERS: readonly CxoneIssuer[] = [
  { name: 'commercial', issuer: 'https://cxone.niceincontact.com', description: 'Commercial cloud' },
  { name: 'fedramp', issuer: 'https://cxone-gov.niceincontact.com', description: 'FedRAMP (US government)' },
  { name: 'sovereign-au', issuer: 'https://nicecxone-sov1.au', description: 'Sovereign cloud, Australia' },
  {
    name: 'sovereign-eu',
    issuer: 'https://nicecxone-sov1.eu',
    description: 'Sovereign cloud, European Union',
  },
];

/** The default issuer when none is configured. */
export const DEFAULT_CXONE_ISSUER = 'https://cxone.niceincontact.com';

/** The known issuer with this URL (case and a trailing slash ignored), or undefined for any other URL. */
export function knownCxoneIssuer(url: string): CxoneIssuer | undefined {
  const normalized = url.trim().replace(/\/+$/, '').toLowerCase();
  return KNOWN_CXONE_ISSUERS.find((i) => i.issuer === normalized);
}
