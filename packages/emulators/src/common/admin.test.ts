// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected freely
import { describe, expect, it } from 'vitest';
import { type Emulators, startEmulators } from '../start.js';
import { basic, genesysToken, http, useEmulators } from '../test-helpers.js';

// The shared /__admin routes, exercised over HTTP on the Genesys emulator.
const emu = useEmulators();

const base = () => emu().urls.genesys.apiUrl;
const addFault = (rule: unknown) => http('POST', `${base()}/__admin/faults`, { json: rule });

async function tokensMe(token?: string) {
  const t = token ?? (await genesysToken(emu()));
  return http('GET', `${base()}/api/v2/tokens/me`, { headers: { authorization: `Bearer ${t}` } });
}

describe('/__admin/faults', () => {
  it('injects a 429 with Retry-After and the platform code', async () => {
    const token = await genesysToken(emu());
    expect(
      (await addFault({ path: '/api/v2/tokens/me', fault: { kind: 'status', status: 429, retryAfter: 7 } }))
        .status,
    ).toBe(200);
    const res = await tokensMe(token);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body).toMatchObject({
      status: 429,
      code: 'too.many.requests.retry.after',
      message: 'Rate limit exceeded the maximum. Retry the request in [7] seconds',
    });
    expect(res.headers.get('inin-correlation-id')).toBe(res.body.contextId);
  });

  it('injects 500, 502, 503 and 504 in the platform error shape', async () => {
    const token = await genesysToken(emu());
    const codes: Record<number, string> = {
      500: 'internal.server.error',
      502: 'bad.gateway',
      503: 'service.unavailable',
      // Genesys Cloud's own code for a 504.
      504: 'request.timeout',
    };
    for (const status of [500, 502, 503, 504]) {
      await addFault({ path: '/api/v2/tokens/me', count: 1, fault: { kind: 'status', status } });
      const res = await tokensMe(token);
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ status, code: codes[status] });
      expect(res.headers.get('retry-after')).toBeNull();
    }
    expect((await tokensMe(token)).status).toBe(200);
  });

  it('delays a request, which then succeeds', async () => {
    const token = await genesysToken(emu());
    await addFault({ path: '/api/v2/tokens/me', fault: { kind: 'delay', ms: 60 } });
    const started = performance.now();
    const res = await tokensMe(token);
    // A lower bound only: the injected sleep guarantees it, whatever the machine's speed.
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(res.status).toBe(200);
    const [rule] = (await http('GET', `${base()}/__admin/faults`)).body;
    expect(rule.hits).toBe(1);
  });

  it('drops the connection, so that fetch rejects', async () => {
    const token = await genesysToken(emu());
    await addFault({ path: '/api/v2/tokens/me', count: 1, fault: { kind: 'drop' } });
    await expect(tokensMe(token)).rejects.toThrow();
    expect((await tokensMe(token)).status).toBe(200);
  });

  it('answers 200 with a body that is not JSON', async () => {
    const token = await genesysToken(emu());
    await addFault({ path: '/api/v2/tokens/me', count: 1, fault: { kind: 'malformed-json' } });
    const res = await tokensMe(token);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(() => JSON.parse(res.text)).toThrow();
  });

  it('applies a counted fault N times, then answers normally; others are not touched', async () => {
    const token = await genesysToken(emu());
    await addFault({
      method: 'GET',
      path: '/api/v2/tokens/*',
      count: 3,
      fault: { kind: 'status', status: 503 },
    });
    const conversation = emu().seed.genesys.conversations[0]!.id;
    const other = await http('GET', `${base()}/api/v2/conversations/${conversation}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(other.status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await tokensMe(token)).status);
    expect(statuses).toEqual([503, 503, 503, 200, 200]);
    expect((await http('GET', `${base()}/__admin/faults`)).body).toEqual([]);
  });

  it('applies a probabilistic fault to a share of requests, the same for the same seed', async () => {
    const pattern = async (seed: number) => {
      const e: Emulators = await startEmulators({ customers: 2, seed });
      try {
        const token = await genesysToken(e);
        await http('POST', `${e.urls.genesys.apiUrl}/__admin/faults`, {
          json: { path: '/api/v2/tokens/me', probability: 0.5, fault: { kind: 'status', status: 500 } },
        });
        let s = '';
        for (let i = 0; i < 40; i++) {
          const res = await http('GET', `${e.urls.genesys.apiUrl}/api/v2/tokens/me`, {
            headers: { authorization: `Bearer ${token}` },
          });
          s += res.status === 500 ? 'x' : '.';
        }
        return s;
      } finally {
        await e.stop();
      }
    };
    const a = await pattern(11);
    expect(await pattern(11)).toBe(a);
    const hits = [...a].filter((c) => c === 'x').length;
    expect(hits).toBeGreaterThan(5);
    expect(hits).toBeLessThan(35);
  });

  it('lists, refuses malformed rules with the reason, and clears', async () => {
    const bad = await addFault({ fault: { kind: 'status', status: 200 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('fault.status');
    await addFault([
      { path: '/a', fault: { kind: 'drop' } },
      { path: '/b', fault: { kind: 'delay', ms: 1 } },
    ]);
    expect((await http('GET', `${base()}/__admin/faults`)).body.map((r: any) => r.path)).toEqual([
      '/a',
      '/b',
    ]);
    expect((await http('DELETE', `${base()}/__admin/faults`)).status).toBe(204);
    expect((await http('GET', `${base()}/__admin/faults`)).body).toEqual([]);
  });

  it('never applies to the admin routes themselves', async () => {
    await addFault({ fault: { kind: 'status', status: 503 } });
    expect((await http('GET', `${base()}/__admin/stats`)).status).toBe(200);
    expect((await tokensMe('whatever')).status).toBe(503);
  });
});

describe('/__admin/revoke-tokens', () => {
  it('makes every issued token fail with 401', async () => {
    const token = await genesysToken(emu());
    expect((await tokensMe(token)).status).toBe(200);
    expect((await http('POST', `${base()}/__admin/revoke-tokens`)).status).toBe(204);
    const res = await tokensMe(token);
    expect(res.status).toBe(401);
    // A token the platform no longer knows: Genesys Cloud's code for bad credentials.
    expect(res.body.code).toBe('bad.credentials');
    expect((await tokensMe()).status).toBe(200);
  });
});

describe('/__admin/state and /__admin/reset', () => {
  it('shows the live data (never tokens) and reset restores the seed', async () => {
    const token = await genesysToken(emu());
    const c = emu().seed.genesys.conversations[0]!;
    const p = c.participants[0]!;
    const patched = await http(
      'PATCH',
      `${base()}/api/v2/conversations/${c.id}/participants/${p.id}/attributes`,
      { headers: { authorization: `Bearer ${token}` }, json: { attributes: { loyalty_tier: 'changed' } } },
    );
    expect(patched.status).toBe(202);

    const state = await http('GET', `${base()}/__admin/state`);
    expect(state.status).toBe(200);
    const live = state.body.conversations.find((x: any) => x.id === c.id);
    expect(live.participants[0].attributes.loyalty_tier).toBe('changed');
    expect(state.body.externalContacts).toHaveLength(emu().seed.genesys.externalContacts.length);
    expect(state.body.tokens).toBe(1);
    expect(state.text).not.toContain(token);

    expect((await http('POST', `${base()}/__admin/reset`)).status).toBe(204);
    const after = await http('GET', `${base()}/__admin/state`);
    const restored = after.body.conversations.find((x: any) => x.id === c.id);
    expect(restored.participants[0].attributes.loyalty_tier).toBe(p.attributes.loyalty_tier);
    expect(after.body.tokens).toBe(0);
    expect((await tokensMe(token)).status).toBe(401);
  });

  it('reset also clears faults, the request log and the stats', async () => {
    await genesysToken(emu());
    await addFault({ path: '/x', fault: { kind: 'drop' } });
    await http('POST', `${base()}/__admin/reset`);
    expect((await http('GET', `${base()}/__admin/faults`)).body).toEqual([]);
    expect((await http('GET', `${base()}/__admin/requests`)).body).toEqual([]);
    expect((await http('GET', `${base()}/__admin/stats`)).body).toEqual({
      total: 0,
      byStatus: {},
      byRoute: {},
    });
  });
});

describe('/__admin/requests', () => {
  it('logs requests with every secret masked', async () => {
    const { loginUrl, clientId, clientSecret } = emu().urls.genesys;
    // Login once with a Basic header, once with the secret in the form body.
    const viaHeader = await http('POST', `${loginUrl}/oauth/token`, {
      headers: { authorization: basic(clientId, clientSecret) },
      form: { grant_type: 'client_credentials' },
    });
    const viaBody = await http('POST', `${loginUrl}/oauth/token`, {
      form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
    });
    expect(viaBody.status).toBe(200);
    const token = viaHeader.body.access_token as string;
    await tokensMe(token);

    const res = await http('GET', `${base()}/__admin/requests`);
    expect(res.status).toBe(200);
    const log = res.body as any[];
    expect(log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /oauth/token 200',
      'POST /oauth/token 200',
      // tokensMe() above logged in once more before the call.
      'GET /api/v2/tokens/me 200',
    ]);
    expect(log[0].headers.authorization).toBe('Basic ***');
    expect(log[1].body).toEqual({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: '***',
    });
    expect(log[2].headers.authorization).toBe('Bearer ***');
    const text = res.text;
    expect(text).not.toContain(clientSecret);
    expect(text).not.toContain(token);
    expect(text).not.toContain(viaBody.body.access_token);
    expect(text).not.toContain(basic(clientId, clientSecret).slice(6));

    expect((await http('DELETE', `${base()}/__admin/requests`)).status).toBe(204);
    expect((await http('GET', `${base()}/__admin/requests`)).body).toEqual([]);
  });
});

describe('/__admin/stats', () => {
  it('counts requests by status and by route, and can be cleared', async () => {
    // emu().reset() between tests leaves the counters alone; start from zero here.
    expect((await http('DELETE', `${base()}/__admin/stats`)).status).toBe(204);
    const token = await genesysToken(emu());
    await tokensMe(token);
    await tokensMe(token);
    await http('GET', `${base()}/api/v2/conversations/unknown-id`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const stats = (await http('GET', `${base()}/__admin/stats`)).body;
    expect(stats.total).toBe(4);
    expect(stats.byStatus).toEqual({ 200: 3, 404: 1 });
    expect(stats.byRoute).toEqual({
      'POST /oauth/token': 1,
      'GET /api/v2/tokens/me': 2,
      'GET /api/v2/conversations/:id': 1,
    });
    expect((await http('DELETE', `${base()}/__admin/stats`)).status).toBe(204);
    expect((await http('GET', `${base()}/__admin/stats`)).body.total).toBe(0);
  });
});
