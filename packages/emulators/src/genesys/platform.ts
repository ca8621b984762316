import { countRequests, refusedRequests } from '../common/limit-buckets.js';
import type { EmulatedPlatform } from '../common/platform.js';
import { createGenesysEmulator, type GenesysState } from './emulator.js';
import { DEFAULT_EVENT_OPTIONS, type GenesysEventSettings } from './events/options.js';

/** Genesys Cloud's section of `EmulatorOptions`. */
export interface GenesysOptions {
  /** Token lifetime in seconds (default 86400, the real default). */
  tokenExpiresIn: number;
  /** How long an analytics job stays QUEUED/PENDING before FULFILLED (default 300 ms). */
  jobDelayMs: number;
  requestsPerMinutePerToken: number;
  /**
   * The analytics data lake's watermark (`dataAvailabilityDate`): 'seed' (default) starts at the
   * seed's, which leaves its most recent conversations out until moved (`POST /__admin/watermark`,
   * `state.setWatermark`), and holds nothing back when the seed has none (fewer than 25
   * conversations); 'none' holds nothing back (for tests that do not care); a number follows the
   * clock that many ms behind (conversations after it wait).
   */
  watermark: 'seed' | 'none' | number;
  /** The most conversations a job-results page holds (default 1,000, the documented maximum). */
  resultsPageSize: number;
  /**
   * Events (EventBridge deliveries and the Notifications API): any field, the others keep their
   * defaults (see events/options.ts), e.g. `{heartbeatMs: 50, delivery: {latency: {minMs: 0, maxMs: 0}}}`.
   */
  events: GenesysEventSettings;
}

export interface GenesysConnection {
  apiUrl: string;
  loginUrl: string;
  clientId: string;
  clientSecret: string;
}

const documentedLimits = { requestsPerMinutePerToken: 300 };
const defaultOptions: GenesysOptions = {
  tokenExpiresIn: 86_400,
  jobDelayMs: 300,
  watermark: 'seed',
  resultsPageSize: 1000,
  events: DEFAULT_EVENT_OPTIONS,
  ...documentedLimits,
};

/** Genesys Cloud: the login service and the Platform API share one base URL. */
export const genesys = {
  name: 'genesys',
  order: 0,
  label: 'Genesys',
  documentedLimits,
  limitBuckets: (o) =>
    [
      {
        name: 'genesys',
        label: `Genesys ${o.requestsPerMinutePerToken}/min per token`,
        capacity: o.requestsPerMinutePerToken,
        windowMs: 60_000,
        // Every Platform API request takes a token but a refused one; logins are not limited.
        requestsTaken: (s) =>
          Math.max(0, countRequests(s, (_method, path) => path.startsWith('/api/v2/')) - refusedRequests(s)),
        // Each access token granted is a bucket of its own.
        keys: (s) => Math.max(1, s.byRoute['POST /oauth/token'] ?? 0),
      },
    ] as const,
  defaultOptions,
  flags: {
    jobDelayMs: {
      flag: 'job-delay-ms',
      placeholder: '<n>',
      min: 0,
      description: 'Genesys analytics jobs stay pending this long',
    },
    watermark: {
      flag: 'data-lag-ms',
      placeholder: '<ms>',
      min: 0,
      description: "Genesys analytics data lags the clock this much (default: the seed's watermark)",
    },
    resultsPageSize: {
      flag: 'results-page-size',
      placeholder: '<n>',
      min: 1,
      description: 'Genesys analytics job pages hold at most this many conversations (default 1000)',
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
