import { NotFoundError } from '../../errors/errors.js';
import { registerSource, type SourceDescriptor } from '../../registry.js';
import { GenesysClient } from './client.js';
import { GENESYS_CONFIG_HINT, type GenesysConfig, readGenesysConfig } from './config.js';

/** A conversation that cannot exist: a 404 for it proves the read permission, a 403 its absence. */
const NO_SUCH_CONVERSATION = '00000000-0000-4000-8000-000000000000';

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
        return `token for OAuth client ${me.clientName ?? me.clientId ?? client.config.clientId}${me.organizationName ? ` of ${me.organizationName}` : ''}; conversations readable`;
      },
    },
    {
      step: 'read external-contact schemas',
      run: async () =>
        `${(await client.contactSchemas()).length} contact schemas; external contacts readable`,
    },
  ],
} as const satisfies SourceDescriptor<GenesysConfig, GenesysClient>;

registerSource(genesys);
