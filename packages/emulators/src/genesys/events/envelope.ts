import { createHash, randomUUID } from 'node:crypto';
import type { SeedConversation, SeedParticipant } from '../../seed/seed.js';

/**
 * The topics the emulator publishes, as Genesys names them: `{id}` stands for a concrete id (a
 * conversation's, a queue's). EventBridge rules filter on these patterns (`detail-type`); the
 * Notifications API needs the concrete topic.
 */
export const ATTRIBUTES_TOPIC = 'v2.detail.events.conversation.{id}.attributes';
export const CUSTOMER_END_TOPIC = 'v2.detail.events.conversation.{id}.customer.end';
export const QUEUE_CONVERSATIONS_TOPIC = 'v2.routing.queues.{id}.conversations';
export const EVENT_TOPICS = [ATTRIBUTES_TOPIC, CUSTOMER_END_TOPIC, QUEUE_CONVERSATIONS_TOPIC] as const;
export type EventTopic = (typeof EVENT_TOPICS)[number];

/** Ids as the topics take them: Genesys ids are UUIDs; the seed's and tests' ids are plain words. */
const ID = '[A-Za-z0-9_-]+';
const CONCRETE: readonly [RegExp, EventTopic][] = [
  [new RegExp(`^v2\\.detail\\.events\\.conversation\\.${ID}\\.attributes$`), ATTRIBUTES_TOPIC],
  [new RegExp(`^v2\\.detail\\.events\\.conversation\\.${ID}\\.customer\\.end$`), CUSTOMER_END_TOPIC],
  [new RegExp(`^v2\\.routing\\.queues\\.${ID}\\.conversations$`), QUEUE_CONVERSATIONS_TOPIC],
];

/** The pattern of a concrete topic (`…conversation.abc.attributes` → `…conversation.{id}.attributes`). */
export function topicPattern(topicName: string): EventTopic | undefined {
  for (const [re, pattern] of CONCRETE) if (re.test(topicName)) return pattern;
  return undefined;
}

export const topicFor = (pattern: EventTopic, id: string) => pattern.replace('{id}', id);

/**
 * One Genesys Cloud event, as both transports carry it: EventBridge puts it in `detail`, the
 * Notifications API sends it as a frame (without `timestamp`).
 */
export interface GenesysEvent<Body = unknown> {
  topicName: string;
  version: '2';
  eventBody: Body;
  metadata: { CorrelationId: string };
  /** When Genesys published it (ISO). */
  timestamp: string;
}

/** `AttributeDetailEventTopicAttributeUpdateEvent`, as the SDK types it. */
export interface AttributesEventBody {
  eventTime: number;
  conversationId: string;
  participantId: string;
  /**
   * The participant's whole attribute map after the change. Assumed: Genesys does not document
   * whether it is the whole map or only the keys changed; a reader should treat the event as a
   * trigger and read the conversation.
   */
  attributes: Record<string, string>;
  conversationExternalContactIds: string[];
  conversationExternalOrganizationIds: string[];
  communications: { id: string; mediaType: string }[];
}

/** `CustomerEndDetailEventTopicCustomerEndEvent` (the fields the emulator knows). */
export interface CustomerEndEventBody {
  eventTime: number;
  conversationId: string;
  participantId: string;
  sessionId: string;
  disconnectType: string;
  mediaType: string;
  provider: string;
  direction: string;
  externalContactId?: string;
  ani?: string;
  dnis?: string;
  interactingDurationMs: number;
  conversationExternalContactIds: string[];
  conversationExternalOrganizationIds: string[];
}

function event<Body>(topicName: string, eventBody: Body, now: number): GenesysEvent<Body> {
  return {
    topicName,
    version: '2',
    eventBody,
    metadata: { CorrelationId: randomUUID() },
    timestamp: new Date(now).toISOString(),
  };
}

/**
 * Detail events spell their enums in capitals (`VOICE`, `INBOUND`, `PEER`), unlike the Conversations
 * API (assumed from Genesys' published samples; the SDK types them as plain strings).
 */
const detailMediaType = (p: SeedParticipant) => p.mediaType.toUpperCase();

/**
 * A communication's (session's) id: the emulator keeps none, so it derives a stable UUID-shaped id
 * from the participant's (assumed: real ids are unrelated).
 */
export function communicationId(p: SeedParticipant): string {
  const h = createHash('sha1').update(`communication:${p.id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const externalContactIds = (c: SeedConversation) => [
  ...new Set(c.participants.flatMap((p) => (p.externalContactId ? [p.externalContactId] : []))),
];

/** A copy that keeps "__proto__" as data (a spread would too, but say so where it matters). */
function copyAttributes(a: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a))
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** `v2.detail.events.conversation.{id}.attributes` for one participant, now. */
export function attributesEvent(
  c: SeedConversation,
  p: SeedParticipant,
  now = Date.now(),
): GenesysEvent<AttributesEventBody> {
  return event(
    topicFor(ATTRIBUTES_TOPIC, c.id),
    {
      eventTime: now,
      conversationId: c.id,
      participantId: p.id,
      attributes: copyAttributes(p.attributes),
      conversationExternalContactIds: externalContactIds(c),
      conversationExternalOrganizationIds: [],
      communications: [{ id: communicationId(p), mediaType: detailMediaType(p) }],
    },
    now,
  );
}

/** `v2.detail.events.conversation.{id}.customer.end` for the customer participant, now. */
export function customerEndEvent(
  c: SeedConversation,
  p: SeedParticipant,
  disconnectType: string,
  now = Date.now(),
): GenesysEvent<CustomerEndEventBody> {
  return event(
    topicFor(CUSTOMER_END_TOPIC, c.id),
    {
      eventTime: now,
      conversationId: c.id,
      participantId: p.id,
      sessionId: communicationId(p),
      disconnectType,
      mediaType: detailMediaType(p),
      // Voice runs on an Edge; other media name their own provider (assumed: "PureCloud …").
      provider: p.mediaType === 'voice' ? 'Edge' : `PureCloud ${p.mediaType}`,
      direction: 'INBOUND',
      ...(p.externalContactId ? { externalContactId: p.externalContactId } : {}),
      ...(p.ani ? { ani: p.ani } : {}),
      ...(p.dnis ? { dnis: p.dnis } : {}),
      interactingDurationMs: Math.max(0, now - Date.parse(p.startTime)),
      conversationExternalContactIds: externalContactIds(c),
      conversationExternalOrganizationIds: [],
    },
    now,
  );
}

/**
 * The queues a conversation belongs to: those of its participants' `queueId`s (the seed's `acd`
 * participant carries the one queue, "Support"; conversations without a customer have no queue).
 */
export function queueIdsOf(c: SeedConversation): string[] {
  return [...new Set(c.participants.flatMap((p) => (p.queueId ? [p.queueId] : [])))];
}

/** The media list a queue-conversation snapshot gives each participant (`calls`, `chats`, …). */
function mediaList(p: SeedParticipant): string {
  return { voice: 'calls', chat: 'chats', email: 'emails', message: 'messages' }[p.mediaType];
}

/**
 * `v2.routing.queues.{id}.conversations`: the whole conversation as the queue sees it
 * (`QueueConversationEventTopicConversation`), each participant with its attributes. The media
 * entries are reduced to id, state and direction.
 */
export function queueConversationEvents(c: SeedConversation, now = Date.now()): GenesysEvent[] {
  const queues = queueIdsOf(c);
  if (queues.length === 0) return [];
  const ended = Date.parse(c.endTime) <= now;
  const body = {
    id: c.id,
    participants: c.participants.map((p) => ({
      id: p.id,
      purpose: p.purpose,
      ...(p.name ? { name: p.name } : {}),
      ...(p.address ? { address: p.address } : {}),
      ...(p.queueId ? { queueId: p.queueId } : {}),
      ...(p.userId ? { userId: p.userId } : {}),
      ...(p.externalContactId ? { externalContactId: p.externalContactId } : {}),
      connectedTime: p.startTime,
      ...(Date.parse(p.endTime) <= now ? { endTime: p.endTime } : {}),
      attributes: copyAttributes(p.attributes),
      [mediaList(p)]: [
        {
          id: communicationId(p),
          state: ended || Date.parse(p.endTime) <= now ? 'terminated' : 'connected',
          direction: 'inbound',
        },
      ],
    })),
  };
  return queues.map((q) => event(topicFor(QUEUE_CONVERSATIONS_TOPIC, q), body, now));
}

/** Where the EventBridge partner event source lives: `aws.partner/genesys.com/cloud/<orgId>/<suffix>`. */
export interface EventSource {
  orgId: string;
  suffix: string;
  account: string;
  region: string;
}

/** An event as EventBridge delivers it to an API destination. */
export interface EventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: GenesysEvent;
}

/**
 * Wraps an event as EventBridge does: one id per event (every target and every duplicate delivery
 * of it share it), `detail-type` the topic's pattern, `time` to the second as EventBridge writes it.
 */
export function toEventBridge(e: GenesysEvent, source: EventSource): EventBridgeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': topicPattern(e.topicName) ?? e.topicName,
    source: `aws.partner/genesys.com/cloud/${source.orgId}/${source.suffix}`,
    account: source.account,
    time: `${e.timestamp.slice(0, 19)}Z`,
    region: source.region,
    resources: [],
    detail: e,
  };
}

/** A Notifications API frame: the event without EventBridge's `timestamp`. */
export function toNotificationFrame(e: GenesysEvent) {
  return { topicName: e.topicName, version: e.version, eventBody: e.eventBody, metadata: e.metadata };
}
