import type { AddressInfo } from 'node:net';
import type { PlatformEmulator } from './common/platform.js';
import { type EmulatorOptions, resolveOptions } from './options.js';
import { byPlatformName, type ListedPlatform } from './platform-list.js';
import { generateSeed, type SeedData } from './seed/seed.js';

/** The state type a platform's emulator keeps. */
type StateOf<P extends ListedPlatform> =
  ReturnType<P['create']> extends PlatformEmulator<infer S> ? S : never;

/** How to reach and log in to each emulated platform: the CLI prints exactly this as its first line. */
export type EmulatorConnection = { [P in ListedPlatform as P['name']]: ReturnType<P['connection']> };

/** The running emulator of each platform: `emu.genesys`, `emu.cxone`, … */
type PlatformEmulators = { [P in ListedPlatform as P['name']]: PlatformEmulator<StateOf<P>> };

/** The live state of each platform's emulator. */
export type EmulatorStates = { [P in ListedPlatform as P['name']]: StateOf<P> };

/** The environment variables that point the CLI, the worker or the n8n tests at the emulators (a user's .env). */
export function emulatorEnv(c: EmulatorConnection): Record<string, string> {
  const connections: Record<string, object> = c;
  return Object.assign({}, ...Object.values(byPlatformName((p) => p.env(connections[p.name]!))));
}

export interface Emulators extends PlatformEmulators {
  /** Base URLs and credentials. */
  urls: EmulatorConnection;
  credentials: EmulatorConnection;
  seed: SeedData;
  /** The live state of every platform. */
  readonly state: EmulatorStates;
  /** Restores the seed state and clears faults, logs and limits on every platform. */
  reset(): void;
  stop(): Promise<void>;
}

/** Starts one emulator per platform of EMULATED_PLATFORMS, each on its own port of `options.host`. */
export async function startEmulators(options: EmulatorOptions = {}): Promise<Emulators> {
  const resolved = resolveOptions(options);
  const seed = generateSeed(resolved.seed);
  const ctx = { options: resolved, seed };
  const emulators = byPlatformName((p) => p.create(ctx));
  // In list order, as byPlatformName builds it: the i-th listens on the i-th port.
  const running = Object.values(emulators);
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  const baseUrls: string[] = [];
  try {
    for (const [i, emulator] of running.entries()) {
      const port = resolved.port === 0 ? 0 : resolved.port + i;
      await emulator.server.app.listen({ host: resolved.host, port });
      const { port: actual } = emulator.server.app.server.address() as AddressInfo;
      const base = `http://${host}:${actual}`;
      emulator.setBaseUrl(base);
      baseUrls.push(base);
    }
  } catch (e) {
    await Promise.allSettled(running.map((emulator) => emulator.server.app.close()));
    throw e;
  }
  const connection = byPlatformName((p, i) => p.connection(baseUrls[i]!, seed)) as EmulatorConnection;
  return {
    urls: connection,
    credentials: connection,
    seed,
    ...(emulators as PlatformEmulators),
    get state() {
      return byPlatformName((p) => emulators[p.name]!.state) as EmulatorStates;
    },
    reset: () => {
      for (const emulator of running) emulator.reset();
    },
    stop: async () => {
      await Promise.all(running.map((emulator) => emulator.server.app.close()));
    },
  };
}
