import { afterEach, describe, expect, it } from 'vitest';
import { http, useEmulators } from '../../test-helpers.js';
import { startReceiver, until } from './test-helpers.js';

const emu = useEmulators({
  customers: 30,
  conversationsPerCustomer: 2,
  genesys: { events: { delivery: { latency: { minMs: 0, maxMs: 0 } } } },
});

afterEach(() => emu().reset());

describe('the attribute event generator', () => {
  it('emits bursts of 3–8 one-attribute events for N conversations, one per customer first', async () => {
    const g = emu().state.genesys;
    const run = g.generateAttributeEvents({ conversations: 40, ratePerSecond: 2000, seed: 7 });
    expect(run.conversations).toHaveLength(40);
    // 30 customers: each one's latest conversation, then ten customers' second latest.
    expect(new Set(run.conversations.slice(0, 30).map((c) => c.customerIndex)).size).toBe(30);
    expect(run.conversations.slice(30).map((c) => c.customerIndex)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const latest0 = emu().seed.customers[0]!.conversationIds.at(-1);
    expect(run.conversations[0]!.conversationId).toBe(latest0);
    for (const c of run.conversations) {
      expect(c.events).toBeGreaterThanOrEqual(3);
      expect(c.events).toBeLessThanOrEqual(8);
    }
    const planned = run.conversations.reduce((n, c) => n + c.events, 0);
    expect(run.planned).toBe(planned);

    const summary = await run.done;
    expect(summary).toMatchObject({
      planned,
      emitted: planned,
      failed: 0,
      conversations: 40,
      stopped: false,
    });
    expect(g.events.counters.byTopic['v2.detail.events.conversation.{id}.attributes']).toBe(planned);
    // Each event set one attribute; the customers now hold the last values set.
    for (const c of run.conversations) {
      const p = g.conversations.get(c.conversationId)!.participants.find((x) => x.id === c.participantId)!;
      expect(p.purpose).toBe('customer');
      for (const [k, v] of Object.entries(c.attributes)) expect(p.attributes[k]).toBe(v);
    }
    const recent = g.events.recent().filter((e) => e.topicName.endsWith('.attributes'));
    expect(recent.length).toBeGreaterThan(0);
  });

  it('paces events at the rate asked', async () => {
    const run = emu().state.genesys.generateAttributeEvents({
      conversations: 10,
      ratePerSecond: 200,
      burstMin: 5,
      burstMax: 5,
    });
    expect(run.planned).toBe(50);
    const summary = await run.done;
    // 50 events at 200 a second: the last is due 245 ms after the start.
    expect(summary.elapsedMs).toBeGreaterThanOrEqual(240);
    expect(summary.elapsedMs).toBeLessThan(2000);
    expect(summary.emitted).toBe(50);
  });

  it('plans the same events for the same seed', async () => {
    const plan = { conversations: 5, ratePerSecond: 10_000, seed: 3, burstsPerConversation: 2 };
    const a = emu().state.genesys.generateAttributeEvents(plan);
    await a.done;
    emu().reset();
    const b = emu().state.genesys.generateAttributeEvents(plan);
    await b.done;
    expect(b.conversations).toEqual(a.conversations);
    for (const c of a.conversations) {
      expect(c.events).toBeGreaterThanOrEqual(6);
      expect(c.events).toBeLessThanOrEqual(16);
    }
  });

  it('delivers every generated event to a destination', async () => {
    const r = await startReceiver();
    try {
      const g = emu().state.genesys;
      g.events.destinations.add({ url: r.url, apiKey: 'k' });
      const run = g.generateAttributeEvents({ conversations: 20, ratePerSecond: 1000 });
      await run.done;
      await g.events.destinations.idle();
      expect(r.received).toHaveLength(run.planned);
      const perConversation = new Map<string, number>();
      for (const x of r.received) {
        const id = x.body.detail.eventBody.conversationId;
        perConversation.set(id, (perConversation.get(id) ?? 0) + 1);
      }
      for (const c of run.conversations) expect(perConversation.get(c.conversationId)).toBe(c.events);
    } finally {
      await r.close();
    }
  });

  it('refuses more conversations than have a customer, and a bad rate', () => {
    const g = emu().state.genesys;
    expect(() => g.generateAttributeEvents({ conversations: 61, ratePerSecond: 10 })).toThrow(
      '61 conversations asked, the emulator has 60 with a customer',
    );
    expect(() => g.generateAttributeEvents({ conversations: 1, ratePerSecond: 0 })).toThrow('ratePerSecond');
    expect(() => g.generateAttributeEvents({ conversations: ['nope'], ratePerSecond: 1 })).toThrow(
      'not found',
    );
  });

  it('runs from the admin route, shows progress, and stops on reset', async () => {
    const base = emu().urls.genesys.apiUrl;
    const res = await http('POST', `${base}/__admin/events/generate`, {
      json: { conversations: 3, ratePerSecond: 5 },
    });
    expect(res.status).toBe(202);
    expect(res.body.conversations).toHaveLength(3);
    await until(() => emu().state.genesys.events.counters.published > 0, 'a first event');
    const progress = (await http('GET', `${base}/__admin/events/generate/${res.body.id}`)).body;
    expect(progress).toMatchObject({ id: res.body.id, planned: res.body.planned, stopped: false });
    expect(progress.emitted).toBeLessThan(res.body.planned);
    const stopped = (await http('POST', `${base}/__admin/events/generate/${res.body.id}/stop`)).body;
    expect(stopped.stopped).toBe(true);
    const bad = await http('POST', `${base}/__admin/events/generate`, { json: { conversations: 3 } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('ratePerSecond');
  });
});
