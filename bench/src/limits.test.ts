import type { RequestStats } from '@cx-profile-sync/emulators';
import { describe, expect, it } from 'vitest';
import {
  analyseLimits,
  bucketRequests,
  bucketSettings,
  genesysTokens,
  type PlatformStats,
  requestsPerCustomer,
  targetWrites,
  total429,
} from './limits.js';

const stats = (byRoute: Record<string, number>, byStatus: Record<string, number> = {}): RequestStats => ({
  total: Object.values(byRoute).reduce((a, b) => a + b, 0),
  byStatus,
  byRoute,
});

const none = { genesys: 0, cxoneGets: 0, cxoneUpdates: 0, cognigy: 0 };

describe('the time-scaled limits', () => {
  it('keep the documented bursts and refill K times faster', () => {
    const s = bucketSettings(20);
    expect(s.genesys).toMatchObject({ capacity: 300, refillPerSecond: 100 });
    expect(s.cognigy.capacity).toBe(1000);
    expect(s.cognigy.refillPerSecond).toBeCloseTo(66.667, 3);
    expect(s.cxoneGets.refillPerSecond).toBeCloseTo(666.667, 3);
    expect(s.cxoneUpdates.capacity).toBe(1_000_000);
    expect(bucketSettings(1).genesys.refillPerSecond).toBe(5);
  });
});

describe('the best rate the limits allow', () => {
  it('is bound by the bucket that needs the longest after its burst', () => {
    // 2,000 customers, 2.25 Cognigy requests each: 3,500 beyond the burst at 66.7/s = 52.5 s.
    const a = analyseLimits(20, { ...none, cognigy: 4500, cxoneGets: 2001, genesys: 5 }, {}, 2000);
    expect(a.binding.bucket).toBe('cognigy');
    expect(a.withinBursts).toBe(false);
    expect(a.binding.minSeconds).toBeCloseTo(52.5, 5);
    expect(a.bestRate).toBeCloseTo(2000 / 52.5, 5);
    expect(a.binding.perCustomer).toBe(2.25);
    expect(a.binding.sustainedRate).toBeCloseTo(66.667 / 2.25, 2);
  });

  it('gives each Genesys token a bucket of its own', () => {
    const one = analyseLimits(1, { ...none, genesys: 900 }, { genesys: 1 }, 900);
    const three = analyseLimits(1, { ...none, genesys: 900 }, { genesys: 3 }, 900);
    expect(one.binding.minSeconds).toBe(120);
    expect(three.binding.minSeconds).toBe(0);
  });

  it('says when the work fits in the bursts, and gives the tightest sustained rate', () => {
    const a = analyseLimits(20, { ...none, cognigy: 600, cxoneGets: 300 }, {}, 300);
    expect(a.withinBursts).toBe(true);
    expect(a.binding.bucket).toBe('cognigy');
    expect(a.bestRate).toBeCloseTo(66.667 / 2, 2);
  });
});

describe("the emulators' counters", () => {
  const s: PlatformStats = {
    genesys: stats(
      {
        'POST /oauth/token': 2,
        'POST /api/v2/analytics/conversations/details/jobs': 1,
        'GET /api/v2/analytics/conversations/details/jobs/:jobId': 3,
        'GET /api/v2/analytics/conversations/details/jobs/:jobId/results': 2,
      },
      { 200: 8 },
    ),
    cxone: stats(
      {
        'GET /.well-known/openid-configuration': 1,
        'POST /auth/token': 1,
        'GET /dfo/3.0/customers/custom-field-definitions': 1,
        'GET /dfo/3.0/customers': 102,
        'PUT /dfo/3.0/customers/:customerId/custom-fields': 90,
      },
      { 200: 193, 429: 2 },
    ),
    cognigy: stats(
      {
        'GET /new/v2.0/profiles/schema/:projectId': 1,
        'GET /new/v2.0/profiles': 130,
        'PATCH /new/v2.0/profiles/:profileId': 70,
        'POST /new/v2.0/profiles': 25,
      },
      { 200: 221, 429: 5 },
    ),
  };

  it('count the requests each bucket took, refused ones aside', () => {
    expect(bucketRequests(s)).toEqual({ genesys: 6, cxoneGets: 101, cxoneUpdates: 90, cognigy: 221 });
    expect(genesysTokens(s)).toBe(2);
    expect(total429(s)).toBe(7);
  });

  it('count the writes on the targets', () => {
    expect(targetWrites(s)).toBe(90 + 70 + 25);
  });

  it('give requests a customer on each platform', () => {
    const r = requestsPerCustomer(s, 100);
    expect(r.genesys).toBe(0.08);
    expect(r.cognigy).toBe(2.26);
  });
});
