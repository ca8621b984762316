import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulators, startEmulators } from '../../start.js';
import { genesysToken, http, useEmulators } from '../../test-helpers.js';
import {
  attributesPath,
  connectSocket,
  customerConversation,
  genesysApi,
  openChannel,
  sleep,
  until,
} from './test-helpers.js';

// Heartbeats every 100 ms so that a test sees a few; the rest as on Genesys.
const emu = useEmulators({ genesys: { events: { heartbeatMs: 100 } } });

const CHANNELS = '/api/v2/notifications/channels';
const base = () => emu().urls.genesys.apiUrl;

describe('Notifications API: channels and subscriptions', () => {
  it('creates a channel for a token, with a connectUri on the emulator and a 24 h life', async () => {
    expect((await http('POST', `${base()}${CHANNELS}`)).status).toBe(401);
    const before = Date.now();
    const res = await genesysApi(emu(), 'POST', CHANNELS);
    expect(res.status).toBe(200);
    const port = new URL(base()).port;
    expect(res.body.connectUri).toBe(`ws://127.0.0.1:${port}/channels/${res.body.id}`);
    expect(res.body.id).toMatch(/^streaming-0-[0-9a-f]{32}$/);
    const life = Date.parse(res.body.expires) - before;
    expect(life).toBeGreaterThanOrEqual(86_400_000 - 1000);
    expect(life).toBeLessThanOrEqual(86_400_000 + 1000);
  });

  it('replaces topics with PUT, adds with POST, lists with GET and clears with DELETE', async () => {
    const token = await genesysToken(emu());
    const auth = { authorization: `Bearer ${token}` };
    const { id } = (await http('POST', `${base()}${CHANNELS}`, { headers: auth })).body;
    const subs = `${base()}${CHANNELS}/${id}/subscriptions`;
    const a = 'v2.detail.events.conversation.c1.attributes';
    const b = 'v2.routing.queues.q1.conversations';
    const c = 'v2.detail.events.conversation.c2.customer.end';
    expect((await http('PUT', subs, { headers: auth, json: [{ id: a }, { id: b }] })).body).toEqual({
      entities: [{ id: a }, { id: b }],
    });
    expect(
      (await http('POST', subs, { headers: auth, json: [{ id: c }, { id: a }] })).body.entities,
    ).toHaveLength(3);
    expect((await http('PUT', subs, { headers: auth, json: [{ id: c }] })).body).toEqual({
      entities: [{ id: c }],
    });
    expect((await http('GET', subs, { headers: auth })).body).toEqual({ entities: [{ id: c }] });
    expect((await http('DELETE', subs, { headers: auth })).status).toBe(204);
    expect((await http('GET', subs, { headers: auth })).body).toEqual({ entities: [] });
    expect((await http('HEAD', `${base()}${CHANNELS}/${id}`, { headers: auth })).status).toBe(200);
    expect((await http('HEAD', `${base()}${CHANNELS}/nope`, { headers: auth })).status).toBe(404);
    expect((await http('GET', `${base()}${CHANNELS}/nope/subscriptions`, { headers: auth })).status).toBe(
      404,
    );
    // A channel lists under its token, and under the client with includechannels=oauthclient.
    await genesysApi(emu(), 'POST', CHANNELS);
    expect((await http('GET', `${base()}${CHANNELS}`, { headers: auth })).body.entities).toHaveLength(1);
    expect(
      (await http('GET', `${base()}${CHANNELS}?includechannels=oauthclient`, { headers: auth })).body
        .entities,
    ).toHaveLength(2);
  });

  it('refuses 1,001 topics, and a POST that would pass 1,000, changing nothing', async () => {
    const token = await genesysToken(emu());
    const auth = { authorization: `Bearer ${token}` };
    const { id } = (await http('POST', `${base()}${CHANNELS}`, { headers: auth })).body;
    const subs = `${base()}${CHANNELS}/${id}/subscriptions`;
    const topics = (n: number, from = 0) =>
      Array.from({ length: n }, (_, i) => ({ id: `v2.detail.events.conversation.c${from + i}.attributes` }));
    const over = await http('PUT', subs, { headers: auth, json: topics(1001) });
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ status: 400, code: 'bad.request' });
    expect(over.body.message).toContain('1000');
    expect((await http('PUT', subs, { headers: auth, json: topics(1000) })).status).toBe(200);
    expect((await http('POST', subs, { headers: auth, json: topics(1, 5000) })).status).toBe(400);
    // Topics already there do not count twice.
    expect((await http('POST', subs, { headers: auth, json: topics(1) })).status).toBe(200);
    expect((await http('GET', subs, { headers: auth })).body.entities).toHaveLength(1000);
  });

  it('refuses topics without a concrete id, or that the emulator does not publish', async () => {
    const token = await genesysToken(emu());
    const auth = { authorization: `Bearer ${token}` };
    const { id } = (await http('POST', `${base()}${CHANNELS}`, { headers: auth })).body;
    const subs = `${base()}${CHANNELS}/${id}/subscriptions`;
    for (const body of [
      [{ id: 'v2.detail.events.conversation.{id}.attributes' }],
      [{ id: 'v2.users.u1.presence' }],
      [{ topic: 'x' }],
      { id: 'v2.routing.queues.q1.conversations' },
    ]) {
      expect((await http('PUT', subs, { headers: auth, json: body })).status).toBe(400);
    }
  });

  it("evicts a client's oldest channel, one without a socket first, at the 21st", async () => {
    const first = await openChannel(emu(), []);
    const ids: string[] = [];
    for (let i = 0; i < 19; i++) ids.push((await genesysApi(emu(), 'POST', CHANNELS)).body.id);
    // 20 now: the next one removes the oldest without a socket (ids[0]), not the connected first.
    await genesysApi(emu(), 'POST', CHANNELS);
    const live = emu()
      .state.genesys.events.notifications.views()
      .map((c) => c.id);
    expect(live).toHaveLength(20);
    expect(live).toContain(first.channel.id);
    expect(live).not.toContain(ids[0]);
    expect(emu().state.genesys.events.notifications.counters.evicted).toBe(1);
    first.socket.ws.close();
  });
});

describe('Notifications API: the WebSocket', () => {
  it('sends the attributes event and the queue conversation to the subscribed socket', async () => {
    const { conversation: c, customer: p, queueId } = customerConversation(emu());
    const attributesTopic = `v2.detail.events.conversation.${c.id}.attributes`;
    const queueTopic = `v2.routing.queues.${queueId}.conversations`;
    const { socket } = await openChannel(emu(), [attributesTopic, queueTopic]);
    const res = await genesysApi(emu(), 'PATCH', attributesPath(c.id, p.id), {
      attributes: { loyalty_tier: 'gold-live' },
    });
    expect(res.status).toBe(202);
    const detail = await socket.waitFor((f) => f.topicName === attributesTopic, 'the attributes frame');
    expect(Object.keys(detail).sort()).toEqual(['eventBody', 'metadata', 'topicName', 'version']);
    expect(detail.version).toBe('2');
    expect(detail.eventBody).toMatchObject({
      conversationId: c.id,
      participantId: p.id,
      attributes: { loyalty_tier: 'gold-live' },
    });
    const queued = await socket.waitFor((f) => f.topicName === queueTopic, 'the queue frame');
    expect(queued.eventBody.id).toBe(c.id);
    const customer = queued.eventBody.participants.find((x: { purpose: string }) => x.purpose === 'customer');
    expect(customer).toMatchObject({ id: p.id, attributes: { loyalty_tier: 'gold-live' } });
    expect(customer.attributes.account_number).toBe(p.attributes.account_number);
    expect(queued.eventBody.participants.find((x: { purpose: string }) => x.purpose === 'acd').queueId).toBe(
      queueId,
    );
    // The other conversation's events do not come.
    const other = customerConversation(emu(), 1);
    emu().state.genesys.patchParticipantAttributes(other.conversation.id, other.customer.id, { x: 'y' });
    // …but its queue snapshot does (same queue), and the end of this one.
    emu().state.genesys.endConversation(c.id);
    await until(() => socket.events().length >= 4, 'four event frames');
    await sleep(50);
    expect(socket.events().map((f) => f.topicName)).toEqual([
      attributesTopic,
      queueTopic,
      queueTopic,
      queueTopic,
    ]);
    socket.ws.close();
  });

  it('sends heartbeats on channel.metadata', async () => {
    const { socket } = await openChannel(emu(), []);
    await until(() => socket.frames.length >= 2, 'two heartbeats', 2000);
    expect(socket.frames[0]).toEqual({
      topicName: 'channel.metadata',
      eventBody: { message: 'WebSocket Heartbeat' },
    });
    socket.ws.close();
  });

  it('answers {"message":"ping"} with a pong', async () => {
    const { socket } = await openChannel(emu(), []);
    socket.ws.send(JSON.stringify({ message: 'ping' }));
    const pong = await socket.waitFor((f) => f.eventBody?.message === 'pong', 'the pong');
    expect(pong).toEqual({ topicName: 'channel.metadata', eventBody: { message: 'pong' } });
    socket.ws.close();
  });

  it('sends v2.system.socket_closing, then closes; the channel stays for a reconnect', async () => {
    const { conversation: c, customer: p } = customerConversation(emu());
    const topic = `v2.detail.events.conversation.${c.id}.attributes`;
    const { channel, socket } = await openChannel(emu(), [topic]);
    const res = await http('POST', `${base()}/__admin/notifications/channels/${channel.id}/socket-closing`, {
      json: { graceMs: 50 },
    });
    expect(res.status).toBe(202);
    const warning = await socket.waitFor((f) => f.topicName === 'v2.system.socket_closing', 'the warning');
    expect(typeof warning.eventBody.message).toBe('string');
    expect((await socket.closed).code).toBe(1001);
    // Nothing is kept while disconnected: this event is lost for the channel.
    emu().state.genesys.patchParticipantAttributes(c.id, p.id, { lost: 'yes' });
    const again = await connectSocket(channel.connectUri);
    emu().state.genesys.patchParticipantAttributes(c.id, p.id, { kept: 'yes' });
    const frame = await again.waitFor((f) => f.topicName === topic, 'the event after reconnecting');
    expect(frame.eventBody.attributes.kept).toBe('yes');
    await sleep(50);
    expect(again.events()).toHaveLength(1);
    expect(emu().state.genesys.events.notifications.counters.dropped).toBe(1);
    // Without a socket there is nothing to warn.
    again.ws.close();
    await again.closed;
    await until(
      () => !emu().state.genesys.events.notifications.views()[0]!.connected,
      'the server to see the close',
    );
    expect(
      (
        await http('POST', `${base()}/__admin/notifications/channels/${channel.id}/socket-closing`, {
          json: {},
        })
      ).status,
    ).toBe(409);
  });

  it('keeps one socket a channel: a newer connection replaces the older', async () => {
    const { channel, socket } = await openChannel(emu(), []);
    const second = await connectSocket(channel.connectUri);
    expect((await socket.closed).code).toBe(1000);
    second.ws.send(JSON.stringify({ message: 'ping' }));
    await second.waitFor((f) => f.eventBody?.message === 'pong', 'a pong on the newer socket');
    second.ws.close();
  });

  it('refuses a socket for an unknown channel, and applies injected faults to the upgrade', async () => {
    const wsBase = base().replace(/^http/, 'ws');
    await expect(connectSocket(`${wsBase}/channels/nope`)).rejects.toThrow('upgrade refused: 404');
    const { id, connectUri } = (await genesysApi(emu(), 'POST', CHANNELS)).body;
    await http('POST', `${base()}/__admin/faults`, {
      json: { path: `/channels/${id}`, count: 1, fault: { kind: 'status', status: 503 } },
    });
    await expect(connectSocket(connectUri)).rejects.toThrow('upgrade refused: 503');
    const ok = await connectSocket(connectUri);
    ok.ws.close();
  });

  it('applies injected faults to the notifications routes', async () => {
    await http('POST', `${base()}/__admin/faults`, {
      json: {
        method: 'POST',
        path: CHANNELS,
        count: 1,
        fault: { kind: 'status', status: 429, retryAfter: 3 },
      },
    });
    const res = await genesysApi(emu(), 'POST', CHANNELS);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect((await genesysApi(emu(), 'POST', CHANNELS)).status).toBe(200);
  });
});

describe('Notifications API: channel expiry', () => {
  let short: Emulators;
  beforeAll(async () => {
    short = await startEmulators({ customers: 5, genesys: { events: { channelLifeMs: 600 } } });
  });
  afterAll(async () => {
    await short?.stop();
  });

  it('closes the socket and forgets the channel when it expires; a resubscription renews it', async () => {
    const kept = await openChannel(short, []);
    const { channel, socket, auth } = await openChannel(short, []);
    const subs = `${short.urls.genesys.apiUrl}${CHANNELS}/${kept.channel.id}/subscriptions`;
    // Renew the first one twice, each before its 600 ms are up.
    for (let i = 0; i < 2; i++) {
      await sleep(250);
      expect((await http('PUT', subs, { headers: kept.auth, json: [] })).status).toBe(200);
    }
    const closed = await socket.closed;
    expect(closed.code).toBe(1000);
    expect(closed.reason).toBe('channel expired');
    const gone = `${short.urls.genesys.apiUrl}${CHANNELS}/${channel.id}/subscriptions`;
    expect((await http('GET', gone, { headers: auth })).status).toBe(404);
    await expect(connectSocket(channel.connectUri)).rejects.toThrow('upgrade refused: 404');
    expect(short.state.genesys.events.notifications.views().map((c) => c.id)).toEqual([kept.channel.id]);
    kept.socket.ws.close();
  });
});
