import { describe, expect, it } from 'vitest';
import { http, useEmulators } from '../test-helpers.js';

// A limit of 5 requests per 5 minutes per address, so that the sixth is refused.
const emu = useEmulators({ cognigy: { requestsPer5MinutesPerAddress: 5 } });

describe('Cognigy.AI rate limit per source address', () => {
  it('answers 429 with Retry-After in seconds once the address used its share', async () => {
    const { apiUrl, apiKey } = emu().urls.cognigy;
    const headers = { 'x-api-key': apiKey };
    for (let i = 0; i < 5; i++) {
      // Both prefixes count against the same address.
      const prefix = i % 2 === 0 ? '/new/v2.0' : '/v2.0';
      expect((await http('GET', `${apiUrl}${prefix}/profiles?limit=1`, { headers })).status).toBe(200);
    }
    const res = await http('GET', `${apiUrl}/new/v2.0/profiles?limit=1`, { headers });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.body).toMatchObject({ status: 429, code: 429, type: 'Too Many Requests' });
  });

  it('counts requests without a valid key too', async () => {
    const { apiUrl } = emu().urls.cognigy;
    for (let i = 0; i < 5; i++) {
      expect((await http('GET', `${apiUrl}/new/v2.0/profiles`)).status).toBe(401);
    }
    expect((await http('GET', `${apiUrl}/new/v2.0/profiles`)).status).toBe(429);
  });

  it('does not limit when limits are off', async () => {
    const { apiUrl, apiKey } = emu().urls.cognigy;
    emu().cognigy.setLimits(false);
    try {
      for (let i = 0; i < 8; i++) {
        const res = await http('GET', `${apiUrl}/new/v2.0/profiles?limit=1`, {
          headers: { 'x-api-key': apiKey },
        });
        expect(res.status).toBe(200);
      }
    } finally {
      emu().cognigy.setLimits(true);
    }
  });
});
