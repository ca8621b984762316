/**
 * The best rate the platforms' limits allow for a piece of work. The emulators enforce each limit as
 * a token bucket per key (packages/emulators/src/common/rate-limit.ts): `capacity` requests at once,
 * refilled at capacity per window, the window divided by the time scale K. A path that needs `n`
 * requests from a bucket with `keys` keys cannot finish before (n − capacity·keys) / (refill·keys)
 * seconds; the slowest bucket binds.
 */
import { DOCUMENTED_LIMITS, type RequestStats } from '@cx-profile-sync/emulators';

export type BucketName = 'genesys' | 'cxoneGets' | 'cxoneUpdates' | 'cognigy';

export interface BucketSetting {
  label: string;
  /** Requests at once, per key. */
  capacity: number;
  /** Requests a second, per key, after time scaling. */
  refillPerSecond: number;
}

/** The emulators' limits with every window divided by K (the documented limits at K = 1). */
export function bucketSettings(timeScale: number): Record<BucketName, BucketSetting> {
  const { genesys, cxone, cognigy } = DOCUMENTED_LIMITS;
  const k = timeScale;
  return {
    genesys: {
      label: `Genesys ${genesys.requestsPerMinutePerToken}/min per token`,
      capacity: genesys.requestsPerMinutePerToken,
      refillPerSecond: (genesys.requestsPerMinutePerToken / 60) * k,
    },
    cxoneGets: {
      label: `CXone ${cxone.getsPerHour.toLocaleString('en')} gets/h`,
      capacity: cxone.getsPerHour,
      refillPerSecond: (cxone.getsPerHour / 3600) * k,
    },
    cxoneUpdates: {
      label: `CXone ${cxone.updatesPerHour.toLocaleString('en')} updates/h`,
      capacity: cxone.updatesPerHour,
      refillPerSecond: (cxone.updatesPerHour / 3600) * k,
    },
    cognigy: {
      label: `Cognigy ${cognigy.requestsPer5MinutesPerAddress.toLocaleString('en')}/5 min per address`,
      capacity: cognigy.requestsPer5MinutesPerAddress,
      refillPerSecond: (cognigy.requestsPer5MinutesPerAddress / 300) * k,
    },
  };
}

export interface PlatformStats {
  genesys: RequestStats;
  cxone: RequestStats;
  cognigy: RequestStats;
}

/** A route key of the emulators' stats: "GET /dfo/3.0/customers/:customerId". */
function split(route: string): { method: string; path: string } {
  const i = route.indexOf(' ');
  return { method: route.slice(0, i), path: route.slice(i + 1) };
}

const refused = (s: RequestStats) => s.byStatus['429'] ?? 0;

/**
 * Requests each bucket counted, from the emulators' counters. Refused requests (429) took no token,
 * so they are left out; CXone's are taken from its reads (the per-route counters do not say which).
 */
export function bucketRequests(stats: PlatformStats): Record<BucketName, number> {
  const count = (s: RequestStats, keep: (method: string, path: string) => boolean) => {
    let n = 0;
    for (const [route, c] of Object.entries(s.byRoute)) {
      const { method, path } = split(route);
      if (keep(method, path)) n += c;
    }
    return n;
  };
  const genesys = count(stats.genesys, (_m, p) => p.startsWith('/api/v2/')) - refused(stats.genesys);
  const gets = count(stats.cxone, (m, p) => p.startsWith('/dfo/') && m === 'GET');
  const updates = count(stats.cxone, (m, p) => p.startsWith('/dfo/') && m !== 'GET');
  const cognigy = count(stats.cognigy, () => true) - refused(stats.cognigy);
  return {
    genesys: Math.max(0, genesys),
    cxoneGets: Math.max(0, gets - refused(stats.cxone)),
    cxoneUpdates: updates,
    cognigy: Math.max(0, cognigy),
  };
}

/** Genesys tokens granted: each is a bucket of its own. */
export function genesysTokens(stats: PlatformStats): number {
  return Math.max(1, stats.genesys.byRoute['POST /oauth/token'] ?? 0);
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
): { genesys: number; cxone: number; cognigy: number } {
  const per = (s: RequestStats) => (customers > 0 ? s.total / customers : 0);
  return { genesys: per(stats.genesys), cxone: per(stats.cxone), cognigy: per(stats.cognigy) };
}

/** Writes on the targets: CXone PUT/DELETE of custom fields, Cognigy POST/PATCH/DELETE of profiles. */
export function targetWrites(stats: PlatformStats): number {
  let n = 0;
  for (const [route, c] of Object.entries(stats.cxone.byRoute)) {
    const { method, path } = split(route);
    if (path.startsWith('/dfo/') && method !== 'GET') n += c;
  }
  for (const [route, c] of Object.entries(stats.cognigy.byRoute)) {
    const { method, path } = split(route);
    if (method !== 'GET' && path.includes('/profiles') && !path.includes('/schema')) n += c;
  }
  return n;
}

export const total429 = (stats: PlatformStats) =>
  refused(stats.genesys) + refused(stats.cxone) + refused(stats.cognigy);
