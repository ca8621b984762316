import { describe, expect, it } from 'vitest';
import { http, useEmulators } from '../test-helpers.js';

const emu = useEmulators();

const PREFIXES = ['/new/v2.0', '/v2.0'] as const;
const key = () => ({ 'x-api-key': emu().urls.cognigy.apiKey });
const url = (prefix: string, path: string) => `${emu().urls.cognigy.apiUrl}${prefix}${path}`;
const seedProfile = (i = 0) => emu().seed.cognigy.profiles[i]!;

/** Sends raw JSON text, for numbers and keys that JSON.stringify cannot produce. */
const rawJson = (method: string, target: string, text: string) =>
  http(method, target, { headers: { ...key(), 'content-type': 'application/json' }, body: text });

describe.each(PREFIXES)('Cognigy.AI under %s', (prefix) => {
  it('refuses a request without an API key, in the Cognigy error shape', async () => {
    const res = await http('GET', url(prefix, '/profiles'));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      type: 'Unauthorized',
      title: 'Unauthorized Error',
      status: 401,
      instance: `${prefix}/profiles`,
      code: 401,
    });
    expect(typeof res.body.detail).toBe('string');
    expect(res.body.traceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toHaveProperty('details');
  });

  it('refuses a wrong API key and never echoes it', async () => {
    const res = await http('GET', url(prefix, '/profiles'), { headers: { 'x-api-key': 'wrong-key-123' } });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('wrong-key-123');
  });

  it('accepts the API key as the api_key query parameter', async () => {
    const res = await http('GET', url(prefix, `/profiles?api_key=${emu().urls.cognigy.apiKey}`));
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(emu().seed.cognigy.profiles.length);
  });

  it('reads the project schema', async () => {
    const res = await http('GET', url(prefix, `/profiles/schema/${emu().urls.cognigy.projectId}`), {
      headers: key(),
    });
    expect(res.status).toBe(200);
    expect(res.body.details).toEqual(emu().seed.cognigy.schema);
    expect(res.body.schema).toMatchObject({ firstname: 'string', annual_spend: 'number', goals: 'object' });
  });

  it('answers 404 for the schema of another project', async () => {
    const res = await http('GET', url(prefix, `/profiles/schema/${'a'.repeat(24)}`), { headers: key() });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 404, code: 1002 });
  });

  it('replaces the schema with PUT, and writes then follow the new schema', async () => {
    const { projectId } = emu().urls.cognigy;
    const details = [
      { field: 'First name', internal: 'firstname', type: 'string' },
      { field: 'Shoe size', internal: 'shoe_size', type: 'number' },
    ];
    const put = await http('PUT', url(prefix, `/profiles/schema/${projectId}`), {
      headers: key(),
      json: { details },
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({});
    const got = await http('GET', url(prefix, `/profiles/schema/${projectId}`), { headers: key() });
    expect(got.body.details).toEqual(details);

    const id = seedProfile().id;
    const ok = await http('PATCH', url(prefix, `/profiles/${id}`), {
      headers: key(),
      json: { profile: { shoe_size: 44 } },
    });
    expect(ok.status).toBe(200);
    const gone = await http('PATCH', url(prefix, `/profiles/${id}`), {
      headers: key(),
      json: { profile: { lastname: 'Smith' } },
    });
    expect(gone.status).toBe(400);
    expect(gone.body.details).toEqual([{ field: 'profile.lastname', message: expect.any(String) }]);
  });

  it('lists profiles with items, total and null cursors when all fit', async () => {
    const res = await http('GET', url(prefix, '/profiles'), { headers: key() });
    expect(res.status).toBe(200);
    const n = emu().seed.cognigy.profiles.length;
    expect(res.body.total).toBe(n);
    expect(res.body.items).toHaveLength(n);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.previousCursor).toBeNull();
    expect(Object.keys(res.body.items[0]).sort()).toEqual(
      ['_id', 'active', 'contactIds', 'lastChanged', 'profile', 'projectId'].sort(),
    );
  });

  it('creates, reads, patches and deletes a profile', async () => {
    const { projectId } = emu().urls.cognigy;
    const created = await http('POST', url(prefix, '/profiles'), {
      headers: key(),
      json: {
        projectId,
        contactIds: ['new.person@example.com', '+447900000999'],
        profile: { firstname: 'New', lastname: 'Person', annual_spend: 10, goals: ['buy'] },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body._id;
    expect(id).toMatch(/^[a-z0-9]{24}$/);
    expect(created.body).toMatchObject({
      contactIds: ['new.person@example.com', '+447900000999'],
      active: true,
      projectId,
      profile: { firstname: 'New', annual_spend: 10, goals: ['buy'] },
    });
    expect(Number.isInteger(created.body.createdAt)).toBe(true);

    const patched = await http('PATCH', url(prefix, `/profiles/${id}`), {
      headers: key(),
      json: { profile: { loyalty_tier: 'gold', preferences: { channel: 'sms' } }, active: false },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({});

    const read = await http('GET', url(prefix, `/profiles/${id}`), { headers: key() });
    expect(read.status).toBe(200);
    // Merge: the fields not sent are kept.
    expect(read.body.profile).toEqual({
      firstname: 'New',
      lastname: 'Person',
      annual_spend: 10,
      goals: ['buy'],
      loyalty_tier: 'gold',
      preferences: { channel: 'sms' },
    });
    expect(read.body.active).toBe(false);

    const del = await http('DELETE', url(prefix, `/profiles/${id}`), { headers: key() });
    expect(del.status).toBe(204);
    const after = await http('GET', url(prefix, `/profiles/${id}`), { headers: key() });
    expect(after.status).toBe(404);
    expect(after.body).toMatchObject({ status: 404, code: 1002, instance: `${prefix}/profiles/${id}` });
  });
});

describe('Cognigy.AI profile reads and deletes', () => {
  it('answers 404 for an unknown profile and 400 for a malformed id', async () => {
    const p = '/new/v2.0';
    expect((await http('GET', url(p, `/profiles/${'0'.repeat(24)}`), { headers: key() })).status).toBe(404);
    expect((await http('DELETE', url(p, `/profiles/${'0'.repeat(24)}`), { headers: key() })).status).toBe(
      404,
    );
    expect(
      (await http('PATCH', url(p, `/profiles/${'0'.repeat(24)}`), { headers: key(), json: { active: true } }))
        .status,
    ).toBe(404);
    const bad = await http('GET', url(p, '/profiles/not-an-id'), { headers: key() });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ field: 'profileId', message: expect.any(String) }]);
  });

  it('takes Content-Type: application/json with no body on DELETE, and answers Missing payload on POST', async () => {
    const headers = { ...key(), 'content-type': 'application/json' };
    const del = await http('DELETE', url('/new/v2.0', `/profiles/${seedProfile().id}`), { headers });
    expect(del.status).toBe(204);
    const post = await http('POST', url('/new/v2.0', '/profiles'), { headers });
    expect(post.status).toBe(400);
    expect(post.body).toMatchObject({ code: 1000, detail: 'Validation failed. Missing payload.' });
  });

  it('reads a seeded profile with its contact ids and meta data', async () => {
    const s = seedProfile(1);
    const res = await http('GET', url('/new/v2.0', `/profiles/${s.id}`), { headers: key() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ _id: s.id, contactIds: s.contactIds, profile: s.profile, active: true });
    expect(typeof res.body.createdBy).toBe('string');
  });
});

describe('Cognigy.AI profile listing', () => {
  const list = (query: string) => http('GET', url('/new/v2.0', `/profiles?${query}`), { headers: key() });

  it('filters by an exact contact id, ignoring case', async () => {
    const s = seedProfile(2);
    const email = s.contactIds[0]!;
    const res = await list(`filter=${encodeURIComponent(email.toUpperCase())}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { _id: string }) => p._id)).toEqual([s.id]);
    expect(res.body.total).toBe(1);
  });

  it('filters by a phone number contact id', async () => {
    const s = seedProfile(3);
    const res = await list(`filter=${encodeURIComponent(s.contactIds[1]!)}`);
    expect(res.body.items.map((p: { _id: string }) => p._id)).toEqual([s.id]);
  });

  it('filters by a substring of a string value', async () => {
    const s = seedProfile(0);
    const lastname = String(s.profile.lastname);
    const expected = emu()
      .seed.cognigy.profiles.filter((p) =>
        Object.values(p.profile).some(
          (v) => typeof v === 'string' && v.toLowerCase().includes(lastname.slice(1).toLowerCase()),
        ),
      )
      .map((p) => p.id)
      .sort();
    const res = await list(`filter=${encodeURIComponent(lastname.slice(1).toLowerCase())}&limit=100`);
    expect(res.body.items.map((p: { _id: string }) => p._id).sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  it('filters by projectId', async () => {
    const other = await list(`projectId=${'b'.repeat(24)}`);
    expect(other.body).toEqual({ items: [], total: 0, nextCursor: null, previousCursor: null });
    const mine = await list(`projectId=${emu().urls.cognigy.projectId}`);
    expect(mine.body.total).toBe(emu().seed.cognigy.profiles.length);
  });

  it('refuses a limit over 100, a limit of 0, an unknown sort field and a bad cursor', async () => {
    for (const q of ['limit=101', 'limit=0', 'sort=profile.firstname:asc', 'next=garbage']) {
      const res = await list(q);
      expect(res.status, q).toBe(400);
      expect(res.body.details.length, q).toBeGreaterThan(0);
    }
  });

  it('applies limit 25 by default and honours skip', async () => {
    const all = (await list('limit=100')).body.items.map((p: { _id: string }) => p._id);
    const skipped = await list('skip=3&limit=2');
    expect(skipped.body.items.map((p: { _id: string }) => p._id)).toEqual(all.slice(3, 5));
  });

  it.each(['_id:asc', 'lastChanged:desc'])(
    'pages forward and back with cursors (sort %s) without gaps or duplicates',
    async (sort) => {
      const n = emu().seed.cognigy.profiles.length;
      const pageSize = 4;
      const pages: string[][] = [];
      let res = await list(`limit=${pageSize}&sort=${sort}`);
      expect(res.body.previousCursor).toBeNull();
      for (;;) {
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(n);
        pages.push(res.body.items.map((p: { _id: string }) => p._id));
        if (res.body.nextCursor === null) break;
        res = await list(`limit=${pageSize}&sort=${sort}&next=${encodeURIComponent(res.body.nextCursor)}`);
      }
      expect(pages.length).toBe(Math.ceil(n / pageSize));
      expect(pages.length).toBeGreaterThanOrEqual(3);
      const ids = pages.flat();
      expect(ids).toHaveLength(n);
      expect(new Set(ids).size).toBe(n);
      const all = (await list(`limit=100&sort=${sort}`)).body.items.map((p: { _id: string }) => p._id);
      expect(ids).toEqual(all);

      // And back again from the last page.
      const back: string[][] = [pages[pages.length - 1]!];
      let cursor = res.body.previousCursor;
      while (cursor !== null) {
        const prev = await list(`limit=${pageSize}&sort=${sort}&previous=${encodeURIComponent(cursor)}`);
        back.unshift(prev.body.items.map((p: { _id: string }) => p._id));
        cursor = prev.body.previousCursor;
      }
      expect(back.flat()).toEqual(all);
    },
  );

  it('refuses a cursor made under another sort', async () => {
    const first = await list('limit=2&sort=_id:asc');
    const res = await list(`limit=2&sort=createdAt:asc&next=${encodeURIComponent(first.body.nextCursor)}`);
    expect(res.status).toBe(400);
  });
});

describe('Cognigy.AI write validation', () => {
  const patch = (profile: unknown) =>
    http('PATCH', url('/new/v2.0', `/profiles/${seedProfile().id}`), { headers: key(), json: { profile } });

  it.each([
    ['a key that is not in the schema', { not_in_schema: 'x' }, 'profile.not_in_schema'],
    ['a number for a string field', { firstname: 42 }, 'profile.firstname'],
    ['a string for a number field', { annual_spend: '12.50' }, 'profile.annual_spend'],
    ['a string for a boolean field', { opted_in: 'true' }, 'profile.opted_in'],
    ['a string for an object field', { preferences: '{"a":1}' }, 'profile.preferences'],
    ['an object for a string field', { loyalty_tier: { level: 'gold' } }, 'profile.loyalty_tier'],
    ['a boolean for a number field', { visits: true }, 'profile.visits'],
  ])('refuses %s', async (_what, profile, field) => {
    const res = await patch(profile);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ status: 400, code: 1005, type: 'Bad Request' });
    expect(res.body.details).toEqual([{ field, message: expect.any(String) }]);
  });

  it('accepts an array or an object for an object field, and null for any field', async () => {
    expect((await patch({ preferences: ['email', 'sms'] })).status).toBe(200);
    expect((await patch({ goals: { a: 1 } })).status).toBe(200);
    expect((await patch({ firstname: null, annual_spend: null })).status).toBe(200);
    const stored = emu().state.cognigy.profiles.get(seedProfile().id)!;
    expect(stored.profile.preferences).toEqual(['email', 'sms']);
    expect(stored.profile.firstname).toBeNull();
  });

  it('accepts ±(2^53 − 1) and refuses a number past it', async () => {
    const target = url('/new/v2.0', `/profiles/${seedProfile().id}`);
    expect((await rawJson('PATCH', target, '{"profile":{"big_account_id":9007199254740991}}')).status).toBe(
      200,
    );
    expect((await rawJson('PATCH', target, '{"profile":{"big_account_id":-9007199254740991}}')).status).toBe(
      200,
    );
    const over = await rawJson('PATCH', target, '{"profile":{"big_account_id":9007199254740993}}');
    expect(over.status).toBe(400);
    expect(over.body.details).toEqual([{ field: 'profile.big_account_id', message: expect.any(String) }]);
    // 1e400 parses to Infinity.
    const infinite = await rawJson('PATCH', target, '{"profile":{"risk_score":1e400}}');
    expect(infinite.status).toBe(400);
  });

  it('lists every offending field and writes nothing when any is wrong', async () => {
    const before = structuredClone(emu().state.cognigy.profiles.get(seedProfile().id)!.profile);
    const res = await patch({ firstname: 'Valid', annual_spend: 'x', nope: 1, opted_in: 0 });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(
      ['profile.annual_spend', 'profile.nope', 'profile.opted_in'].sort(),
    );
    expect(emu().state.cognigy.profiles.get(seedProfile().id)!.profile).toEqual(before);
  });

  it('refuses a profile that is not an object, an empty body and an unknown top-level key', async () => {
    expect((await patch(['a'])).status).toBe(400);
    const target = url('/new/v2.0', `/profiles/${seedProfile().id}`);
    const empty = await http('PATCH', target, { headers: key(), json: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe(1000);
    const extra = await http('PATCH', target, { headers: key(), json: { profiles: { firstname: 'x' } } });
    expect(extra.status).toBe(400);
    expect(extra.body.details[0].field).toBe('profiles');
  });

  it('validates creation: projectId, contactIds and the profile', async () => {
    const create = (json: unknown) => http('POST', url('/new/v2.0', '/profiles'), { headers: key(), json });
    const { projectId } = emu().urls.cognigy;
    const n = emu().state.cognigy.profiles.size;
    const cases: [unknown, string][] = [
      [{ contactIds: ['a@example.com'] }, 'projectId'],
      [{ projectId: 'c'.repeat(24), contactIds: ['a@example.com'] }, 'projectId'],
      [{ projectId }, 'contactIds'],
      [{ projectId, contactIds: [] }, 'contactIds'],
      [{ projectId, contactIds: [42] }, 'contactIds[0]'],
      [{ projectId, contactIds: ['a@example.com'], active: 'yes' }, 'active'],
      [{ projectId, contactIds: ['a@example.com'], profile: { annual_spend: '1' } }, 'profile.annual_spend'],
    ];
    for (const [json, field] of cases) {
      const res = await create(json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect(emu().state.cognigy.profiles.size).toBe(n);
  });

  it('refuses a contact id that belongs to another profile with 409', async () => {
    const taken = seedProfile(0).contactIds[0]!;
    const res = await http('POST', url('/new/v2.0', '/profiles'), {
      headers: key(),
      json: { projectId: emu().urls.cognigy.projectId, contactIds: ['fresh@example.com', taken] },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 409, code: 1004, title: 'Conflict Error' });
    // Named by index: contact ids are personal data and error texts end up in logs.
    expect(res.body.details).toEqual([{ field: 'contactIds[1]', message: 'belongs to another profile' }]);
    expect(res.text).not.toContain(taken);
    const patch2 = await http('PATCH', url('/new/v2.0', `/profiles/${seedProfile(1).id}`), {
      headers: key(),
      json: { contactIds: [taken] },
    });
    expect(patch2.status).toBe(409);
    // A profile may keep its own contact ids.
    const own = await http('PATCH', url('/new/v2.0', `/profiles/${seedProfile(0).id}`), {
      headers: key(),
      json: { contactIds: [...seedProfile(0).contactIds, 'extra-id'] },
    });
    expect(own.status).toBe(200);
    expect(emu().state.cognigy.profiles.get(seedProfile(0).id)!.contactIds).toContain('extra-id');
  });

  it('validates a schema replacement', async () => {
    const target = url('/new/v2.0', `/profiles/schema/${emu().urls.cognigy.projectId}`);
    const before = structuredClone(emu().state.cognigy.schema);
    const res = await http('PUT', target, {
      headers: key(),
      json: {
        details: [
          { field: 'Ok', internal: 'ok_1', type: 'string' },
          { field: 'Bad name', internal: 'bad-name', type: 'string' },
          { field: 'Bad type', internal: 'bad_type', type: 'date' },
          { field: 'Twice', internal: 'ok_1', type: 'number' },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual([
      'details[1].internal',
      'details[2].type',
      'details[3].internal',
    ]);
    expect(emu().state.cognigy.schema).toEqual(before);
    expect((await http('PUT', target, { headers: key(), json: { nothing: 1 } })).status).toBe(400);
  });

  it('stores keys such as __proto__ and constructor as plain data', async () => {
    const { projectId } = emu().urls.cognigy;
    const schemaUrl = url('/new/v2.0', `/profiles/schema/${projectId}`);
    const details = [
      ...emu().seed.cognigy.schema,
      { field: 'Proto', internal: '__proto__', type: 'object' },
      { field: 'Ctor', internal: 'constructor', type: 'string' },
    ];
    expect((await http('PUT', schemaUrl, { headers: key(), json: { details } })).status).toBe(200);
    const id = seedProfile().id;
    const target = url('/new/v2.0', `/profiles/${id}`);
    const res = await rawJson(
      'PATCH',
      target,
      '{"profile":{"__proto__":{"polluted":true},"constructor":"ctor-value"}}',
    );
    expect(res.status).toBe(200);
    const read = await http('GET', target, { headers: key() });
    expect(read.text).toContain('"__proto__":{"polluted":true}');
    expect(read.body.profile.constructor).toBe('ctor-value');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const stored = emu().state.cognigy.profiles.get(id)!.profile;
    expect(Object.hasOwn(stored, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(stored)).toBeNull();
  });

  it('refuses a __proto__ key that is not in the schema', async () => {
    const res = await rawJson(
      'PATCH',
      url('/new/v2.0', `/profiles/${seedProfile().id}`),
      '{"profile":{"__proto__":{"x":1}}}',
    );
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'profile.__proto__', message: expect.any(String) }]);
  });
});

describe('Cognigy.AI limits and faults', () => {
  it('refuses a body over 60 kB with 413 in the Cognigy shape', async () => {
    const res = await http('PATCH', url('/new/v2.0', `/profiles/${seedProfile().id}`), {
      headers: key(),
      json: { profile: { display_name: 'x'.repeat(61_440) } },
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ status: 413, code: 413, type: 'Payload Too Large' });
    expect(typeof res.body.traceId).toBe('string');
  });

  it('accepts a body just under 60 kB', async () => {
    const profile = { display_name: '' };
    const overhead = JSON.stringify({ profile }).length;
    profile.display_name = 'y'.repeat(61_440 - overhead);
    const res = await http('PATCH', url('/new/v2.0', `/profiles/${seedProfile().id}`), {
      headers: key(),
      json: { profile },
    });
    expect(res.status).toBe(200);
  });

  it('answers injected faults in the Cognigy error shape', async () => {
    const admin = emu().urls.cognigy.apiUrl;
    const add = await http('POST', `${admin}/__admin/faults`, {
      json: { path: '/new/v2.0/profiles', count: 1, fault: { kind: 'status', status: 503 } },
    });
    expect(add.status).toBe(200);
    const res = await http('GET', url('/new/v2.0', '/profiles'), { headers: key() });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 503, code: 503, title: 'Service Unavailable Error' });
    expect((await http('GET', url('/new/v2.0', '/profiles'), { headers: key() })).status).toBe(200);
  });

  it('answers an unknown route with 404 in the Cognigy shape', async () => {
    const res = await http('GET', url('/new/v2.0', '/nothing-here'), { headers: key() });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 404, code: 1002 });
  });

  it('restores the seed on reset', async () => {
    await http('DELETE', url('/new/v2.0', `/profiles/${seedProfile().id}`), { headers: key() });
    expect(emu().state.cognigy.profiles.has(seedProfile().id)).toBe(false);
    emu().reset();
    expect(emu().state.cognigy.profiles.has(seedProfile().id)).toBe(true);
  });
});
