import { type Emulators, startEmulators } from '@cx-profile-sync/emulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  NotFoundError,
  RateLimitedError,
  ValidationError,
} from '../../errors/errors.js';
import { exchange } from '../../test-helpers.js';
import { contactIdsFor, pickProfileByContactIds } from './identity.js';
import {
  buildCreateProfileRequest,
  buildDeleteProfileRequest,
  buildGetProfileRequest,
  buildGetProfileSchemaRequest,
  buildListProfilesRequest,
  buildPatchProfileRequest,
  type CognigyConnection,
  readCreatedProfile,
  readDeleteProfile,
  readPatchProfile,
  readProfile,
  readProfileList,
  readProfileSchema,
} from './requests.js';

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

let emu: Emulators;
let conn: CognigyConnection;
let projectId: string;

beforeAll(async () => {
  emu = await startEmulators({ customers: 12 });
  conn = { apiUrl: emu.urls.cognigy.apiUrl, apiKey: emu.urls.cognigy.apiKey };
  projectId = emu.urls.cognigy.projectId;
});
beforeEach(() => emu.reset());
afterAll(async () => {
  await emu?.stop();
});

describe('Cognigy protocol against the emulator', () => {
  it('reads the schema, finds a customer by contact id, patches and reads back', async () => {
    const schema = await exchange(buildGetProfileSchemaRequest({ ...conn, projectId }), readProfileSchema);
    expect(schema.find((e) => e.internal === 'annual_spend')?.type).toBe('number');

    const customer = emu.seed.customers.find((c) => c.cognigyProfileId)!;
    const identity = { email: customer.email.toUpperCase(), phone: customer.phone };
    const page = await exchange(
      buildListProfilesRequest({ ...conn, projectId, filter: contactIdsFor(identity)[0]!, limit: 100 }),
      readProfileList,
    );
    const pick = pickProfileByContactIds(page.items, identity);
    expect(pick).toMatchObject({ kind: 'found', profile: { _id: customer.cognigyProfileId } });
    if (pick.kind !== 'found') throw new Error('not found');

    const patch: Record<string, unknown> = Object.create(null);
    patch.annual_spend = 1234;
    patch.opted_in = true;
    patch.preferences = { channel: 'sms' };
    await exchange(
      buildPatchProfileRequest({ ...conn, profileId: pick.profile._id, profile: patch }),
      readPatchProfile,
    );

    const read = await exchange(
      buildGetProfileRequest({ ...conn, profileId: pick.profile._id }),
      readProfile,
    );
    // Merged: the fields already there are kept.
    expect(read.profile).toMatchObject({
      firstname: customer.firstName,
      annual_spend: 1234,
      opted_in: true,
      preferences: { channel: 'sms' },
    });
    expect(read.contactIds).toEqual([customer.email, customer.phone]);
  });

  it('creates the profile of a customer who has none, then finds it by phone', async () => {
    const customer = emu.seed.customers.find((c) => !c.cognigyProfileId)!;
    const identity = { email: customer.email, phone: customer.phone };
    const before = await exchange(
      buildListProfilesRequest({ ...conn, projectId, filter: customer.email }),
      readProfileList,
    );
    expect(pickProfileByContactIds(before.items, identity)).toEqual({ kind: 'missing' });

    const created = await exchange(
      buildCreateProfileRequest({
        ...conn,
        projectId,
        contactIds: contactIdsFor(identity),
        profile: { firstname: customer.firstName, loyalty_tier: 'silver' },
      }),
      readCreatedProfile,
    );
    expect(created.contactIds).toEqual(contactIdsFor(identity));

    const after = await exchange(
      buildListProfilesRequest({ ...conn, projectId, filter: customer.phone }),
      readProfileList,
    );
    expect(pickProfileByContactIds(after.items, identity)).toMatchObject({
      kind: 'found',
      profile: { _id: created._id },
    });

    // Sending the same create again is refused: the contact ids are taken (why it is not idempotent).
    const again = await failure(
      exchange(
        buildCreateProfileRequest({ ...conn, projectId, contactIds: contactIdsFor(identity), profile: {} }),
        readCreatedProfile,
      ),
    );
    expect(again).toBeInstanceOf(ValidationError);
    expect((again as ValidationError).status).toBe(409);

    await exchange(buildDeleteProfileRequest({ ...conn, profileId: created._id }), readDeleteProfile);
    const gone = await failure(
      exchange(buildGetProfileRequest({ ...conn, profileId: created._id }), readProfile),
    );
    expect(gone).toBeInstanceOf(NotFoundError);
  });

  it('reads a schema-violating patch into a ValidationError naming each field, and nothing is written', async () => {
    const profileId = emu.seed.cognigy.profiles[0]!.id;
    const before = structuredClone(emu.state.cognigy.profiles.get(profileId)!.profile);
    const e = await failure(
      exchange(
        buildPatchProfileRequest({
          ...conn,
          profileId,
          profile: { annual_spend: '12.50', not_in_schema: 'x', big_account_id: 2 ** 53 + 2 },
        }),
        readPatchProfile,
      ),
    );
    expect(e).toBeInstanceOf(ValidationError);
    const v = e as ValidationError;
    expect(v.status).toBe(400);
    expect(v.code).toBe('1005');
    expect(v.fields.map((f) => f.field).sort()).toEqual([
      'profile.annual_spend',
      'profile.big_account_id',
      'profile.not_in_schema',
    ]);
    expect(v.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(v.message).toMatch(/^Cognigy\.AI update profile refused the data \(HTTP 400\)/);
    expect(v.message).not.toContain(conn.apiKey);
    expect(emu.state.cognigy.profiles.get(profileId)!.profile).toEqual(before);
  });

  it('pages through every profile with the cursor, without gaps or duplicates', async () => {
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await exchange(
        buildListProfilesRequest({ ...conn, projectId, limit: 3, ...(next ? { next } : {}) }),
        readProfileList,
      );
      seen.push(...page.items.map((p) => p._id));
      next = page.nextCursor ?? undefined;
      pages++;
    } while (next);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(emu.seed.cognigy.profiles.map((p) => p.id).sort());
  });

  it('reads a wrong key as AuthenticationError and a 413 as ValidationError', async () => {
    const auth = await failure(
      exchange(buildGetProfileSchemaRequest({ ...conn, apiKey: 'wrong', projectId }), readProfileSchema),
    );
    expect(auth).toBeInstanceOf(AuthenticationError);
    expect((auth as AuthenticationError).message).toMatch(/COGNIGY_API_KEY/);

    const big = await failure(
      exchange(
        buildPatchProfileRequest({
          ...conn,
          profileId: emu.seed.cognigy.profiles[0]!.id,
          profile: { display_name: 'x'.repeat(70_000) },
        }),
        readPatchProfile,
      ),
    );
    expect(big).toBeInstanceOf(ValidationError);
    expect((big as ValidationError).message).toMatch(/too large/);
  });

  it('reads a 429 with its Retry-After', async () => {
    emu.cognigy.faults.add({
      path: '/new/v2.0/profiles',
      count: 1,
      fault: { kind: 'status', status: 429, retryAfter: 3 },
    });
    const e = await failure(exchange(buildListProfilesRequest({ ...conn, projectId }), readProfileList));
    expect(e).toBeInstanceOf(RateLimitedError);
    expect((e as RateLimitedError).retryAfterMs).toBe(3000);
  });
});
