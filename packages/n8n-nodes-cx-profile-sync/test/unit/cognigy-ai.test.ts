import type { ResourceMapperFields } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';
import { CognigyAi } from '../../nodes/CognigyAi/CognigyAi.node';
import { runNode, useEmulators } from './emulators';
import { emulatorCredentials, type FakeOptions, fakeN8n } from './fake-n8n';

const emu = useEmulators();
const node = new CognigyAi();
const fake = (parameters: Record<string, unknown>, options: Omit<FakeOptions, 'parameters'> = {}) =>
  fakeN8n({
    credentials: emulatorCredentials(emu()),
    parameters: { resource: 'profile', projectId: emu().credentials.cognigy.projectId, ...parameters },
    ...options,
  });

/** Seed customer 0 has a profile (one in four has none yet). */
const withProfile = () => emu().seed.customers[0]!;
const posts = () =>
  emu()
    .cognigy.log.list()
    .filter((r) => r.method === 'POST');

describe('Cognigy.AI node: profile → Find by Contact ID', () => {
  it('finds the profile by e-mail address (any case) or by phone number', async () => {
    const c = withProfile();
    for (const parameters of [{ email: c.email.toUpperCase() }, { phone: c.phone }]) {
      const items = await runNode(node, fake({ operation: 'find', ...parameters }).execute);
      expect(items).toHaveLength(1);
      expect(items[0]!.json).toMatchObject({ _id: c.cognigyProfileId, contactIds: [c.email, c.phone] });
      expect(items[0]!.pairedItem).toEqual({ item: 0 });
    }
  });

  it('outputs nothing when no profile has the contact ids', async () => {
    expect(await runNode(node, fake({ operation: 'find', email: 'nobody@example.org' }).execute)).toEqual([]);
  });

  it('refuses to choose when two profiles claim the same e-mail address', async () => {
    const [a, b] = emu().seed.customers;
    emu().state.cognigy.profiles.get(b!.cognigyProfileId!)!.contactIds.push(a!.email);
    const failure = runNode(node, fake({ operation: 'find', email: a!.email }).execute);
    await expect(failure).rejects.toBeInstanceOf(NodeOperationError);
    const ids = [a!.cognigyProfileId, b!.cognigyProfileId].sort().join(', ');
    await expect(failure).rejects.toThrow(
      `2 profiles (${ids}) have the customer's e-mail address as a contact id`,
    );
  });

  it('needs the project id', async () => {
    await expect(
      runNode(node, fake({ operation: 'find', email: 'a@b.c', projectId: '' }).execute),
    ).rejects.toThrow('Cognigy.AI: the Project ID is empty');
  });
});

describe('Cognigy.AI node: profile → Create and Update', () => {
  it("creates a profile with the contact ids and the mapped fields, typed by the project's schema", async () => {
    const [item] = await runNode(
      node,
      fake({
        operation: 'create',
        contactIds: 'new.customer@example.org, +447999000111',
        profile: {
          mappingMode: 'defineBelow',
          value: {
            loyalty_tier: 'gold',
            annual_spend: '12.00',
            opted_in: 'true',
            preferences: '{"language":"en"}',
          },
        },
      }).execute,
    );
    expect(item!.json).toMatchObject({ contactIds: ['new.customer@example.org', '+447999000111'] });
    const stored = emu().state.cognigy.profiles.get(item!.json._id as string)!;
    expect({ ...stored.profile }).toEqual({
      loyalty_tier: 'gold',
      annual_spend: 12,
      opted_in: true,
      preferences: { language: 'en' },
    });
  });

  it('refuses a value the schema type does not take, before any request', async () => {
    const failure = runNode(
      node,
      fake({
        operation: 'create',
        contactIds: 'x@example.org',
        profile: { mappingMode: 'defineBelow', value: { visits: '1e5', opted_in: 'yes' } },
      }).execute,
    );
    await expect(failure).rejects.toThrow(/^Cognigy.AI profile fields refused before sending: /);
    await expect(failure).rejects.toThrow(/visits/);
    await expect(failure).rejects.toThrow(/opted_in/);
    expect(posts()).toEqual([]);
  });

  it('merges the mapped fields into a profile, keeping the others', async () => {
    const c = withProfile();
    const [item] = await runNode(
      node,
      fake({
        operation: 'update',
        profileId: c.cognigyProfileId,
        profile: { mappingMode: 'defineBelow', value: { visits: 7, loyalty_tier: 'platinum' } },
      }).execute,
    );
    expect(item!.json).toEqual({
      profileId: c.cognigyProfileId,
      written: { visits: 7, loyalty_tier: 'platinum' },
    });
    const stored = emu().state.cognigy.profiles.get(c.cognigyProfileId!)!.profile;
    expect(stored).toMatchObject({
      visits: 7,
      loyalty_tier: 'platinum',
      firstname: c.firstName,
      email: c.email,
    });
  });

  it('under "continue on fail" reports an unknown profile on its item', async () => {
    const items = await runNode(
      node,
      fake(
        {
          operation: 'update',
          profileId: 'aaaaaaaaaaaaaaaaaaaaaaaa',
          profile: { mappingMode: 'defineBelow', value: { visits: 1 } },
        },
        { continueOnFail: true },
      ).execute,
    );
    expect(items).toEqual([
      {
        json: {
          error: expect.stringMatching(/^Cognigy.AI update profile: not found \(HTTP 404/),
          details: expect.objectContaining({ kind: 'not-found', status: 404 }),
        },
        pairedItem: { item: 0 },
      },
    ]);
  });

  it("loads the mapper fields from the project's profile schema, typed", async () => {
    const f = fake({});
    const { fields } = (await node.methods.resourceMapping.getProfileFields.call(
      f.loadOptions,
    )) as ResourceMapperFields;
    expect(fields.map((x) => x.id)).toEqual(emu().seed.cognigy.schema.map((e) => e.internal));
    expect(fields.find((x) => x.id === 'annual_spend')).toMatchObject({
      displayName: 'Annual spend (annual_spend)',
      type: 'number',
    });
    expect(fields.find((x) => x.id === 'opted_in')).toMatchObject({ type: 'boolean' });
    expect(fields.find((x) => x.id === 'goals')).toMatchObject({ type: 'object' });
  });
});

describe('Cognigy.AI node: profile → Delete', () => {
  /** One input item per profile id. */
  const deleteEach = (profileIds: (string | undefined)[], options: Omit<FakeOptions, 'parameters'> = {}) =>
    fakeN8n({
      credentials: emulatorCredentials(emu()),
      parameters: (i) => ({
        resource: 'profile',
        operation: 'delete',
        projectId: emu().credentials.cognigy.projectId,
        profileId: profileIds[i],
      }),
      items: profileIds.map(() => ({})),
      ...options,
    });

  it('deletes the profile and outputs its id; the other profiles stay', async () => {
    const c = withProfile();
    const before = emu().state.cognigy.profiles.size;
    const items = await runNode(node, fake({ operation: 'delete', profileId: c.cognigyProfileId }).execute);
    expect(items).toEqual([
      { json: { deleted: true, profileId: c.cognigyProfileId }, pairedItem: { item: 0 } },
    ]);
    expect(emu().state.cognigy.profiles.has(c.cognigyProfileId!)).toBe(false);
    expect(emu().state.cognigy.profiles.size).toBe(before - 1);
    expect(
      emu()
        .cognigy.log.list()
        .filter((r) => r.method === 'DELETE')
        .map((r) => r.path),
    ).toEqual([expect.stringMatching(new RegExp(`/profiles/${c.cognigyProfileId}$`))]);
  });

  it('deletes the profile of each item (the Profile ID by expression)', async () => {
    const ids = emu()
      .seed.customers.map((c) => c.cognigyProfileId)
      .filter((id): id is string => id !== undefined)
      .slice(0, 2);
    const items = await runNode(node, deleteEach(ids).execute);
    expect(items.map((i) => i.json)).toEqual(ids.map((profileId) => ({ deleted: true, profileId })));
    for (const id of ids) expect(emu().state.cognigy.profiles.has(id)).toBe(false);
  });

  it('reports a profile that does not exist as not found (HTTP 404)', async () => {
    const before = emu().state.cognigy.profiles.size;
    const failure = runNode(
      node,
      fake({ operation: 'delete', profileId: 'aaaaaaaaaaaaaaaaaaaaaaaa' }).execute,
    );
    await expect(failure).rejects.toBeInstanceOf(NodeApiError);
    await expect(failure).rejects.toMatchObject({
      httpCode: '404',
      message: expect.stringMatching(/^Cognigy.AI delete profile: not found \(HTTP 404/),
    });
    expect(emu().state.cognigy.profiles.size).toBe(before);
  });

  it('under "continue on fail" reports the missing profile on its item and deletes the next', async () => {
    const c = withProfile();
    const items = await runNode(
      node,
      deleteEach(['aaaaaaaaaaaaaaaaaaaaaaaa', c.cognigyProfileId], { continueOnFail: true }).execute,
    );
    expect(items).toEqual([
      {
        json: {
          error: expect.stringMatching(/^Cognigy.AI delete profile: not found \(HTTP 404/),
          details: expect.objectContaining({ kind: 'not-found', status: 404 }),
        },
        pairedItem: { item: 0 },
      },
      { json: { deleted: true, profileId: c.cognigyProfileId }, pairedItem: { item: 1 } },
    ]);
    expect(emu().state.cognigy.profiles.has(c.cognigyProfileId!)).toBe(false);
  });

  it('needs the profile id, before any request', async () => {
    await expect(runNode(node, fake({ operation: 'delete', profileId: ' ' }).execute)).rejects.toThrow(
      'Profile ID is empty',
    );
    expect(
      emu()
        .cognigy.log.list()
        .filter((r) => r.method === 'DELETE'),
    ).toEqual([]);
  });
});
