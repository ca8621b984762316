import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConfigurationError,
  UpstreamError,
  ValidationError,
} from '../../../errors/errors.js';
import type { HttpResponse } from '../../../http/types.js';
import {
  buildCreateChannelRequest,
  buildSubscribeRequest,
  channelTopics,
  readNotificationChannel,
  readNotificationFrame,
  readSubscriptions,
} from './notifications.js';
import {
  DEFAULT_NOTIFICATIONS_POLICY,
  NotificationsSession,
  type SessionAction,
} from './notifications-session.js';
import {
  attributesBody,
  attributesTopic,
  CONVERSATION_ID,
  HEARTBEAT_FRAME,
  notification,
  QUEUE_ID,
  queueConversationBody,
  queueTopic,
  SOCKET_CLOSING_FRAME,
} from './test-helpers.js';

const api = { apiUrl: 'https://api.mypurecloud.ie', accessToken: 'tok-SECRET' };
const ok = (body: unknown, status = 200): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const CHANNEL = {
  id: 'streaming-0-abc',
  connectUri: 'wss://streaming.mypurecloud.ie/channels/streaming-0-abc',
  expires: '2025-03-05T10:00:00Z',
};

describe('Notifications API requests', () => {
  it('creates a channel (not idempotent)', () => {
    const request = buildCreateChannelRequest(api);
    expect(request).toMatchObject({
      method: 'POST',
      url: 'https://api.mypurecloud.ie/api/v2/notifications/channels',
      idempotent: false,
      platform: 'genesys',
    });
    expect(request.headers.authorization).toBe('Bearer tok-SECRET');
    expect(request.body).toBeUndefined();
  });

  it('reads a channel', () => {
    const request = buildCreateChannelRequest(api);
    expect(readNotificationChannel(request, ok(CHANNEL))).toEqual({
      ...CHANNEL,
      expires: '2025-03-05T10:00:00.000Z',
    });
    // The emulator's plain ws:// on loopback; no expires (a day is assumed by the session).
    expect(
      readNotificationChannel(request, ok({ id: 'c1', connectUri: 'ws://127.0.0.1:4010/channels/c1' })),
    ).toEqual({ id: 'c1', connectUri: 'ws://127.0.0.1:4010/channels/c1' });
  });

  it.each([
    [{ connectUri: CHANNEL.connectUri }, 'the channel has no id'],
    [{ id: 'c1', connectUri: 'ws://streaming.example.com/c1' }, 'the channel has no wss:// connectUri'],
    [{ id: 'c1', connectUri: 'https://streaming.example.com/c1' }, 'the channel has no wss:// connectUri'],
    [{ id: 'c1', connectUri: 'not a url' }, 'the channel has no wss:// connectUri'],
    [{ ...CHANNEL, expires: 'tomorrow' }, 'the channel expires at no valid time'],
  ])('refuses the channel %j', (body, why) => {
    expect(() => readNotificationChannel(buildCreateChannelRequest(api), ok(body))).toThrow(UpstreamError);
    expect(() => readNotificationChannel(buildCreateChannelRequest(api), ok(body))).toThrow(why);
  });

  it('classifies a refusal by status', () => {
    expect(() => readNotificationChannel(buildCreateChannelRequest(api), ok({ message: 'no' }, 401))).toThrow(
      AuthenticationError,
    );
  });

  it('puts subscriptions as [{id: topic}], repeats dropped', () => {
    const request = buildSubscribeRequest({
      ...api,
      channelId: 'streaming-0-abc',
      topics: [queueTopic(), queueTopic(), queueTopic('q2')],
    });
    expect(request).toMatchObject({
      method: 'PUT',
      url: 'https://api.mypurecloud.ie/api/v2/notifications/channels/streaming-0-abc/subscriptions',
      idempotent: true,
    });
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body ?? '')).toEqual([{ id: queueTopic() }, { id: queueTopic('q2') }]);
    expect(readSubscriptions(request, ok({ entities: [{ id: queueTopic() }, { id: 7 }, 'x'] }))).toEqual({
      topics: [queueTopic()],
    });
  });

  it('refuses more than 1,000 topics, and malformed ones', () => {
    const topics = Array.from({ length: 1001 }, (_, i) => queueTopic(`q${i}`));
    expect(channelTopics(topics.slice(0, 1000))).toHaveLength(1000);
    expect(() => buildSubscribeRequest({ ...api, channelId: 'c', topics })).toThrow(ConfigurationError);
    expect(() => buildSubscribeRequest({ ...api, channelId: 'c', topics })).toThrow(
      'a Genesys Cloud notification channel takes at most 1,000 topics, and 1,001 were asked for',
    );
    expect(() => channelTopics(['a b'])).toThrow(ConfigurationError);
    expect(() => channelTopics([''])).toThrow(ConfigurationError);
  });
});

describe('readNotificationFrame', () => {
  it('reads heartbeats (and pongs) and socket_closing as control frames', () => {
    expect(readNotificationFrame(HEARTBEAT_FRAME)).toEqual({ kind: 'heartbeat', topic: 'channel.metadata' });
    expect(
      readNotificationFrame('{"topicName":"channel.metadata","eventBody":{"message":"pong"}}').kind,
    ).toBe('heartbeat');
    expect(readNotificationFrame(SOCKET_CLOSING_FRAME)).toEqual({
      kind: 'socket-closing',
      topic: 'v2.system.socket_closing',
    });
  });

  it('reads events', () => {
    expect(
      readNotificationFrame(JSON.stringify(notification(queueTopic(), queueConversationBody()))),
    ).toMatchObject({
      kind: 'queue-conversation',
      delivery: 'notification',
      subject: { kind: 'conversation', id: CONVERSATION_ID },
      queueId: QUEUE_ID,
    });
  });

  it('refuses what it cannot read, as a ValidationError about the frame', () => {
    expect(() => readNotificationFrame('{"topicName":')).toThrow(
      'frame: is not valid JSON: it ends too early',
    );
    expect(() => readNotificationFrame('[]')).toThrow('frame: expected a Genesys notification');
    expect(() => readNotificationFrame('{}')).toThrow('topicName: is missing');
    expect(() => readNotificationFrame(JSON.stringify({ detail: {} }))).toThrow(ValidationError);
  });
});

// ---- the session ----

const T0 = Date.parse('2025-03-04T10:00:00Z');
const HOUR = 60 * 60 * 1000;
const topics = [queueTopic()];
const eventFrame = (corr: string) =>
  JSON.stringify(notification(queueTopic(), queueConversationBody(), corr));

/** A session driven through create, subscribe and open at T0, with a channel that expires in 24 h. */
function openSession(policy = {}) {
  const s = new NotificationsSession({ topics, policy });
  expect(s.start(T0)).toEqual([{ type: 'create-channel' }]);
  const channel = { ...CHANNEL, expires: new Date(T0 + 24 * HOUR).toISOString() };
  expect(s.channelCreated(channel, T0)).toEqual([{ type: 'subscribe', channelId: CHANNEL.id, topics }]);
  expect(s.subscribed(T0)).toEqual([{ type: 'connect', connectUri: CHANNEL.connectUri }]);
  expect(s.opened(T0)).toEqual([]);
  expect(s.phase).toBe('open');
  return s;
}

/** Heartbeats every 30 s from `from` to `to` (exclusive), with ticks between: all actions. */
function heartbeats(s: NotificationsSession, from: number, to: number): SessionAction[] {
  const out: SessionAction[] = [];
  for (let t = from; t < to; t += 30_000) {
    out.push(...s.frame(HEARTBEAT_FRAME, t), ...s.tick(t + 1));
  }
  return out;
}

describe('NotificationsSession', () => {
  it('passes events on, and swallows heartbeats', () => {
    const s = openSession();
    expect(s.frame(HEARTBEAT_FRAME, T0 + 1000)).toEqual([]);
    const [action] = s.frame(eventFrame('c-1'), T0 + 2000);
    expect(action).toMatchObject({ type: 'event', event: { kind: 'queue-conversation', id: 'c-1' } });
    const [ignored] = s.frame(JSON.stringify(notification('v2.users.u.presence', {})), T0 + 3000);
    expect(ignored).toMatchObject({ type: 'event', event: { kind: 'ignored' } });
  });

  it('reports a frame it cannot read, and keeps the socket', () => {
    const s = openSession();
    const [action] = s.frame('{"topicName": 5}', T0 + 1000);
    expect(action?.type).toBe('invalid-frame');
    expect(action?.type === 'invalid-frame' && action.error).toBeInstanceOf(ValidationError);
    expect(s.phase).toBe('open');
  });

  it('renews an hour before the channel expires (at 23 h), and not before', () => {
    const s = openSession();
    expect(heartbeats(s, T0, T0 + 23 * HOUR - 30_000).filter((a) => a.type !== 'event')).toEqual([]);
    expect(s.nextDeadline()).toBeLessThanOrEqual(T0 + 23 * HOUR);
    const renewAt = T0 + 23 * HOUR;
    expect(s.frame(HEARTBEAT_FRAME, renewAt - 1)).toEqual([]);
    expect(s.tick(renewAt)).toEqual([{ type: 'renew', channelId: CHANNEL.id, topics }]);
    // One renewal at a time.
    expect(s.tick(renewAt + 1000)).toEqual([]);
    expect(s.renewed(renewAt + 2000)).toEqual([]);
    expect(s.channel?.expiresMs).toBe(renewAt + 2000 + 24 * HOUR);
    expect(s.tick(renewAt + 3000)).toEqual([]);
  });

  it('retries a failed renewal after a back-off, and makes a new channel if it expires anyway', () => {
    const s = openSession();
    const renewAt = T0 + 23 * HOUR;
    heartbeats(s, renewAt - 60_000, renewAt);
    expect(s.tick(renewAt)[0]?.type).toBe('renew');
    expect(s.renewFailed(renewAt + 100)).toEqual([]);
    expect(s.tick(renewAt + 500)).toEqual([]);
    expect(s.nextDeadline()).toBe(renewAt + 100 + DEFAULT_NOTIFICATIONS_POLICY.retryBaseMs);
    expect(s.tick(renewAt + 1100)[0]?.type).toBe('renew');
    s.renewFailed(renewAt + 1200);
    // Expiry with the socket still delivering heartbeats: the channel is gone, make another.
    const expiry = T0 + 24 * HOUR;
    heartbeats(s, renewAt + 30_000, expiry);
    const lastFrame = expiry - 30_000 * 1;
    s.frame(HEARTBEAT_FRAME, lastFrame);
    expect(s.tick(expiry)).toEqual([{ type: 'close' }, { type: 'create-channel' }]);
    expect(s.phase).toBe('creating');
    s.channelCreated({ id: 'c2', connectUri: 'wss://streaming.mypurecloud.ie/channels/c2' }, expiry + 100);
    s.subscribed(expiry + 200);
    expect(s.opened(expiry + 300)).toEqual([
      {
        type: 'gap',
        since: new Date(lastFrame).toISOString(),
        until: new Date(expiry + 300).toISOString(),
        sinceMs: lastFrame,
        untilMs: expiry + 300,
        reason: 'channel-expired',
      },
    ]);
    // No `expires` in the answer: a day from its creation.
    expect(s.channel?.expiresMs).toBe(expiry + 100 + 24 * HOUR);
  });

  it('pings after 45 s of silence, and reconnects after 60 s, reporting the gap', () => {
    const s = openSession();
    const last = T0 + 10_000;
    s.frame(eventFrame('c-1'), last);
    expect(s.nextDeadline()).toBe(last + 45_000);
    expect(s.tick(last + 44_999)).toEqual([]);
    expect(s.tick(last + 45_000)).toEqual([{ type: 'send', text: '{"message":"ping"}' }]);
    expect(s.tick(last + 50_000)).toEqual([]);
    expect(s.nextDeadline()).toBe(last + 60_000);
    expect(s.tick(last + 60_000)).toEqual([
      { type: 'reconnect', connectUri: CHANNEL.connectUri, reason: 'heartbeat-timeout' },
    ]);
    expect(s.phase).toBe('connecting');
    expect(s.tick(last + 70_000)).toEqual([]);
    expect(s.opened(last + 61_000)).toEqual([
      {
        type: 'gap',
        since: new Date(last).toISOString(),
        until: new Date(last + 61_000).toISOString(),
        sinceMs: last,
        untilMs: last + 61_000,
        reason: 'heartbeat-timeout',
      },
    ]);
    // One gap per outage.
    expect(s.frame(HEARTBEAT_FRAME, last + 62_000)).toEqual([]);
  });

  it('a pong (any frame) keeps the socket', () => {
    const s = openSession();
    expect(s.tick(T0 + 45_000)).toEqual([{ type: 'send', text: '{"message":"ping"}' }]);
    s.frame('{"topicName":"channel.metadata","eventBody":{"message":"pong"}}', T0 + 45_100);
    expect(s.tick(T0 + 60_000)).toEqual([]);
    expect(s.phase).toBe('open');
  });

  it('the heartbeat timeout follows the interval it is given', () => {
    const s = openSession({ heartbeatIntervalMs: 10_000 });
    expect(s.policy.heartbeatTimeoutMs).toBe(20_000);
    expect(s.tick(T0 + 20_000)[0]).toMatchObject({ type: 'reconnect', reason: 'heartbeat-timeout' });
  });

  it('reconnects at once on socket_closing, and reports the gap until the new socket opens', () => {
    const s = openSession();
    s.frame(eventFrame('c-1'), T0 + 5_000);
    const closingAt = T0 + 6_000;
    expect(s.frame(SOCKET_CLOSING_FRAME, closingAt)).toEqual([
      { type: 'reconnect', connectUri: CHANNEL.connectUri, reason: 'socket-closing' },
    ]);
    // The old socket may still deliver until it is closed: its events count.
    expect(s.frame(eventFrame('c-2'), closingAt + 10)[0]).toMatchObject({ type: 'event' });
    expect(s.closed(closingAt + 20)).toEqual([]);
    expect(s.opened(closingAt + 400)).toEqual([
      {
        type: 'gap',
        since: new Date(closingAt).toISOString(),
        until: new Date(closingAt + 400).toISOString(),
        sinceMs: closingAt,
        untilMs: closingAt + 400,
        reason: 'socket-closing',
      },
    ]);
  });

  it('reconnects when the socket closes, backs off when reconnecting fails, then makes a new channel', () => {
    const s = openSession();
    s.frame(HEARTBEAT_FRAME, T0 + 30_000);
    expect(s.closed(T0 + 40_000)).toEqual([
      { type: 'reconnect', connectUri: CHANNEL.connectUri, reason: 'socket-closed' },
    ]);
    expect(s.failed(T0 + 41_000)).toEqual([]);
    expect(s.phase).toBe('waiting');
    expect(s.nextDeadline()).toBe(T0 + 42_000);
    expect(s.tick(T0 + 41_500)).toEqual([]);
    expect(s.tick(T0 + 42_000)).toEqual([{ type: 'connect', connectUri: CHANNEL.connectUri }]);
    expect(s.failed(T0 + 42_500)).toEqual([]);
    expect(s.nextDeadline()).toBe(T0 + 44_500);
    expect(s.tick(T0 + 44_500)).toEqual([{ type: 'create-channel' }]);
    expect(s.failed(T0 + 45_000)).toEqual([]);
    expect(s.nextDeadline()).toBe(T0 + 49_000);
    expect(s.tick(T0 + 49_000)).toEqual([{ type: 'create-channel' }]);
    s.channelCreated({ ...CHANNEL, id: 'c3', expires: undefined }, T0 + 50_000);
    s.subscribed(T0 + 50_100);
    const [gap] = s.opened(T0 + 50_200);
    expect(gap).toMatchObject({
      type: 'gap',
      sinceMs: T0 + 30_000,
      untilMs: T0 + 50_200,
      reason: 'socket-closed',
    });
    // The back-off starts over after a success.
    s.closed(T0 + 60_000);
    s.failed(T0 + 60_100);
    expect(s.nextDeadline()).toBe(T0 + 61_100);
  });

  it('gives up on a step the host does not report on, and closes a socket that opens too late', () => {
    const s = openSession();
    s.closed(T0 + 1_000);
    expect(s.nextDeadline()).toBe(T0 + 31_000);
    expect(s.tick(T0 + 30_999)).toEqual([]);
    expect(s.tick(T0 + 31_000)).toEqual([{ type: 'close' }]);
    expect(s.phase).toBe('waiting');
    expect(s.opened(T0 + 31_500)).toEqual([{ type: 'close' }]);
    expect(s.tick(T0 + 32_000)).toEqual([{ type: 'connect', connectUri: CHANNEL.connectUri }]);
    const fresh = new NotificationsSession({ topics });
    fresh.start(T0);
    expect(fresh.tick(T0 + 30_000)).toEqual([]);
    expect(fresh.phase).toBe('waiting');
    expect(fresh.channelCreated(CHANNEL, T0 + 30_001)).toEqual([]);
  });

  it('caps the back-off', () => {
    const s = new NotificationsSession({ topics });
    s.start(T0);
    let now = T0;
    for (let i = 0; i < 12; i++) {
      s.failed(now);
      now = s.nextDeadline() ?? Number.NaN;
      expect(s.tick(now)).toEqual([{ type: 'create-channel' }]);
    }
    s.failed(now);
    expect((s.nextDeadline() ?? 0) - now).toBe(60_000);
  });

  it('ignores inputs that do not fit its phase, and stops', () => {
    const s = new NotificationsSession({ topics });
    expect(s.opened(T0)).toEqual([]);
    expect(s.subscribed(T0)).toEqual([]);
    expect(s.closed(T0)).toEqual([]);
    expect(s.tick(T0)).toEqual([]);
    expect(s.nextDeadline()).toBeUndefined();
    const open = openSession();
    expect(open.start(T0)).toEqual([]);
    expect(open.stop(T0 + 1)).toEqual([{ type: 'close' }]);
    expect(open.frame(eventFrame('c-1'), T0 + 2)).toEqual([]);
    expect(open.tick(T0 + 10 * HOUR)).toEqual([]);
  });

  it('refuses a policy or topics it cannot use', () => {
    expect(() => new NotificationsSession({ topics, policy: { heartbeatIntervalMs: 0 } })).toThrow(
      ConfigurationError,
    );
    expect(
      () => new NotificationsSession({ topics: Array.from({ length: 1001 }, (_, i) => queueTopic(`q${i}`)) }),
    ).toThrow(ConfigurationError);
  });

  it('events reach the host from attributes topics too', () => {
    const s = openSession();
    const [a] = s.frame(JSON.stringify(notification(attributesTopic(), attributesBody())), T0 + 1);
    expect(a).toMatchObject({ type: 'event', event: { kind: 'conversation-attributes' } });
  });
});
