import type { LatencyOptions } from './common/platform-server.js';
import { byPlatformName, type ListedPlatform } from './platform-list.js';
import type { SeedOptions } from './seed/seed.js';

/** The real platforms' rate limits, as their public API documentation states them, by platform. */
export const DOCUMENTED_LIMITS = byPlatformName((p) => p.documentedLimits) as {
  readonly [P in ListedPlatform as P['name']]: Readonly<P['documentedLimits']>;
};

/** Each platform's option section: any of its fields, the others keep their defaults. */
type PlatformOptionSections = { [P in ListedPlatform as P['name']]?: Partial<P['defaultOptions']> };

export interface EmulatorOptions extends SeedOptions, PlatformOptionSections {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /**
   * First port: the first platform of EMULATED_PLATFORMS (Genesys) gets it, the next (CXone) the
   * next one, and so on; 0 picks free ports.
   */
  port?: number;
  /** Latency added to every platform request (not to /__admin). */
  latency?: LatencyOptions;
  /** Enforce the platforms' rate limits (default true). */
  limits?: boolean;
  /** Divide every limit's window by this factor: K=10 allows ten times the documented rate. */
  timeScale?: number;
  /** Requests kept in each platform's log (default 5000; 0 keeps none). */
  requestLogSize?: number;
}

type ResolvedPlatformOptionSections = { [P in ListedPlatform as P['name']]: P['defaultOptions'] };

export interface ResolvedOptions extends ResolvedPlatformOptionSections {
  host: string;
  port: number;
  latency?: LatencyOptions;
  limits: boolean;
  timeScale: number;
  requestLogSize: number;
  seed: SeedOptions;
}

export function resolveOptions(o: EmulatorOptions = {}): ResolvedOptions {
  const timeScale = o.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
  const seed: SeedOptions = {};
  for (const k of [
    'seed',
    'customers',
    'conversationsPerCustomer',
    'conversationsEnd',
    'days',
    'conversationsWithoutCustomer',
  ] as const) {
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
    ...(byPlatformName((p) => ({
      ...p.defaultOptions,
      ...stripUndefined(o[p.name as ListedPlatform['name']] ?? {}),
    })) as ResolvedPlatformOptionSections),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
