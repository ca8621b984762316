import { describe, expect, it } from 'vitest';
import { genesysToken, http, useEmulators } from '../test-helpers.js';

const LIMIT = 5;
const emu = useEmulators({ genesys: { requestsPerMinutePerToken: LIMIT } });

describe('Genesys per-token rate limit', () => {
  it('answers the request after the limit with 429, Retry-After and too.many.requests.retry.after', async () => {
    const token = await genesysToken(emu());
    const url = `${emu().urls.genesys.apiUrl}/api/v2/tokens/me`;
    const headers = { authorization: `Bearer ${token}` };
    for (let i = 0; i < LIMIT; i++) expect((await http('GET', url, { headers })).status).toBe(200);
    const res = await http('GET', url, { headers });
    expect(res.status).toBe(429);
    const retryAfter = res.headers.get('retry-after');
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(res.body).toMatchObject({ status: 429, code: 'too.many.requests.retry.after' });
    expect(res.body.message).toBe(
      `Rate limit exceeded the maximum. Retry the request in [${retryAfter}] seconds`,
    );
    expect(res.headers.get('inin-correlation-id')).toBe(res.body.contextId);
    // The limit it ran into, and the message's template with its parameter.
    expect(res.body.limit).toEqual({
      key: 'client.credentials.token.rate.per.minute',
      namespace: 'platform.api',
      value: LIMIT,
    });
    expect(res.body.messageWithParams).toBe(
      'Rate limit exceeded the maximum. Retry the request in [{retryAfter}] seconds',
    );
    expect(res.body.messageParams).toEqual({ retryAfter });
    // The old inin-ratelimit-* headers were removed in 2021; the emulator does not send them.
    expect([...res.headers.keys()].filter((h) => h.startsWith('inin-ratelimit'))).toEqual([]);
  });

  it('counts per token: another token is not limited, and the login is not limited', async () => {
    const first = await genesysToken(emu());
    const url = `${emu().urls.genesys.apiUrl}/api/v2/tokens/me`;
    for (let i = 0; i <= LIMIT; i++)
      await http('GET', url, { headers: { authorization: `Bearer ${first}` } });
    expect((await http('GET', url, { headers: { authorization: `Bearer ${first}` } })).status).toBe(429);
    // Several logins in a row, then a fresh token works.
    const second = await genesysToken(emu());
    expect((await http('GET', url, { headers: { authorization: `Bearer ${second}` } })).status).toBe(200);
  });

  it('applies to every /api/v2 route', async () => {
    const seed = emu().seed.genesys;
    const conversation = seed.conversations[0]!;
    const customer = conversation.participants[0]!;
    const jobs = '/api/v2/analytics/conversations/details/jobs';
    const interval = { interval: '2026-01-01T00:00:00Z/2027-01-01T00:00:00Z' };
    // A job to poll; the limit is per token, so it is made with a token of its own.
    const jobToken = await genesysToken(emu());
    const job = await http('POST', `${emu().urls.genesys.apiUrl}${jobs}`, {
      headers: { authorization: `Bearer ${jobToken}` },
      json: interval,
    });
    const jobId = job.body.jobId as string;
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v2/tokens/me'],
      ['GET', `/api/v2/conversations/${conversation.id}`],
      [
        'PATCH',
        `/api/v2/conversations/${conversation.id}/participants/${customer.id}/attributes`,
        { attributes: { a: 'b' } },
      ],
      ['GET', `/api/v2/externalcontacts/contacts/${seed.externalContacts[0]!.id}`],
      ['GET', '/api/v2/externalcontacts/contacts?q=a'],
      ['GET', '/api/v2/externalcontacts/scan/contacts'],
      ['GET', '/api/v2/externalcontacts/contacts/schemas'],
      ['POST', jobs, interval],
      ['GET', `${jobs}/${jobId}`],
      ['GET', `${jobs}/${jobId}/results`],
    ];
    for (const [method, path, json] of routes) {
      const token = await genesysToken(emu());
      const statuses: number[] = [];
      for (let i = 0; i <= LIMIT; i++) {
        const res = await http(method, `${emu().urls.genesys.apiUrl}${path}`, {
          headers: { authorization: `Bearer ${token}` },
          ...(json !== undefined ? { json } : {}),
        });
        statuses.push(res.status);
      }
      expect(
        statuses.slice(0, LIMIT).every((s) => s !== 429),
        `${method} ${path}`,
      ).toBe(true);
      expect(statuses[LIMIT], `${method} ${path}`).toBe(429);
    }
  });
});
