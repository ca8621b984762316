// biome-ignore-all lint/suspicious/noExplicitAny: the official client's error objects are inspected freely
import { RestAPIClient } from '@cognigy/rest-api-client';
import { describe, expect, it } from 'vitest';
import { useEmulators } from '../test-helpers.js';

/**
 * Conformance: the official `@cognigy/rest-api-client` (which calls `/new/v2.0/...` with an
 * `x-api-key` header and `Content-Type: application/json` on every request) works against the
 * emulator unchanged: the emulator speaks what the real API's own client speaks.
 */
const emu = useEmulators();

function client() {
  // No retries: an error should fail the test at once, not after the client's back-off.
  const c = new RestAPIClient({ baseUrl: emu().urls.cognigy.apiUrl, maxRetries: 0 });
  c.setCredentials({ type: 'ApiKey', apiKey: emu().urls.cognigy.apiKey });
  return c;
}

describe('official Cognigy REST client against the emulator', () => {
  it('reads the profile schema', async () => {
    const schema = await client().getProfileSchema({ projectId: emu().urls.cognigy.projectId });
    expect(schema.details).toEqual(emu().seed.cognigy.schema);
    expect(schema.schema.firstname).toBe('string');
  });

  it('creates, patches, lists and deletes a profile', async () => {
    const c = client();
    const { projectId } = emu().urls.cognigy;
    const created = await c.createProfile({
      projectId,
      contactIds: ['conformance@example.com'],
      profile: { firstname: 'Conny', lastname: 'Formance', annual_spend: 12 } as any,
    });
    expect(created._id).toMatch(/^[a-z0-9]{24}$/);
    expect(created.contactIds).toEqual(['conformance@example.com']);

    const updated = await c.updateProfile({
      profileId: created._id,
      profile: { loyalty_tier: 'gold', opted_in: true } as any,
    });
    expect(updated).toEqual({});

    const read = await c.readProfile({ profileId: created._id });
    expect(read.profile).toMatchObject({ firstname: 'Conny', loyalty_tier: 'gold', opted_in: true });

    const listed = await c.indexProfiles({ projectId, filter: 'conformance@example.com', limit: 10 });
    expect(listed.total).toBe(1);
    expect(listed.items.map((p) => p._id)).toEqual([created._id]);

    // Paging with the client's own cursor parameter.
    const firstPage = await c.indexProfiles({ projectId, limit: 5 });
    expect(firstPage.items).toHaveLength(5);
    const secondPage = await c.indexProfiles({ projectId, limit: 5, next: firstPage.nextCursor });
    expect(secondPage.items).toHaveLength(5);
    expect(secondPage.items.map((p) => p._id)).not.toContain(firstPage.items[0]!._id);

    await c.deleteProfile({ profileId: created._id });
    expect(emu().state.cognigy.profiles.has(created._id)).toBe(false);
  });

  it('surfaces a schema violation as the client error class for code 1005 with the details', async () => {
    const profileId = emu().seed.cognigy.profiles[0]!.id;
    let caught: any;
    try {
      await client().updateProfile({ profileId, profile: { annual_spend: 'lots' } as any });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeDefined();
    expect(caught.name).toBe('Invalid Argument Error');
    expect(caught.code).toBe(1005);
    expect(caught.details).toEqual([{ field: 'profile.annual_spend', message: expect.any(String) }]);
  });

  it('surfaces an unknown profile as the client error class for code 1002', async () => {
    let caught: any;
    try {
      await client().readProfile({ profileId: '0'.repeat(24) });
    } catch (e) {
      caught = e;
    }
    expect(caught?.code).toBe(1002);
    expect(caught?.httpStatusCode).toBe(404);
  });

  it('is refused with a wrong API key', async () => {
    const c = new RestAPIClient({ baseUrl: emu().urls.cognigy.apiUrl, maxRetries: 0 });
    c.setCredentials({ type: 'ApiKey', apiKey: 'not-the-key' });
    await expect(c.indexProfiles({ projectId: emu().urls.cognigy.projectId })).rejects.toMatchObject({
      code: 401,
    });
  });
});
