import { afterEach, describe, expect, it } from 'vitest';
import { http, useEmulators } from '../../test-helpers.js';
import {
  attributesPath,
  customerConversation,
  genesysApi,
  sleep,
  startReceiver,
  until,
} from './test-helpers.js';

// Deliveries a little apart from the request (latency 20–30 ms), retries quick.
const emu = useEmulators({
  genesys: {
    events: { delivery: { latency: { minMs: 20, maxMs: 30 }, retryBaseMs: 40, retryMaxDelayMs: 1000 } },
  },
});

const admin = (method: string, path: string, json?: unknown) =>
  http(method, `${emu().urls.genesys.apiUrl}${path}`, json !== undefined ? { json } : {});

let receivers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  emu().reset();
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});

async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('EventBridge API destinations', () => {
  it('delivers one event for an attribute PATCH, in the EventBridge envelope, with the API key', async () => {
    const r = await receiver();
    const reg = await admin('POST', '/__admin/event-destinations', {
      url: r.url,
      headerName: 'X-Intake-Key',
      apiKey: 'secret-key-12345',
    });
    expect(reg.status).toBe(201);
    expect(reg.body.apiKey).toBe('***2345');
    const { conversation: c, customer: p } = customerConversation(emu());
    const before = Date.now();
    const res = await genesysApi(emu(), 'PATCH', attributesPath(c.id, p.id), {
      attributes: { loyalty_tier: 'platinum-now' },
    });
    expect(res.status).toBe(202);
    // The answer came first: the delivery waits out EventBridge's latency.
    expect(r.received).toHaveLength(0);
    await r.waitFor(1);
    await sleep(100);
    expect(r.received).toHaveLength(1);

    const { headers, body } = r.received[0]!;
    expect(headers['x-intake-key']).toBe('secret-key-12345');
    expect(headers['content-type']).toContain('application/json');
    const org = emu().seed.genesys.organization.id;
    expect(body).toMatchObject({
      version: '0',
      'detail-type': 'v2.detail.events.conversation.{id}.attributes',
      source: `aws.partner/genesys.com/cloud/${org}/cx-profile-sync`,
      account: '123456789012',
      region: 'us-east-1',
      resources: [],
      detail: {
        topicName: `v2.detail.events.conversation.${c.id}.attributes`,
        version: '2',
        eventBody: {
          conversationId: c.id,
          participantId: p.id,
          conversationExternalContactIds: p.externalContactId ? [p.externalContactId] : [],
          conversationExternalOrganizationIds: [],
        },
      },
    });
    expect(body.id).toMatch(UUID);
    expect(body.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(body.detail.metadata.CorrelationId).toMatch(UUID);
    expect(Date.parse(body.detail.timestamp)).toBe(body.detail.eventBody.eventTime);
    expect(body.detail.eventBody.eventTime).toBeGreaterThanOrEqual(before);
    // The whole map after the change (assumed), the new value with the old ones.
    expect(body.detail.eventBody.attributes.loyalty_tier).toBe('platinum-now');
    expect(body.detail.eventBody.attributes.account_number).toBe(p.attributes.account_number);
    expect(body.detail.eventBody.communications).toEqual([
      { id: expect.stringMatching(UUID), mediaType: 'VOICE' },
    ]);

    const stats = (await admin('GET', '/__admin/events/stats')).body;
    expect(stats.delivery).toMatchObject({ delivered: 1, retried: 0, failed: 0, pending: 0, attempts: 1 });
    expect(stats.byTopic['v2.detail.events.conversation.{id}.attributes']).toBe(1);
  });

  it('retries a 503 twice with growing backoff, then delivers on the 200', async () => {
    const r = await receiver((n) => ({ status: n < 2 ? 503 : 200 }));
    await admin('POST', '/__admin/event-destinations', { url: r.url, apiKey: 'k' });
    const { conversation: c, customer: p } = customerConversation(emu());
    await genesysApi(emu(), 'PATCH', attributesPath(c.id, p.id), { attributes: { a: '1' } });
    await r.waitFor(3);
    await sleep(200);
    expect(r.received).toHaveLength(3);
    const ids = new Set(r.received.map((x) => x.body.id));
    expect(ids.size).toBe(1);
    const [a, b, d] = r.received.map((x) => x.at);
    // Base 40 ms, doubling, half of each step fixed: at least 20 ms, then at least 40 ms.
    expect(b! - a!).toBeGreaterThanOrEqual(20 - 2);
    expect(d! - b!).toBeGreaterThanOrEqual(40 - 2);
    const [dest] = (await admin('GET', '/__admin/event-destinations')).body;
    expect(dest.stats).toMatchObject({ delivered: 1, retried: 2, failed: 0, pending: 0, attempts: 3 });
  });

  it('honours Retry-After on a 429', async () => {
    const r = await receiver((n) =>
      n === 0 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 },
    );
    await admin('POST', '/__admin/event-destinations', { url: r.url, apiKey: 'k' });
    const { conversation: c, customer: p } = customerConversation(emu());
    await genesysApi(emu(), 'PATCH', attributesPath(c.id, p.id), { attributes: { a: '1' } });
    await r.waitFor(2, 4000);
    expect(r.received[1]!.at - r.received[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('delivers every event twice with duplicates on, under one envelope id', async () => {
    const r = await receiver();
    await admin('POST', '/__admin/event-destinations', { url: r.url, apiKey: 'k', duplicates: true });
    const { conversation: c, customer: p } = customerConversation(emu());
    await genesysApi(emu(), 'PATCH', attributesPath(c.id, p.id), { attributes: { a: '1' } });
    await r.waitFor(2);
    await sleep(100);
    expect(r.received).toHaveLength(2);
    expect(r.received[0]!.body).toEqual(r.received[1]!.body);
    const stats = (await admin('GET', '/__admin/events/stats')).body;
    expect(stats.delivery).toMatchObject({ delivered: 2, duplicates: 1 });
  });

  it('shuffles deliveries out of order with shuffleMs', async () => {
    const r = await receiver();
    emu().state.genesys.events.destinations.add({ url: r.url, apiKey: 'k', shuffleMs: 300 });
    const { conversation: c, customer: p } = customerConversation(emu());
    for (let i = 0; i < 20; i++)
      emu().state.genesys.patchParticipantAttributes(c.id, p.id, { step: String(i) });
    await r.waitFor(20);
    const order = r.received.map((x) => Number(x.body.detail.eventBody.attributes.step));
    expect([...order].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(order).not.toEqual([...order].sort((x, y) => x - y));
  });

  it('does not retry a 400, and records the event as undeliverable', async () => {
    const r = await receiver(() => ({ status: 400 }));
    await admin('POST', '/__admin/event-destinations', { url: r.url, apiKey: 'k' });
    const { conversation: c, customer: p } = customerConversation(emu());
    await genesysApi(emu(), 'PATCH', attributesPath(c.id, p.id), { attributes: { a: '1' } });
    await until(() => emu().state.genesys.events.destinations.totals.failed === 1, 'the failure');
    expect(r.received).toHaveLength(1);
    const [dead] = (await admin('GET', '/__admin/events/undeliverable')).body;
    expect(dead).toMatchObject({ attempts: 1, reason: 'HTTP 400', eventId: r.received[0]!.body.id });
  });

  it('gives up after maxRetryTimeMs on a destination that never answers 2xx', async () => {
    const r = await receiver(() => ({ status: 500 }));
    await admin('POST', '/__admin/event-destinations', {
      url: r.url,
      apiKey: 'k',
      retryBaseMs: 20,
      maxRetryTimeMs: 300,
    });
    const { conversation: c, customer: p } = customerConversation(emu());
    await genesysApi(emu(), 'PATCH', attributesPath(c.id, p.id), { attributes: { a: '1' } });
    await until(() => emu().state.genesys.events.destinations.totals.failed === 1, 'the give-up', 3000);
    expect(r.received.length).toBeGreaterThanOrEqual(3);
    const stats = (await admin('GET', '/__admin/events/stats')).body.delivery;
    expect(stats).toMatchObject({ delivered: 0, failed: 1, pending: 0 });
    expect(stats.retried).toBe(r.received.length - 1);
    const [dead] = (await admin('GET', '/__admin/events/undeliverable')).body;
    expect(dead.reason).toBe('HTTP 500');
    expect(dead.event.detail.eventBody.conversationId).toBe(c.id);
  });

  it('retries connection errors', async () => {
    const r = await receiver();
    const url = r.url;
    await r.close();
    emu().state.genesys.events.destinations.add({ url, apiKey: 'k', retryBaseMs: 10, maxAttempts: 3 });
    const { conversation: c, customer: p } = customerConversation(emu());
    emu().state.genesys.patchParticipantAttributes(c.id, p.id, { a: '1' });
    await emu().state.genesys.events.destinations.idle();
    const [dead] = emu().state.genesys.events.destinations.undeliverable();
    expect(dead).toMatchObject({ attempts: 3 });
    expect(dead!.reason).toMatch(/^connection error: /);
  });

  it('sends the customer.end of a conversation ended through the admin route', async () => {
    const r = await receiver();
    await admin('POST', '/__admin/event-destinations', { url: r.url, apiKey: 'k' });
    const { conversation: c, customer: p } = customerConversation(emu());
    const before = Date.now();
    const res = await admin('POST', `/__admin/conversations/${c.id}/end`, { disconnectType: 'CLIENT' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ conversationId: c.id, customerEnd: true });
    expect(Date.parse(res.body.endTime)).toBeGreaterThanOrEqual(before);
    const got = await genesysApi(emu(), 'GET', `/api/v2/conversations/${c.id}`);
    expect(got.body.endTime).toBe(res.body.endTime);
    await r.waitFor(1);
    const { body } = r.received[0]!;
    expect(body['detail-type']).toBe('v2.detail.events.conversation.{id}.customer.end');
    expect(body.detail.topicName).toBe(`v2.detail.events.conversation.${c.id}.customer.end`);
    expect(body.detail.eventBody).toMatchObject({
      conversationId: c.id,
      participantId: p.id,
      ani: p.ani,
      dnis: p.dnis,
      mediaType: 'VOICE',
      disconnectType: 'CLIENT',
      ...(p.externalContactId ? { externalContactId: p.externalContactId } : {}),
    });
    expect((await admin('POST', '/__admin/conversations/nope/end')).status).toBe(404);
  });

  it('sends queue snapshots only to destinations that ask for the topic', async () => {
    const plain = await receiver();
    const queues = await receiver();
    await admin('POST', '/__admin/event-destinations', { url: plain.url, apiKey: 'k' });
    await admin('POST', '/__admin/event-destinations', {
      url: queues.url,
      apiKey: 'k',
      topics: ['v2.routing.queues.{id}.conversations'],
    });
    const { conversation: c, customer: p, queueId } = customerConversation(emu());
    emu().state.genesys.patchParticipantAttributes(c.id, p.id, { a: '1' });
    await emu().state.genesys.events.destinations.idle();
    expect(plain.received.map((x) => x.body['detail-type'])).toEqual([
      'v2.detail.events.conversation.{id}.attributes',
    ]);
    expect(queues.received.map((x) => x.body.detail.topicName)).toEqual([
      `v2.routing.queues.${queueId}.conversations`,
    ]);
  });

  it('registers, lists and deletes destinations, refusing bad input', async () => {
    const bad = await admin('POST', '/__admin/event-destinations', { url: 'ftp://x', apiKey: 'k' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('url');
    expect((await admin('POST', '/__admin/event-destinations', { url: 'http://127.0.0.1:1/x' })).status).toBe(
      400,
    );
    expect(
      (
        await admin('POST', '/__admin/event-destinations', {
          url: 'http://127.0.0.1:1/x',
          apiKey: 'k',
          retryBaseMs: -1,
        })
      ).status,
    ).toBe(400);
    const typo = await admin('POST', '/__admin/event-destinations', {
      url: 'http://127.0.0.1:1/x',
      apiKey: 'k',
      shuffle: true,
    });
    expect(typo.status).toBe(400);
    expect(typo.body.message).toContain('unknown field(s): shuffle');
    const a = await admin('POST', '/__admin/event-destinations', {
      url: 'http://127.0.0.1:1/a',
      apiKey: 'k',
    });
    expect(a.body).toMatchObject({
      headerName: 'x-api-key',
      delivery: { latency: { minMs: 20, maxMs: 30 } },
    });
    await admin('POST', '/__admin/event-destinations', { url: 'http://127.0.0.1:1/b', apiKey: 'k' });
    expect((await admin('GET', '/__admin/event-destinations')).body).toHaveLength(2);
    expect((await admin('DELETE', `/__admin/event-destinations/${a.body.id}`)).status).toBe(204);
    expect((await admin('DELETE', `/__admin/event-destinations/${a.body.id}`)).status).toBe(404);
    expect((await admin('GET', '/__admin/event-destinations')).body).toHaveLength(1);
    expect((await admin('DELETE', '/__admin/event-destinations')).status).toBe(204);
    expect((await admin('GET', '/__admin/event-destinations')).body).toHaveLength(0);
  });

  it('stops retrying for a destination deleted meanwhile', async () => {
    const r = await receiver(() => ({ status: 503 }));
    const d = emu().state.genesys.events.destinations.add({ url: r.url, apiKey: 'k', retryBaseMs: 200 });
    const { conversation: c, customer: p } = customerConversation(emu());
    emu().state.genesys.patchParticipantAttributes(c.id, p.id, { a: '1' });
    await r.waitFor(1);
    expect(emu().state.genesys.events.destinations.totals.pending).toBe(1);
    emu().state.genesys.events.destinations.remove(d.id);
    expect(emu().state.genesys.events.destinations.totals.pending).toBe(0);
    await sleep(400);
    expect(r.received).toHaveLength(1);
  });

  it('applies injected faults to the PATCH route, which then publishes nothing', async () => {
    const r = await receiver();
    await admin('POST', '/__admin/event-destinations', { url: r.url, apiKey: 'k' });
    await admin('POST', '/__admin/faults', {
      method: 'PATCH',
      path: '/api/v2/conversations/**',
      count: 1,
      fault: { kind: 'status', status: 503 },
    });
    const { conversation: c, customer: p } = customerConversation(emu());
    const res = await genesysApi(emu(), 'PATCH', attributesPath(c.id, p.id), { attributes: { a: '1' } });
    expect(res.status).toBe(503);
    await sleep(100);
    expect(r.received).toHaveLength(0);
    expect(
      (await genesysApi(emu(), 'PATCH', attributesPath(c.id, p.id), { attributes: { a: '1' } })).status,
    ).toBe(202);
    await r.waitFor(1);
  });
});
