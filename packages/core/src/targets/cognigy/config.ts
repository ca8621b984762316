import type { EnvReader } from '../../config.js';

export interface CognigyConfig {
  apiUrl: string;
  apiKey: string;
  projectId: string;
  /**
   * Write profiles whose person asked that no data be collected (`prevent_data_collection: true`).
   * Off by default: such a profile is skipped with reason `consent`. COGNIGY_IGNORE_CONSENT=true.
   */
  ignoreConsent?: boolean;
}

const KEYS = ['COGNIGY_API_URL', 'COGNIGY_API_KEY', 'COGNIGY_PROJECT_ID'];

export const COGNIGY_CONFIG_HINT = 'set COGNIGY_API_URL, COGNIGY_API_KEY and COGNIGY_PROJECT_ID';

/**
 * COGNIGY_API_URL, COGNIGY_API_KEY and the project whose contact profiles are written; optionally
 * COGNIGY_IGNORE_CONSENT (`true` or `false`, default false).
 */
export function readCognigyConfig(env: EnvReader): CognigyConfig | undefined {
  if (!env.any(KEYS) || !env.require(KEYS)) return undefined;
  const ignore = env.get('COGNIGY_IGNORE_CONSENT')?.toLowerCase();
  if (ignore !== undefined && ignore !== 'true' && ignore !== 'false')
    env.problem(`COGNIGY_IGNORE_CONSENT must be true or false, got "${env.get('COGNIGY_IGNORE_CONSENT')}"`);
  return {
    apiUrl: env.url('COGNIGY_API_URL', env.get('COGNIGY_API_URL')!),
    apiKey: env.get('COGNIGY_API_KEY')!,
    projectId: env.get('COGNIGY_PROJECT_ID')!,
    ...(ignore === 'true' ? { ignoreConsent: true } : {}),
  };
}
