import { countRequests, refusedRequests } from '../common/limit-buckets.js';
import type { EmulatedPlatform } from '../common/platform.js';
import type { RequestStats } from '../common/platform-server.js';
import { type CxoneState, createCxoneEmulator } from './emulator.js';

/** NICE CXone's section of `EmulatorOptions`. */
export interface CxoneOptions {
  /** Access token lifetime in seconds (default 3600). */
  tokenExpiresIn: number;
  updatesPerHour: number;
  getsPerHour: number;
  customerBurst: number;
  customerRefillPerMinute: number;
}

/** The issuer, the API host and the DFO host: three hosts on the real platform, one base URL here. */
export interface CxoneConnection {
  issuer: string;
  apiUrl: string;
  dfoUrl: string;
  clientId: string;
  clientSecret: string;
  accessKeyId: string;
  accessKeySecret: string;
  tenantId: string;
}

const documentedLimits = {
  updatesPerHour: 1_000_000,
  getsPerHour: 120_000,
  customerBurst: 250,
  customerRefillPerMinute: 17,
};
const defaultOptions: CxoneOptions = { tokenExpiresIn: 3600, ...documentedLimits };
const hour = 3_600_000;

// Digital API requests, by kind: every /dfo/ route is limited, the login and the discovery are not.
const dfoReads = (s: RequestStats) =>
  countRequests(s, (method, path) => path.startsWith('/dfo/') && method === 'GET');
const dfoUpdates = (s: RequestStats) =>
  countRequests(s, (method, path) => path.startsWith('/dfo/') && method !== 'GET');

export const cxone = {
  name: 'cxone',
  order: 1,
  label: 'CXone',
  documentedLimits,
  // The tenant's two limits. The burst per customer is left out: a sync writes a customer once or
  // twice, far below it.
  limitBuckets: (o) =>
    [
      {
        name: 'cxoneGets',
        label: `CXone ${o.getsPerHour.toLocaleString('en')} gets/h`,
        capacity: o.getsPerHour,
        windowMs: hour,
        // Refused requests are taken from the reads: the counters by route do not say which were refused.
        requestsTaken: (s) => Math.max(0, dfoReads(s) - refusedRequests(s)),
      },
      {
        name: 'cxoneUpdates',
        label: `CXone ${o.updatesPerHour.toLocaleString('en')} updates/h`,
        capacity: o.updatesPerHour,
        windowMs: hour,
        requestsTaken: dfoUpdates,
      },
    ] as const,
  // PUT (and DELETE) of a customer's custom fields.
  countWrites: dfoUpdates,
  defaultOptions,
  create: createCxoneEmulator,
  connection: (baseUrl, seed): CxoneConnection => ({
    issuer: baseUrl,
    apiUrl: baseUrl,
    dfoUrl: baseUrl,
    clientId: seed.cxone.clientId,
    clientSecret: seed.cxone.clientSecret,
    accessKeyId: seed.cxone.accessKeyId,
    accessKeySecret: seed.cxone.accessKeySecret,
    tenantId: seed.cxone.tenantId,
  }),
  // The API and DFO hosts are discovered from the issuer (the emulator serves the discovery): no
  // variable of their own.
  env: (c) => ({
    CXONE_ISSUER: c.issuer,
    CXONE_CLIENT_ID: c.clientId,
    CXONE_CLIENT_SECRET: c.clientSecret,
    CXONE_ACCESS_KEY_ID: c.accessKeyId,
    CXONE_ACCESS_KEY_SECRET: c.accessKeySecret,
  }),
} satisfies EmulatedPlatform<'cxone', CxoneOptions, CxoneConnection, CxoneState>;
