import { describe, expect, it } from 'vitest';
import { consentedOut } from '../seed/seed.js';
import { http, useEmulators } from '../test-helpers.js';

/** The rules a profile write follows on the platform: whole numbers, case-insensitive names, the size cap, consent. */
describe('Cognigy.AI profile rules (default options)', () => {
  const emu = useEmulators();
  const key = () => ({ 'x-api-key': emu().urls.cognigy.apiKey });
  const url = (path: string) => `${emu().urls.cognigy.apiUrl}/new/v2.0${path}`;
  const profileId = () => emu().seed.cognigy.profiles[0]!.id;
  const patch = (profile: unknown, id = profileId()) =>
    http('PATCH', url(`/profiles/${id}`), { headers: key(), json: { profile } });
  const stored = (id = profileId()) => emu().state.cognigy.profiles.get(id)!.profile;

  it('takes whole numbers only for a number field', async () => {
    expect((await patch({ annual_spend: 21481 })).status).toBe(200);
    expect(stored().annual_spend).toBe(21481);
    const res = await patch({ annual_spend: 1234.56 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 1005, type: 'Bad Request' });
    expect(res.body.details).toEqual([
      { field: 'profile.annual_spend', message: 'must be a whole number (an integer)' },
    ]);
    expect(stored().annual_spend).toBe(21481);
  });

  it("treats internal names case-insensitively and stores the schema's spelling", async () => {
    expect((await patch({ Loyalty_Tier: 'gold', ANNUAL_SPEND: 7 })).status).toBe(200);
    expect(stored()).toMatchObject({ loyalty_tier: 'gold', annual_spend: 7 });
    expect(Object.keys(stored())).not.toContain('Loyalty_Tier');
    // One field named twice in one body is refused.
    const twice = await patch({ loyalty_tier: 'a', LOYALTY_TIER: 'b' });
    expect(twice.status).toBe(400);
    expect(twice.body.details).toEqual([{ field: 'profile.LOYALTY_TIER', message: expect.any(String) }]);
    // A create too.
    const created = await http('POST', url('/profiles'), {
      headers: key(),
      json: {
        projectId: emu().urls.cognigy.projectId,
        contactIds: ['case@example.com'],
        profile: { FirstName: 'Ada' },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.profile).toEqual({ firstname: 'Ada' });
  });

  it('replaces a stored key of another spelling of the same field', async () => {
    const p = emu().state.cognigy.profiles.get(profileId())!;
    delete p.profile.loyalty_tier;
    p.profile.Loyalty_Tier = 'bronze';
    expect((await patch({ loyalty_tier: 'silver' })).status).toBe(200);
    expect(stored().loyalty_tier).toBe('silver');
    expect(Object.keys(stored())).not.toContain('Loyalty_Tier');
  });

  it('refuses a schema that names one field twice in different cases', async () => {
    const res = await http('PUT', url(`/profiles/schema/${emu().urls.cognigy.projectId}`), {
      headers: key(),
      json: {
        details: [
          { field: 'A', internal: 'loyalty_tier', type: 'string' },
          { field: 'B', internal: 'Loyalty_Tier', type: 'string' },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'details[1].internal', message: expect.any(String) }]);
  });

  it('caps the stored profile at 65,536 bytes of JSON after the merge, and writes nothing past it', async () => {
    // Two writes under the 60 kB body limit, together past the cap.
    expect((await patch({ display_name: 'a'.repeat(40_000) })).status).toBe(200);
    const before = structuredClone({ ...stored() });
    const res = await patch({ promo_code: 'b'.repeat(30_000) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 1005, type: 'Bad Request' });
    expect(res.body.detail).toMatch(/larger than the 65536 bytes a profile may hold/);
    expect(res.body.details).toEqual([{ field: 'profile', message: expect.stringMatching(/65536 bytes/) }]);
    expect({ ...stored() }).toEqual(before);
    // Replacing the big value with a small one fits again.
    expect((await patch({ display_name: 'short', promo_code: 'b'.repeat(30_000) })).status).toBe(200);
  });

  it('seeds a profile whose person asked that no data be collected', () => {
    const seed = emu().seed;
    const index = seed.customers.findIndex((c) => consentedOut(c.index));
    expect(index).toBe(6);
    const p = seed.cognigy.profiles.find((x) => x.id === seed.customers[index]!.cognigyProfileId)!;
    expect(p.profile.prevent_data_collection).toBe(true);
    const others = seed.cognigy.profiles.filter((x) => x !== p);
    expect(others.every((x) => x.profile.prevent_data_collection === false)).toBe(true);
  });
});

describe('Cognigy.AI profile size cap (profileMaxBytes option)', () => {
  const emu = useEmulators({ cognigy: { profileMaxBytes: 2_000 } });
  const profileId = () => emu().seed.cognigy.profiles[0]!.id;

  it('refuses a write that takes the stored profile past the configured cap', async () => {
    const size = Buffer.byteLength(JSON.stringify(emu().state.cognigy.profiles.get(profileId())!.profile));
    const res = await http('PATCH', `${emu().urls.cognigy.apiUrl}/new/v2.0/profiles/${profileId()}`, {
      headers: { 'x-api-key': emu().urls.cognigy.apiKey },
      json: { profile: { display_name: 'é'.repeat(1_000) } },
    });
    expect(size).toBeLessThan(2_000);
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/larger than the 2000 bytes/);
  });
});
