import { NotFoundError } from '../../errors/errors.js';
import { registerSource, type SourceDescriptor } from '../../registry.js';
import { GenesysClient } from './client.js';
import { GENESYS_CONFIG_HINT, type GenesysConfig, readGenesysConfig } from './config.js';
import type { GenesysTokenInfo } from './types.js';

/** A conversation that cannot exist: a 404 for it proves the read permission, a 403 its absence. */
const NO_SUCH_CONVERSATION = '00000000-0000-4000-8000-000000000000';

/**
 * What `check` says of a token: its OAuth client (by name), the organization it works in (and the
 * home organization of a trustee's clone), and when it idles if the platform says.
 */
export function describeToken(me: GenesysTokenInfo, configuredClientId: string): string {
  const clientName = me.clientName ?? me.clientId ?? configuredClientId;
  const org = me.organizationName ?? me.organizationId;
  const home =
    me.clonedUser && me.homeOrganizationName && me.homeOrganizationName !== me.organizationName
      ? ` (a clone of a user of ${me.homeOrganizationName})`
      : '';
  const idles = me.dateTokenIdles ? `, idles at ${me.dateTokenIdles}` : '';
  return `token for OAuth client "${clientName}"${org ? ` of organization "${org}"` : ''}${home}${idles}`;
}

/**
 * What `check` says of the analytics watermark: up to when back-fills can read conversations, and
 * how far behind now that is (on real orgs hours, into the previous day).
 */
export function describeAvailability(dataAvailabilityDate: string, now: number): string {
  const behindMs = Math.max(0, now - Date.parse(dataAvailabilityDate));
  const minutes = Math.round(behindMs / 60_000);
  const age =
    minutes < 1
      ? 'less than a minute ago'
      : minutes < 120
        ? `${minutes} minute${minutes === 1 ? '' : 's'} ago`
        : minutes < 48 * 60
          ? `${(minutes / 60).toFixed(1)} hours ago`
          : `${(minutes / 1440).toFixed(1)} days ago`;
  return `analytics jobs hold conversations that started before ${dataAvailabilityDate} (${age}); back-fills stop there and say what is left`;
}

/** Genesys Cloud as the source: conversations, external contacts and analytics jobs. */
export const genesys = {
  role: 'source',
  name: 'genesys',
  label: 'Genesys Cloud',
  hints: {
    auth: 'check GENESYS_REGION (or GENESYS_LOGIN_URL/GENESYS_API_URL) and the OAuth client id and secret; the client must use the Client Credentials grant',
    permission:
      "check the roles of the OAuth client's role assignment (for example Conversation > Communication > View, External Contacts > Contact > View, Analytics > Conversation Detail > View)",
    unsupportedGrant:
      'Genesys Cloud has no JWT-bearer grant: create an OAuth client with the Client Credentials grant and set GENESYS_CLIENT_ID and GENESYS_CLIENT_SECRET',
  },
  limits: {
    /** 300 requests a minute per client-credentials token. */
    genesys: { capacity: 300, refillPerSecond: 5 },
  },
  activitiesPerSecond: 5,
  configHint: GENESYS_CONFIG_HINT,
  readConfig: readGenesysConfig,
  createClient: (config: GenesysConfig, runtime) => new GenesysClient(config, runtime),
  checks: (client: GenesysClient) => [
    {
      step: 'login and permissions',
      run: async () => {
        const me = await client.tokenInfo();
        try {
          await client.getConversation(NO_SUCH_CONVERSATION);
        } catch (e) {
          if (!(e instanceof NotFoundError)) throw e;
        }
        return `${describeToken(me, client.config.clientId)}; conversations readable`;
      },
    },
    {
      step: 'read external-contact schemas',
      run: async () =>
        `${(await client.contactSchemas()).length} contact schemas; external contacts readable`,
    },
    {
      step: 'analytics data availability',
      run: async () => describeAvailability((await client.availability()).dataAvailabilityDate, Date.now()),
    },
  ],
} as const satisfies SourceDescriptor<GenesysConfig, GenesysClient>;

registerSource(genesys);
