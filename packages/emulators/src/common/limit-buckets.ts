import type { RequestStats } from './platform-server.js';
import type { BucketLimit } from './rate-limit.js';

/**
 * One of a platform's rate limits as the bench models it: a token bucket per key that starts full,
 * `capacity` at once, refilled at `refillPerWindow ?? capacity` per window (the emulators enforce
 * it the same way: common/rate-limit.ts).
 */
export interface LimitBucket extends BucketLimit {
  /** Unique among all platforms' buckets: reports key the buckets by it ("cxoneGets"). */
  readonly name: string;
  /** For people, in reports: "CXone 120,000 gets/h". */
  readonly label: string;
  /** The requests that took a token of this bucket, from the platform's own counters (`emu.<name>.server.stats`). */
  requestsTaken(stats: RequestStats): number;
  /** The keys the counters show, each a bucket of its own (Genesys: the tokens granted); one when absent. */
  keys?(stats: RequestStats): number;
}

/** Tokens a second a bucket refills with its window divided by `timeScale`, as the emulators divide it. */
export function bucketRefillPerSecond(limit: BucketLimit, timeScale: number): number {
  return ((limit.refillPerWindow ?? limit.capacity) / (limit.windowMs / 1000)) * timeScale;
}

/** Requests counted on the routes that `keep` accepts; the counters' route keys are "GET /dfo/3.0/customers". */
export function countRequests(stats: RequestStats, keep: (method: string, path: string) => boolean): number {
  let n = 0;
  for (const [route, count] of Object.entries(stats.byRoute)) {
    const space = route.indexOf(' ');
    if (keep(route.slice(0, space), route.slice(space + 1))) n += count;
  }
  return n;
}

/** Requests refused for a limit (429): they took no token. */
export function refusedRequests(stats: RequestStats): number {
  return stats.byStatus['429'] ?? 0;
}
