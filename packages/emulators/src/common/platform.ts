import type { ResolvedOptions } from '../options.js';
import type { SeedData } from '../seed/seed.js';
import { FaultInjector } from './faults.js';
import type { LimitBucket } from './limit-buckets.js';
import {
  createPlatformServer,
  type PlatformServer,
  type PlatformShape,
  type RequestStats,
  resetStats,
} from './platform-server.js';
import { SeededRandom } from './random.js';
import { type BucketLimit, TokenBuckets } from './rate-limit.js';
import { RequestLog } from './request-log.js';

/** What every platform's emulator is given. */
export interface PlatformContext {
  options: ResolvedOptions;
  seed: SeedData;
}

/** What every platform's emulator gives back to `startEmulators`. */
export interface PlatformEmulator<State> {
  server: PlatformServer;
  faults: FaultInjector;
  log: RequestLog;
  /** The live state (mutated by requests); `reset()` restores the seed. */
  readonly state: State;
  reset(): void;
  revokeTokens(): void;
  /** Told once the server listens, so that discovery documents can point back at it. */
  setBaseUrl(url: string): void;
  /** Turns the rate limits on or off at run time. */
  setLimits(on: boolean): void;
}

/** A command-line option that sets one integer field of a platform's option section. */
export interface IntegerFlag {
  /** The option's name without the dashes: "job-delay-ms". */
  readonly flag: string;
  /** What the help shows after the flag: "<n>", "<s>". */
  readonly placeholder: string;
  readonly min: number;
  readonly description: string;
}

/**
 * One emulated platform, as `startEmulators`, `emulatorEnv`, the options, the command line and the
 * bench see it: each platform folder exports one, and `platforms.ts` lists them, one line each. The
 * seed is shared (one set of sample customers that every platform knows): a new platform's `create`
 * derives its own records from `ctx.seed.customers`, and its credentials from `ctx.seed.options.seed`
 * where it needs some.
 */
export interface EmulatedPlatform<
  Name extends string = string,
  Options extends object = object,
  Connection extends object = object,
  State = unknown,
> {
  /**
   * The key of everything about this platform: `emu.<name>`, `EmulatorOptions.<name>`, `emu.urls.<name>`
   * (so not one of `Emulators`' own keys: the compiler says so).
   */
  readonly name: Name;
  /**
   * Its place in EMULATED_PLATFORMS, from 0 (each once; a new platform takes the next): its port is
   * `options.port + order`, and it comes in this place in every listing (the command line's JSON line
   * and help, the environment, the bench's buckets).
   */
  readonly order: number;
  /** For people, in the command line's help: "CXone". */
  readonly label: string;
  /** The real platform's rate limits, as its public API documentation states them. */
  readonly documentedLimits: Readonly<Record<string, number>>;
  /**
   * The limits that bound a sync's throughput, as the bench measures them, at the limits of `options`
   * (this platform's section). Names literal (`as const`), so that the bench's types name them.
   */
  limitBuckets(options: Options): readonly LimitBucket[];
  /** Requests that wrote customer data, from its counters: a target's writes (a source makes none). */
  countWrites?(stats: RequestStats): number;
  /** Every field of this platform's option section, with its default (the documented limits included). */
  readonly defaultOptions: Options;
  /** The command line's own options for this platform, by the field of `Options` they set. */
  readonly flags?: { readonly [Field in keyof Options]?: IntegerFlag };
  create(ctx: PlatformContext): PlatformEmulator<State>;
  /** How to reach and log in to the emulator once it listens on `baseUrl`: `emu.urls.<name>`. */
  connection(baseUrl: string, seed: SeedData): Connection;
  /** The environment variables that point the CLI, the worker or n8n at this emulator. */
  env(connection: Connection): Record<string, string>;
}

/**
 * Wires the shared pieces for one platform. `build` receives the server and returns the platform's
 * hooks; the shared admin routes call them.
 */
export function definePlatform<State>(
  ctx: PlatformContext,
  shape: PlatformShape,
  salt: number,
  build: (parts: {
    server: PlatformServer;
    /** The platform's injected faults, for what its routes do not cover (a WebSocket upgrade). */
    faults: FaultInjector;
    random: SeededRandom;
    limitsOn: () => boolean;
    bucket: (limit: BucketLimit) => TokenBuckets;
  }) => {
    state: () => State;
    reset(): void;
    revokeTokens(): void;
    setBaseUrl?(url: string): void;
  },
): PlatformEmulator<State> {
  const random = new SeededRandom((ctx.seed.options.seed ?? 42) * 31 + salt);
  const faults = new FaultInjector(random);
  const log = new RequestLog(ctx.options.requestLogSize);
  let limitsOn = ctx.options.limits;
  const buckets: TokenBuckets[] = [];
  let hooks: ReturnType<typeof build> | undefined;
  const server = createPlatformServer({
    shape,
    faults,
    log,
    random: () => random.next(),
    ...(ctx.options.latency ? { latency: ctx.options.latency } : {}),
    admin: {
      state: () => hooks!.state(),
      reset: () => {
        hooks!.reset();
        for (const b of buckets) b.reset();
      },
      revokeTokens: () => hooks!.revokeTokens(),
    },
  });
  hooks = build({
    server,
    faults,
    random,
    limitsOn: () => limitsOn,
    bucket: (limit) => {
      // Time-scaled: a window K times shorter allows K times the documented rate.
      const b = new TokenBuckets({ ...limit, windowMs: limit.windowMs / ctx.options.timeScale });
      buckets.push(b);
      return b;
    },
  });
  const h = hooks;
  return {
    server,
    faults,
    log,
    get state() {
      return h.state();
    },
    reset: () => {
      h.reset();
      for (const b of buckets) b.reset();
      faults.clear();
      log.clear();
      resetStats(server.stats);
    },
    revokeTokens: () => h.revokeTokens(),
    setBaseUrl: (url) => h.setBaseUrl?.(url),
    setLimits: (on) => {
      limitsOn = on;
    },
  };
}
