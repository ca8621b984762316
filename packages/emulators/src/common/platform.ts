import type { ResolvedOptions } from '../options.js';
import type { SeedData } from '../seed/seed.js';
import { FaultInjector } from './faults.js';
import {
  createPlatformServer,
  type PlatformServer,
  type PlatformShape,
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
