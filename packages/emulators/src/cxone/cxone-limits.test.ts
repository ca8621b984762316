// biome-ignore-all lint/suspicious/noExplicitAny: test responses are inspected freely
import { describe, expect, it } from 'vitest';
import { useEmulators } from '../test-helpers.js';
import { cxoneToken, dfo } from './test-helpers.js';

// Small limits so that a test reaches them: 3 writes of a burst per customer, refilled 1 a minute;
// 8 updates and 4 gets an hour per tenant.
const emu = useEmulators({
  cxone: { customerBurst: 3, customerRefillPerMinute: 1, updatesPerHour: 8, getsPerHour: 4 },
});

const ids = () => emu().seed.cxone.customers.map((c) => c.id);
const write = (token: string, id: string) =>
  dfo(emu(), token, 'PUT', `/customers/${id}/custom-fields`, [{ ident: 'notes', value: 'x' }]);

function expectLimited(res: { status: number; headers: Headers; body: any }, retryAfter: number) {
  expect(res.status).toBe(429);
  // Whole seconds; the bucket refills while the test runs, so allow one second less.
  expect([String(retryAfter - 1), String(retryAfter)]).toContain(res.headers.get('retry-after'));
  expect(res.headers.get('correlationid')).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.body.errors[0]).toMatchObject({ errorCode: 'TooManyRequests', message: expect.any(String) });
}

describe('CXone limits', () => {
  it('allows a burst of writes to one customer, then answers 429 with Retry-After', async () => {
    const token = await cxoneToken(emu());
    const [a, b] = ids() as [string, string];
    for (let i = 0; i < 3; i++) expect((await write(token, a)).status).toBe(200);
    // One write is refilled a minute.
    expectLimited(await write(token, a), 60);
    expectLimited(await dfo(emu(), token, 'DELETE', `/customers/${a}/custom-fields/notes`), 60);
    // Another customer has its own burst.
    expect((await write(token, b)).status).toBe(200);
  });

  it('limits the updates of the tenant across customers', async () => {
    const token = await cxoneToken(emu());
    const [a, b, c, d] = ids() as [string, string, string, string];
    for (const id of [a, a, a, b, b, b, c, c]) expect((await write(token, id)).status).toBe(200);
    // 8 an hour: the next one is refilled in 3600/8 s, though customer d has its whole burst.
    expectLimited(await write(token, d), 450);
  });

  it('limits the gets of the tenant, separately from the updates', async () => {
    const token = await cxoneToken(emu());
    const [a] = ids() as [string];
    expect((await dfo(emu(), token, 'GET', `/customers/${a}`)).status).toBe(200);
    expect((await dfo(emu(), token, 'GET', '/customers?size=2')).status).toBe(200);
    expect((await dfo(emu(), token, 'GET', '/customers/custom-field-definitions')).status).toBe(200);
    expect((await dfo(emu(), token, 'GET', `/customers/${a}`)).status).toBe(200);
    expectLimited(await dfo(emu(), token, 'GET', '/customers?size=2'), 900);
    expect((await write(token, a)).status).toBe(200);
  });

  it('lifts the limits when they are turned off, and reset refills them', async () => {
    const token = await cxoneToken(emu());
    const [a] = ids() as [string];
    for (let i = 0; i < 3; i++) await write(token, a);
    expect((await write(token, a)).status).toBe(429);
    emu().cxone.setLimits(false);
    try {
      for (let i = 0; i < 5; i++) expect((await write(token, a)).status).toBe(200);
    } finally {
      emu().cxone.setLimits(true);
    }
    emu().reset();
    const again = await cxoneToken(emu());
    expect((await write(again, a)).status).toBe(200);
  });
});

describe('CXone limits, time-scaled', () => {
  it('shortens Retry-After by the time scale', async () => {
    const { startEmulators } = await import('../start.js');
    const fast = await startEmulators({
      customers: 3,
      timeScale: 10,
      cxone: { customerBurst: 1, customerRefillPerMinute: 1 },
    });
    try {
      const token = await cxoneToken(fast);
      const id = fast.seed.cxone.customers[0]!.id;
      const put = () =>
        dfo(fast, token, 'PUT', `/customers/${id}/custom-fields`, [{ ident: 'notes', value: 'x' }]);
      expect((await put()).status).toBe(200);
      const limited = await put();
      expect(limited.status).toBe(429);
      expect(['5', '6']).toContain(limited.headers.get('retry-after'));
    } finally {
      await fast.stop();
    }
  });
});
