import { describe, expect, it } from 'vitest';
import { genesysToken, http, useEmulators } from '../test-helpers.js';

const emu = useEmulators();

const conversationPath = () => `/api/v2/conversations/${emu().seed.genesys.conversations[0]!.id}`;

async function getConversation(token: string) {
  return http('GET', `${emu().urls.genesys.apiUrl}${conversationPath()}`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

describe('Genesys Cloud error codes', () => {
  it.each([
    [401, undefined, 'bad.credentials'],
    [408, undefined, 'client.timeout'],
    [413, undefined, 'request.entity.too.large'],
    [429, 5, 'too.many.requests.retry.after'],
    [429, undefined, 'too.many.requests'],
    [503, undefined, 'service.unavailable'],
    [504, undefined, 'request.timeout'],
  ])(
    'an injected %i (Retry-After %s) carries the code %s in the ErrorBody',
    async (status, retryAfter, code) => {
      const token = await genesysToken(emu());
      emu().genesys.faults.add({
        path: '/api/v2/conversations/*',
        count: 1,
        fault: { kind: 'status', status, ...(retryAfter !== undefined ? { retryAfter } : {}) },
      });
      const res = await getConversation(token);
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ status, code, contextId: res.headers.get('inin-correlation-id') });
      expect(typeof res.body.message).toBe('string');
      expect(res.headers.get('retry-after')).toBe(retryAfter === undefined ? null : String(retryAfter));
      if (status === 429 && retryAfter !== undefined) expect(res.body.message).toContain(`[${retryAfter}]`);
      // The fault was used up: the next call goes through.
      expect((await getConversation(token)).status).toBe(200);
    },
  );

  it('keeps a code given with the fault', async () => {
    const token = await genesysToken(emu());
    emu().genesys.faults.add({
      path: '/api/v2/conversations/*',
      count: 1,
      fault: { kind: 'status', status: 401, code: 'credentials.expired' },
    });
    expect((await getConversation(token)).body.code).toBe('credentials.expired');
  });

  it('refuses a body over the size limit with request.entity.too.large', async () => {
    const token = await genesysToken(emu());
    const c = emu().seed.genesys.conversations[0]!;
    const res = await http(
      'PATCH',
      `${emu().urls.genesys.apiUrl}/api/v2/conversations/${c.id}/participants/${c.participants[0]!.id}/attributes`,
      {
        headers: { authorization: `Bearer ${token}` },
        json: { attributes: { big: 'x'.repeat(2 * 1024 * 1024) } },
      },
    );
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ status: 413, code: 'request.entity.too.large' });
  });

  it('names the missing conversation in entityId and messageWithParams', async () => {
    const token = await genesysToken(emu());
    const res = await http('GET', `${emu().urls.genesys.apiUrl}/api/v2/conversations/nope`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      code: 'not.found',
      message: 'Conversation nope not found',
      entityId: 'nope',
      messageWithParams: 'Conversation {conversationId} not found',
      messageParams: { conversationId: 'nope' },
    });
  });

  it('lists the refused attribute in details[] with the participant', async () => {
    const token = await genesysToken(emu());
    const c = emu().seed.genesys.conversations[0]!;
    const p = c.participants[0]!;
    const res = await http(
      'PATCH',
      `${emu().urls.genesys.apiUrl}/api/v2/conversations/${c.id}/participants/${p.id}/attributes`,
      { headers: { authorization: `Bearer ${token}` }, json: { attributes: { tier: 7 } } },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid.value', entityId: p.id, entityName: p.name });
    expect(res.body.details).toEqual([
      { errorCode: 'invalid.value', fieldName: 'attributes.tier', entityId: p.id, entityName: p.name },
    ]);
  });
});
