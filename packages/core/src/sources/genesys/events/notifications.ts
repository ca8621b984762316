/**
 * The Notifications API (for orgs without AWS), as requests and readers without I/O: create a
 * channel, put its subscriptions, read its WebSocket frames. `NotificationsSession`
 * (notifications-session.ts) says when to renew and reconnect.
 *
 * - `POST /api/v2/notifications/channels` → `{id, connectUri, expires}`; a channel lives 24 h, keeps
 *   nothing while no socket is open, takes one socket and at most 1,000 topics; 20 channels per user
 *   and app (a 21st evicts the oldest).
 * - `PUT /api/v2/notifications/channels/{id}/subscriptions` with `[{id: topic}]` replaces the topics.
 * - Frames: `{topicName, version, eventBody, metadata}`; heartbeats on `channel.metadata` about every
 *   30 s (also the answer to `{"message":"ping"}`); `v2.system.socket_closing` before a maintenance
 *   close.
 */
import { ConfigurationError } from '../../../errors/errors.js';
import { isObject, readJson } from '../../../http/read.js';
import { type HttpRequest, type HttpResponse, joinUrl, jsonBody } from '../../../http/types.js';
import { isLoopbackUrl } from '../../../http/urls.js';
import type { GenesysApiTarget } from '../types.js';
import { parseIntakeJson } from './intake.js';
import { type GenesysControlFrame, readNotificationValue, readTime } from './read.js';
import { GENESYS_EVENT_LIMITS, type GenesysEvent } from './types.js';

/** Topics one channel takes. */
export const MAX_TOPICS_PER_CHANNEL = 1_000;
/** A channel's life, when its answer does not say. */
export const NOTIFICATION_CHANNEL_LIFE_MS = 24 * 60 * 60 * 1000;
/** What a client may send on the socket; the answer is a `channel.metadata` frame. */
export const NOTIFICATION_PING = '{"message":"ping"}';

export interface GenesysNotificationChannel {
  id: string;
  /** `wss://…` (plain `ws://` only on loopback: the emulator). */
  connectUri: string;
  /** When the channel expires (ISO), if the answer said. */
  expires?: string;
}

const CHANNELS = '/api/v2/notifications/channels';

function request(
  target: GenesysApiTarget,
  method: 'POST' | 'PUT',
  path: string,
  operation: string,
  body: unknown,
  idempotent: boolean,
): HttpRequest {
  const json = body !== undefined ? jsonBody(body) : undefined;
  return {
    method,
    url: joinUrl(target.apiUrl, path),
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${target.accessToken}`,
      ...(json ? json.headers : {}),
    },
    ...(json ? { body: json.body } : {}),
    idempotent,
    platform: 'genesys',
    operation,
  };
}

/** Creates a channel. Not idempotent: each call makes one (and may evict the user's oldest). */
export function buildCreateChannelRequest(target: GenesysApiTarget): HttpRequest {
  return request(target, 'POST', CHANNELS, 'create notification channel', undefined, false);
}

export function readNotificationChannel(
  request: HttpRequest,
  response: HttpResponse,
): GenesysNotificationChannel {
  const body = readJson<Record<string, unknown>>(request, response, (b) => {
    if (!isObject(b)) return 'the channel is not an object';
    if (typeof b.id !== 'string' || b.id === '' || b.id.length > GENESYS_EVENT_LIMITS.maxEventIdLength)
      return 'the channel has no id';
    if (typeof b.connectUri !== 'string' || !isWebSocketUri(b.connectUri))
      return 'the channel has no wss:// connectUri';
    if (b.expires !== undefined && b.expires !== null && readTime(b.expires) === undefined)
      return 'the channel expires at no valid time';
    return undefined;
  });
  const expires = readTime(body.expires);
  return {
    id: body.id as string,
    connectUri: body.connectUri as string,
    ...(expires !== undefined ? { expires } : {}),
  };
}

function isWebSocketUri(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'wss:' || (url.protocol === 'ws:' && isLoopbackUrl(text));
  } catch {
    return false;
  }
}

/** 1001 → "1,001" (without Intl, which a workflow sandbox may lack). */
const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/**
 * The topics checked for a channel: each a non-empty topic name without spaces, repeats dropped, at
 * most 1,000 (more is a ConfigurationError: spread the queues over several channels).
 */
export function channelTopics(topics: readonly string[]): string[] {
  const unique = [...new Set(topics)];
  for (const t of unique) {
    if (typeof t !== 'string' || t === '' || t.length > GENESYS_EVENT_LIMITS.maxTopicLength || /\s/.test(t)) {
      throw new ConfigurationError(
        `a notification topic is a name of 1 to ${GENESYS_EVENT_LIMITS.maxTopicLength} characters without spaces`,
        { platform: 'genesys' },
      );
    }
  }
  if (unique.length > MAX_TOPICS_PER_CHANNEL) {
    throw new ConfigurationError(
      `a Genesys Cloud notification channel takes at most ${thousands(MAX_TOPICS_PER_CHANNEL)} topics, ` +
        `and ${thousands(unique.length)} were asked for: use fewer queues or several channels`,
      { platform: 'genesys' },
    );
  }
  return unique;
}

/**
 * Replaces the channel's topics with `topics` (PUT: sending it again is harmless; it is also how a
 * channel is kept past its 24 hours).
 */
export function buildSubscribeRequest(
  params: GenesysApiTarget & { channelId: string; topics: readonly string[] },
): HttpRequest {
  const body = channelTopics(params.topics).map((id) => ({ id }));
  return request(
    params,
    'PUT',
    `${CHANNELS}/${encodeURIComponent(params.channelId)}/subscriptions`,
    'subscribe notification channel',
    body,
    true,
  );
}

/** `{entities: [{id}]}` → the topics the channel now has. */
export function readSubscriptions(request: HttpRequest, response: HttpResponse): { topics: string[] } {
  const body = readJson<Record<string, unknown>>(request, response, (b) => {
    if (!isObject(b)) return 'the subscriptions are not an object';
    if (b.entities !== undefined && !Array.isArray(b.entities)) return 'entities is not an array';
    return undefined;
  });
  const entities = Array.isArray(body.entities) ? (body.entities as unknown[]) : [];
  return {
    topics: entities
      .filter(isObject)
      .map((e) => e.id)
      .filter((id): id is string => typeof id === 'string'),
  };
}

// ---- frames ----

/** A frame: an event (maybe `ignored`), a heartbeat (or pong), or the server's `socket_closing`. */
export type NotificationFrame = GenesysEvent | GenesysControlFrame;

/** A frame's text as what it says; a ValidationError (`frame: …`) for one it cannot read. */
export function readNotificationFrame(text: string): NotificationFrame {
  return readNotificationValue(parseIntakeJson(text, 'frame'), { root: 'frame', control: true });
}
