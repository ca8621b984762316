import type { AddressInfo } from 'node:net';
import { type CognigyState, createCognigyEmulator } from './cognigy/emulator.js';
import type { PlatformEmulator } from './common/platform.js';
import { type CxoneState, createCxoneEmulator } from './cxone/emulator.js';
import { createGenesysEmulator, type GenesysState } from './genesys/emulator.js';
import { type EmulatorOptions, resolveOptions } from './options.js';
import { generateSeed, type SeedData } from './seed/seed.js';

/** How to reach and log in to each emulated platform: the CLI prints exactly this as its first line. */
export interface EmulatorConnection {
  genesys: { apiUrl: string; loginUrl: string; clientId: string; clientSecret: string };
  cxone: {
    issuer: string;
    apiUrl: string;
    dfoUrl: string;
    clientId: string;
    clientSecret: string;
    accessKeyId: string;
    accessKeySecret: string;
    tenantId: string;
  };
  cognigy: { apiUrl: string; apiKey: string; projectId: string };
}

/** The environment variables that point the CLI, the worker or the n8n tests at the emulators (a user's .env). */
export function emulatorEnv(c: EmulatorConnection): Record<string, string> {
  return {
    GENESYS_API_URL: c.genesys.apiUrl,
    GENESYS_LOGIN_URL: c.genesys.loginUrl,
    GENESYS_CLIENT_ID: c.genesys.clientId,
    GENESYS_CLIENT_SECRET: c.genesys.clientSecret,
    CXONE_ISSUER: c.cxone.issuer,
    CXONE_CLIENT_ID: c.cxone.clientId,
    CXONE_CLIENT_SECRET: c.cxone.clientSecret,
    CXONE_ACCESS_KEY_ID: c.cxone.accessKeyId,
    CXONE_ACCESS_KEY_SECRET: c.cxone.accessKeySecret,
    COGNIGY_API_URL: c.cognigy.apiUrl,
    COGNIGY_API_KEY: c.cognigy.apiKey,
    COGNIGY_PROJECT_ID: c.cognigy.projectId,
  };
}

export interface Emulators {
  /** Base URLs and credentials. */
  urls: EmulatorConnection;
  credentials: EmulatorConnection;
  seed: SeedData;
  genesys: PlatformEmulator<GenesysState>;
  cxone: PlatformEmulator<CxoneState>;
  cognigy: PlatformEmulator<CognigyState>;
  /** The live state of all three. */
  readonly state: { genesys: GenesysState; cxone: CxoneState; cognigy: CognigyState };
  /** Restores the seed state and clears faults, logs and limits on all three. */
  reset(): void;
  stop(): Promise<void>;
}

/** Starts the three emulators, each on its own port of `options.host`. */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const resolved = resolveOptions(options);
  const seed = generateSeed(resolved.seed);
  const ctx = { options: resolved, seed };
  const genesys = createGenesysEmulator(ctx);
  const cxone = createCxoneEmulator(ctx);
  const cognigy = createCognigyEmulator(ctx);
  const platforms = [genesys, cxone, cognigy];
  const bases: string[] = [];
  try {
    for (const [i, p] of platforms.entries()) {
      const port = resolved.port === 0 ? 0 : resolved.port + i;
      await p.server.app.listen({ host: resolved.host, port });
      const { port: actual } = p.server.app.server.address() as AddressInfo;
      const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
      const base = `http://${host}:${actual}`;
      p.setBaseUrl(base);
      bases.push(base);
    }
  } catch (e) {
    await Promise.allSettled(platforms.map((p) => p.server.app.close()));
    throw e;
  }
  const [g, c, k] = bases as [string, string, string];
  const connection: EmulatorConnection = {
    genesys: {
      apiUrl: g,
      loginUrl: g,
      clientId: seed.genesys.clientId,
      clientSecret: seed.genesys.clientSecret,
    },
    cxone: {
      issuer: c,
      apiUrl: c,
      dfoUrl: c,
      clientId: seed.cxone.clientId,
      clientSecret: seed.cxone.clientSecret,
      accessKeyId: seed.cxone.accessKeyId,
      accessKeySecret: seed.cxone.accessKeySecret,
      tenantId: seed.cxone.tenantId,
    },
    cognigy: { apiUrl: k, apiKey: seed.cognigy.apiKey, projectId: seed.cognigy.projectId },
  };
  return {
    urls: connection,
    credentials: connection,
    seed,
    genesys,
    cxone,
    cognigy,
    get state() {
      return { genesys: genesys.state, cxone: cxone.state, cognigy: cognigy.state };
    },
    reset: () => {
      for (const p of platforms) p.reset();
    },
    stop: async () => {
      await Promise.all(platforms.map((p) => p.server.app.close()));
    },
  };
}
