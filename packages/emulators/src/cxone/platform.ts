import type { EmulatedPlatform } from '../common/platform.js';
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

export const cxone = {
  name: 'cxone',
  label: 'CXone',
  documentedLimits,
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
