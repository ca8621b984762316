import type { EmulatedPlatform } from '../common/platform.js';
import { type CognigyState, createCognigyEmulator } from './emulator.js';

/** Cognigy.AI's section of `EmulatorOptions`. */
export interface CognigyOptions {
  requestsPer5MinutesPerAddress: number;
}

export interface CognigyConnection {
  apiUrl: string;
  apiKey: string;
  projectId: string;
}

const documentedLimits = { requestsPer5MinutesPerAddress: 1000 };
const defaultOptions: CognigyOptions = { ...documentedLimits };

export const cognigy = {
  name: 'cognigy',
  label: 'Cognigy',
  documentedLimits,
  defaultOptions,
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
