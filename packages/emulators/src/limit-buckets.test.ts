import { describe, expect, it } from 'vitest';
import { cognigy } from './cognigy/platform.js';
import { bucketRefillPerSecond, type LimitBucket } from './common/limit-buckets.js';
import type { RequestStats } from './common/platform-server.js';
import { cxone } from './cxone/platform.js';
import { cxoneToken, dfo } from './cxone/test-helpers.js';
import { genesys } from './genesys/platform.js';
import { emulatedPlatforms } from './platform-list.js';
import { genesysToken, http, useEmulators } from './test-helpers.js';

// Limits small enough for a test to exhaust each bucket; the buckets are read at the same options.
const sections = {
  genesys: { ...genesys.defaultOptions, requestsPerMinutePerToken: 3 },
  cxone: { ...cxone.defaultOptions, getsPerHour: 2, updatesPerHour: 5 },
  cognigy: { ...cognigy.defaultOptions, requestsPer5MinutesPerAddress: 4 },
};
const emu = useEmulators(sections);

const bucket = (buckets: readonly LimitBucket[], name: string) => buckets.find((b) => b.name === name)!;
const statuses = (responses: { status: number }[]) => responses.map((r) => r.status);

describe("the platforms' limit buckets", () => {
  it('state the documented limits at the default options, with the labels the bench reports', () => {
    const shape = (buckets: readonly LimitBucket[]) =>
      buckets.map(({ name, label, capacity, windowMs }) => ({ name, label, capacity, windowMs }));
    expect(shape(genesys.limitBuckets(genesys.defaultOptions))).toEqual([
      { name: 'genesys', label: 'Genesys 300/min per token', capacity: 300, windowMs: 60_000 },
    ]);
    expect(shape(cxone.limitBuckets(cxone.defaultOptions))).toEqual([
      { name: 'cxoneGets', label: 'CXone 120,000 gets/h', capacity: 120_000, windowMs: 3_600_000 },
      { name: 'cxoneUpdates', label: 'CXone 1,000,000 updates/h', capacity: 1_000_000, windowMs: 3_600_000 },
    ]);
    expect(shape(cognigy.limitBuckets(cognigy.defaultOptions))).toEqual([
      { name: 'cognigy', label: 'Cognigy 1,000/5 min per address', capacity: 1000, windowMs: 300_000 },
    ]);
  });

  it("follow the platform's options", () => {
    expect(bucket(cxone.limitBuckets(sections.cxone), 'cxoneGets')).toMatchObject({
      label: 'CXone 2 gets/h',
      capacity: 2,
    });
    expect(cognigy.limitBuckets(sections.cognigy)[0]).toMatchObject({ capacity: 4 });
  });

  it('have names unique across platforms: the bench keys its buckets by them', () => {
    const names = emulatedPlatforms.flatMap((p) => p.limitBuckets(p.defaultOptions).map((b) => b.name));
    expect(names).toEqual(['genesys', 'cxoneGets', 'cxoneUpdates', 'cognigy']);
    expect(new Set(names).size).toBe(names.length);
  });

  it('refill with their window divided by the time scale', () => {
    const [perToken] = genesys.limitBuckets(genesys.defaultOptions);
    expect(bucketRefillPerSecond(perToken, 1)).toBe(5);
    expect(bucketRefillPerSecond(perToken, 20)).toBe(100);
    // A burst refilled more slowly than capacity per window (CXone's per customer).
    expect(bucketRefillPerSecond({ capacity: 250, windowMs: 60_000, refillPerWindow: 17 }, 1)).toBe(17 / 60);
  });

  it('count what the Genesys emulator let through: each token a bucket of its own', async () => {
    const api = `${emu().urls.genesys.apiUrl}/api/v2/tokens/me`;
    const get = (token: string) => http('GET', api, { headers: { authorization: `Bearer ${token}` } });
    const [first, second] = [await genesysToken(emu()), await genesysToken(emu())];
    const answers = [];
    for (const token of [first, first, first, first, first, second, second, second, second])
      answers.push(await get(token));
    expect(statuses(answers)).toEqual([200, 200, 200, 429, 429, 200, 200, 200, 429]);

    const stats = emu().genesys.server.stats;
    const [perToken] = genesys.limitBuckets(sections.genesys);
    expect(perToken.keys(stats)).toBe(2);
    // The logins aside; every token's bucket spent.
    expect(perToken.requestsTaken(stats)).toBe(6);
    expect(perToken.requestsTaken(stats)).toBe(perToken.capacity * perToken.keys(stats));
    expect(genesys).not.toHaveProperty('countWrites');
  });

  it('count what the CXone emulator let through: reads and updates apart, discovery and login aside', async () => {
    const token = await cxoneToken(emu());
    const [a, b] = emu().seed.cxone.customers.map((c) => c.id) as [string, string];
    expect((await http('GET', `${emu().urls.cxone.issuer}/.well-known/openid-configuration`)).status).toBe(
      200,
    );
    const reads = [];
    for (let i = 0; i < 3; i++) reads.push(await dfo(emu(), token, 'GET', `/customers/${a}`));
    expect(statuses(reads)).toEqual([200, 200, 429]);
    for (const id of [a, b]) {
      const write = await dfo(emu(), token, 'PUT', `/customers/${id}/custom-fields`, [
        { ident: 'notes', value: 'x' },
      ]);
      expect(write.status).toBe(200);
    }

    const stats = emu().cxone.server.stats;
    const buckets = cxone.limitBuckets(sections.cxone);
    expect(bucket(buckets, 'cxoneGets').requestsTaken(stats)).toBe(2);
    expect(bucket(buckets, 'cxoneUpdates').requestsTaken(stats)).toBe(2);
    expect(bucket(buckets, 'cxoneGets').keys).toBeUndefined();
    expect(cxone.countWrites(stats)).toBe(2);
  });

  it('count what the Cognigy emulator let through, and its writes of profiles', async () => {
    const { apiUrl, apiKey, projectId } = emu().urls.cognigy;
    const headers = { 'x-api-key': apiKey };
    const profile = emu().seed.cognigy.profiles[0]!;
    const answers = [
      await http('GET', `${apiUrl}/new/v2.0/profiles/schema/${projectId}`, { headers }),
      await http('PATCH', `${apiUrl}/new/v2.0/profiles/${profile.id}`, {
        headers,
        json: { profile: { loyalty_tier: 'gold' } },
      }),
      await http('PATCH', `${apiUrl}/v2.0/profiles/${profile.id}`, {
        headers,
        json: { profile: { loyalty_tier: 'silver' } },
      }),
      await http('GET', `${apiUrl}/new/v2.0/profiles?limit=1`, { headers }),
      await http('GET', `${apiUrl}/new/v2.0/profiles?limit=1`, { headers }),
      await http('GET', `${apiUrl}/new/v2.0/profiles?limit=1`),
    ];
    expect(statuses(answers)).toEqual([200, 200, 200, 200, 429, 429]);

    const stats = emu().cognigy.server.stats;
    const [perAddress] = cognigy.limitBuckets(sections.cognigy);
    expect(perAddress.requestsTaken(stats)).toBe(4);
    expect(cognigy.countWrites(stats)).toBe(2);
  });

  it('never count below zero when refusals (injected faults) hit routes no bucket limits', () => {
    const refusedLogins: RequestStats = {
      total: 2,
      byStatus: { 429: 2 },
      byRoute: { 'POST /oauth/token': 2 },
    };
    for (const p of emulatedPlatforms)
      for (const b of p.limitBuckets(p.defaultOptions))
        expect(b.requestsTaken(refusedLogins), b.name).toBe(0);
  });
});
