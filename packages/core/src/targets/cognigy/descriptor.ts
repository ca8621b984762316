import { registerTarget, type TargetDescriptor } from '../../registry.js';
import { CognigyClient } from './client.js';
import { COGNIGY_CONFIG_HINT, type CognigyConfig, readCognigyConfig } from './config.js';
import { CognigyTarget } from './target.js';

/** Cognigy.AI as a target: contact profiles, created when missing unless told not to. */
export const cognigy = {
  role: 'target',
  name: 'cognigy',
  label: 'Cognigy.AI',
  hints: {
    auth: 'check COGNIGY_API_URL and COGNIGY_API_KEY (an API key is created under your user profile)',
    permission: "check that the API key's user has access to the project COGNIGY_PROJECT_ID",
  },
  limits: {
    /** 1,000 requests per 5 minutes per client address. */
    cognigy: { capacity: 1000, refillPerSecond: 1000 / 300 },
  },
  activitiesPerSecond: 3.3,
  configHint: COGNIGY_CONFIG_HINT,
  readConfig: readCognigyConfig,
  createClient: (config: CognigyConfig, runtime) => new CognigyClient(config, runtime),
  createTarget: (client: CognigyClient, options) =>
    new CognigyTarget(client, options.mapping, options.createMissing, {
      ignoreConsent: client.config.ignoreConsent === true,
    }),
  ledgerScope: (config: CognigyConfig) => `${new URL(config.apiUrl).host}/${config.projectId}`,
  recordIdOption: {
    flag: 'cognigy-profile',
    description: 'the Cognigy profile id (default: found by contact ids)',
  },
  checks: (client: CognigyClient) => [
    {
      step: 'API key and project schema',
      run: async () => {
        const schema = await client.schema();
        return `project ${client.projectId}: ${schema.length} profile fields`;
      },
    },
  ],
} as const satisfies TargetDescriptor<CognigyConfig, CognigyClient>;

registerTarget(cognigy);
