/**
 * The best rate the platforms' limits allow for a piece of work. The emulators enforce each limit as
 * a token bucket per key (packages/emulators/src/common/rate-limit.ts): `capacity` requests at once,
 * refilled at capacity per window, the window divided by the time scale K. A path that needs `n`
 * requests from a bucket with `keys` keys cannot finish before (n − capacity·keys) / (refill·keys)
 * seconds; the slowest bucket binds. Each emulated platform's descriptor says its buckets and how to
 * count a run's requests against them (`limitBuckets`), so a new platform is measured as it comes.
 */
import {
  bucketRefillPerSecond,
  EMULATED_PLATFORMS,
  type EmulatedPlatform,
  type EmulatedPlatformName,
  type LimitBucketName,
  type RequestStats,
} from '@cx-profile-sync/emulators';

/** A bucket of one of the emulated platforms: "genesys", "cxoneGets", "cxoneUpdates", "cognigy", … */
export type BucketName = LimitBucketName;

export interface BucketSetting {
  label: string;
  /** Requests at once, per key. */
  capacity: number;
  /** Requests a second, per key, after time scaling. */
  refillPerSecond: number;
}

/** Each emulated platform's request counters, by platform name (`emu.<name>.server.stats`). */
export type PlatformStats = Record<EmulatedPlatformName, RequestStats>;

/** The list as code that treats every platform alike sees it. */
const platforms: readonly EmulatedPlatform[] = EMULATED_PLATFORMS;

/**
 * Every platform's buckets, in list order, at its default options: the bench runs the emulators at
 * the documented limits. Each comes with the platform whose counters it reads.
 */
const buckets = platforms.flatMap((platform) =>
  platform
    .limitBuckets(platform.defaultOptions)
    .map((bucket) => ({ platform: platform.name as EmulatedPlatformName, bucket })),
);

/** One entry per emulated platform, keyed by its name, in list order. */
export function byPlatform<T>(entry: (name: EmulatedPlatformName) => T): Record<EmulatedPlatformName, T> {
  return Object.fromEntries(EMULATED_PLATFORMS.map((p) => [p.name, entry(p.name)])) as Record<
    EmulatedPlatformName,
    T
  >;
}

/** One entry per bucket, keyed by its name, in list order. */
function byBucket<T>(entry: (b: (typeof buckets)[number]) => T): Record<BucketName, T> {
  return Object.fromEntries(buckets.map((b) => [b.bucket.name, entry(b)])) as Record<BucketName, T>;
}

/** The emulators' limits with every window divided by K (the documented limits at K = 1). */
export function bucketSettings(timeScale: number): Record<BucketName, BucketSetting> {
  return byBucket(({ bucket }) => ({
    label: bucket.label,
    capacity: bucket.capacity,
    refillPerSecond: bucketRefillPerSecond(bucket, timeScale),
  }));
}

const refused = (s: RequestStats) => s.byStatus['429'] ?? 0;

/**
 * Requests each bucket counted, from the emulators' counters, as each platform counts them (refused
 * requests took no token).
 */
export function bucketRequests(stats: PlatformStats): Record<BucketName, number> {
  return byBucket(({ platform, bucket }) => bucket.requestsTaken(stats[platform]));
}

/** The keys the counters show for the buckets that have several (each a bucket of its own). */
export function bucketKeys(stats: PlatformStats): Partial<Record<BucketName, number>> {
  const keys: Partial<Record<BucketName, number>> = {};
  for (const { platform, bucket } of buckets)
    if (bucket.keys) keys[bucket.name as BucketName] = bucket.keys(stats[platform]);
  return keys;
}

/** Genesys tokens granted: each is a bucket of its own. */
export function genesysTokens(stats: PlatformStats): number {
  return bucketKeys(stats).genesys ?? 1;
}

export interface BucketUse extends BucketSetting {
  bucket: BucketName;
  requests: number;
  keys: number;
  perCustomer: number;
  /** Customers a second this bucket allows once its burst is spent. */
  sustainedRate: number;
  /** The shortest time in which this bucket lets the work through. */
  minSeconds: number;
}

export interface LimitAnalysis {
  buckets: BucketUse[];
  /** The bucket that needs the longest (or, when all fit in their bursts, the lowest sustained rate). */
  binding: BucketUse;
  /** Customers a second the limits allow for this work: customers / the binding bucket's time. */
  bestRate: number;
  /** True when the work fits in the buckets' bursts: then bestRate is the binding sustained rate. */
  withinBursts: boolean;
}

/** The best rate the limits allow for `customers` customers that made these requests. */
export function analyseLimits(
  timeScale: number,
  requests: Record<BucketName, number>,
  keys: Partial<Record<BucketName, number>>,
  customers: number,
): LimitAnalysis {
  const settings = bucketSettings(timeScale);
  const buckets: BucketUse[] = (Object.keys(settings) as BucketName[]).map((bucket) => {
    const s = settings[bucket];
    const k = keys[bucket] ?? 1;
    const n = requests[bucket];
    const perCustomer = customers > 0 ? n / customers : 0;
    return {
      bucket,
      ...s,
      requests: n,
      keys: k,
      perCustomer,
      sustainedRate: perCustomer > 0 ? (s.refillPerSecond * k) / perCustomer : Number.POSITIVE_INFINITY,
      minSeconds: Math.max(0, n - s.capacity * k) / (s.refillPerSecond * k),
    };
  });
  const slowest = buckets.reduce((a, b) => (b.minSeconds > a.minSeconds ? b : a));
  if (slowest.minSeconds > 0)
    return { buckets, binding: slowest, bestRate: customers / slowest.minSeconds, withinBursts: false };
  const tightest = buckets.reduce((a, b) => (b.sustainedRate < a.sustainedRate ? b : a));
  return { buckets, binding: tightest, bestRate: tightest.sustainedRate, withinBursts: true };
}

/** Requests a customer on each platform (all requests, tokens and refused ones included). */
export function requestsPerCustomer(
  stats: PlatformStats,
  customers: number,
): Record<EmulatedPlatformName, number> {
  const per = (s: RequestStats) => (customers > 0 ? s.total / customers : 0);
  return byPlatform((name) => per(stats[name]));
}

/** Writes on the targets, as each platform counts them (CXone PUT/DELETE of custom fields, …). */
export function targetWrites(stats: PlatformStats): number {
  return platforms.reduce((n, p) => n + (p.countWrites?.(stats[p.name as EmulatedPlatformName]) ?? 0), 0);
}

export const total429 = (stats: PlatformStats) =>
  platforms.reduce((n, p) => n + refused(stats[p.name as EmulatedPlatformName]), 0);
