import type { LatencyOptions } from '../../common/platform-server.js';

/** How EventBridge delivers to an API destination; every field can be set per destination too. */
export interface DeliveryOptions {
  /** Added before each event's first attempt, as EventBridge's own hop (default 30–60 ms). */
  latency: LatencyOptions;
  /** Deliver every event twice (same envelope id), as an at-least-once bus may. */
  duplicates: boolean;
  /**
   * Up to this many ms of extra random delay per delivery, so that later events overtake earlier
   * ones (0: none; even then order is not guaranteed, as on EventBridge: latencies differ).
   */
  shuffleMs: number;
  /** First retry after about this long, doubling each time (with jitter), capped at `retryMaxDelayMs`. */
  retryBaseMs: number;
  retryMaxDelayMs: number;
  /** Give up an event this long after it was published (EventBridge's default: 24 h). */
  maxRetryTimeMs: number;
  /** Give up after this many attempts (EventBridge's default: 185 retries). */
  maxAttempts: number;
  /** An attempt not answered within this long counts as failed and is retried (EventBridge: 5 s). */
  attemptTimeoutMs: number;
  /**
   * At most this many attempts a second to the destination (an API destination's
   * `InvocationRateLimitPerSecond`, 300 on AWS by default); 0 sets no limit, the emulator's default.
   */
  rateLimitPerSecond: number;
  /**
   * Attempts in flight to one destination at a time, over keep-alive connections (assumed: 64;
   * EventBridge does not say); the others wait, their attempt timeout not yet running.
   */
  maxConnections: number;
}

/** The events' options: `EmulatorOptions.genesys.events`; any field, the others keep their defaults. */
export interface GenesysEventOptions {
  delivery: DeliveryOptions;
  /** The partner event source's suffix: `aws.partner/genesys.com/cloud/<orgId>/<suffix>`. */
  eventSourceSuffix: string;
  /** The AWS account and region the events name (EventBridge fills these in). */
  awsAccountId: string;
  awsRegion: string;
  /** Heartbeat frames on every notification socket this often (Genesys: about every 30 s). */
  heartbeatMs: number;
  /** A notification channel lives this long, renewed by each subscription change (Genesys: 24 h). */
  channelLifeMs: number;
  /** Channels per OAuth client; the next one evicts one (Genesys: 20 per user and app). */
  channelsPerClient: number;
  /** Topics a channel may subscribe to (Genesys: 1,000). */
  topicsPerChannel: number;
  /**
   * How long after `v2.system.socket_closing` the socket is closed (Genesys: clients have about a
   * minute to reconnect).
   */
  socketClosingGraceMs: number;
}

/** What callers may give: any field, `delivery` in part too. */
export type GenesysEventSettings = Partial<Omit<GenesysEventOptions, 'delivery'>> & {
  delivery?: Partial<DeliveryOptions>;
};

export const DEFAULT_DELIVERY: DeliveryOptions = {
  latency: { minMs: 30, maxMs: 60 },
  duplicates: false,
  shuffleMs: 0,
  retryBaseMs: 100,
  retryMaxDelayMs: 30_000,
  maxRetryTimeMs: 86_400_000,
  maxAttempts: 186,
  attemptTimeoutMs: 5_000,
  rateLimitPerSecond: 0,
  maxConnections: 64,
};

export const DEFAULT_EVENT_OPTIONS: GenesysEventOptions = {
  delivery: DEFAULT_DELIVERY,
  eventSourceSuffix: 'cx-profile-sync',
  // AWS's documentation account id: assumed, any 12 digits do.
  awsAccountId: '123456789012',
  awsRegion: 'us-east-1',
  heartbeatMs: 30_000,
  channelLifeMs: 86_400_000,
  channelsPerClient: 20,
  topicsPerChannel: 1000,
  socketClosingGraceMs: 60_000,
};

const defined = <T extends object>(o: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

export function resolveEventOptions(o: GenesysEventSettings | undefined): GenesysEventOptions {
  const given = defined(o);
  return {
    ...DEFAULT_EVENT_OPTIONS,
    ...given,
    delivery: resolveDelivery(DEFAULT_DELIVERY, o?.delivery),
  };
}

/** `over`'s fields where set, `base`'s otherwise; checks the numbers. */
export function resolveDelivery(
  base: DeliveryOptions,
  over: Partial<DeliveryOptions> | undefined,
): DeliveryOptions {
  const d = { ...base, ...defined(over) };
  for (const k of [
    'shuffleMs',
    'retryBaseMs',
    'retryMaxDelayMs',
    'maxRetryTimeMs',
    'attemptTimeoutMs',
    'rateLimitPerSecond',
  ] as const) {
    if (typeof d[k] !== 'number' || !(d[k] >= 0)) throw new Error(`${k} must be a number >= 0`);
  }
  if (!Number.isInteger(d.maxAttempts) || d.maxAttempts < 1)
    throw new Error('maxAttempts must be an integer >= 1');
  if (!Number.isInteger(d.maxConnections) || d.maxConnections < 1)
    throw new Error('maxConnections must be an integer >= 1');
  if (typeof d.duplicates !== 'boolean') throw new Error('duplicates must be true or false');
  const l = d.latency as unknown;
  if (typeof l !== 'object' || l === null || !(d.latency.minMs >= 0) || !(d.latency.maxMs >= d.latency.minMs))
    throw new Error('latency must be {minMs, maxMs} with 0 <= minMs <= maxMs');
  return d;
}
