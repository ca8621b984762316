import { describe, expect, it } from 'vitest';
import { AuthenticationError, RateLimitedError, TransientError } from '../errors/errors.js';
import type { Clock } from '../retry/clock.js';
import { type Authenticator, call } from './execute.js';
import { readJson } from './read.js';
import type { HttpRequest, HttpResponse, Transport } from './types.js';

/** A transport that answers from a script and records what it was sent. */
function scripted(answers: (HttpResponse | Error)[]): Transport & { sent: HttpRequest[] } {
  const sent: HttpRequest[] = [];
  return {
    sent,
    send: async (req) => {
      sent.push(req);
      const a = answers.shift();
      if (!a) throw new Error('script exhausted');
      if (a instanceof Error) throw a;
      return a;
    },
  };
}

function clock(): Clock & { slept: number[] } {
  let t = Date.parse('2026-11-24T10:00:00Z');
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

const ok = (body: unknown): HttpResponse => ({ status: 200, headers: {}, body: JSON.stringify(body) });
const status = (s: number, headers: Record<string, string> = {}, body = '{}'): HttpResponse => ({
  status: s,
  headers,
  body,
});

const get = (token?: string): HttpRequest => ({
  method: 'GET',
  url: 'https://api.mypurecloud.ie/api/v2/conversations/c1',
  headers: token ? { authorization: `Bearer ${token}` } : {},
  idempotent: true,
  platform: 'genesys',
  operation: 'get conversation',
});
const create = (): HttpRequest => ({
  ...get(),
  method: 'POST',
  idempotent: false,
  operation: 'create profile',
});
const read = (req: HttpRequest, res: HttpResponse) => readJson<{ id: string }>(req, res);

describe('call', () => {
  it('waits exactly Retry-After seconds after a 429, then succeeds', async () => {
    const t = scripted([status(429, { 'retry-after': '3' }), ok({ id: 'c1' })]);
    const c = clock();
    const result = await call({ transport: t, clock: c, random: () => 0.5 }, { build: get, read });
    expect(result).toEqual({ id: 'c1' });
    expect(c.slept).toEqual([3000]);
  });

  it('obeys a Retry-After given as an HTTP date', async () => {
    const c = clock();
    const at = new Date(c.now() + 5000).toUTCString();
    const t = scripted([status(429, { 'retry-after': at }), ok({ id: 'c1' })]);
    await call({ transport: t, clock: c }, { build: get, read });
    expect(c.slept[0]).toBeGreaterThanOrEqual(4000);
    expect(c.slept[0]).toBeLessThanOrEqual(5000);
  });

  it('backs off with jitter on 5xx and gives up after maxAttempts with a TransientError', async () => {
    const t = scripted([status(503), status(502), status(500)]);
    const c = clock();
    const err = await call(
      {
        transport: t,
        clock: c,
        random: () => 0.999,
        retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 150 },
      },
      { build: get, read },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err.status).toBe(500);
    expect(c.slept).toEqual([99, 149]);
    expect(t.sent).toHaveLength(3);
  });

  it('retries a dropped connection on an idempotent request', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const t = scripted([reset, ok({ id: 'c1' })]);
    expect(await call({ transport: t, clock: clock() }, { build: get, read })).toEqual({ id: 'c1' });
  });

  it('does not repeat a create after a 5xx (it may have taken effect)', async () => {
    const t = scripted([status(503), ok({ id: 'p1' })]);
    await expect(call({ transport: t, clock: clock() }, { build: create, read })).rejects.toBeInstanceOf(
      TransientError,
    );
    expect(t.sent).toHaveLength(1);
  });

  it('repeats a create after a 429 (the platform refused it)', async () => {
    const t = scripted([status(429, { 'retry-after': '1' }), ok({ id: 'p1' })]);
    expect(await call({ transport: t, clock: clock() }, { build: create, read })).toEqual({ id: 'p1' });
  });

  it('on a 401 drops the token, fetches a new one and tries once more', async () => {
    const tokens = ['old', 'new'];
    const invalidated: string[] = [];
    const auth: Authenticator = {
      refreshable: true,
      token: async () => tokens[0]!,
      invalidate: async (tk) => {
        invalidated.push(tk);
        tokens.shift();
      },
    };
    const t = scripted([status(401), ok({ id: 'c1' })]);
    expect(await call({ transport: t, clock: clock() }, { build: get, read, auth })).toEqual({ id: 'c1' });
    expect(invalidated).toEqual(['old']);
    expect(t.sent.map((r) => r.headers.authorization)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('gives up with an AuthenticationError when the new token is refused too', async () => {
    const auth: Authenticator = { refreshable: true, token: async () => 'x', invalidate: async () => {} };
    const t = scripted([status(401), status(401)]);
    await expect(call({ transport: t, clock: clock() }, { build: get, read, auth })).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    expect(t.sent).toHaveLength(2);
  });

  it('reports each retry', async () => {
    const events: number[] = [];
    const t = scripted([status(429, { 'retry-after': '2' }), ok({ id: 'c1' })]);
    await call(
      { transport: t, clock: clock(), onRetry: (e) => events.push(e.delayMs) },
      { build: get, read },
    );
    expect(events).toEqual([2000]);
  });

  it('a 429 that persists ends as RateLimitedError with retryAfterMs', async () => {
    const t = scripted([status(429, { 'retry-after': '1' }), status(429, { 'retry-after': '4' })]);
    const err = await call(
      { transport: t, clock: clock(), retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } },
      { build: get, read },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err.retryAfterMs).toBe(4000);
  });
});
