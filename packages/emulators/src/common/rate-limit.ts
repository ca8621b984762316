/**
 * A token bucket per key: `capacity` requests at once, refilled at `capacity / windowMs`. It models
 * both "N a minute" limits (capacity N, window a minute) and CXone's per-contact burst.
 */
export interface BucketLimit {
  /** Requests allowed in one window (and the burst). */
  capacity: number;
  /** The window in which `capacity` tokens are refilled. */
  windowMs: number;
  /** Refill rate when it differs from capacity/window (CXone's burst 250, 17 a minute). */
  refillPerWindow?: number;
}

export type LimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBuckets {
  private buckets = new Map<string, Bucket>();
  constructor(
    private readonly limit: BucketLimit,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): LimitDecision {
    const { capacity, windowMs } = this.limit;
    const refill = (this.limit.refillPerWindow ?? capacity) / windowMs;
    const now = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: capacity, updatedAt: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(capacity, b.tokens + (now - b.updatedAt) * refill);
    b.updatedAt = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true };
    }
    const waitMs = (1 - b.tokens) / refill;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  reset(): void {
    this.buckets.clear();
  }
}
