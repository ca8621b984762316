import type { EnvReader } from '../../config.js';

export interface CognigyConfig {
  apiUrl: string;
  apiKey: string;
  projectId: string;
}

const KEYS = ['COGNIGY_API_URL', 'COGNIGY_API_KEY', 'COGNIGY_PROJECT_ID'];

export const COGNIGY_CONFIG_HINT = 'set COGNIGY_API_URL, COGNIGY_API_KEY and COGNIGY_PROJECT_ID';

/** COGNIGY_API_URL, COGNIGY_API_KEY and the project whose contact profiles are written. */
export function readCognigyConfig(env: EnvReader): CognigyConfig | undefined {
  if (!env.any(KEYS) || !env.require(KEYS)) return undefined;
  return {
    apiUrl: env.url('COGNIGY_API_URL', env.get('COGNIGY_API_URL')!),
    apiKey: env.get('COGNIGY_API_KEY')!,
    projectId: env.get('COGNIGY_PROJECT_ID')!,
  };
}
