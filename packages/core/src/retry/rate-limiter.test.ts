import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import { TokenBucketLimiter } from './rate-limiter.js';

/** A clock that only moves when someone sleeps on it. */
function fakeClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

describe('TokenBucketLimiter', () => {
  it('lets a burst through, then spaces requests at the refill rate', async () => {
    const clock = fakeClock();
    const l = new TokenBucketLimiter({ capacity: 3, refillPerSecond: 2 }, clock);
    for (let i = 0; i < 3; i++) await l.acquire();
    expect(clock.slept).toEqual([]);
    await l.acquire();
    await l.acquire();
    expect(clock.slept).toEqual([500, 500]);
    expect(clock.now()).toBe(1000);
  });

  it('waits after drain() even if tokens were left', async () => {
    const clock = fakeClock();
    const l = new TokenBucketLimiter({ capacity: 10, refillPerSecond: 10 }, clock);
    l.drain();
    await l.acquire();
    expect(clock.slept).toEqual([100]);
  });

  it('serves concurrent waiters in order without exceeding the rate', async () => {
    const clock = fakeClock();
    const l = new TokenBucketLimiter({ capacity: 1, refillPerSecond: 1 }, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => l.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(clock.now()).toBe(3000);
  });
});
