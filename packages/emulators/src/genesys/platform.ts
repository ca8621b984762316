import type { EmulatedPlatform } from '../common/platform.js';
import { createGenesysEmulator, type GenesysState } from './emulator.js';

/** Genesys Cloud's section of `EmulatorOptions`. */
export interface GenesysOptions {
  /** Token lifetime in seconds (default 86400, the real default). */
  tokenExpiresIn: number;
  /** How long an analytics job stays QUEUED/PENDING before FULFILLED (default 300 ms). */
  jobDelayMs: number;
  requestsPerMinutePerToken: number;
}

export interface GenesysConnection {
  apiUrl: string;
  loginUrl: string;
  clientId: string;
  clientSecret: string;
}

const documentedLimits = { requestsPerMinutePerToken: 300 };
const defaultOptions: GenesysOptions = { tokenExpiresIn: 86_400, jobDelayMs: 300, ...documentedLimits };

/** Genesys Cloud: the login service and the Platform API share one base URL. */
export const genesys = {
  name: 'genesys',
  label: 'Genesys',
  documentedLimits,
  defaultOptions,
  flags: {
    jobDelayMs: {
      flag: 'job-delay-ms',
      placeholder: '<n>',
      min: 0,
      description: 'Genesys analytics jobs stay pending this long',
    },
    tokenExpiresIn: {
      flag: 'token-expires-in',
      placeholder: '<s>',
      min: 1,
      description: 'Genesys token lifetime in seconds',
    },
  },
  create: createGenesysEmulator,
  connection: (baseUrl, seed): GenesysConnection => ({
    apiUrl: baseUrl,
    loginUrl: baseUrl,
    clientId: seed.genesys.clientId,
    clientSecret: seed.genesys.clientSecret,
  }),
  env: (c) => ({
    GENESYS_API_URL: c.apiUrl,
    GENESYS_LOGIN_URL: c.loginUrl,
    GENESYS_CLIENT_ID: c.clientId,
    GENESYS_CLIENT_SECRET: c.clientSecret,
  }),
} satisfies EmulatedPlatform<'genesys', GenesysOptions, GenesysConnection, GenesysState>;
