import { describe, expect, it } from 'vitest';
import type { SeedConversation } from '../seed/seed.js';
import { genesysToken, http, useEmulators } from '../test-helpers.js';

/** An own property's value (reading `x.__proto__` would give the prototype, not the data). */
const ownValue = (o: object, key: string) => Object.getOwnPropertyDescriptor(o, key)?.value;

const emu = useEmulators();

async function api(method: string, path: string, json?: unknown) {
  const token = await genesysToken(emu());
  return http(method, `${emu().urls.genesys.apiUrl}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    ...(json !== undefined ? { json } : {}),
  });
}

const firstConversation = () => emu().seed.genesys.conversations[0]!;
const customerOf = (c: SeedConversation) => c.participants.find((p) => p.purpose === 'customer')!;
const attributesPath = (conversationId: string, participantId: string) =>
  `/api/v2/conversations/${conversationId}/participants/${participantId}/attributes`;

describe('GET /api/v2/conversations/{id}', () => {
  it('returns the conversation with each participant and its attributes', async () => {
    const c = firstConversation();
    const res = await api('GET', `/api/v2/conversations/${c.id}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(c.id);
    expect(res.body.participants.map((p: { purpose: string }) => p.purpose)).toEqual(
      c.participants.map((p) => p.purpose),
    );
    expect(res.body.participants.map((p: { purpose: string }) => p.purpose).slice(0, 4)).toEqual([
      'customer',
      'ivr',
      'acd',
      'agent',
    ]);
    const customer = res.body.participants[0];
    expect(customer.attributes.loyalty_tier).toBe(customerOf(c).attributes.loyalty_tier);
    // "__proto__" travels as an ordinary key.
    expect(Object.hasOwn(customer.attributes, '__proto__')).toBe(true);
    expect(ownValue(customer.attributes, '__proto__')).toMatch(/^proto-\d+$/);
  });

  it('answers an unknown conversation with 404 not.found in the ErrorBody shape', async () => {
    const res = await api('GET', '/api/v2/conversations/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 404, code: 'not.found' });
    expect(res.headers.get('inin-correlation-id')).toBe(res.body.contextId);
  });

  it('refuses a request without a token', async () => {
    const res = await http(
      'GET',
      `${emu().urls.genesys.apiUrl}/api/v2/conversations/${firstConversation().id}`,
    );
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('authentication.required');
  });
});

describe('PATCH participant attributes', () => {
  it('merges string attributes and answers 202 with no body', async () => {
    const c = firstConversation();
    const p = customerOf(c);
    const before = { ...p.attributes };
    const res = await api('PATCH', attributesPath(c.id, p.id), {
      attributes: { loyalty_tier: 'gold-changed', brand_new: 'x' },
    });
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
    const after = (await api('GET', `/api/v2/conversations/${c.id}`)).body.participants[0].attributes;
    expect(after.loyalty_tier).toBe('gold-changed');
    expect(after.brand_new).toBe('x');
    // Keys not sent keep their values.
    expect(after.account_number).toBe(before.account_number);
    expect(after.long_note).toBe(before.long_note);
  });

  it('stores "__proto__" and "constructor" as data, never touching a prototype', async () => {
    const c = firstConversation();
    const p = customerOf(c);
    const body = '{"attributes":{"__proto__":"polluted?","constructor":"ctor-new"}}';
    const token = await genesysToken(emu());
    const res = await http('PATCH', `${emu().urls.genesys.apiUrl}${attributesPath(c.id, p.id)}`, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(202);
    const live = emu().state.genesys.conversations.get(c.id)!.participants[0]!.attributes;
    expect(Object.getOwnPropertyDescriptor(live, '__proto__')?.value).toBe('polluted?');
    expect(Object.getPrototypeOf(live)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const after = (await api('GET', `/api/v2/conversations/${c.id}`)).body.participants[0].attributes;
    expect(ownValue(after, '__proto__')).toBe('polluted?');
    expect(after.constructor).toBe('ctor-new');
  });

  it('refuses a non-string value with 400 invalid.value, and changes nothing', async () => {
    const c = firstConversation();
    const p = customerOf(c);
    for (const value of [42, true, null, { nested: 'x' }, ['a']]) {
      const res = await api('PATCH', attributesPath(c.id, p.id), {
        attributes: { fine: 'ok', loyalty_tier: value },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ status: 400, code: 'invalid.value' });
      expect(res.body.message).toContain('loyalty_tier');
    }
    const live = emu().state.genesys.conversations.get(c.id)!.participants[0]!.attributes;
    expect(live.fine).toBeUndefined();
    expect(live.loyalty_tier).toBe(p.attributes.loyalty_tier);
  });

  it('refuses a body without an attributes object with 400 bad.request', async () => {
    const c = firstConversation();
    const p = customerOf(c);
    for (const body of [{}, { loyalty_tier: 'gold' }, { attributes: 'x' }, { attributes: ['a'] }, []]) {
      const res = await api('PATCH', attributesPath(c.id, p.id), body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('bad.request');
    }
  });

  it('answers 404 for an unknown conversation or participant', async () => {
    const c = firstConversation();
    const unknown = '00000000-0000-4000-8000-000000000000';
    const a = await api('PATCH', attributesPath(unknown, customerOf(c).id), { attributes: { a: 'b' } });
    expect(a.status).toBe(404);
    expect(a.body.message).toContain(unknown);
    const b = await api('PATCH', attributesPath(c.id, unknown), { attributes: { a: 'b' } });
    expect(b.status).toBe(404);
    expect(b.body.message).toContain(`Participant ${unknown}`);
  });

  it('writes only the participant addressed (the IVR keeps its own data)', async () => {
    const c = firstConversation();
    const ivr = c.participants.find((p) => p.purpose === 'ivr')!;
    expect(
      (await api('PATCH', attributesPath(c.id, ivr.id), { attributes: { ivr_menu: 'sales' } })).status,
    ).toBe(202);
    const participants = (await api('GET', `/api/v2/conversations/${c.id}`)).body.participants;
    expect(participants[1].attributes).toEqual({ ivr_menu: 'sales', loyalty_tier: 'ivr-guess' });
    expect(participants[0].attributes.ivr_menu).toBeUndefined();
  });
});

describe('POST /__admin/conversations', () => {
  const newConversation = (id: string, start: string): SeedConversation => ({
    id,
    customerIndex: 0,
    startTime: start,
    endTime: new Date(Date.parse(start) + 60_000).toISOString(),
    participants: [
      {
        id: `${id}-customer`,
        purpose: 'customer',
        name: 'New Caller',
        mediaType: 'voice',
        ani: 'tel:+15550000001',
        address: 'tel:+15550000001',
        startTime: start,
        endTime: start,
        attributes: { loyalty_tier: 'silver' },
      },
    ],
  });

  it('adds conversations that the API then serves, and reset removes them', async () => {
    const res = await http('POST', `${emu().urls.genesys.apiUrl}/__admin/conversations`, {
      json: [
        newConversation('added-1', '2030-01-01T10:00:00.000Z'),
        newConversation('added-2', '2030-01-02T10:00:00Z'),
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ added: 2, total: emu().seed.genesys.conversations.length + 2 });
    const got = await api('GET', '/api/v2/conversations/added-2');
    expect(got.status).toBe(200);
    expect(got.body.participants[0].attributes).toEqual({ loyalty_tier: 'silver' });
    emu().reset();
    expect((await api('GET', '/api/v2/conversations/added-2')).status).toBe(404);
  });

  it('adds conversations from code through the state', async () => {
    emu().state.genesys.addConversations([newConversation('from-code', '2030-02-01T00:00:00Z')]);
    expect((await api('GET', '/api/v2/conversations/from-code')).status).toBe(200);
  });

  it('refuses a malformed conversation and says where', async () => {
    const bad = newConversation('bad', '2030-01-01T00:00:00Z') as unknown as Record<string, unknown>;
    (bad.participants as Record<string, unknown>[])[0]!.attributes = { n: 1 };
    const res = await http('POST', `${emu().urls.genesys.apiUrl}/__admin/conversations`, {
      json: [newConversation('ok', '2030-01-01T00:00:00Z'), bad],
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('conversations[1]: participants[0].attributes["n"] must be a string');
    expect(emu().state.genesys.conversations.has('ok')).toBe(false);
    const notArray = await http('POST', `${emu().urls.genesys.apiUrl}/__admin/conversations`, { json: {} });
    expect(notArray.status).toBe(400);
  });
});
