import { countRequests, refusedRequests } from '../common/limit-buckets.js';
import type { EmulatedPlatform } from '../common/platform.js';
import { type CognigyState, createCognigyEmulator } from './emulator.js';

/** Cognigy.AI's section of `EmulatorOptions`. */
export interface CognigyOptions {
  requestsPer5MinutesPerAddress: number;
  /** The largest stored `profile` object, in bytes of JSON (default 65,536: the platform's 64 kB). */
  profileMaxBytes: number;
}

export interface CognigyConnection {
  apiUrl: string;
  apiKey: string;
  projectId: string;
}

const documentedLimits = { requestsPer5MinutesPerAddress: 1000 };
const defaultOptions: CognigyOptions = { ...documentedLimits, profileMaxBytes: 65_536 };

export const cognigy = {
  name: 'cognigy',
  order: 2,
  label: 'Cognigy',
  documentedLimits,
  limitBuckets: (o) =>
    [
      {
        name: 'cognigy',
        label: `Cognigy ${o.requestsPer5MinutesPerAddress.toLocaleString('en')}/5 min per address`,
        capacity: o.requestsPer5MinutesPerAddress,
        windowMs: 5 * 60_000,
        // Every request takes a token of its address's bucket but a refused one.
        requestsTaken: (s) => Math.max(0, countRequests(s, () => true) - refusedRequests(s)),
      },
    ] as const,
  // POST, PATCH and DELETE of contact profiles (not of the schema).
  countWrites: (s) =>
    countRequests(
      s,
      (method, path) => method !== 'GET' && path.includes('/profiles') && !path.includes('/schema'),
    ),
  defaultOptions,
  flags: {
    profileMaxBytes: {
      flag: 'cognigy-profile-max-bytes',
      placeholder: '<n>',
      min: 2,
      description: 'the largest stored Cognigy profile, bytes of JSON',
    },
  },
  create: createCognigyEmulator,
  connection: (baseUrl, seed): CognigyConnection => ({
    apiUrl: baseUrl,
    apiKey: seed.cognigy.apiKey,
    projectId: seed.cognigy.projectId,
  }),
  env: (c) => ({
    COGNIGY_API_URL: c.apiUrl,
    COGNIGY_API_KEY: c.apiKey,
    COGNIGY_PROJECT_ID: c.projectId,
  }),
} satisfies EmulatedPlatform<'cognigy', CognigyOptions, CognigyConnection, CognigyState>;
