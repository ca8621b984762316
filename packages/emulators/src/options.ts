import type { LatencyOptions } from './common/platform-server.js';
import type { SeedOptions } from './seed/seed.js';

/** The real platforms' rate limits, as their public API documentation states them. */
export const DOCUMENTED_LIMITS = {
  genesys: { requestsPerMinutePerToken: 300 },
  cxone: { updatesPerHour: 1_000_000, getsPerHour: 120_000, customerBurst: 250, customerRefillPerMinute: 17 },
  cognigy: { requestsPer5MinutesPerAddress: 1000 },
} as const;

export interface EmulatorOptions extends SeedOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** First port: Genesys gets it, CXone the next, Cognigy the one after; 0 picks free ports. */
  port?: number;
  /** Latency added to every platform request (not to /__admin). */
  latency?: LatencyOptions;
  /** Enforce the platforms' rate limits (default true). */
  limits?: boolean;
  /** Divide every limit's window by this factor: K=10 allows ten times the documented rate. */
  timeScale?: number;
  /** Requests kept in each platform's log (default 5000; 0 keeps none). */
  requestLogSize?: number;
  genesys?: {
    /** Token lifetime in seconds (default 86400, the real default). */
    tokenExpiresIn?: number;
    /** How long an analytics job stays QUEUED/PENDING before FULFILLED (default 300 ms). */
    jobDelayMs?: number;
    requestsPerMinutePerToken?: number;
  };
  cxone?: {
    tokenExpiresIn?: number;
    updatesPerHour?: number;
    getsPerHour?: number;
    customerBurst?: number;
    customerRefillPerMinute?: number;
  };
  cognigy?: {
    requestsPer5MinutesPerAddress?: number;
  };
}

export interface ResolvedOptions {
  host: string;
  port: number;
  latency?: LatencyOptions;
  limits: boolean;
  timeScale: number;
  requestLogSize: number;
  seed: SeedOptions;
  genesys: { tokenExpiresIn: number; jobDelayMs: number; requestsPerMinutePerToken: number };
  cxone: {
    tokenExpiresIn: number;
    updatesPerHour: number;
    getsPerHour: number;
    customerBurst: number;
    customerRefillPerMinute: number;
  };
  cognigy: { requestsPer5MinutesPerAddress: number };
}

export function resolveOptions(o: EmulatorOptions = {}): ResolvedOptions {
  const timeScale = o.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
  const seed: SeedOptions = {};
  for (const k of ['seed', 'customers', 'conversationsPerCustomer', 'conversationsEnd', 'days'] as const) {
    if (o[k] !== undefined) (seed as Record<string, unknown>)[k] = o[k];
  }
  return {
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 0,
    ...(o.latency ? { latency: o.latency } : {}),
    limits: o.limits ?? true,
    timeScale,
    requestLogSize: o.requestLogSize ?? 5000,
    seed,
    genesys: {
      tokenExpiresIn: o.genesys?.tokenExpiresIn ?? 86_400,
      jobDelayMs: o.genesys?.jobDelayMs ?? 300,
      requestsPerMinutePerToken:
        o.genesys?.requestsPerMinutePerToken ?? DOCUMENTED_LIMITS.genesys.requestsPerMinutePerToken,
    },
    cxone: { tokenExpiresIn: 3600, ...DOCUMENTED_LIMITS.cxone, ...stripUndefined(o.cxone ?? {}) },
    cognigy: { ...DOCUMENTED_LIMITS.cognigy, ...stripUndefined(o.cognigy ?? {}) },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
