import { TokenCache, type TokenStore } from './auth/token-cache.js';
import { AxiosTransport } from './http/axios-transport.js';
import type { CallContext } from './http/execute.js';
import type { Transport } from './http/types.js';
import { documentedRateLimits } from './registry.js';
import { type RateLimit, RateLimiterRegistry } from './retry/rate-limiter.js';

/** A limit's name, as the platforms' descriptors give them (`genesys`, `cxoneReads`, `cognigy`…). */
export type RateLimitName = string;

/**
 * Everything the platform clients share in one process: the transport, the token cache, the
 * client-side limiters (one per credential), the retry policy and the hooks for logs and counters.
 */
export interface Runtime extends CallContext {
  tokens: TokenCache;
  limiters: RateLimiterRegistry;
  /** The documented limits of every registered platform (scaled, or off), by limit name. */
  limits: Record<RateLimitName, RateLimit>;
  /** Closes kept-alive connections. */
  close(): void;
}

export interface RuntimeOptions extends Partial<Omit<CallContext, 'transport'>> {
  transport?: Transport;
  tokenStore?: TokenStore;
  /** Overrides of the documented limits (for example a raised Genesys limit). */
  limits?: Partial<Record<RateLimitName, RateLimit>>;
  /** Turns the client-side limiters off (emulators with limits off, benchmarks of raw speed). */
  unlimited?: boolean;
  /** Multiplies every limit (a raised platform limit; time-scaled emulators). */
  limitScale?: number;
}

const UNLIMITED: RateLimit = { capacity: 1e12, refillPerSecond: 1e12 };

export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const transport = options.transport ?? new AxiosTransport();
  const limits = { ...documentedRateLimits(), ...options.limits } as Record<RateLimitName, RateLimit>;
  const scale = options.limitScale ?? 1;
  for (const [k, l] of Object.entries(limits)) {
    limits[k] = options.unlimited
      ? UNLIMITED
      : { capacity: l.capacity * scale, refillPerSecond: l.refillPerSecond * scale };
  }
  const { tokenStore, limits: _l, unlimited: _u, limitScale: _s, transport: _t, ...ctx } = options;
  return {
    ...ctx,
    transport,
    tokens: new TokenCache(tokenStore),
    limiters: new RateLimiterRegistry(ctx.clock),
    limits,
    close: () => {
      if (transport instanceof AxiosTransport) transport.close();
    },
  };
}
