import { type Clock, systemClock } from './clock.js';

/** `capacity` requests at once, refilled at `refillPerSecond`: "300 a minute" is capacity 300, 5/s. */
export interface RateLimit {
  capacity: number;
  refillPerSecond: number;
}

/**
 * A client-side token bucket that waits instead of refusing, so a client that knows the limit does
 * not collect 429s. Waiters are served first come, first served.
 */
export class TokenBucketLimiter {
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly limit: RateLimit,
    private readonly clock: Clock = systemClock,
  ) {
    this.tokens = limit.capacity;
    this.updatedAt = clock.now();
  }

  /** Waits until one request may be sent. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.take(signal));
    // A failed (aborted) waiter must not block the ones behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Empties the bucket, for example after the platform answered 429 despite the limiter. */
  drain(): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0);
  }

  private refill() {
    const now = this.clock.now();
    this.tokens = Math.min(
      this.limit.capacity,
      this.tokens + ((now - this.updatedAt) / 1000) * this.limit.refillPerSecond,
    );
    this.updatedAt = now;
  }

  private async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.tokens) / this.limit.refillPerSecond) * 1000);
      await this.clock.sleep(waitMs, signal);
    }
  }
}

/** One limiter per key (platform, credential, bucket kind), created on first use. */
export class RateLimiterRegistry {
  private limiters = new Map<string, TokenBucketLimiter>();
  constructor(private readonly clock: Clock = systemClock) {}

  get(key: string, limit: RateLimit): TokenBucketLimiter {
    let l = this.limiters.get(key);
    if (!l) {
      l = new TokenBucketLimiter(limit, this.clock);
      this.limiters.set(key, l);
    }
    return l;
  }
}
